from django.db import models
from django.utils.translation import gettext_lazy as _


class StatutCycle(models.TextChoices):
    PREPARATION = "preparation", _("En préparation")
    AMI_OUVERT = "ami_ouvert", _("Appel à manifestation d'intérêt ouvert")
    SELECTION = "selection", _("Sélection par le jury")
    EN_COURS = "en_cours", _("Cycle en cours")
    TERMINE = "termine", _("Terminé")
    ARCHIVE = "archive", _("Archivé")


# Allowed moves; going back one step is allowed to correct a mistake.
TRANSITIONS_CYCLE = {
    StatutCycle.PREPARATION: {StatutCycle.AMI_OUVERT},
    StatutCycle.AMI_OUVERT: {StatutCycle.PREPARATION, StatutCycle.SELECTION},
    StatutCycle.SELECTION: {StatutCycle.AMI_OUVERT, StatutCycle.EN_COURS},
    StatutCycle.EN_COURS: {StatutCycle.SELECTION, StatutCycle.TERMINE},
    StatutCycle.TERMINE: {StatutCycle.EN_COURS, StatutCycle.ARCHIVE},
    StatutCycle.ARCHIVE: {StatutCycle.TERMINE},
}

# Shown on the home page and public pages.
STATUTS_PUBLICS = [
    StatutCycle.AMI_OUVERT,
    StatutCycle.SELECTION,
    StatutCycle.EN_COURS,
    StatutCycle.TERMINE,
]
