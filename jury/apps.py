from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jury"
    verbose_name = _("Jury et sélection")
