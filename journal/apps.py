from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Journal de bord")

    def ready(self):
        # The sessions layer cannot import the logbook: the logbook adds its line to the
        # context note through the hook the sessions layer offers.
        from seances.services import partie_personnelle_ajouter

        from .services import ligne_note_contexte

        partie_personnelle_ajouter(ligne_note_contexte)

        from cerdd_cycle.comptes.donnees import fournisseur_enregistrer

        from . import donnees

        fournisseur_enregistrer("journal", exporter=donnees.exporter, effacer=donnees.effacer)
