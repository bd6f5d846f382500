from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.territoires.models import Region

from .enums import StatutCycle


class Cycle(models.Model):
    """One edition of the cycle de qualification; drives the whole life of the platform."""

    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="cycles",
        verbose_name=_("région"),
        help_text=_("Les collectivités candidates sont cherchées dans cette région."),
    )
    porteur = models.CharField(
        _("structure porteuse"),
        max_length=200,
        default="Cerdd",
        help_text=_("Le centre de ressources qui organise le cycle."),
    )
    ouverture_ami = models.DateTimeField(_("ouverture de l'AMI"))
    date_limite = models.DateTimeField(
        _("date limite de dépôt"), help_text=_("Heure de Paris ; l'horloge du serveur fait foi.")
    )
    date_reponse = models.DateField(_("date de réponse aux candidats"))
    premiere_seance = models.DateField(_("date de la première séance"))
    fin_prevue = models.DateField(_("fin prévue du cycle"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("nombre de places"), default=13)
    texte_ami = models.TextField(
        _("texte de l'appel"),
        blank=True,
        help_text=_("Présentation publique de l'AMI (texte mis en forme : titres, listes, liens)."),
    )
    contact_ami = models.CharField(
        _("contact pour les candidat·es"),
        max_length=200,
        blank=True,
        help_text=_("Nom et adresse électronique affichés sur la page de l'appel."),
    )
    statut = models.CharField(
        _("statut"), max_length=20, choices=StatutCycle.choices, default=StatutCycle.PREPARATION
    )
    # Set when the jury's decisions are announced: candidates see their result from then on.
    resultats_publies_le = models.DateTimeField(
        _("résultats publiés le"), null=True, blank=True, editable=False
    )
    # Personal data retention: candidatures not retained are anonymised this many months after
    # the results (the sweep of candidatures.anonymisation).
    conservation_candidatures_mois = models.PositiveSmallIntegerField(
        _("conservation des candidatures non retenues (mois)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Délai après la publication des résultats (ou, sans résultats, après la fin d'un "
            "cycle terminé) au bout duquel les candidatures non retenues sont anonymisées."
        ),
    )
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-ouverture_ami"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_limite__gt=models.F("ouverture_ami")),
                name="cycle_date_limite_apres_ouverture",
                violation_error_message=_("La date limite doit suivre l'ouverture de l'AMI."),
            ),
            models.CheckConstraint(
                condition=models.Q(places__gt=0),
                name="cycle_places_positives",
                violation_error_message=_("Il faut au moins une place."),
            ),
        ]

    def __str__(self):
        return self.titre

    def clean(self):
        erreurs = {}
        if (
            self.date_limite
            and self.date_reponse
            and self.date_reponse < timezone.localdate(self.date_limite)
        ):
            erreurs["date_reponse"] = _("La réponse aux candidats suit la date limite de dépôt.")
        if self.date_reponse and self.premiere_seance and self.premiere_seance < self.date_reponse:
            erreurs["premiere_seance"] = _("La première séance suit la réponse aux candidats.")
        if self.fin_prevue and self.premiere_seance and self.fin_prevue < self.premiere_seance:
            erreurs["fin_prevue"] = _("La fin du cycle suit sa première séance.")
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def ami_ouvert(self):
        return self.ouverture_ami <= timezone.now() < self.date_limite
