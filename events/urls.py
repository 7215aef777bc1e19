"""Pages and feeds of events and changes (joined into the "web" namespace by kzmigration/urls.py)."""

from django.urls import path

from agreements.models import Agreement
from instruments.models import Instrument

from . import feeds, views

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/feed/", feeds.EventsFeed(), name="events-feed"),
    path(
        "instruments/<slug:pk>/history/", views.RecordHistoryView.as_view(model=Instrument), name="instrument-history"
    ),
    path("agreements/<slug:pk>/history/", views.RecordHistoryView.as_view(model=Agreement), name="agreement-history"),
    path("instruments/<slug:pk>/feed/", feeds.RecordChangesFeed(model=Instrument), name="instrument-feed"),
    path("agreements/<slug:pk>/feed/", feeds.RecordChangesFeed(model=Agreement), name="agreement-feed"),
    path("feeds/changes/", feeds.ChangesFeed(), name="feed-changes"),
    path("feeds/changes/jurisdiction/<slug:code>/", feeds.JurisdictionChangesFeed(), name="feed-jurisdiction"),
    path("feeds/changes/country/<str:code>/", feeds.CountryChangesFeed(), name="feed-country"),
]
