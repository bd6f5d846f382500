from django.contrib import admin

from .models import Binome, Intervenant, Membre, Seance


class IntervenantInline(admin.StackedInline):
    model = Intervenant
    extra = 0


@admin.register(Seance)
class SeanceAdmin(admin.ModelAdmin):
    list_display = ["numero", "theme", "date", "lieu", "cycle"]
    list_filter = ["cycle"]
    search_fields = ["theme", "lieu", "intervenants__nom"]
    inlines = [IntervenantInline]
    list_select_related = ["cycle"]


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0
    fields = ["user", "role", "suppleant", "fonction", "actif", "depuis", "jusqua"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # People join a pair through seances.services, which invites them.
        return False


@admin.register(Binome)
class BinomeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "ouvert_le"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "candidature__territoire"]
    search_fields = ["candidature__territoire__nom", "candidature__structure_nom"]
    readonly_fields = ["cycle", "candidature", "ouvert_le"]
    inlines = [MembreInline]

    def has_add_permission(self, request):
        return False
