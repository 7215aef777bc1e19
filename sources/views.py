"""The sources page: the article's bibliography with the instruments each reference supports,
then the official and secondary sources used to check it."""

from collections import defaultdict

from django.db.models import Prefetch
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
        # A source supports the instruments whose provenance cites it; the instruments come
        # through the provenance rows' generic relation (one query for all of them).
        facts = Provenance.objects.about("instruments.instrument").prefetch_related("record")
        return Source.objects.prefetch_related(
            Prefetch("supported_facts", queryset=facts, to_attr="instrument_facts")
        ).order_by("kind", "number", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = defaultdict(list)
        for source in context["sources"]:
            instruments = {row.record.pk: row.record for row in source.instrument_facts if row.record}
            source.supported_instruments = sorted(
                instruments.values(), key=lambda i: (i.date_adopted is not None, i.date_adopted, i.pk)
            )
            groups[source.kind].append(source)
        context["groups"] = [(kind, label, groups[kind]) for kind, label in Source.Kind.choices if groups[kind]]
        return context
