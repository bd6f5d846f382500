"""The capitalisation report of a cycle: the text staff write for it, and every generated
version (who asked, when, with which settings), kept so that each can be downloaded again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidatures.models import stockage_prive
from cerdd_cycle.cycles.models import Cycle

from .enums import SECTIONS_PAR_DEFAUT, EtatVersion


def _sections_par_defaut():
    return list(SECTIONS_PAR_DEFAUT)


class Rapport(models.Model):
    """What staff prepare before generating: introduction, conclusion, chapters."""

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="rapport", verbose_name=_("cycle")
    )
    titre = models.CharField(
        _("titre du rapport"),
        max_length=200,
        blank=True,
        help_text=_("Vide : « Rapport de capitalisation » suivi du titre du cycle."),
    )
    introduction = models.TextField(_("introduction"), blank=True, max_length=30000)
    conclusion = models.TextField(_("conclusion"), blank=True, max_length=30000)
    sections = models.JSONField(_("chapitres"), default=_sections_par_defaut, blank=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    class Meta:
        verbose_name = _("rapport de capitalisation")
        verbose_name_plural = _("rapports de capitalisation")

    def __str__(self):
        return str(self.cycle)


def _chemin_version(instance, nom):
    return f"capitalisation/{instance.cycle_id}/{nom}"


class Version(models.Model):
    """One generation of the report. Its settings are a copy: editing the introduction later
    does not change what an earlier version says."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="versions_rapport", verbose_name=_("cycle")
    )
    numero = models.PositiveIntegerField(_("version"))
    etat = models.CharField(
        _("état"), max_length=12, choices=EtatVersion.choices, default=EtatVersion.EN_ATTENTE
    )
    etape = models.CharField(_("étape"), max_length=120, blank=True)
    avancement = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    etape_le = models.DateTimeField(_("dernière étape le"), null=True, blank=True)
    reglages = models.JSONField(_("réglages"), default=dict)
    demandee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandée par"),
    )
    demandee_le = models.DateTimeField(_("demandée le"), auto_now_add=True)
    commencee_le = models.DateTimeField(_("commencée le"), null=True, blank=True)
    terminee_le = models.DateTimeField(_("terminée le"), null=True, blank=True)
    fichier = models.FileField(
        _("fichier"), storage=stockage_prive, upload_to=_chemin_version, max_length=300, blank=True
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    taille = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    duree = models.FloatField(_("durée (s)"), null=True, blank=True)
    erreur = models.TextField(_("erreur"), blank=True)
    # Started runs: a worker killed mid-way hands the task over, the sweep gives up after a few.
    tentatives = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    class Meta:
        verbose_name = _("version du rapport")
        verbose_name_plural = _("versions du rapport")
        ordering = ["cycle", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "numero"], name="version_rapport_unique"),
        ]

    def __str__(self):
        return f"{self.cycle} – version {self.numero}"
