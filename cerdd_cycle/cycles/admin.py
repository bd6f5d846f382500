from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import StatutCycle
from .models import Cycle
from .services import cycle_changer_statut


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["titre", "region", "statut", "ouverture_ami", "date_limite", "places"]
    list_filter = ["statut", "region"]
    search_fields = ["titre", "slug"]
    prepopulated_fields = {"slug": ["titre"]}
    readonly_fields = ["statut", "cree_le", "modifie_le"]
    fieldsets = (
        (None, {"fields": ("titre", "slug", "region", "porteur", "statut")}),
        (
            _("Calendrier"),
            {
                "fields": (
                    "ouverture_ami",
                    "date_limite",
                    "date_reponse",
                    "premiere_seance",
                    "fin_prevue",
                )
            },
        ),
        (_("Appel à manifestation d'intérêt"), {"fields": ("texte_ami", "contact_ami")}),
        (_("Cohorte"), {"fields": ("places",)}),
        (_("Suivi"), {"fields": ("cree_le", "modifie_le")}),
    )
    actions = [f"passer_{statut.value}" for statut in StatutCycle]

    def _passer(self, request, queryset, statut):
        for cycle in queryset:
            try:
                cycle_changer_statut(cycle, statut)
            except ValidationError as erreur:
                self.message_user(request, f"{cycle} : {erreur.messages[0]}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(cycle)s : %(statut)s.") % {"cycle": cycle, "statut": statut.label},
                    messages.SUCCESS,
                )


def _action(statut):
    def action(self, request, queryset):
        self._passer(request, queryset, statut)

    action.__name__ = f"passer_{statut.value}"
    return admin.action(description=_("Passer au statut « %s »") % statut.label)(action)


for _statut in StatutCycle:
    setattr(CycleAdmin, f"passer_{_statut.value}", _action(_statut))
