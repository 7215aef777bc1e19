"""The home page: what the knowledge base holds, and where to start; robots.txt and the favicon."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from agreements.models import KAZAKHSTAN, Agreement, AgreementType, Party
from core import seo
from core.lifecycle import Status, today
from core.views import PageMetaMixin
from errata.models import Discrepancy
from instruments.models import Instrument
from sources.models import Source


class HomeView(PageMetaMixin, TemplateView):
    meta_title = "kzmigration"
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
            total=Count("pk"),
            in_force=Count("pk", filter=Agreement.objects.status_q(Status.IN_FORCE, on)),
            readmission=Count("pk", filter=Q(type=AgreementType.READMISSION)),
        )
        context["partner_count"] = Party.objects.exclude(country=KAZAKHSTAN).values("country").distinct().count()
        context["source_count"] = Source.objects.count()
        context["discrepancy_count"] = Discrepancy.objects.count()
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
