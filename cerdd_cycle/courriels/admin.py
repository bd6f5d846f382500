from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Courriel, PieceJointe
from .services import courriel_renvoyer


class PieceJointeInline(admin.TabularInline):
    model = PieceJointe
    fields = ["nom", "type_mime"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    list_display = ["sujet", "destinataires_affiches", "etat", "tentatives", "cree_le", "envoye_le"]
    list_filter = ["etat", "categorie", "cree_le"]
    search_fields = ["cle", "sujet", "destinataires"]
    date_hierarchy = "cree_le"
    readonly_fields = [
        "cle",
        "categorie",
        "destinataires",
        "sujet",
        "texte",
        "etat",
        "tentatives",
        "derniere_erreur",
        "cree_le",
        "derniere_tentative_le",
        "envoye_le",
    ]
    exclude = ["html"]
    inlines = [PieceJointeInline]
    actions = ["renvoyer"]

    @admin.display(description=_("destinataires"))
    def destinataires_affiches(self, obj):
        return ", ".join(obj.destinataires)

    @admin.action(description=_("Renvoyer les courriels sélectionnés"))
    def renvoyer(self, request, queryset):
        for courriel in queryset:
            courriel_renvoyer(courriel)
        nombre = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%d courriel remis en file d'envoi.", "%d courriels remis en file d'envoi.", nombre
            )
            % nombre,
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
