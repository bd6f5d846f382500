from django.db import models
from django.utils.translation import gettext_lazy as _


class EtatCourriel(models.TextChoices):
    A_ENVOYER = "a_envoyer", _("à envoyer")
    EN_COURS = "en_cours", _("en cours d'envoi")
    ENVOYE = "envoye", _("envoyé")
    ECHEC = "echec", _("en échec")


class Courriel(models.Model):
    """One email of the outbox, rendered when created and sent after commit."""

    cle = models.CharField(
        _("clé"),
        max_length=200,
        unique=True,
        help_text=_("Identifie le message : la même clé ne produit jamais deux courriels."),
    )
    categorie = models.CharField(_("catégorie"), max_length=80, blank=True, db_index=True)
    destinataires = models.JSONField(_("destinataires"), default=list)
    sujet = models.CharField(_("sujet"), max_length=255)
    texte = models.TextField(_("texte"))
    html = models.TextField(_("version HTML"), blank=True)
    etat = models.CharField(
        _("état"), max_length=12, choices=EtatCourriel.choices, default=EtatCourriel.A_ENVOYER
    )
    tentatives = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    derniere_erreur = models.TextField(_("dernière erreur"), blank=True)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    derniere_tentative_le = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    envoye_le = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["etat", "cree_le"], name="courriel_etat_cree_idx")]

    def __str__(self):
        return f"{self.sujet} → {', '.join(self.destinataires)}"


class PieceJointe(models.Model):
    """A file attached to a queued email, stored with it so the row is self-contained."""

    courriel = models.ForeignKey(Courriel, on_delete=models.CASCADE, related_name="pieces_jointes")
    nom = models.CharField(_("nom"), max_length=200)
    type_mime = models.CharField(_("type"), max_length=100)
    contenu = models.BinaryField(_("contenu"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.nom
