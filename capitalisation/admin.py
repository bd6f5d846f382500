"""The report in the admin: its settings, saved through the same service as the staff page
(rich text cleaned, unknown chapters refused), and the versions, read-only (each one is a record
of what was generated, by whom and when; its file is only ever downloaded)."""

from functools import partial

from django.contrib import admin
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .enums import EtatVersion, Section
from .forms import RapportAdminForm
from .models import Rapport, Version


class IntrouvableEn404:
    """An object outside the admin's queryset answers 404 rather than a redirect."""

    def get_object(self, request, object_id, from_field=None):
        objet = super().get_object(request, object_id, from_field)
        if objet is None:
            raise Http404
        return objet


@admin.register(Rapport)
class RapportAdmin(IntrouvableEn404, admin.ModelAdmin):
    form = RapportAdminForm
    list_display = ["cycle", "titre", "chapitres", "modifie_le", "modifie_par"]
    list_select_related = ["cycle", "modifie_par"]
    ordering = ["-cycle__ouverture_ami"]
    fields = ["cycle", "titre", "introduction", "conclusion", "sections"]

    def get_readonly_fields(self, request, obj=None):
        return ["cycle"] if obj is not None else []

    @admin.display(description=gettext_lazy("chapitres"))
    def chapitres(self, rapport):
        return len([s for s in rapport.sections if s in Section.values])

    def save_model(self, request, obj, form, change):
        # The service cleans the rich text: the admin stores exactly what the page would.
        donnees = form.cleaned_data
        enregistre = services.rapport_enregistrer(
            obj.cycle,
            par=request.user,
            titre=donnees.get("titre", ""),
            introduction=donnees.get("introduction", ""),
            conclusion=donnees.get("conclusion", ""),
            sections=donnees.get("sections", []),
        )
        obj.pk = enregistre.pk
        obj.__dict__.update(
            {
                champ: getattr(enregistre, champ)
                for champ in ("titre", "introduction", "conclusion", "sections", "modifie_le")
            }
        )


@admin.register(Version)
class VersionAdmin(IntrouvableEn404, admin.ModelAdmin):
    list_display = [
        "numero",
        "cycle",
        "etat",
        "pages",
        "demandee_par",
        "demandee_le",
        "telechargement",
    ]
    list_display_links = ["numero"]
    list_filter = ["cycle", "etat"]
    list_select_related = ["cycle", "demandee_par"]
    ordering = ["-demandee_le"]
    date_hierarchy = "demandee_le"
    fields = [
        "cycle",
        "numero",
        "etat",
        "telechargement",
        "etape",
        "avancement",
        "demandee_par",
        "demandee_le",
        "commencee_le",
        "terminee_le",
        "pages",
        "taille",
        "duree",
        "tentatives",
        "erreur",
        "reglages",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # a version is asked for from the report's page or the command line

    def has_change_permission(self, request, obj=None):
        return False

    # A version may be removed (a failed one, say); its file leaves the storage with it.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _supprimer_fichiers([obj])

    def delete_queryset(self, request, queryset):
        versions = list(queryset)
        super().delete_queryset(request, queryset)
        _supprimer_fichiers(versions)

    @admin.display(description=gettext_lazy("PDF"))
    def telechargement(self, version):
        if version.etat != EtatVersion.PRETE or not version.fichier:
            return "—"
        lien = reverse(
            "equipe_capitalisation:version_telecharger", args=[version.cycle.slug, version.numero]
        )
        return format_html('<a href="{}">{}</a>', lien, _("Télécharger le PDF"))


def _supprimer_fichiers(versions):
    for version in versions:
        if version.fichier:
            transaction.on_commit(partial(version.fichier.storage.delete, version.fichier.name))
