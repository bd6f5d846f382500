from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = _("Séances du cycle")

    def ready(self):
        from candidatures.anonymisation import conservation_ajouter
        from cerdd_cycle.comptes.donnees import fournisseur_enregistrer

        from . import donnees

        fournisseur_enregistrer("seances", exporter=donnees.exporter, effacer=donnees.effacer)
        # A candidature that became a pair (e.g. from the waiting list) is kept.
        conservation_ajouter(donnees.avec_binome)
