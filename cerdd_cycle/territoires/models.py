from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    nom = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    nom = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class TypeTerritoire(models.TextChoices):
    COMMUNE = "COM", _("Commune")
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")


TYPES_EPCI = [
    TypeTerritoire.CC,
    TypeTerritoire.CA,
    TypeTerritoire.CU,
    TypeTerritoire.METRO,
    TypeTerritoire.MET69,
]


class Territoire(models.Model):
    """A commune or an EPCI of the official list (COG), identified by its SIREN."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    code_insee = models.CharField(
        _("code INSEE"),
        max_length=9,
        blank=True,
        help_text=_("Code commune pour une commune, SIREN pour un EPCI."),
    )
    type = models.CharField(_("type"), max_length=5, choices=TypeTerritoire.choices)
    nom = models.CharField(_("nom"), max_length=200)
    nom_recherche = models.CharField(_("nom normalisé"), max_length=200, editable=False)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territoires",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="territoires",
        verbose_name=_("région"),
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    epci = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("EPCI de rattachement"),
        limit_choices_to={"type__in": TYPES_EPCI},
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["nom"]
        indexes = [
            models.Index(fields=["region", "nom_recherche"], name="territoire_region_nom_idx"),
            models.Index(fields=["code_insee"], name="territoire_code_insee_idx"),
        ]

    def __str__(self):
        if self.type == TypeTerritoire.COMMUNE and self.departement_id:
            return f"{self.nom} ({self.departement_id})"
        return self.nom

    @property
    def est_epci(self):
        return self.type in TYPES_EPCI
