from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidatures.models import Candidature, Critere
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.territoires.models import Territoire

from .enums import NatureLien, Porte, StatutDecision, VisibiliteNotes


class Jury(models.Model):
    """How the jury of a cycle works: its settings and the dates of its work."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="jury")
    jures_par_candidature = models.PositiveSmallIntegerField(
        _("juré·es par candidature"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    charge_max = models.PositiveSmallIntegerField(
        _("charge maximale par juré·e"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Nombre de candidatures au plus. Vide : la charge est répartie également."),
    )
    date_limite = models.DateTimeField(
        _("date limite des notes"),
        null=True,
        blank=True,
        help_text=_("Heure de Paris. Les juré·es qui n'ont pas fini sont relancé·es avant."),
    )
    visibilite_notes = models.CharField(
        _("notes des autres juré·es"),
        max_length=20,
        choices=VisibiliteNotes.choices,
        default=VisibiliteNotes.APRES_SOUMISSION,
    )
    deliberation_ouverte_le = models.DateTimeField(
        _("délibération ouverte le"), null=True, blank=True
    )
    # Staff validate the decisions; the sweep sends them at that moment (the answer date).
    envoi_prevu_le = models.DateTimeField(_("envoi des résultats prévu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("jurys")

    def __str__(self):
        return str(_("Jury – %(cycle)s") % {"cycle": self.cycle})


class Jure(models.Model):
    """A person who sits on a cycle's jury (cellule d'orientation)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="jures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jures",
        verbose_name=_("personne"),
    )
    actif = models.BooleanField(_("actif·ve"), default=True)
    invite_le = models.DateTimeField(_("invité·e le"), auto_now_add=True)
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invité·e par"),
    )
    liens_declares_le = models.DateTimeField(_("liens déclarés le"), null=True, blank=True)

    class Meta:
        verbose_name = _("juré·e")
        verbose_name_plural = _("juré·es")
        ordering = ["cycle", "user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "user"],
                name="jure_unique_par_cycle",
                violation_error_message=_("Cette personne fait déjà partie du jury."),
            )
        ]

    def __str__(self):
        return self.user.nom_affiche


class Lien(models.Model):
    """A tie a juror declared with a collectivity: the source of conflicts of interest."""

    jure = models.ForeignKey(Jure, on_delete=models.CASCADE, related_name="liens")
    territoire = models.ForeignKey(
        Territoire, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Always filled: the territory's SIREN, or a structure outside the official list.
    siren = models.CharField(_("SIREN"), max_length=9)
    nom = models.CharField(_("collectivité ou structure"), max_length=200)
    nature = models.CharField(
        _("nature du lien"), max_length=20, choices=NatureLien.choices, default=NatureLien.MEMBRE
    )

    class Meta:
        verbose_name = _("lien déclaré")
        verbose_name_plural = _("liens déclarés")
        ordering = ["jure", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["jure", "siren"],
                name="lien_unique_par_jure",
                violation_error_message=_("Ce lien est déjà déclaré."),
            )
        ]

    def __str__(self):
        return self.nom


class Affectation(models.Model):
    """A candidature given to a juror, and the juror's evaluation of it."""

    jure = models.ForeignKey(Jure, on_delete=models.CASCADE, related_name="affectations")
    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="affectations"
    )
    automatique = models.BooleanField(_("proposée par la répartition automatique"), default=False)
    cree_le = models.DateTimeField(_("affectée le"), auto_now_add=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("affectée par"),
    )
    commentaire = models.TextField(_("appréciation générale"), blank=True)
    modifie_le = models.DateTimeField(_("modifiée le"), null=True, blank=True)
    soumise_le = models.DateTimeField(_("évaluation soumise le"), null=True, blank=True)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["jure", "candidature"]
        constraints = [
            models.UniqueConstraint(
                fields=["jure", "candidature"],
                name="affectation_unique",
                violation_error_message=_("Cette candidature est déjà confiée à ce·tte juré·e."),
            )
        ]

    def __str__(self):
        return f"{self.jure} → {self.candidature}"

    @property
    def soumise(self):
        return self.soumise_le is not None


class NoteJury(models.Model):
    """A juror's answer to one criterion for one candidature."""

    affectation = models.ForeignKey(Affectation, on_delete=models.CASCADE, related_name="notes")
    critere = models.ForeignKey(Critere, on_delete=models.CASCADE, related_name="notes")
    valeur = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    porte = models.CharField(_("condition"), max_length=12, choices=Porte.choices, blank=True)
    commentaire = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["affectation", "critere__ordre"]
        constraints = [
            models.UniqueConstraint(
                fields=["affectation", "critere"],
                name="note_unique_par_critere",
                violation_error_message=_("Ce critère est déjà noté."),
            )
        ]

    def __str__(self):
        return f"{self.critere} : {self.valeur if self.valeur is not None else self.porte}"


class Decision(models.Model):
    """What the deliberation decided for a candidature, and why."""

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="decision"
    )
    statut = models.CharField(_("décision"), max_length=20, choices=StatutDecision.choices)
    motif = models.TextField(
        _("motif"),
        blank=True,
        help_text=_("Adressé à la collectivité : écrivez-le pour elle."),
    )
    rang_attente = models.PositiveSmallIntegerField(
        _("rang sur la liste d'attente"), null=True, blank=True
    )
    decide_le = models.DateTimeField(_("décidée le"), auto_now=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["candidature"]

    def __str__(self):
        return f"{self.candidature} : {self.get_statut_display()}"


class ModeleDecision(models.Model):
    """The editable text of a decision email and letter, one per cycle and decision."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="modeles_decision")
    statut = models.CharField(_("décision"), max_length=20, choices=StatutDecision.choices)
    sujet = models.CharField(_("objet"), max_length=200)
    corps = models.TextField(_("texte"))

    class Meta:
        verbose_name = _("modèle de courrier de décision")
        verbose_name_plural = _("modèles de courrier de décision")
        ordering = ["cycle", "statut"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "statut"],
                name="modele_decision_unique",
                violation_error_message=_("Ce cycle a déjà un modèle pour cette décision."),
            )
        ]

    def __str__(self):
        return f"{self.cycle} – {self.get_statut_display()}"
