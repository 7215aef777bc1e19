"""Sparse fieldsets (`fields=`, `omit=`) and the sync filter (`updated_since=`), for every resource.

`fields=id,title_en,status` keeps only those top-level fields; `omit=provenance` drops them. Both are
validated like every other parameter: an unknown name is a 400 listing the allowed ones, and the two
together are a 400. A JSON list leaves out its resource's `list_omit` fields (provenance, long texts)
by default; `omit=` drops more from that default set, `fields=` names the fields exactly, whatever
the default, and `fields=*` asks for every field. The views read `wants(name)` to skip the
queries of fields nobody asked for.
"""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .errors import InvalidParameters

ALL = "*"


def split_names(raw):
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


def selected_fields(query_params, available, default_omit=()):
    """The top-level fields to serialise, in the serializer's order (a list), from `fields` / `omit`.

    Raises InvalidParameters naming the offending parameter(s)."""
    fields_raw, omit_raw = query_params.get("fields"), query_params.get("omit")
    allowed = ", ".join(available)
    if fields_raw and omit_raw:
        message = "Give fields= or omit=, not both."
        raise InvalidParameters({"fields": [message], "omit": [message]})
    if fields_raw:
        if fields_raw.strip() == ALL:
            return list(available)
        chosen = split_names(fields_raw)
        unknown = [name for name in chosen if name not in available]
        if unknown or not chosen:
            shown = ", ".join(unknown) or repr(fields_raw)
            raise InvalidParameters({"fields": [f"Unknown field(s): {shown}; give any of: {allowed} (or *)."]})
        return [name for name in available if name in chosen]
    if omit_raw:
        dropped = split_names(omit_raw)
        unknown = [name for name in dropped if name not in available]
        if unknown or not dropped:
            shown = ", ".join(unknown) or repr(omit_raw)
            raise InvalidParameters({"omit": [f"Unknown field(s): {shown}; give any of: {allowed}."]})
        return [name for name in available if name not in dropped and name not in default_omit]
    return [name for name in available if name not in default_omit]


def parse_updated_since(value, name="updated_since"):
    """An ISO 8601 date-time (`2026-11-26T00:00:00Z`, `…+05:00`; without an offset: UTC) or a date
    (its midnight, UTC); None when not given. Anything else is a 400."""
    if not value:
        return None
    text = value.strip()
    moment = None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None and len(text) == 10:
        try:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time.min)
        except ValueError:
            moment = None
    if moment is None or not 1800 <= moment.year <= 2999:
        raise InvalidParameters(
            {name: ["Give an ISO 8601 date-time, e.g. 2026-11-26T00:00:00Z (or a date, YYYY-MM-DD)."]}
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment
