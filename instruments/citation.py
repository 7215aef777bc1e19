"""An instrument as a citation: BibTeX, RIS and CSL-JSON (written by core/citation.py).

The title cited is the official one where there is one (English for EU acts; Russian or Kazakh
for Kazakh, CIS and EAEU acts whose English title is a translation), the English translation
beside it and marked as one. The URL is the official text's (ELI, EUR-Lex, Adilet), then the
record's page under the canonical base URL.
"""

from django.utils import translation

from core import citation as formats
from core.citation import Citation, canonical_url, choose_titles, date_parts

from .vocabulary import TREATY_KINDS
from .vocabulary import InstrumentKind as Kind

# CSL 1.0.2 item types.
CSL_TYPES = {
    **{kind: "treaty" for kind in TREATY_KINDS},
    Kind.LEGISLATIVE_PROPOSAL: "bill",
    Kind.DRAFT: "bill",
    Kind.POLICY_ADDRESS: "speech",
}
# RIS reference types (the RIS specification's names): STAT statute, BILL bill, LEGAL legal rule or
# regulation (RIS has no treaty type; Zotero and EndNote read LEGAL for treaties), GOVDOC government
# document, GEN generic (RIS's SOUND is a sound recording, not an address).
RIS_TYPES = {
    **{kind: "LEGAL" for kind in TREATY_KINDS},
    Kind.DIRECTIVE: "STAT",
    Kind.REGULATION: "STAT",
    Kind.DECISION: "STAT",
    Kind.FRAMEWORK_DECISION: "STAT",
    Kind.LAW: "STAT",
    Kind.CODE: "STAT",
    Kind.LEGISLATIVE_PROPOSAL: "BILL",
    Kind.DRAFT: "BILL",
    Kind.PRESIDENTIAL_DECREE: "GOVDOC",
    Kind.GOVERNMENT_RESOLUTION: "GOVDOC",
    Kind.MINISTERIAL_ORDER: "GOVDOC",
    Kind.POLICY_CONCEPT: "GOVDOC",
    Kind.POLICY_ADDRESS: "GEN",
}


def official_url(instrument):
    if instrument.eli:
        return instrument.eli
    if instrument.celex:
        return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{instrument.celex}"
    if instrument.adilet_code:
        return f"https://adilet.zan.kz/rus/docs/{instrument.adilet_code}"
    return ""


def page_url(instrument):
    with translation.override("en"):
        return canonical_url(instrument.get_absolute_url())


def as_citation(instrument):
    title, english = choose_titles(instrument)
    if title is None:  # no title in any language: cite by its label, as not official
        title, english = formats.Title(instrument.label, "en", ""), None
    with translation.override("en"):
        genre = str(Kind(instrument.kind).label).capitalize() if instrument.kind in Kind.values else ""
    notes = []
    if instrument.celex:
        notes.append(f"CELEX {instrument.celex}")
    if instrument.adilet_code:
        notes.append(f"Adilet {instrument.adilet_code}")
    parties = []
    if instrument.kind in TREATY_KINDS:  # a treaty's parties are its authors in CSL (styles name them)
        with translation.override("en"):
            parties = [
                (party.country or party.organisation).name_en
                for party in instrument.parties.all()
                if party.country_id or party.organisation_id
            ]
    return Citation(
        id=instrument.pk,
        csl_type=CSL_TYPES.get(instrument.kind, "legislation"),
        ris_type=RIS_TYPES.get(instrument.kind, "GEN"),
        title=title,
        translation=english,
        short_title=getattr(instrument, f"short_title_{title.language}", ""),
        genre=genre,
        authors=[instrument.issuing_body] if instrument.issuing_body else [],
        authority=instrument.issuing_body,
        parties=parties,
        issued=date_parts(instrument.date_adopted, instrument.date_adopted_precision),
        number=instrument.number,
        publication_reference=instrument.publication_reference,
        urls=[url for url in (official_url(instrument), page_url(instrument)) if url],
        notes=notes,
    )


def bibtex(instrument, request=None):
    return formats.bibtex(as_citation(instrument))


def ris(instrument, request=None):
    return formats.ris(as_citation(instrument))


def csl_json(instrument, request=None):
    return formats.csl_json(as_citation(instrument))
