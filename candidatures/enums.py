from django.db import models
from django.utils.translation import gettext_lazy as _


class StatutCandidature(models.TextChoices):
    BROUILLON = "brouillon", _("Brouillon")
    DEPOSEE = "deposee", _("Déposée")
    # Submitted once, reopened by its authors: the last submitted version stands until resubmitted.
    EN_MODIFICATION = "en_modification", _("Déposée, modifications en cours")


class Action(models.TextChoices):
    SOUMETTRE = "soumettre", _("déposer")
    ROUVRIR = "rouvrir", _("rouvrir")


TRANSITIONS = {
    (StatutCandidature.BROUILLON, Action.SOUMETTRE): StatutCandidature.DEPOSEE,
    (StatutCandidature.EN_MODIFICATION, Action.SOUMETTRE): StatutCandidature.DEPOSEE,
    (StatutCandidature.DEPOSEE, Action.ROUVRIR): StatutCandidature.EN_MODIFICATION,
}

STATUTS_MODIFIABLES = {StatutCandidature.BROUILLON, StatutCandidature.EN_MODIFICATION}
STATUTS_DEPOSES = {StatutCandidature.DEPOSEE, StatutCandidature.EN_MODIFICATION}


class Engagement(models.TextChoices):
    PLAN_CLIMAT = "plan_climat", _("Plan climat (PCAET)")
    AGENDA_2030 = "agenda_2030", _("Agenda 2030")
    CTE = "cte", _("Contrat de transition écologique (CTE / CRTE)")
    TEPOS = "tepos", _("Territoire à énergie positive (TEPOS)")
    PAT = "pat", _("Projet alimentaire territorial")
    AUTRE = "autre", _("Autre démarche")


class RoleReferent(models.TextChoices):
    POLITIQUE = "politique", _("référent·e politique")
    TECHNIQUE = "technique", _("référent·e technique")


class TypePiece(models.TextChoices):
    LETTRE = "lettre", _("Lettre de motivation")
    AUTRE = "autre", _("Autre document")


class TypeCritere(models.TextChoices):
    PORTE = "porte", _("Condition (oui / non / à vérifier)")
    ECHELLE = "echelle", _("Note sur une échelle")
