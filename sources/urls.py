"""The sources page (joined into the "web" namespace by kzmigration/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="sources"),
]
