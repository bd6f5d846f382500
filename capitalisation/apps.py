from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapitalisationConfig(AppConfig):
    name = "capitalisation"
    verbose_name = _("Rapport de capitalisation")
