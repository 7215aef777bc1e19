"""JSON-LD for Kazakhstan's agreements: schema.org `Legislation` with ELI terms, as for instruments.

Built from the API's own JSON item (instruments/jsonld.py holds the shared context and rules: node
IRIs under the canonical base, dates typed by their precision, the legal force with the day it was
computed for). An agreement's parties are the states whose territory it covers
(`legislationJurisdiction`, schema:Country with its ISO 3166-1 code); a protocol amends the
agreement it names (`legislationAmends`).
"""

from django.urls import reverse

from api.links import absolute
from core.lifecycle import today
from instruments.jsonld import CONTEXT, canonical, dated, language_values, legal_force


def agreement_node(item, amends_url=None):
    node = {
        "@id": canonical(item["url"]),
        "@type": ["Legislation", "eli:LegalResource"],
        "identifier": item["id"],
        "name": language_values(item, "title"),
        "legislationType": "agreement",
        "genre": item.get("type"),
        "legislationJurisdiction": [
            {"@type": "Country", "identifier": party["code"], "name": party["name_en"]}
            for party in item.get("parties", [])
        ],
    }
    if item.get("html_url"):
        node["url"] = canonical(item["html_url"])
    for key, value in (
        ("legislationDate", dated(item.get("date_signed"), item.get("date_signed_precision"))),
        ("eli:date_document", dated(item.get("date_signed"), item.get("date_signed_precision"))),
        ("eli:first_date_entry_in_force", dated(item.get("entry_into_force"), item.get("entry_into_force_precision"))),
        ("eli:date_no_longer_in_force", dated(item.get("end_of_validity"), item.get("end_of_validity_precision"))),
    ):
        if value is not None:
            node[key] = value
    if item.get("place_signed"):
        node["spatial"] = {"@type": "Place", "name": item["place_signed"]}
    legal_force(node, item)
    if item.get("amends") and amends_url:
        node["legislationAmends"] = {"@id": canonical(amends_url)}
    if item.get("subjects"):
        node["about"] = [{"@type": "DefinedTerm", "termCode": code} for code in item["subjects"]]
    return {key: value for key, value in node.items() if value not in ([], "", None)}


def document(items, amends_url):
    """`amends_url(id)`: the address of the agreement a protocol amends."""
    return {
        "@context": CONTEXT,
        "@graph": [agreement_node(item, amends_url(item["amends"]) if item.get("amends") else None) for item in items],
    }


def page_head(agreement, request):
    """The agreement page's JSON-LD (in its head), from the rows the page has already fetched."""

    def iso(value):
        return value.isoformat() if value else None

    def api(pk):
        return absolute(request, reverse("api:agreement-detail", args=[pk]))

    item = {
        "id": agreement.pk,
        "url": api(agreement.pk),
        "html_url": absolute(request, agreement.get_absolute_url()),
        "type": agreement.type,
        "amends": agreement.amends_id,
        **{f"title_{code}": getattr(agreement, f"title_{code}") for code in ("en", "ru", "kk")},
        "parties": [{"code": p.country.code, "name_en": p.country.name_en} for p in agreement.parties.all()],
        "date_signed": iso(agreement.date_signed),
        "date_signed_precision": agreement.date_signed_precision,
        "place_signed": agreement.place_signed,
        "entry_into_force": iso(agreement.entry_into_force),
        "entry_into_force_precision": agreement.entry_into_force_precision,
        "end_of_validity": iso(agreement.end_of_validity),
        "end_of_validity_precision": agreement.end_of_validity_precision,
        "status": agreement.computed_status,
        "status_date": today().isoformat(),  # the page computes status for today
    }
    return document([item], api)
