from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleMembre(models.TextChoices):
    ELU = "elu", _("Élu·e")
    TECHNICIEN = "technicien", _("Technicien·ne")


# The two seats of a pair; substitutes take the same roles.
ROLES_BINOME = (RoleMembre.ELU, RoleMembre.TECHNICIEN)


class FormatProgramme(models.TextChoices):
    ACCUEIL = "accueil", _("Accueil")
    APPORT = "apport", _("Apport d'expertise")
    DEBAT = "debat", _("Débat")
    DEJEUNER = "dejeuner", _("Déjeuner")
    ATELIER_PAIRS = "atelier_pairs", _("Atelier entre pairs")
    AUTODIAGNOSTIC = "autodiagnostic", _("Autodiagnostic")
    CODEVELOPPEMENT = "codeveloppement", _("Codéveloppement")
    CONFERENCE_INVERSEE = "conference_inversee", _("Conférence inversée")
    VISITE = "visite", _("Visite de terrain")
    BILAN = "bilan", _("Bilan de la journée")
    AUTRE = "autre", _("Autre")


class DemiJournee(models.TextChoices):
    MATIN = "matin", _("Matin")
    APRES_MIDI = "apres_midi", _("Après-midi")


class ReponseConfirmation(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    EXCUSE = "excuse", _("Excusé·e")
    REMPLACE = "remplace", _("Remplacé·e par un·e suppléant·e")


class Regime(models.TextChoices):
    VEGETARIEN = "vegetarien", _("Végétarien")
    SANS_PORC = "sans_porc", _("Sans porc")
    SANS_GLUTEN = "sans_gluten", _("Sans gluten")
    SANS_LACTOSE = "sans_lactose", _("Sans lactose")
    ALLERGIE = "allergie", _("Allergie (à préciser)")


class StatutPresence(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    RETARD = "retard", _("En retard")
    ABSENT = "absent", _("Absent·e")
    EXCUSE = "excuse", _("Excusé·e")
    REMPLACE = "remplace", _("Remplacé·e")


# Someone in the room.
PRESENCES_EFFECTIVES = (StatutPresence.PRESENT, StatutPresence.RETARD)


class SourcePresence(models.TextChoices):
    EQUIPE = "equipe", _("Relevée par l'équipe")
    QR = "qr", _("Pointage par QR code")


class StatutBinome(models.TextChoices):
    """What a pair was at one session (DESIGN.md §5, the matrix collectivity × session)."""

    COMPLET = "complet", _("Complet")
    REMPLACE = "remplace", _("Complet avec suppléant·e")
    ELU_SEUL = "elu_seul", _("Élu·e seul·e")
    TECHNICIEN_SEUL = "technicien_seul", _("Technicien·ne seul·e")
    EXCUSE = "excuse", _("Excusé")
    ABSENT = "absent", _("Absent")
    NON_RENSEIGNE = "non_renseigne", _("Non relevé")


# The pair is complete in the room, a substitute counting for the seat they fill.
STATUTS_COMPLETS = (StatutBinome.COMPLET, StatutBinome.REMPLACE)


class ThemeBesoin(models.TextChoices):
    MOBILISER = "mobiliser", _("Mobiliser les habitant·es éloigné·es de la participation")
    METHODES = "methodes", _("Choisir des méthodes et outils d'animation")
    POSTURE = "posture", _("Travailler la posture des élu·es et des agent·es")
    ORGANISATION = "organisation", _("Organiser les services pour coopérer")
    EVALUER = "evaluer", _("Évaluer une démarche participative")
    BUDGET = "budget", _("Budget participatif, appels à projets citoyens")
    TRANSITION = "transition", _("Relier participation et transition écologique")
    NUMERIQUE = "numerique", _("Outils numériques de participation")


class TypeAttestation(models.TextChoices):
    PERSONNE = "personne", _("Personne")
    COLLECTIVITE = "collectivite", _("Collectivité")
