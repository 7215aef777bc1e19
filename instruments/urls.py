"""Pages of instruments (joined into the site's "web" namespace by kzmigration/urls.py)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/<slug:pk>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    re_path(
        r"^instruments/(?P<pk>[-\w]+)/cite\.(?P<format>bib|ris|json)$",
        views.InstrumentCitationView.as_view(),
        name="instrument-cite",
    ),
    # ELI-style paths under a language prefix; kzmigration/urls.py also takes them without one.
    re_path(views.ELI_PATH_RE, views.EliRedirectView.as_view(), name="eli"),
]
