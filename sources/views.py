"""The sources page: the article's bibliography with the instruments each reference supports,
then the official and secondary sources used to check it."""

from collections import defaultdict

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.views import PageMetaMixin

from .models import Provenance, Source


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
        # A source supports the instruments whose provenance cites it: the distinct (source,
        # instrument) pairs in one query and those instruments in another, rather than every
        # provenance row with its record (4,000 rows, two thirds of this page's time).
        pairs = Provenance.objects.about("instruments.instrument").order_by().distinct()
        pairs = list(pairs.values_list("source_id", "object_id"))
        instrument_model = apps.get_model("instruments", "Instrument")  # an app above this one
        instruments = instrument_model.objects.in_bulk({object_id for _source, object_id in pairs})
        supported = defaultdict(list)
        for source_id, object_id in pairs:
            if object_id in instruments:
                supported[source_id].append(instruments[object_id])
        groups = defaultdict(list)
        for source in context["sources"]:
            source.supported_instruments = sorted(
                supported[source.pk], key=lambda i: (i.date_adopted is not None, i.date_adopted, i.pk)
            )
            groups[source.kind].append(source)
        context["groups"] = [(kind, label, groups[kind]) for kind, label in Source.Kind.choices if groups[kind]]
        return context
