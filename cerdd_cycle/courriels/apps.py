from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourrielsConfig(AppConfig):
    name = "cerdd_cycle.courriels"
    label = "courriels"
    verbose_name = _("Courriels")
