from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = _("Candidatures et jury")

    def ready(self):
        from cerdd_cycle.comptes.donnees import fournisseur_enregistrer

        from . import donnees

        fournisseur_enregistrer("candidatures", exporter=donnees.exporter, effacer=donnees.effacer)
