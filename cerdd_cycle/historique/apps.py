from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoriqueConfig(AppConfig):
    name = "cerdd_cycle.historique"
    label = "historique"
    verbose_name = _("Historique")
