import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.cycles.models import Cycle

from .enums import RoleMembre


class Seance(models.Model):
    """One day of the cycle."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="seances", verbose_name=_("cycle")
    )
    numero = models.PositiveSmallIntegerField(_("numéro"))
    date = models.DateField(_("date"))
    heure_debut = models.TimeField(_("début"), default=datetime.time(9, 30))
    heure_fin = models.TimeField(_("fin"), default=datetime.time(16, 30))
    theme = models.CharField(_("thème"), max_length=250)
    lieu = models.CharField(_("lieu"), max_length=200, blank=True)
    adresse = models.CharField(_("adresse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["cycle", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "numero"], name="seance_numero_unique"),
            models.CheckConstraint(
                condition=models.Q(heure_fin__gt=models.F("heure_debut")),
                name="seance_fin_apres_debut",
                violation_error_message=_("La séance doit finir après avoir commencé."),
            ),
        ]

    def __str__(self):
        return _("Séance %(numero)s – %(theme)s") % {"numero": self.numero, "theme": self.theme}


class Intervenant(models.Model):
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="intervenants", verbose_name=_("séance")
    )
    nom = models.CharField(_("nom"), max_length=150)
    qualite = models.CharField(_("qualité"), max_length=250, blank=True)
    bio = models.TextField(_("courte présentation"), blank=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("intervenant·e")
        verbose_name_plural = _("intervenant·es")
        ordering = ["seance", "ordre", "nom"]

    def __str__(self):
        return self.nom


class Binome(models.Model):
    """A retained collectivity in the cycle: its elected official, its technician, and their
    substitutes (``Membre``)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="binomes", verbose_name=_("cycle")
    )
    candidature = models.OneToOneField(
        "candidatures.Candidature",
        on_delete=models.PROTECT,
        related_name="binome",
        verbose_name=_("candidature retenue"),
    )
    ouvert_le = models.DateTimeField(_("ouvert le"), auto_now_add=True)

    class Meta:
        verbose_name = _("binôme")
        verbose_name_plural = _("binômes")
        ordering = ["cycle", "candidature__territoire__nom", "candidature__structure_nom"]

    def __str__(self):
        return str(self.candidature.nom_collectivite)


class Membre(models.Model):
    """A person of a pair: a holder of the seat or a substitute. Replaced members stay, marked
    inactive, so that the history of the pair reads from these rows."""

    binome = models.ForeignKey(
        Binome, on_delete=models.CASCADE, related_name="membres", verbose_name=_("binôme")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="membres_binome",
        verbose_name=_("personne"),
    )
    role = models.CharField(_("rôle"), max_length=12, choices=RoleMembre.choices)
    suppleant = models.BooleanField(_("suppléant·e"), default=False)
    fonction = models.CharField(_("mandat ou poste"), max_length=200, blank=True)
    actif = models.BooleanField(_("actif·ve"), default=True)
    depuis = models.DateTimeField(_("depuis"), auto_now_add=True)
    jusqua = models.DateTimeField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre d'un binôme")
        verbose_name_plural = _("membres des binômes")
        ordering = ["binome", "suppleant", "role", "depuis"]
        constraints = [
            # One holder per seat at a time; substitutes are not limited.
            models.UniqueConstraint(
                fields=["binome", "role"],
                condition=models.Q(actif=True, suppleant=False),
                name="membre_un_titulaire_par_role",
                violation_error_message=_("Ce binôme a déjà un·e titulaire pour ce rôle."),
            ),
        ]

    def __str__(self):
        return f"{self.user.nom_affiche} ({self.get_role_display()})"
