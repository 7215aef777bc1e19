from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Kazakhstan's agreements with partner states, and what the article says of them."""

    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        # Which record pages a write to this app's models changes (the response cache's keys).
        from . import invalidation

        invalidation.register()
