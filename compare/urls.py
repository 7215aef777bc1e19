"""The comparison page (joined into the "web" namespace by kzmigration/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("compare/", views.CompareView.as_view(), name="compare"),
]
