from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    """The controlled vocabulary records are coded with (policy areas, target groups, tools)."""

    name = "subjects"
    verbose_name = _("Subjects")
