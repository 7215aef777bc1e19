"""An instrument as a citation: BibTeX, RIS and CSL-JSON.

Titles are the official English title where there is one (citations are
usually made in the language of the official text); the URL is the page of
the instrument in this knowledge base, with the official text's URL as well.
"""

import json

from core.lifecycle import Precision

from .vocabulary import InstrumentKind as Kind

# CSL 1.0.2 item types; RIS reference types.
CSL_TYPES = {
    Kind.TREATY: "treaty",
    Kind.AGREEMENT: "treaty",
    Kind.PROTOCOL: "treaty",
    Kind.DIRECTIVE: "legislation",
    Kind.REGULATION: "legislation",
    Kind.LAW: "legislation",
    Kind.GOVERNMENT_RESOLUTION: "regulation",
    Kind.POLICY_ADDRESS: "speech",
}
RIS_TYPES = {
    Kind.LAW: "STAT",
    Kind.DIRECTIVE: "STAT",
    Kind.REGULATION: "LEGAL",
    Kind.GOVERNMENT_RESOLUTION: "LEGAL",
    Kind.POLICY_ADDRESS: "SOUND",
}


def _title(instrument):
    for code in ("en", "ru", "kk"):
        value = getattr(instrument, f"title_{code}")
        if value:
            return value, code
    return instrument.label, "en"


def _official_url(instrument):
    if instrument.eli:
        return instrument.eli
    if instrument.celex:
        return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{instrument.celex}"
    if instrument.adilet_code:
        return f"https://adilet.zan.kz/rus/docs/{instrument.adilet_code}"
    return ""


def _date_parts(instrument):
    date, precision = instrument.date_adopted, instrument.date_adopted_precision
    if date is None or precision == Precision.UNKNOWN:
        return []
    if precision == Precision.YEAR:
        return [date.year]
    if precision == Precision.MONTH:
        return [date.year, date.month]
    return [date.year, date.month, date.day]


def _page_url(instrument, request):
    return request.build_absolute_uri(instrument.get_absolute_url()) if request else instrument.get_absolute_url()


def _bibtex_escape(text):
    return "".join("\\" + char if char in "{}&%$#_" else char for char in text)


def bibtex(instrument, request=None):
    title, _lang = _title(instrument)
    parts = _date_parts(instrument)
    fields = [("title", f"{{{_bibtex_escape(title)}}}")]
    if instrument.issuing_body:
        fields.append(("author", f"{{{_bibtex_escape(instrument.issuing_body)}}}"))
    if parts:
        fields.append(("year", str(parts[0])))
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    if instrument.number:
        fields.append(("number", _bibtex_escape(instrument.number)))
    if instrument.publication_reference:
        fields.append(("howpublished", _bibtex_escape(instrument.publication_reference)))
    url = _official_url(instrument) or _page_url(instrument, request)
    fields.append(("url", url))
    if instrument.celex:
        fields.append(("note", f"CELEX {instrument.celex}"))
    body = ",\n".join(
        f"  {name} = {{{value}}}" if not value.startswith("{") else f"  {name} = {value}" for name, value in fields
    )
    return f"@misc{{{instrument.pk},\n{body}\n}}\n"


def ris(instrument, request=None):
    title, lang = _title(instrument)
    parts = _date_parts(instrument)
    lines = [("TY", RIS_TYPES.get(instrument.kind, "LEGAL")), ("TI", title)]
    if instrument.issuing_body:
        lines.append(("AU", instrument.issuing_body))
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) + "/"))
    if instrument.number:
        lines.append(("M1", instrument.number))
    if instrument.publication_reference:
        lines.append(("JO", instrument.publication_reference))
    url = _official_url(instrument)
    if url:
        lines.append(("UR", url))
    lines.append(("UR", _page_url(instrument, request)))
    lines.append(("LA", lang))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(instrument, request=None):
    title, lang = _title(instrument)
    item = {
        "id": instrument.pk,
        "type": CSL_TYPES.get(instrument.kind, "legislation"),
        "title": title,
        "language": lang,
        "URL": _official_url(instrument) or _page_url(instrument, request),
    }
    if instrument.short_title_en:
        item["title-short"] = instrument.short_title_en
    parts = _date_parts(instrument)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if instrument.number:
        item["number"] = instrument.number
    if instrument.issuing_body:
        item["authority"] = instrument.issuing_body
    if instrument.publication_reference:
        item["container-title"] = instrument.publication_reference
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
