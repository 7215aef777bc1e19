"""The errata page (joined into the "web" namespace by kzmigration/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("errata/", views.ErrataView.as_view(), name="errata"),
]
