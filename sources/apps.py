from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    """Where facts come from: sources, and the provenance of every field of every record."""

    name = "sources"
    verbose_name = _("Sources and provenance")

    def ready(self):
        # Which record pages a write to this app's models changes (the response cache's keys).
        from . import invalidation

        invalidation.register()
