"""Web pages, under a language prefix (/en/, /ru/, /kk/); URL names live in the "web" namespace."""

from django.urls import include, path, re_path

from . import views, visuals

app_name = "web"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/<slug:pk>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    re_path(r"^instruments/(?P<pk>[-\w]+)/cite\.(?P<format>bib|ris|json)$", views.InstrumentCitationView.as_view(),
            name="instrument-cite"),
    path("countries/<str:pk>/", views.CountryDetailView.as_view(), name="country-detail"),
    path("sources/", views.SourceListView.as_view(), name="sources"),
    path("errata/", views.ErrataView.as_view(), name="errata"),
    # Agreement pages (agreements/urls.py has no app_name, so its names join this namespace).
    path("", include("agreements.urls")),
    re_path(views.ELI_PATH_RE, views.EliRedirectView.as_view(), name="eli"),
    # --- visuals
    path("map/", visuals.MapView.as_view(), name="map"),
    path("timeline/", visuals.TimelineView.as_view(), name="timeline"),
]
