import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.cycles.models import Cycle


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
