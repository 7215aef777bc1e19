"""sitemap.xml: every public page in English, Russian and Kazakh, each with its hreflang
alternates, a record's page with lastmod from the record's updated_at.

The addresses are on KB_CANONICAL_URL where it is set, as the pages' canonical links are.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from agreements.models import Agreement
from countries.models import Country
from instruments.models import Instrument


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True

    def get_domain(self, site=None):
        if settings.KB_CANONICAL_URL:
            return urlsplit(settings.KB_CANONICAL_URL).netloc
        return super().get_domain(site)

    def get_protocol(self, protocol=None):
        if settings.KB_CANONICAL_URL:
            return urlsplit(settings.KB_CANONICAL_URL).scheme
        return super().get_protocol(protocol)


class PageSitemap(SiteSitemap):
    """The pages that are not records: home, the lists, sources, errata, map and timeline."""

    changefreq = "weekly"
    PAGES = ["home", "instrument-list", "agreement-list", "sources", "errata", "map", "timeline"]

    def items(self):
        return self.PAGES

    def location(self, item):
        return reverse(f"web:{item}")


class InstrumentSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Instrument.objects.real().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class AgreementSitemap(InstrumentSitemap):
    def items(self):
        return Agreement.objects.real().only("pk", "updated_at").order_by("pk")


class CountrySitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Country.objects.only("pk").order_by("pk")


SITEMAPS = {
    "pages": PageSitemap,
    "instruments": InstrumentSitemap,
    "agreements": AgreementSitemap,
    "countries": CountrySitemap,
}
