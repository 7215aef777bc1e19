from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("instruments/<slug:pk>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    path("agreements/<slug:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("countries/<str:pk>/", views.CountryDetailView.as_view(), name="country-detail"),
]
