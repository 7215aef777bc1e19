from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: lifecycle, localisation, abstract models, facets, the data version."""

    name = "core"
    verbose_name = _("Knowledge base core")

    def ready(self):
        # Every write to a knowledge-base model makes cached responses stale.
        from . import versioning

        versioning.connect_signals()
