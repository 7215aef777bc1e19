"""A record as a citation that reference managers import cleanly: BibTeX, RIS and CSL-JSON.

The apps describe their records as a `Citation` (instruments/citation.py, agreements/citation.py);
this module writes it in the three formats:

- **BibTeX**: `@misc` with corporate authors in double braces (`{{European Parliament and Council}}`,
  never split into persons), the title in double braces (its case kept), LaTeX's special characters
  escaped, `date` as precise as it is known (biblatex's ISO form: `2012`, `2012-12`, `2012-12-14`).
- **RIS**: the reference types of the RIS specification (STAT statute, BILL bill, LEGAL legal rule —
  RIS has no treaty type —, GOVDOC government document, GEN generic), one author per `AU`, and an
  Official Journal reference split into its journal and series (`JO  - OJ L`), issue (`IS`) and pages
  (`SP`/`EP`), the whole reference in a note (it keeps the journal's date).
- **CSL-JSON** (CSL 1.0.2): `legislation`, `treaty`, `bill` or `speech`, with `authority`, `number`
  (where the title does not already carry it), `container-title`, `volume`/`issue`/`page` of the
  Official Journal, `issued` as precise as known; a treaty's parties as literal `author`s.

The title is the official one (in its own language) where there is one; a translation is given
beside it and says that it is one, never passed off as the title.
"""

import json
import re
from dataclasses import dataclass, field

from django.conf import settings

from core.lifecycle import Precision

# "OJ L 155, 18.6.2009, p. 17–29", "OJ L 332, 18.12.2007", "OJ L, 2024/1233, 30.4.2024" (the
# act-by-act Official Journal since October 2023: no issue, the act's own number instead).
OJ_RE = re.compile(
    r"^OJ (?P<series>[LC]|C [A-Z])(?: (?P<issue>\d+)|, (?P<act>\d{4}/\d+)), (?P<day>\d{1,2})\.(?P<month>\d{1,2})\."
    r"(?P<year>\d{4})(?:,? p\. (?P<first>\d+)(?:[–-](?P<last>\d+))?)?(?P<rest>.*)$"
)

LANGUAGE_NAMES = {"en": "english", "ru": "russian", "kk": "kazakh"}
LANGUAGE_LABELS = {"en": "English", "ru": "Russian", "kk": "Kazakh"}


def canonical_url(path):
    """The address of a page under the configured canonical base (KB_CANONICAL_URL), whatever the
    Host the request came with: one deployment, one address per record."""
    return settings.KB_CANONICAL_URL.rstrip("/") + path


@dataclass
class OfficialJournal:
    series: str  # "L", "C"
    issue: str = ""
    act: str = ""  # the act-by-act OJ's number, "2024/1233"
    date: tuple = ()  # (year, month, day)
    first_page: str = ""
    last_page: str = ""
    rest: str = ""  # what follows and was not split (kept in the note)

    @property
    def journal(self):
        return f"OJ {self.series}"

    @property
    def pages(self):
        if self.first_page and self.last_page:
            return f"{self.first_page}–{self.last_page}"
        return self.first_page


def official_journal(reference):
    """An Official Journal reference split into its parts, or None for any other reference."""
    match = OJ_RE.match(reference or "")
    if not match:
        return None
    parts = match.groupdict()
    return OfficialJournal(
        series=parts["series"],
        issue=parts["issue"] or "",
        act=parts["act"] or "",
        date=(int(parts["year"]), int(parts["month"]), int(parts["day"])),
        first_page=parts["first"] or "",
        last_page=parts["last"] or "",
        rest=parts["rest"].strip(),
    )


def date_parts(value, precision):
    """[year], [year, month] or [year, month, day]: as precise as the date is known; [] if unknown."""
    if value is None or precision in (Precision.UNKNOWN, "", None):
        return []
    if precision == Precision.YEAR:
        return [value.year]
    if precision == Precision.MONTH:
        return [value.year, value.month]
    return [value.year, value.month, value.day]


def iso(parts):
    """ISO 8601 / EDTF at the precision known: 2012, 2012-12, 2012-12-14."""
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


@dataclass
class Title:
    text: str
    language: str  # en, ru, kk
    kind: str  # official, unofficial, paraphrase, "" (not said)

    @property
    def is_official(self):
        return self.kind == "official"


def choose_titles(record, order=("en", "ru", "kk")):
    """(the title to cite, the English translation to give beside it or None).

    The first official title in `order`; where none is official, the first title there is (it is then
    marked as not official wherever it is written). An English title that is not the one cited, and
    is not itself official, is the translation given beside it."""
    titles = [
        Title(getattr(record, f"title_{code}"), code, getattr(record, f"title_{code}_kind", ""))
        for code in order
        if getattr(record, f"title_{code}", "")
    ]
    if not titles:
        return None, None
    cited = next((t for t in titles if t.is_official), titles[0])
    translation = next((t for t in titles if t.language == "en" and t is not cited), None)
    return cited, translation


