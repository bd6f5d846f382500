from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DemandeSuppression, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "telephone")}),
        (
            _("Rôles et permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(DemandeSuppression)
class DemandeSuppressionAdmin(admin.ModelAdmin):
    """Read only: a request is processed on the staff page, which runs every app's erasure."""

    list_display = ["__str__", "user", "statut", "cree_le", "traitee_le"]
    list_filter = ["statut"]
    list_select_related = ["user"]
    fields = ["user", "statut", "motif", "cree_le", "traitee_le", "traitee_par", "reponse"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields, "page_equipe"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "page_equipe"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("page de l'équipe"))
    def page_equipe(self, demande):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("equipe_donnees:demande", args=[demande.pk]),
            _("Traiter ou refuser la demande"),
        )
