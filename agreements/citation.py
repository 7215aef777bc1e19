"""An agreement of Kazakhstan's as a citation: BibTeX, RIS and CSL-JSON (written by core/citation.py).

A treaty in CSL (`treaty`), a legal rule in RIS (`LEGAL`: RIS has no treaty type). Its authors are
its parties, each one corporate name (Kazakhstan first, then the partners as the data lists them).
The title cited is the official one where there is one (Russian or Kazakh for most), the English
title beside it marked as a translation; where no title is recorded, the agreement is cited by its
label ("Kazakhstan – Germany readmission agreement"), marked as not official.
"""

from django.utils import translation

from core import citation as formats
from core.citation import Citation, Title, canonical_url, choose_titles, date_parts
from countries.models import KAZAKHSTAN


def as_citation(agreement):
    with translation.override("en"):
        parties = sorted(agreement.parties.all(), key=lambda p: (p.country_id != KAZAKHSTAN, p.country.name_en))
        authors = [party.country.name_en for party in parties]
        title, english = choose_titles(agreement)
        if title is None:
            title, english = Title(str(agreement.label), "en", ""), None
        genre = "Protocol" if agreement.amends_id else "Agreement"
        page = canonical_url(agreement.get_absolute_url())
    notes = []
    if agreement.place_signed:
        notes.append(f"Signed at {agreement.place_signed}")
    if agreement.ratification_law_number:
        notes.append(f"Ratified by Kazakhstan: Law No. {agreement.ratification_law_number}")
    return Citation(
        id=agreement.pk,
        csl_type="treaty",
        ris_type="LEGAL",
        title=title,
        translation=english,
        genre=genre,
        authors=authors,
        parties=authors,
        issued=date_parts(agreement.date_signed, agreement.date_signed_precision),
        urls=[page],
        notes=notes,
    )


def bibtex(agreement, request=None):
    return formats.bibtex(as_citation(agreement))


def ris(agreement, request=None):
    return formats.ris(as_citation(agreement))


def csl_json(agreement, request=None):
    return formats.csl_json(as_citation(agreement))