@dataclass
class Citation:
    id: str
    csl_type: str  # legislation, treaty, bill, speech
    ris_type: str  # STAT, BILL, LEGAL, GOVDOC, GEN
    title: Title
    translation: Title | None = None
    short_title: str = ""
    genre: str = ""  # "Directive", "Law", "Agreement": the kind, which styles print before a number
    authors: list = field(default_factory=list)  # corporate names, each one name
    parties: list = field(default_factory=list)  # a treaty's parties (CSL authors)
    authority: str = ""
    issued: list = field(default_factory=list)  # date parts
    number: str = ""
    publication_reference: str = ""
    urls: list = field(default_factory=list)  # official first, then the record's page
    notes: list = field(default_factory=list)
    keywords: list = field(default_factory=list)

    @property
    def journal(self):
        return official_journal(self.publication_reference)

    def title_notes(self):
        notes = []
        if self.translation is not None:
            kind = "official" if self.translation.is_official else "unofficial"
            notes.append(f"English title ({kind} translation): {self.translation.text}")
        if not self.title.is_official:
            label = LANGUAGE_LABELS[self.title.language]
            what = "paraphrase" if self.title.kind == "paraphrase" else "unofficial translation"
            notes.append(f"Title: {label} {what}; no official title is recorded")
        return notes

    def publication_notes(self):
        # The whole reference as well as its parts: it keeps the journal's date (RIS has no tag for it).
        return [f"Published: {self.publication_reference}"] if self.publication_reference else []

    def all_notes(self, publication=True):
        return self.title_notes() + (self.publication_notes() if publication else []) + self.notes


# --- BibTeX --------------------------------------------------------------------------------

BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in " ".join(str(text).split()))


def bibtex_key(pk):
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", pk)


def bibtex(citation):
    fields = [("title", "{" + bibtex_escape(citation.title.text) + "}")]
    if citation.short_title:
        fields.append(("shorttitle", "{" + bibtex_escape(citation.short_title) + "}"))
    if citation.authors:
        fields.append(("author", " and ".join("{" + bibtex_escape(name) + "}" for name in citation.authors)))
    if citation.authority:
        fields.append(("organization", bibtex_escape(citation.authority)))
    if citation.genre:
        fields.append(("type", bibtex_escape(citation.genre)))
    if citation.issued:
        fields.append(("year", str(citation.issued[0])))
        if len(citation.issued) > 1:
            fields.append(("month", str(citation.issued[1])))
        fields.append(("date", iso(citation.issued)))
    if citation.number:
        fields.append(("number", bibtex_escape(citation.number)))
    if citation.publication_reference:
        fields.append(("howpublished", bibtex_escape(citation.publication_reference)))
    fields.append(("language", LANGUAGE_NAMES[citation.title.language]))
    if citation.urls:
        fields.append(("url", citation.urls[0]))
    notes = citation.all_notes(publication=False)  # the reference is in howpublished
    if notes:
        fields.append(("note", bibtex_escape(". ".join(notes))))
    if citation.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(citation.keywords))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(citation.id)},\n{body}\n}}\n"


# --- RIS -----------------------------------------------------------------------------------


def ris_value(text):
    return " ".join(str(text).split())


def ris(citation):
    lines = [("TY", citation.ris_type), ("TI", citation.title.text)]
    if citation.translation is not None:
        lines.append(("TT", citation.translation.text))
    if citation.short_title:
        lines.append(("ST", citation.short_title))
    lines += [("AU", name) for name in citation.authors]
    if citation.authority and citation.authority not in citation.authors:
        lines.append(("PB", citation.authority))
    if citation.issued:
        lines.append(("PY", str(citation.issued[0])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(citation.issued)) + "/"))
    if citation.number:
        lines.append(("M1", citation.number))
    journal = citation.journal
    if journal is not None:
        lines.append(("JO", journal.journal))
        if journal.issue:
            lines.append(("IS", journal.issue))
        if journal.first_page:
            lines.append(("SP", journal.first_page))
        if journal.last_page:
            lines.append(("EP", journal.last_page))
    lines += [("UR", url) for url in citation.urls]
    lines.append(("LA", citation.title.language))
    lines += [("N1", note) for note in citation.all_notes()]
    lines += [("KW", keyword) for keyword in citation.keywords]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {ris_value(value)}\r\n" for tag, value in lines)


# --- CSL-JSON ------------------------------------------------------------------------------


def csl_item(citation):
    item = {
        "id": citation.id,
        "type": citation.csl_type,
        "title": citation.title.text,
        "language": citation.title.language,
    }
    if citation.short_title:
        item["title-short"] = citation.short_title
    if citation.genre:
        item["genre"] = citation.genre
    if citation.authority:
        item["authority"] = citation.authority
    if citation.number and citation.number not in citation.title.text:
        # Where the title carries the number, APA and Chicago would print it again after it
        # ("…, Directive No. 2009/50/EC").
        item["number"] = citation.number
    if citation.parties:
        item["author"] = [{"literal": name} for name in citation.parties]
    if citation.issued:
        item["issued"] = {"date-parts": [citation.issued]}
    journal = citation.journal
    if journal is not None:
        item["container-title"] = journal.journal
        if journal.issue:
            item["volume"] = journal.issue  # the OJ issue is cited as a volume: [2009] OJ L155/17
            item["issue"] = journal.issue
        if journal.pages:
            item["page"] = journal.pages
    if citation.urls:
        item["URL"] = citation.urls[0]
    notes = citation.all_notes()
    if notes:
        item["note"] = "\n".join(notes)
    if citation.keywords:
        item["keyword"] = ", ".join(citation.keywords)
    return item


def csl_json(citation):
    return json.dumps([csl_item(citation)], ensure_ascii=False, indent=2) + "\n"


FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", ris),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", csl_json),
}
