"""The API's entry point, its router, the OpenAPI schema and the interactive docs."""

from csp.constants import SELF as CSP_SELF
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from .parameters import check_query_parameters
from .schema import SchemaOncePerVersion
from .viewsets import JsonErrorsMixin


class ApiRootView(APIRootView):
    """The API's entry point: links to every resource list."""

    authentication_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_parameters(request, {"format"})


class ApiRouter(DefaultRouter):
    """DRF's router; a viewset with `list_only = True` gets its list and no item address."""

    APIRootView = ApiRootView
    include_format_suffixes = True

    def get_method_map(self, viewset, method_map):
        mapping = super().get_method_map(viewset, method_map)
        if getattr(viewset, "list_only", False) and "retrieve" in mapping.values():
            return {}
        return mapping


@method_decorator(csp_update({"style-src": [CSP_SELF, "'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    """Swagger UI from local files (drf-spectacular-sidecar); its script is a separate request,
    so the site's no-inline-script policy holds. Only its small inline style block needs an
    exception, scoped to this page. GET and HEAD only: an OPTIONS answer would be rendered
    with the page's HTML renderer, which has no template for it (a 500)."""

    authentication_classes = []
    http_method_names = ["get", "head"]


class ApiSchemaView(JsonErrorsMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ?format=json for JSON)."""

    authentication_classes = []
    generator_class = SchemaOncePerVersion
