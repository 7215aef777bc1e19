"""Atom feeds: changes to the knowledge base (everything, a jurisdiction, a country, one record)
and the dated events of "what changes next".

A change entry is one history entry of an instrument or an agreement (django-simple-history),
described in plain words and linked to the record's history page. A country's feed holds
what its page shows: the agreements it is a party to, the instruments of the organisations
it belongs or belonged to (Kazakh law for Kazakhstan) and the treaties it is a party to.
An event entry is one dated event; its date stands as the entry's date.
"""

import datetime
import io

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agreements.models import Agreement
from countries.models import KAZAKHSTAN, Country, Membership
from instruments.models import Instrument
from instruments.vocabulary import Jurisdiction

from .forms import EventForm
from .history import changes, latest_entries, plain
from .queries import AGREEMENT, agreements_labelled, attach_records, history_model, instruments_labelled

MAX_ENTRIES = 50


class BufferedAtom1Feed(Atom1Feed):
    """Atom, written into memory and then to the response in one piece: the XML writer writes
    every tag and text apart, and each response.write() converts and appends its bytes
    (writing the 200 events: 7.1 -> 4.9 ms at 10,000 instruments); the bytes are the same."""

    def write(self, outfile, encoding):
        buffer = io.BytesIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


def latest_changes(instrument_ids=None, agreement_ids=None, limit=MAX_ENTRIES):
    """The latest history entries of instruments and agreements (ids: a queryset or list of
    pks to keep; None keeps every record, False none), newest first, each with its record
    and its sentences. Per kind, one query for the entries with their predecessors and one
    for their records (an agreement's parties one more), whatever the number of entries."""
    entries = []
    for model, ids in ((Instrument, instrument_ids), (Agreement, agreement_ids)):
        if ids is False:
            continue
        history = history_model(model).objects.all()
        if ids is not None:
            history = history.filter(id__in=ids)
        entries += latest_entries(history, limit)
    entries.sort(key=lambda entry: (entry.history_date, entry.history_id), reverse=True)
    entries = entries[:limit]
    records = {
        Instrument: instruments_labelled().in_bulk({e.id for e in entries if e.instance_type is Instrument}),
        Agreement: agreements_labelled().in_bulk({e.id for e in entries if e.instance_type is Agreement}),
    }
    items = []
    for entry in entries:
        record = records[entry.instance_type].get(entry.id)
        items.append({"entry": entry, "record": record, "changes": changes(entry, entry.previous)})
    return items


class ChangesFeed(Feed):
    """Changes to every instrument and agreement."""

    feed_type = BufferedAtom1Feed

    def title(self, obj=None):
        return _("kzmigration: changes to the knowledge base")

    def subtitle(self, obj=None):
        return _("Every change of every field of the instruments and agreements, newest first.")

    def link(self, obj=None):
        return reverse("web:events")

    def feed_url(self, obj=None):
        return reverse("web:feed-changes")

    def items(self, obj=None):
        return latest_changes()

    def item_title(self, item):
        label = item["record"].label if item["record"] is not None else item["entry"].id
        summary = (
            plain(item["changes"][0])
            if len(item["changes"]) == 1
            else _("%(count)d changes") % {"count": len(item["changes"])}
        )
        return f"{label}: {summary}"

    def item_description(self, item):
        return "; ".join(plain(sentence) for sentence in item["changes"]) or _("no change in the facts shown")

    def item_link(self, item):
        entry = item["entry"]
        name = "web:agreement-history" if entry.instance_type is Agreement else "web:instrument-history"
        return reverse(name, args=[entry.id]) + f"#change-{entry.history_id}"

    def item_guid(self, item):
        entry = item["entry"]
        kind = "agreement" if entry.instance_type is Agreement else "instrument"
        return f"tag:kzmigration,2026:{kind}/{entry.id}/history/{entry.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["entry"].history_date

    def item_updateddate(self, item):
        return item["entry"].history_date


