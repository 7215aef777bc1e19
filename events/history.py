"""A record's change history (django-simple-history) in plain words.

"entry into force changed from unknown to 17 August 2011": each history entry is compared
with the one before it, field by field; a date and its precision are one value, written as
precisely as it is known. The first entry (the first load from the data files) says
"record created".
"""

from functools import cache

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.template.defaultfilters import truncatechars
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.kb import precise_date

# Bookkeeping, not facts: never described.
SKIPPED = {"updated_at", "id", "is_synthetic"}
MAX_TEXT = 160

CREATED = _("record created")
DELETED = _("record deleted")


@cache
def tracked_fields(model):
    """(name, field) of the facts a record's history describes, precisions folded into their date."""
    names = {f.name for f in model._meta.concrete_fields}
    return [
        (f.name, f)
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED
        and not (f.name.endswith("_precision") and f.name[: -len("_precision")] in names)
        and not f.primary_key
    ]


def value_html(entry, name, field):
    """One field's value in an entry, as HTML in the reader's language."""
    value = getattr(entry, field.attname)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        precision = getattr(entry, f"{name}_precision", "day" if value else "unknown")
        return precise_date(value, precision)
    if isinstance(field, models.BooleanField):
        return escape(gettext("yes") if value else gettext("no"))
    if value in (None, ""):
        return format_html('<span class="unknown">{}</span>', gettext("empty"))
    if field.choices:
        return escape(str(dict(field.flatchoices).get(value, value)))
    return format_html("“{}”", truncatechars(str(value), MAX_TEXT))


def _key(entry, name, field):
    value = getattr(entry, field.attname)
    return value, getattr(entry, f"{name}_precision", None)


def changes(entry, previous):
    """The sentences saying what `entry` changed since `previous` (safe HTML)."""
    if entry.history_type == "+" or previous is None:
        return [CREATED]
    if entry.history_type == "-":
        return [DELETED]
    sentences = []
    for name, field in tracked_fields(entry.instance_type):
        if _key(entry, name, field) == _key(previous, name, field):
            continue
        sentences.append(
            mark_safe(
                escape(gettext("%(field)s changed from %(old)s to %(new)s"))
                % {
                    "field": escape(str(field.verbose_name)),
                    "old": value_html(previous, name, field),
                    "new": value_html(entry, name, field),
                }
            )
        )
    return sentences


def plain(sentence):
    """A sentence without its markup (for feeds)."""
    return strip_tags(str(sentence))


def latest_entries(history, limit):
    """The newest `limit` entries of `history` (one model's history, filtered by record if at
    all), newest first, each with its predecessor in its record's history as `entry.previous`
    (None for the first): one query, where simple-history's `prev_record` costs one per entry.

    The query reads the newest entries and, by a subquery per entry, the one before each: the
    latest strictly earlier entry of the same record, as `prev_record` finds it (equal dates
    go by history id). A predecessor that is not among the newest is older than all of them,
    so the newest are the first `limit` rows read."""
    table = history.model._default_manager
    order = ("-history_date", "-history_id")
    newest = history.order_by(*order).values("history_id")[:limit]
    before = (
        table.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by(*order)
        .values("history_id")[:1]
    )
    predecessors = table.filter(history_id__in=newest).values(previous_id=Subquery(before))
    rows = list(table.filter(Q(history_id__in=newest) | Q(history_id__in=predecessors)).order_by(*order))
    waiting = {}  # per record, its entries read so far whose predecessor is still to come
    for row in rows:
        row.previous = None
        pending = waiting.setdefault(row.id, [])
        for later in pending:
            if later.history_date > row.history_date:
                later.previous = row
        pending[:] = [later for later in pending if later.previous is None] + [row]
    return rows[:limit]


def record_history(record):
    """Every entry of one record's history, oldest first, each with what it changed: one query."""
    entries = list(record.history.order_by("history_date", "history_id"))
    described, previous = [], None
    for entry in entries:
        described.append({"entry": entry, "date": entry.history_date, "changes": changes(entry, previous)})
        previous = entry
    return described
