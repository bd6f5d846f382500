import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.territoires.models import Departement, Territoire

from .enums import (
    STATUTS_DEPOSES,
    STATUTS_MODIFIABLES,
    RoleReferent,
    StatutCandidature,
    TypeCritere,
    TypePiece,
)


class StockagePrive(FileSystemStorage):
    """Attachments live outside MEDIA_ROOT and have no URL: a view checks access, then serves."""

    def __init__(self):
        super().__init__(base_url=None)

    # Read on every use so that a changed setting (tests, deployment) is always honoured.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Les fichiers privés n'ont pas d'adresse publique.")


stockage_prive = StockagePrive()


class Critere(models.Model):
    """One line of a cycle's selection grid."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="criteres")
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    intitule = models.CharField(_("intitulé"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(
        _("type"), max_length=10, choices=TypeCritere.choices, default=TypeCritere.ECHELLE
    )
    poids = models.DecimalField(_("poids"), max_digits=4, decimal_places=2, default=1)
    sections = models.JSONField(
        _("sections du formulaire"),
        default=list,
        blank=True,
        help_text=_("Sections de la candidature qui éclairent ce critère."),
    )

    class Meta:
        verbose_name = _("critère de sélection")
        verbose_name_plural = _("critères de sélection")
        ordering = ["cycle", "ordre", "pk"]

    def __str__(self):
        return self.intitule

    @property
    def est_porte(self):
        return self.type == TypeCritere.PORTE


class NiveauCritere(models.Model):
    """One level of a scored criterion, with what it means, so that jurors read it alike."""

    critere = models.ForeignKey(Critere, on_delete=models.CASCADE, related_name="niveaux")
    valeur = models.PositiveSmallIntegerField(_("valeur"))
    libelle = models.CharField(_("libellé"), max_length=80)
    description = models.TextField(_("ce que ce niveau veut dire"), blank=True)

    class Meta:
        verbose_name = _("niveau de l'échelle")
        verbose_name_plural = _("niveaux de l'échelle")
        ordering = ["critere", "valeur"]
        constraints = [
            models.UniqueConstraint(
                fields=["critere", "valeur"],
                name="niveau_unique_par_critere",
                violation_error_message=_("Ce critère a déjà un niveau de cette valeur."),
            )
        ]

    def __str__(self):
        return f"{self.valeur} – {self.libelle}"


class Candidature(models.Model):
    """A collectivity's answer to a cycle's call; one per collectivity and cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="candidatures")
    proprietaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name=_("titulaire du compte"),
    )
    statut = models.CharField(
        _("statut"),
        max_length=20,
        choices=StatutCandidature.choices,
        default=StatutCandidature.BROUILLON,
        db_index=True,
    )

    # The collectivity: from the official list, or declared by hand (then checked by staff).
    territoire = models.ForeignKey(
        Territoire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name=_("collectivité"),
    )
    structure_nom = models.CharField(_("nom de la structure"), max_length=200, blank=True)
    structure_siren = models.CharField(_("SIREN de la structure"), max_length=9, blank=True)
    structure_nature = models.CharField(
        _("nature de la structure"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : syndicat mixte, parc naturel régional."),
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("département")
    )
    eligibilite_a_verifier = models.BooleanField(_("éligibilité à vérifier"), default=False)

    # Contact details.
    adresse = models.TextField(_("adresse postale"), blank=True)
    contact_nom = models.CharField(_("personne à contacter"), max_length=150, blank=True)
    contact_fonction = models.CharField(_("fonction"), max_length=150, blank=True)
    contact_email = models.EmailField(_("courriel"), blank=True)
    contact_telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Political referent.
    politique_nom = models.CharField(_("nom"), max_length=150, blank=True)
    politique_mandat = models.CharField(_("mandat"), max_length=150, blank=True)
    politique_email = models.EmailField(_("courriel"), blank=True)
    politique_telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Technical referent.
    technique_nom = models.CharField(_("nom"), max_length=150, blank=True)
    technique_poste = models.CharField(_("poste"), max_length=150, blank=True)
    technique_email = models.EmailField(_("courriel"), blank=True)
    technique_telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Technical contact point, if different.
    point_contact_different = models.BooleanField(_("point de contact distinct"), default=False)
    point_contact_nom = models.CharField(_("nom"), max_length=150, blank=True)
    point_contact_fonction = models.CharField(_("fonction"), max_length=150, blank=True)
    point_contact_email = models.EmailField(_("courriel"), blank=True)
    point_contact_telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # The questions of the call.
    motivations = models.TextField(_("motivations"), blank=True)
    actions = models.TextField(_("actions réalisées ou prévues"), blank=True)
    pistes = models.TextField(_("pistes de travail envisagées"), blank=True)
    besoins = models.TextField(_("principaux besoins"), blank=True)
    engagements = models.JSONField(_("démarches de transition"), default=list, blank=True)
    engagements_autre = models.CharField(_("autre démarche"), max_length=250, blank=True)
    engagement_binome = models.BooleanField(
        _("engagement du binôme à suivre toutes les séances"), default=False
    )

    depose_le = models.DateTimeField(_("déposée le"), null=True, blank=True)
    prolongation_jusqua = models.DateTimeField(
        _("délai individuel jusqu'au"), null=True, blank=True
    )
    prolongation_motif = models.CharField(_("motif du délai"), max_length=250, blank=True)
    cree_le = models.DateTimeField(_("créée le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifiée le"), default=timezone.now)
    revision = models.PositiveIntegerField(
        _("révision"), default=0, help_text=_("Augmente à chaque enregistrement.")
    )
    # Set by the retention sweep: contacts, files and names are gone, the statistics stay.
    anonymisee_le = models.DateTimeField(_("anonymisée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-modifie_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "territoire"],
                condition=models.Q(territoire__isnull=False),
                name="candidature_unique_par_territoire",
                violation_error_message=_("Cette collectivité a déjà une candidature."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "structure_siren"],
                condition=~models.Q(structure_siren=""),
                name="candidature_unique_par_siren",
                violation_error_message=_("Cette structure a déjà une candidature."),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "statut"], name="candidature_cycle_statut_idx")]

    def __str__(self):
        return self.nom_collectivite

    @property
    def nom_collectivite(self):
        return self.territoire.nom if self.territoire_id else self.structure_nom or _("(sans nom)")

    @property
    def siren(self):
        return self.territoire.siren if self.territoire_id else self.structure_siren

    @property
    def modifiable(self):
        return self.statut in STATUTS_MODIFIABLES

    @property
    def deposee(self):
        return self.statut in STATUTS_DEPOSES

    @property
    def date_limite(self):
        """The deadline that applies to this candidature (an individual extension wins)."""
        if self.prolongation_jusqua and self.prolongation_jusqua > self.cycle.date_limite:
            return self.prolongation_jusqua
        return self.cycle.date_limite


