"""JSON-LD for the API: schema.org `Legislation` with ELI ontology terms.

Built from the API's own JSON item, so both formats always say the same thing.
The @context is inline (no network needed to expand it). Following the ELI Task
Force's schema.org profile: enumerations are IRIs ({"@id": "schema:InForce"}),
inverse relationships are written with "@reverse" (schema.org has no passive
properties), and a date is typed by its precision (xsd:date, xsd:gYearMonth,
xsd:gYear) so a date known only to the month never claims a day.

Node IRIs (`@id`, and the pages' `url`) are minted under the configured canonical base
(settings.KB_CANONICAL_URL), never from the request's Host: two hostnames of one deployment
name a record the same. The computed legal force says for which day it was computed
(`legislationDateVersion`).
"""

from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse

from api.links import absolute
from core.citation import canonical_url
from core.lifecycle import today

from .vocabulary import Jurisdiction, RelationshipType

CONTEXT = {
    "@vocab": "https://schema.org/",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

LEGAL_FORCE = {
    "in_force": "schema:InForce",
    "not_yet_in_force": "schema:NotInForce",
    "no_longer_in_force": "schema:NotInForce",
}

LEGAL_VALUE = {"official": "schema:OfficialLegalValue", "unofficial": "schema:UnofficialLegalValue"}

LANGUAGES = ("en", "ru", "kk")


def dated(value, precision):
    """A typed literal as precise as the date is known; None when unknown."""
    if not value or precision == "unknown":
        return None
    if precision == "month":
        return {"@value": value[:7], "@type": "xsd:gYearMonth"}
    if precision == "year":
        return {"@value": value[:4], "@type": "xsd:gYear"}
    return {"@value": value, "@type": "xsd:date"}


def canonical(url):
    """An address the API or a page wrote (from the request's host) under the canonical base."""
    if not url:
        return url
    parts = urlsplit(url)
    return canonical_url(parts.path) + (f"?{parts.query}" if parts.query else "")


def legal_force(node, item):
    """legislationLegalForce, and the day it was computed for (legislationDateVersion)."""
    if item.get("status") in LEGAL_FORCE:
        node["legislationLegalForce"] = {"@id": LEGAL_FORCE[item["status"]]}
        if item.get("status_date"):
            node["legislationDateVersion"] = {"@value": str(item["status_date"]), "@type": "xsd:date"}


def language_values(item, field):
    return [{"@value": item[f"{field}_{code}"], "@language": code} for code in LANGUAGES if item.get(f"{field}_{code}")]


def legislation_node(item):
    """One instrument's node, from its API JSON item."""
    node = {
        "@id": canonical(item["url"]),
        "@type": ["Legislation", "eli:LegalResource"],
        "identifier": item["id"],
        "name": language_values(item, "title"),
        "alternateName": language_values(item, "short_title"),
        "legislationType": item["kind"],
        "legislationJurisdiction": str(Jurisdiction(item["jurisdiction"]).label),
        "abstract": language_values(item, "summary"),
    }
    if item.get("html_url"):
        node["url"] = canonical(item["html_url"])
    if item.get("eli"):
        node["sameAs"] = item["eli"]
    identifiers = [item[key] for key in ("celex", "number", "adilet_code") if item.get(key)]
    if identifiers:
        node["legislationIdentifier"] = identifiers
    if item.get("celex") or item.get("adilet_code"):
        node["eli:id_local"] = item.get("celex") or item.get("adilet_code")
    if item.get("number"):
        node["eli:number"] = item["number"]
    if item.get("issuing_body"):
        node["legislationPassedBy"] = {"@type": "Organization", "name": item["issuing_body"]}
    for key, value in (
        ("legislationDate", dated(item["date_adopted"], item["date_adopted_precision"])),
        ("eli:date_document", dated(item["date_adopted"], item["date_adopted_precision"])),
        ("datePublished", dated(item["date_published"], item["date_published_precision"])),
        ("eli:first_date_entry_in_force", dated(item["entry_into_force"], item["entry_into_force_precision"])),
        ("eli:date_no_longer_in_force", dated(item["end_of_validity"], item["end_of_validity_precision"])),
    ):
        if value is not None:
            node[key] = value
    if item.get("publication_reference"):
        node["isPartOf"] = {"@type": "PublicationIssue", "name": item["publication_reference"]}
    legal_force(node, item)
    if item["subjects"]:
        node["about"] = [
            {"@type": "DefinedTerm", "termCode": s["code"], "name": s["label_en"]} for s in item["subjects"]
        ]
    if item["official_texts"]:
        node["encoding"] = [
            {
                "@type": "LegislationObject",
                "contentUrl": text["url"],
                "inLanguage": text["language"],
                "publisher": {"@type": "Organization", "name": text["publisher"]},
                **(
                    {"legislationLegalValue": {"@id": LEGAL_VALUE[text["kind"]]}} if text["kind"] in LEGAL_VALUE else {}
                ),
            }
            for text in item["official_texts"]
        ]
    reverse = {}
    for rel in item["relationships"]:
        prop = RelationshipType(rel["type"]).linked_data_property
        target = {"@id": canonical(rel["instrument_url"])}
        if rel["direction"] == "outgoing":
            node.setdefault(prop, []).append(target)
        else:
            reverse.setdefault(prop, []).append(target)
    if reverse:
        node["@reverse"] = reverse
    return {key: value for key, value in node.items() if value not in ([], "", None)}


def document(items):
    return {"@context": CONTEXT, "@graph": [legislation_node(item) for item in items]}


def page_head(instrument, facts, request):
    """The instrument page's JSON-LD (in its head), built by `document` from the rows the page has
    already fetched, so both say the same thing and the page runs no extra query."""

    def api_or_page(pk):
        try:
            return absolute(request, reverse("api:instrument-detail", args=[pk]))
        except NoReverseMatch:
            return absolute(request, reverse("web:instrument-detail", args=[pk]))

    def iso(value):
        return value.isoformat() if value else None

    fields = (
        "id", "kind", "jurisdiction", "eli", "celex", "number", "adilet_code", "issuing_body",
        "publication_reference", "date_adopted_precision", "date_published_precision",
        "entry_into_force_precision", "end_of_validity_precision",
        *(f"{name}_{code}" for name in ("title", "short_title", "summary") for code in LANGUAGES),
    )  # fmt: skip
    item = {field: getattr(instrument, field) for field in fields}
    item.update(
        {
            "url": api_or_page(instrument.pk),
            "html_url": absolute(request, instrument.get_absolute_url()),
            "date_adopted": iso(instrument.date_adopted),
            "date_published": iso(instrument.date_published),
            "entry_into_force": iso(instrument.entry_into_force),
            "end_of_validity": iso(instrument.end_of_validity),
            "status": instrument.computed_status,
            "status_date": today().isoformat(),  # the page computes status for today
            "subjects": facts["subjects"],
            "official_texts": [
                {"url": t.url, "language": t.language, "publisher": t.publisher, "kind": t.kind} for t in facts["texts"]
            ],
            "relationships": [
                {
                    "type": entry["rel"].type,
                    "instrument_url": api_or_page(entry["other"].pk),
                    "direction": "outgoing" if entry["rel"].subject_id == instrument.pk else "incoming",
                }
                for entry in facts["related"]
            ],
        }
    )
    return document([item])
