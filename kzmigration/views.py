"""The home page: what the knowledge base holds, and where to start."""

from django.db.models import Count, Q
from django.views.generic import TemplateView

from agreements.models import KAZAKHSTAN, Agreement, Party
from core.lifecycle import Status, today
from errata.models import Discrepancy
from events.queries import upcoming
from instruments.models import Instrument
from sources.models import Source


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        in_force = Count("pk", filter=Instrument.objects.status_q(Status.IN_FORCE, on))
        context["today"] = on
        context["instrument_counts"] = Instrument.objects.aggregate(
            total=Count("pk"), in_force=in_force, cited=Count("pk", filter=Q(cited_in_article=True))
        )
        context["agreement_counts"] = Agreement.objects.aggregate(
            total=Count("pk"), in_force=Count("pk", filter=Agreement.objects.status_q(Status.IN_FORCE, on))
        )
        context["partner_count"] = Party.objects.exclude(country=KAZAKHSTAN).values("country").distinct().count()
        context["source_count"] = Source.objects.count()
        context["discrepancy_count"] = Discrepancy.objects.count()
        context["next_events"] = upcoming(on)
        return context
