"""Agreement pages; included by instruments/urls.py into the "web" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
]
