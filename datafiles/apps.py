from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatafilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "datafiles"
    verbose_name = _("Data files")
