"""The API's formats: JSON (orjson, DRF's exact bytes), JSON-LD and CSV (streamed)."""

import csv

import orjson
from django.conf import settings
from django.http import StreamingHttpResponse
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

from .errors import InvalidParameters
from .exports import ExportSlot


class OrjsonRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer with orjson doing the encoding (a page of 50 instruments: about five
    times faster than the standard library's json).

    The bytes are DRF's: compact, UTF-8, U+2028 and U+2029 escaped, dates and anything else
    orjson has no native form for written by DRF's own encoder. Indentation on request, a
    value orjson refuses, or settings other than compact UTF-8 go to DRF's renderer itself.
    """

    encoder = JSONEncoder()
    options = orjson.OPT_PASSTHROUGH_DATETIME  # DRF's way: "Z" for UTC, milliseconds

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if self.ensure_ascii or not self.compact or indent is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder.default, option=self.options)
        except TypeError:  # orjson.JSONEncodeError: e.g. a key that is not a string
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


class JSONLDRenderer(OrjsonRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CSVRenderer(renderers.BaseRenderer):
    """text/csv. Lists stream every matching row themselves (stream_csv); this renders the rest."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else str(data).encode("utf-8")


class Echo:
    """A file-like object that hands back what is written: csv.writer then yields lines."""

    def write(self, value):
        return value


# A spreadsheet takes a cell starting with one of these for a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text):
    """OWASP's rule against CSV injection: a cell that starts like a formula gets a leading quote."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # numbers are written by us, never a formula
    return neutralised(str(value))


def check_csv_size(rows):
    """A CSV export is one request: past KB_CSV_MAX_ROWS rows it is refused (400) before it starts,
    rather than cut off mid-stream by the server's request timeout (at 20,000 instruments a full
    export took about 30 s: docs/reliability.md)."""
    cap = settings.KB_CSV_MAX_ROWS
    if cap and (count := rows.count()) > cap:
        raise InvalidParameters(
            {
                "format": [
                    f"A CSV export holds at most {cap:,} rows and this list has {count:,}: narrow it with "
                    "filters, page through the JSON, or download the data release (/en/data/)."
                ]
            }
        )


def stream_csv(columns, rows, filename):
    """A streamed CSV: a header, then one line per row. columns: [(name, function(row) → value)]."""
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow([name for name, _getter in columns])
        for row in rows:
            yield writer.writerow([csv_value(getter(row)) for _name, getter in columns])

    content = ExportSlot(line.encode("utf-8") for line in lines())  # 503 now if every slot is in use
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Lists and objects of an item that a CSV row cannot hold as one cell; CSV columns join them.
NESTED_FIELDS = {
    "subjects", "relationships", "official_texts", "discrepancies", "provenance", "provisions",
    "memberships", "agreements", "instruments", "parties", "partners", "article_quotes",
}  # fmt: skip


def flat_columns(serializer_class, exclude=()):
    """CSV columns: every scalar field of the JSON item, same names, same values; but a date with
    a precision is written as known (its `<date>_edtf`: `2012`, `2012-12`, `2012-12-14`) in its own
    column, so no tool reads a year as a day; the `_edtf` companions are not repeated."""
    fields = serializer_class.Meta.fields
    columns = []
    for name in fields:
        if name in NESTED_FIELDS or name in exclude or name.endswith("_edtf"):
            continue
        shown = f"{name}_edtf" if f"{name}_edtf" in fields else name
        columns.append((name, lambda item, shown=shown: item[shown]))
    return columns


def periods(key, name):
    """A CSV column of dated memberships as `<name> <from>/<until>` joined with "|", the dates as
    EDTF intervals: an unknown start is empty, a membership without an end is open (`..`)."""

    def getter(item):
        return "|".join(
            f"{row[name]} {row['date_from_edtf'] or ''}/{row['date_until_edtf'] or '..'}" for row in item[key]
        )

    return getter


def joined(key, part=None):
    """A CSV column joining a list of the item with "|" (optionally one key of each element)."""

    def getter(item):
        return "|".join(str(value[part]) if part else str(value) for value in item[key])

    return getter
