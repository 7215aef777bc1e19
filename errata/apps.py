from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErrataConfig(AppConfig):
    """Where the article disagrees with the official record or with itself."""

    name = "errata"
    verbose_name = _("Errata")
