"""The site's addresses: the admin, the API (one router), health probes, and the pages of
every app in one "web" namespace under /en/, /ru/ and /kk/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

import agreements.urls
import compare.urls
import datafiles.urls
import errata.urls
import events.urls
import instruments.urls
import sources.urls
import visuals.urls
from agreements.api import AgreementPartyViewSet, AgreementViewSet
from api.changes import ChangeViewSet
from api.errors import api_not_found
from api.views import ApiDocsView, ApiRouter, ApiSchemaView
from compare.api import CompareViewSet
from countries.api import CountryViewSet, MembershipViewSet, OrganisationViewSet
from datafiles.views import data_file
from errata.api import DiscrepancyViewSet
from events.api import EventViewSet
from instruments.api import InstrumentPartyViewSet, InstrumentViewSet, RelationshipViewSet
from instruments.views import ELI_PATH_RE, EliRedirectView
from sources.api import ProvenanceViewSet, SourceViewSet
from subjects.api import SubjectViewSet

from . import health, views
from .sitemaps import SITEMAPS

router = ApiRouter()
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("sources", SourceViewSet, basename="source")
router.register("discrepancies", DiscrepancyViewSet, basename="discrepancy")
router.register("subjects", SubjectViewSet, basename="subject")
# The comparison matrix (subjects × legal orders on a date).
router.register("compare", CompareViewSet, basename="compare")
router.register("events", EventViewSet, basename="event")
# The tables behind the resources.
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("agreement-parties", AgreementPartyViewSet, basename="agreement-party")
router.register("instrument-parties", InstrumentPartyViewSet, basename="instrument-party")
router.register("provenance", ProvenanceViewSet, basename="provenance")
router.register("changes", ChangeViewSet, basename="change")

web_pages = [
    path("", views.HomeView.as_view(), name="home"),
    *instruments.urls.urlpatterns,
    *agreements.urls.urlpatterns,
    *sources.urls.urlpatterns,
    *errata.urls.urlpatterns,
    *visuals.urls.urlpatterns,
    *datafiles.urls.urlpatterns,
    *compare.urls.urlpatterns,
    *events.urls.urlpatterns,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/v1/schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
    # The published data release's files (the page that lists them is /<lang>/data/).
    path("data/<str:name>", data_file, name="data-file"),
    path("healthz", health.healthz, name="healthz"),
    # Being found: robots.txt, the sitemap of every page in three languages, the favicon.
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("readyz", health.readyz, name="readyz"),
    # Language switching without JavaScript.
    path("i18n/", include("django.conf.urls.i18n")),
    # ELI-style paths work without a language prefix too (the "web" namespace has them with one).
    re_path(ELI_PATH_RE, EliRedirectView.as_view(), name="eli"),
]

# Every page lives under /en/, /ru/ or /kk/; "/" is redirected by LocaleMiddleware according
# to the browser's Accept-Language.
urlpatterns += i18n_patterns(path("", include((web_pages, "web"))), prefix_default_language=True)
