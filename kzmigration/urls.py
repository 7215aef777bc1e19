from django.contrib import admin
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from instruments import health  # --- health and reliability
from instruments.api import ApiDocsView, ApiSchemaView, urlpatterns as api_urls  # --- API
from instruments.api_support import api_not_found  # --- API

from instruments import views as web_views
from instruments.views import ELI_PATH_RE

urlpatterns = [
    # --- admin
    path("admin/", admin.site.urls),
    # --- API
    path("api/v1/", include((api_urls, "api"), namespace="api")),
    path("api/v1/schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
    # --- health and reliability
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # --- web UI
    # Language switching without JavaScript, and ELI-style paths without a language prefix.
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(ELI_PATH_RE, web_views.EliRedirectView.as_view(), name="eli"),
]

# --- web UI: every page lives under /en/, /ru/ or /kk/; "/" is redirected by LocaleMiddleware
# according to the browser's Accept-Language.
urlpatterns += i18n_patterns(
    path("", include("instruments.urls")),
    prefix_default_language=True,
)
