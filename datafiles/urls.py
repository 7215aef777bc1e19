"""The data page (joined into the "web" namespace by kzmigration/urls.py); the release's files are
served without a language prefix (kzmigration/urls.py names `data_file`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("data/", views.DataView.as_view(), name="data"),
]
