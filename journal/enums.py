from django.db import models
from django.utils.translation import gettext_lazy as _


class Rubrique(models.TextChoices):
    """The four headings of the logbook, as the AMI names them."""

    POINTS_FORTS = "points_forts", _("Points forts retenus")
    VIGILANCE = "vigilance", _("Points de vigilance")
    IDEES = "idees", _("Idées")
    PROGRES = "progres", _("Marges de progression")


class Audience(models.TextChoices):
    PRIVE = "prive", _("Pour moi seul·e")
    BINOME = "binome", _("Mon binôme")
    GROUPE = "groupe", _("Le groupe, avec mon nom")
    GROUPE_ANONYME = "groupe_anonyme", _("Le groupe, sans mon nom")


# What the group (and staff) may read; a pair-only item stays between the two.
AUDIENCES_GROUPE = (Audience.GROUPE, Audience.GROUPE_ANONYME)


class StatutExperimentation(models.TextChoices):
    PREVUE = "prevue", _("Prévue")
    EN_COURS = "en_cours", _("En cours")
    FAITE = "faite", _("Faite")


class Temps(models.TextChoices):
    """The three moments of the self-diagnosis."""

    DEBUT = "debut", _("Début du cycle")
    MILIEU = "milieu", _("Mi-parcours")
    FIN = "fin", _("Fin du cycle")
