from django.db import models
from django.utils.translation import gettext_lazy as _


class Porte(models.TextChoices):
    """The answer to a gate criterion."""

    OUI = "oui", _("Oui")
    NON = "non", _("Non")
    A_VERIFIER = "a_verifier", _("À vérifier")


class VisibiliteNotes(models.TextChoices):
    APRES_SOUMISSION = (
        "apres_soumission",
        _("Chaque juré·e voit les notes des autres après avoir soumis les siennes"),
    )
    DELIBERATION = "deliberation", _("Les notes restent cachées jusqu'à la délibération")


class NatureLien(models.TextChoices):
    MEMBRE = "membre", _("J'y suis élu·e, agent·e ou habitant·e engagé·e")
    PARTENAIRE = "partenaire", _("Je travaille ou j'ai travaillé avec elle")


class StatutDecision(models.TextChoices):
    RETENUE = "retenue", _("Retenue")
    ATTENTE = "attente", _("Liste d'attente")
    NON_RETENUE = "non_retenue", _("Non retenue")


# A decision of these kinds must say why: the reason goes to the collectivity.
STATUTS_MOTIF_OBLIGATOIRE = {StatutDecision.ATTENTE, StatutDecision.NON_RETENUE}
