from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The chapters staff may include; the cover, the contents, the introduction and the
    conclusion (when written) are always there."""

    CYCLE = "cycle", _("Le cycle et les collectivités")
    SEANCES = "seances", _("Les séances")
    ASSIDUITE = "assiduite", _("L'assiduité des binômes")
    PARTAGES = "partages", _("Ce que les participant·es ont partagé")
    EXPERIMENTATIONS = "experimentations", _("Les expérimentations")
    RELAIS = "relais", _("Les relais")
    AUTODIAGNOSTIC = "autodiagnostic", _("L'autodiagnostic")
    ANNEXES = "annexes", _("Annexes : les ressources des séances")


SECTIONS_PAR_DEFAUT = list(Section.values)


class EtatVersion(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    EN_COURS = "en_cours", _("En cours")
    PRETE = "prete", _("Prête")
    ECHEC = "echec", _("Échec")


ETATS_ACTIFS = (EtatVersion.EN_ATTENTE, EtatVersion.EN_COURS)
