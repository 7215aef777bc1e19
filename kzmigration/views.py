"""The home page: what the knowledge base holds, and where to start; robots.txt and the favicon."""

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import FileResponse, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from agreements.models import KAZAKHSTAN, Agreement, AgreementType, Party
from core import seo
from core.counts import counted
from core.db import count_of
from core.lifecycle import Status, today
from core.views import PageMetaMixin
from errata.models import Discrepancy
from events.queries import upcoming
from instruments.models import Instrument
from sources.models import Source


def holdings(on):
    """What the knowledge base holds, counted on `on`: every count in one query (the other
    tables' as scalar subqueries), so the home page stays within its query budget."""
    return Instrument.objects.aggregate(
        total=Count("pk"),
        in_force=Count("pk", filter=Instrument.objects.status_q(Status.IN_FORCE, on)),
        cited=Count("pk", filter=Q(cited_in_article=True)),
        agreements=Max(count_of(Agreement.objects.all())),
        readmission=Max(count_of(Agreement.objects.filter(type=AgreementType.READMISSION))),
        agreements_in_force=Max(count_of(Agreement.objects.filter(Agreement.objects.status_q(Status.IN_FORCE, on)))),
        partners=Max(count_of(Party.objects.exclude(country=KAZAKHSTAN), "country", distinct=True)),
        sources=Max(count_of(Source.objects.all())),
        discrepancies=Max(count_of(Discrepancy.objects.all())),
    )


class HomeView(PageMetaMixin, TemplateView):
    meta_title = "kzmigration"
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        # Kept per data version and day (core/counts.py): the counts scan every instrument, and
        # change only with the data or the day.
        counts = counted(
            f"home: instruments (all, in force on {on}, cited in the article); agreements (all, readmission, "
            f"in force on {on}); partner states (countries of agreements' parties but Kazakhstan); sources; "
            "discrepancies",
            lambda: holdings(on),
        )
        context["today"] = on
        context["instrument_counts"] = {name: counts[name] for name in ("total", "in_force", "cited")}
        context["agreement_counts"] = {
            "total": counts["agreements"],
            "in_force": counts["agreements_in_force"],
            "readmission": counts["readmission"],
        }
        context["partner_count"] = counts["partners"] or 0
        context["source_count"] = counts["sources"] or 0
        context["discrepancy_count"] = counts["discrepancies"] or 0
        context["next_events"] = upcoming(on)
        return context


# Crawlers may read every page; not the admin, the language switch (a POST form), the API's
# documentation and schema, nor the API's bulk formats (CSV, JSON-LD), which repeat the pages.
ROBOTS_DISALLOW = [
    "/admin/",
    "/i18n/",
    "/api/docs/",
    "/api/v1/schema/",
    "/api/*format=csv",
    "/api/*format=jsonld",
    "/*/instruments/*/cite.",
]


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {seo.absolute('/sitemap.xml', request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.svg"


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links: the SVG icon."""
    return FileResponse(FAVICON.open("rb"), content_type="image/svg+xml")
