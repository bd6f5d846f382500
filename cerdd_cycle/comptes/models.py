from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person; the email address is the identity (no username)."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def nom_affiche(self):
        return self.get_full_name() or self.email


class StatutDemande(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    TRAITEE = "traitee", _("Données supprimées")
    REFUSEE = "refusee", _("Refusée")


class DemandeSuppression(models.Model):
    """A person's request to have their data erased; staff process or refuse it."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="demandes_suppression",
        verbose_name=_("personne"),
    )
    motif = models.TextField(_("raison (facultative)"), blank=True, max_length=2000)
    statut = models.CharField(
        _("statut"), max_length=12, choices=StatutDemande.choices, default=StatutDemande.EN_ATTENTE
    )
    cree_le = models.DateTimeField(_("demandée le"), auto_now_add=True)
    traitee_le = models.DateTimeField(_("traitée le"), null=True, blank=True)
    traitee_par = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    reponse = models.TextField(_("réponse de l'équipe"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("demande de suppression des données")
        verbose_name_plural = _("demandes de suppression des données")
        ordering = ["-cree_le", "-pk"]
        constraints = [
            # A second request while one waits reuses it (comptes.donnees.suppression_demander).
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(statut="en_attente"),
                name="demande_suppression_une_en_attente",
            )
        ]

    def __str__(self):
        return str(_("Demande n° %(pk)s") % {"pk": self.pk})
