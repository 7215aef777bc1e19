"""The home page: what the knowledge base holds, and where to start."""

from django.db.models import Count, F, Func, IntegerField, Max, Q, Subquery
from django.views.generic import TemplateView

from agreements.models import KAZAKHSTAN, Agreement, Party
from core.lifecycle import Status, today
from errata.models import Discrepancy
from events.queries import upcoming
from instruments.models import Instrument
from sources.models import Source


def count_of(queryset, expression="pk", distinct=False):
    """Subquery: the number of rows of `queryset` (distinct values of `expression`), as one scalar."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(n=Func(F(expression), function="COUNT", template=template))
    return Subquery(counted.values("n")[:1], output_field=IntegerField())


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        # Every count in one query (the other tables' as scalar subqueries), so the page stays
        # within its query budget with the next few events (events.queries.upcoming).
        counts = Instrument.objects.aggregate(
            total=Count("pk"),
            in_force=Count("pk", filter=Instrument.objects.status_q(Status.IN_FORCE, on)),
            cited=Count("pk", filter=Q(cited_in_article=True)),
            agreements=Max(count_of(Agreement.objects.all())),
            agreements_in_force=Max(
                count_of(Agreement.objects.filter(Agreement.objects.status_q(Status.IN_FORCE, on)))
            ),
            partners=Max(count_of(Party.objects.exclude(country=KAZAKHSTAN), "country", distinct=True)),
            sources=Max(count_of(Source.objects.all())),
            discrepancies=Max(count_of(Discrepancy.objects.all())),
        )
        context["today"] = on
        context["instrument_counts"] = {name: counts[name] for name in ("total", "in_force", "cited")}
        context["agreement_counts"] = {"total": counts["agreements"], "in_force": counts["agreements_in_force"]}
        context["partner_count"] = counts["partners"] or 0
        context["source_count"] = counts["sources"] or 0
        context["discrepancy_count"] = counts["discrepancies"] or 0
        context["next_events"] = upcoming(on)
        return context