class Acces(models.Model):
    """A co-editor: invited by email, bound to an account when they accept."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="acces")
    email = models.EmailField(_("courriel"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="acces_candidatures",
    )
    jeton = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    demande = models.BooleanField(
        _("demandé par la personne"),
        default=False,
        help_text=_("Accès demandé depuis un autre compte, en attente d'accord du titulaire."),
    )
    message = models.TextField(_("message"), blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    accepte_le = models.DateTimeField(_("accepté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("accès co-éditeur")
        verbose_name_plural = _("accès co-éditeurs")
        constraints = [
            models.UniqueConstraint(fields=["candidature", "email"], name="acces_unique_email"),
        ]

    def __str__(self):
        return self.email


class ConfirmationReferent(models.Model):
    """Each referent confirms their role and availability through their own link."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="confirmations"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=RoleReferent.choices)
    nom = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel"))
    jeton = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirme_le = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    disponible = models.BooleanField(_("disponible aux dates des séances"), null=True)
    commentaire = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("confirmation de référent·e")
        verbose_name_plural = _("confirmations de référent·es")
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "role"], name="confirmation_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} : {self.nom}"


def _chemin_piece(instance, nom_fichier):
    return (
        f"candidatures/{instance.candidature.cycle_id}/{instance.candidature_id}/{uuid.uuid4().hex}"
    )


class PieceJointe(models.Model):
    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="pieces_jointes"
    )
    type = models.CharField(
        _("type"), max_length=10, choices=TypePiece.choices, default=TypePiece.AUTRE
    )
    fichier = models.FileField(
        _("fichier"), storage=stockage_prive, upload_to=_chemin_piece, max_length=300
    )
    nom_original = models.CharField(_("nom du fichier"), max_length=200)
    type_mime = models.CharField(_("format"), max_length=100)
    taille = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    ajoutee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ajoutee_le = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["candidature", "type", "ajoutee_le"]

    def __str__(self):
        return self.nom_original


class VersionCandidature(models.Model):
    """A frozen copy of the answers at each submission."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveSmallIntegerField(_("version"))
    donnees = models.JSONField(_("réponses"))
    deposee_le = models.DateTimeField(_("déposée le"))
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hors_delai_accorde = models.BooleanField(
        _("déposée grâce à un délai individuel"), default=False
    )

    class Meta:
        verbose_name = _("version déposée")
        verbose_name_plural = _("versions déposées")
        ordering = ["candidature", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["candidature", "numero"], name="version_unique"),
        ]

    def __str__(self):
        return f"{self.candidature} v{self.numero}"