class JurisdictionChangesFeed(ChangesFeed):
    def get_object(self, request, code):
        if code not in Jurisdiction.values:
            raise Http404("No such jurisdiction.")
        return code

    def title(self, obj=None):
        return _("kzmigration: changes to the instruments of %(jurisdiction)s") % {
            "jurisdiction": Jurisdiction(obj).label
        }

    def feed_url(self, obj=None):
        return reverse("web:feed-jurisdiction", args=[obj])

    def items(self, obj=None):
        return latest_changes(Instrument.objects.filter(jurisdiction=obj).values("pk"), False)


class CountryChangesFeed(ChangesFeed):
    def get_object(self, request, code):
        return get_object_or_404(Country, pk=code.upper())

    def title(self, obj=None):
        return _("kzmigration: changes concerning %(country)s") % {"country": obj.name}

    def link(self, obj=None):
        return reverse("web:country-detail", args=[obj.pk])

    def feed_url(self, obj=None):
        return reverse("web:feed-country", args=[obj.pk])

    def items(self, obj=None):
        # The organisations as a subquery of the instruments' own (no query of their own).
        of_organisations = Q(jurisdiction__in=Membership.objects.filter(country=obj).values("organisation"))
        if obj.pk == KAZAKHSTAN:
            of_organisations |= Q(jurisdiction="kz")
        instruments = Instrument.objects.filter(of_organisations | Q(parties__country=obj))
        agreements = Agreement.objects.filter(parties__country=obj)
        return latest_changes(instruments.values("pk"), agreements.values("pk"))


class RecordChangesFeed(ChangesFeed):
    def __init__(self, model):
        self.model = model
        super().__init__()

    def get_object(self, request, pk):
        # Read with what names it (an agreement's parties too: its title is its label).
        labelled = agreements_labelled() if self.model is Agreement else instruments_labelled()
        return get_object_or_404(labelled, pk=pk)

    def title(self, obj=None):
        return _("kzmigration: changes to %(record)s") % {"record": obj.label}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def feed_url(self, obj=None):
        name = "web:agreement-feed" if self.model is Agreement else "web:instrument-feed"
        return reverse(name, args=[obj.pk])

    def items(self, obj=None):
        if self.model is Agreement:
            return latest_changes(False, [obj.pk])
        return latest_changes([obj.pk], False)


class EventsFeed(Feed):
    """The dated events of the default window around today (or the parameters of the events page)."""

    feed_type = BufferedAtom1Feed

    def __call__(self, request, *args, **kwargs):
        form = EventForm(request.GET)
        if set(request.GET) - set(EventForm.base_fields) or not form.is_valid():
            return HttpResponseBadRequest("Invalid parameters: see /api/v1/events/ for the same ones.")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        form = EventForm(request.GET)
        form.is_valid()
        return form

    def title(self, obj):
        return _("kzmigration: what changes next")

    def subtitle(self, obj):
        start, end = obj.window()
        return _("Dated events from %(start)s to %(end)s.") % {"start": start.isoformat(), "end": end.isoformat()}

    def link(self, obj):
        return reverse("web:events")

    def feed_url(self, obj):
        return reverse("web:events-feed")

    def items(self, obj):
        return attach_records(obj.rows()[:200])

    def item_title(self, item):
        return f"{item.record_label}: {item.label}"

    def item_description(self, item):
        from core.dates import edtf

        text = f"{item.label} — {edtf(item.date, item.precision)}"
        if item.other is not None:
            text += " — " + _("repealed by %(instrument)s") % {"instrument": item.other.label}
        return text

    def item_link(self, item):
        if item.record is not None:
            return item.get_absolute_url()
        name = "web:agreement-detail" if item.record_type == AGREEMENT else "web:instrument-detail"
        return reverse(name, args=[item.record_id])

    def item_guid(self, item):
        return f"tag:kzmigration,2026:{item.record_type}/{item.record_id}/{item.event}/{item.date.isoformat()}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return datetime.datetime.combine(item.date, datetime.time.min, tzinfo=datetime.UTC)

    def item_pubdate(self, item):
        return self.item_updateddate(item)
