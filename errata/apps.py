from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErrataConfig(AppConfig):
    """Where the article disagrees with the official record or with itself."""

    name = "errata"
    verbose_name = _("Errata")

    def ready(self):
        # Which record pages a write to this app's models changes (the response cache's keys).
        from . import invalidation

        invalidation.register()
