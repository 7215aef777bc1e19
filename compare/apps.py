from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompareConfig(AppConfig):
    """The comparison: subjects × legal orders on a date, and what changed between two dates."""

    name = "compare"
    verbose_name = _("Comparison")
