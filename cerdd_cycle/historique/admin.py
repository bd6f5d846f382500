from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .models import Historique


class HistoriqueInline(GenericTabularInline):
    """Read-only history shown at the bottom of an object's admin page."""

    model = Historique
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ["le", "acteur", "action", "description", "avant", "apres"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-le"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Historique)
class HistoriqueAdmin(admin.ModelAdmin):
    list_display = ["le", "action", "content_type", "object_id", "acteur", "description"]
    list_filter = ["action", "content_type"]
    search_fields = ["description", "object_id", "acteur__email"]
    list_select_related = ["acteur", "content_type"]
    readonly_fields = [f.name for f in Historique._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
