from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    """Legal instruments as works: treaties, directives, regulations, laws, resolutions."""

    name = "instruments"
    verbose_name = _("Instruments")

    def ready(self):
        # Which record pages a write to this app's models changes (the response cache's keys).
        from . import invalidation

        invalidation.register()
