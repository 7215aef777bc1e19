from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # --- admin
    path("admin/", admin.site.urls),
    # --- API
    # --- health and reliability
    # --- web UI
    path("", include("instruments.urls")),
]
