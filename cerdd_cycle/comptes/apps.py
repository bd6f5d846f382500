from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComptesConfig(AppConfig):
    name = "cerdd_cycle.comptes"
    label = "comptes"
    verbose_name = _("Comptes")
