"""The logbook. Privacy is item by item: an ``Element`` is private unless its author shares it,
and a private item is never read by anyone else — no page, no admin, no export."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.cycles.models import Cycle
from seances.models import Binome, Membre, Seance

from .enums import Audience, Rubrique, StatutExperimentation, Temps


class Entree(models.Model):
    """One person's page of the logbook for one session."""

    membre = models.ForeignKey(
        Membre, on_delete=models.CASCADE, related_name="entrees_journal", verbose_name=_("auteur")
    )
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="entrees_journal", verbose_name=_("séance")
    )
    # Free notes are always private.
    notes = models.TextField(_("notes libres"), blank=True, max_length=20000)
    notes_version = models.PositiveIntegerField(default=0)
    cree_le = models.DateTimeField(_("créée le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("entrées du journal")
        ordering = ["membre", "seance__numero"]
        constraints = [
            models.UniqueConstraint(fields=["membre", "seance"], name="entree_unique"),
        ]

    def __str__(self):
        return f"{self.membre} – {self.seance}"


class Element(models.Model):
    """One item under a heading, with its own audience."""

    entree = models.ForeignKey(
        Entree, on_delete=models.CASCADE, related_name="elements", verbose_name=_("entrée")
    )
    rubrique = models.CharField(_("rubrique"), max_length=16, choices=Rubrique.choices)
    texte = models.TextField(_("texte"), max_length=4000, blank=True)
    audience = models.CharField(
        _("partagé avec"), max_length=16, choices=Audience.choices, default=Audience.PRIVE
    )
    # Raised by each save of the text: a save based on an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("élément du journal")
        verbose_name_plural = _("éléments du journal")
        ordering = ["entree", "rubrique", "cree_le", "pk"]

    def __str__(self):
        # Never the text: the admin lists related objects by their name (e.g. what deleting a
        # session would delete), and a private item must not show there.
        return f"{self.get_rubrique_display()} ({self.get_audience_display()})"


class Consigne(models.Model):
    """A prompt staff add for a session, to help participants write."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="consignes_journal", verbose_name=_("séance")
    )
    rubrique = models.CharField(
        _("rubrique"),
        max_length=16,
        choices=Rubrique.choices,
        blank=True,
        help_text=_("Vide : la consigne vaut pour toute l'entrée."),
    )
    texte = models.CharField(_("consigne"), max_length=500)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("consigne d'écriture")
        verbose_name_plural = _("consignes d'écriture")
        ordering = ["seance", "ordre", "pk"]

    def __str__(self):
        return self.texte[:60]


class Relais(models.Model):
    """Something a participant passed on in their organisation."""

    binome = models.ForeignKey(
        Binome, on_delete=models.CASCADE, related_name="relais", verbose_name=_("collectivité")
    )
    auteur = models.ForeignKey(
        Membre, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("auteur")
    )
    seance = models.ForeignKey(
        Seance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("à la suite de la séance"),
    )
    date = models.DateField(_("date"))
    public = models.CharField(_("auprès de qui"), max_length=250)
    quoi = models.TextField(_("ce qui a été relayé"), max_length=4000)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relais")
        verbose_name_plural = _("relais")
        ordering = ["binome", "-date", "-pk"]

    def __str__(self):
        return f"{self.date} – {self.public}"


class Experimentation(models.Model):
    """What the collectivity tried on its territory: the commitment the AMI asks of it."""

    binome = models.ForeignKey(
        Binome,
        on_delete=models.CASCADE,
        related_name="experimentations",
        verbose_name=_("collectivité"),
    )
    titre = models.CharField(_("outil ou méthode"), max_length=250)
    description = models.TextField(_("ce qui est tenté"), max_length=4000, blank=True)
    statut = models.CharField(
        _("état"),
        max_length=12,
        choices=StatutExperimentation.choices,
        default=StatutExperimentation.PREVUE,
    )
    resultats = models.TextField(_("ce qui en est sorti"), max_length=4000, blank=True)
    seance = models.ForeignKey(
        Seance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspirée par la séance"),
    )
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expérimentation")
        verbose_name_plural = _("expérimentations")
        ordering = ["binome", "-modifie_le"]

    def __str__(self):
        return self.titre


class QuestionDiagnostic(models.Model):
    """A question of the self-diagnosis grid of a cycle, answered on a scale."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questions_diagnostic")
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    intitule = models.CharField(_("question"), max_length=300)
    echelle = models.PositiveSmallIntegerField(
        _("échelle de 1 à"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    libelle_min = models.CharField(_("libellé du 1"), max_length=80, default=_("Pas du tout"))
    libelle_max = models.CharField(_("libellé du maximum"), max_length=80, default=_("Tout à fait"))

    class Meta:
        verbose_name = _("question d'autodiagnostic")
        verbose_name_plural = _("questions d'autodiagnostic")
        ordering = ["cycle", "ordre", "pk"]

    def __str__(self):
        return self.intitule


class Diagnostic(models.Model):
    """A pair's self-diagnosis at one moment of the cycle."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="diagnostics")
    temps = models.CharField(_("moment"), max_length=8, choices=Temps.choices)
    rempli_le = models.DateTimeField(_("rempli le"), auto_now=True)
    rempli_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("autodiagnostic")
        verbose_name_plural = _("autodiagnostics")
        constraints = [
            models.UniqueConstraint(fields=["binome", "temps"], name="diagnostic_unique"),
        ]

    def __str__(self):
        return f"{self.binome} – {self.get_temps_display()}"


class ReponseDiagnostic(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="reponses")
    question = models.ForeignKey(QuestionDiagnostic, on_delete=models.CASCADE, related_name="+")
    valeur = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "question"], name="reponse_diag_unique"),
        ]

    def __str__(self):
        return f"{self.question} : {self.valeur}"
