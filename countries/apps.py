from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    """States (ISO 3166-1) and the organisations of states they belong to, with dated memberships."""

    name = "countries"
    verbose_name = _("Countries and organisations")
