from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """Synthetic records for benchmarks and tests: flagged, never real, never in the data files."""

    name = "synthetic"
    verbose_name = _("Synthetic records")
