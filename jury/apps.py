from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jury"
    verbose_name = _("Jury et sélection")

    def ready(self):
        # The candidatures layer does not know the decisions: the jury says which candidatures
        # the retention keeps, and masks its own texts about the others.
        from candidatures.anonymisation import anonymisation_etendre, conservation_ajouter
        from cerdd_cycle.comptes.donnees import fournisseur_enregistrer

        from . import donnees

        conservation_ajouter(donnees.retenues)
        anonymisation_etendre(donnees.masquer_textes)
        fournisseur_enregistrer("jury", exporter=donnees.exporter)
