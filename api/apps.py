from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API's conventions: errors, strict parameters, pagination, formats, schema."""

    name = "api"
    verbose_name = _("REST API")
