"""The sources page: the article's bibliography with the instruments each reference supports,
then the official and secondary sources used to check it."""

from collections import defaultdict

from django.apps import apps
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.counts import kept
from core.views import PageMetaMixin

from .models import Source
from .support import first_supported, supported_counts

# At most this many instruments under a source, then "and N more": the research notes support 115
# of the 117 real instruments, and the generator's source every synthetic one (10,000 links and
# rows, most of this page's 700 ms at 10,000). 100, as on a country's page: 50 measured no faster
# (what is left is the page's 389 sources), and 100 leaves out fewer of the research notes'
# instruments, which no page of the site lists by source (the API's provenance list does).
SOURCE_PAGE_INSTRUMENTS = 100

# The earliest adopted first, an unknown date before any known one.
SUPPORTED_ORDER = (F("date_adopted").asc(nulls_first=True), F("pk").asc())


class SourceListView(PageMetaMixin, ListView):
    meta_title = _("Sources")
    meta_description = _(
        "The article's bibliography with the instruments each reference supports, and the official "
        "and secondary sources used to check it."
    )
    template_name = "sources/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.order_by("kind", "number", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A source supports the instruments whose provenance cites it: how many in one grouped
        # query, the first SOURCE_PAGE_INSTRUMENTS of each in another and those instruments in a
        # third, however many instruments a source supports. The first two read every provenance
        # row (0.7-1 s at 100,000 instruments) and change only with the data: kept per data version.
        instruments = apps.get_model("instruments", "Instrument").objects.all()  # an app above this one
        counts, pairs = kept(
            f"sources page: instruments each source supports, counted, and the first {SOURCE_PAGE_INSTRUMENTS}"
            " of each by date adopted (unknown first) and id",
            lambda: (
                supported_counts(instruments),
                first_supported(instruments, SUPPORTED_ORDER, SOURCE_PAGE_INSTRUMENTS),
            ),
        )
        shown = instruments.in_bulk({pk for _source, pk in pairs})
        supported = defaultdict(list)
        for source_id, pk in pairs:
            supported[source_id].append(shown[pk])
        groups = defaultdict(list)
        for source in context["sources"]:
            source.supported_instruments = supported[source.pk]
            source.more_instruments = counts.get(source.pk, 0) - len(source.supported_instruments)
            groups[source.kind].append(source)
        context["groups"] = [(kind, label, groups[kind]) for kind, label in Source.Kind.choices if groups[kind]]
        return context
