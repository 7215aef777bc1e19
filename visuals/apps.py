from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisualsConfig(AppConfig):
    """The map of Kazakhstan's agreements and the timeline of instruments and agreements."""

    name = "visuals"
    verbose_name = _("Map and timeline")
