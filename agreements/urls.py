"""Pages of agreements and of partner states (joined into the "web" namespace by kzmigration/urls.py)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    re_path(
        r"^agreements/(?P<pk>[-\w]+)/cite\.(?P<format>bib|ris|json)$",
        views.AgreementCitationView.as_view(),
        name="agreement-cite",
    ),
    path("countries/<str:pk>/", views.CountryDetailView.as_view(), name="country-detail"),
]
