"""The map and the timeline (joined into the "web" namespace by kzmigration/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("map/", views.MapView.as_view(), name="map"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
]
