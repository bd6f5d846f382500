from django.contrib import admin

from .models import Departement, Region, Territoire
from .normalisation import normaliser


class ListeOfficielleAdmin(admin.ModelAdmin):
    """The official list is loaded by ``manage.py charger_territoires``, not typed in."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ListeOfficielleAdmin):
    list_display = ["nom", "code"]
    search_fields = ["nom", "=code"]
    readonly_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(ListeOfficielleAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["nom", "=code"]
    readonly_fields = ["code", "nom", "region"]


@admin.register(Territoire)
class TerritoireAdmin(ListeOfficielleAdmin):
    list_display = ["nom", "type", "code_insee", "siren", "departement", "population", "epci"]
    list_filter = ["type", "region"]
    list_select_related = ["departement", "epci"]
    search_fields = ["nom_recherche", "=siren", "=code_insee"]
    search_help_text = "Nom (accents et tirets facultatifs), SIREN ou code INSEE."
    ordering = ["nom"]
    raw_id_fields = ["epci"]
    fields = [
        "nom",
        "nom_recherche",
        "type",
        "siren",
        "code_insee",
        "departement",
        "region",
        "population",
        "epci",
    ]
    readonly_fields = [
        "nom",
        "nom_recherche",
        "type",
        "siren",
        "code_insee",
        "departement",
        "region",
    ]

    def get_search_results(self, request, queryset, search_term):
        # Search the normalised name the way the public search does ("st quentin" finds
        # "Saint-Quentin"); codes are matched as typed.
        return super().get_search_results(request, queryset, normaliser(search_term))
