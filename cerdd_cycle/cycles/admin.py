from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.formats import date_en_toutes_lettres

from .enums import StatutCycle
from .models import Cycle
from .selectors import echeance_anonymisation
from .services import cycle_changer_statut


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["titre", "region", "statut", "ouverture_ami", "date_limite", "places"]
    list_filter = ["statut", "region"]
    search_fields = ["titre", "slug"]
    prepopulated_fields = {"slug": ["titre"]}
    readonly_fields = ["statut", "cree_le", "modifie_le", "anonymisation"]
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
        (
            _("Données personnelles"),
            {"fields": ("conservation_candidatures_mois", "anonymisation")},
        ),
        (_("Suivi"), {"fields": ("cree_le", "modifie_le")}),
    )
    actions = [f"passer_{statut.value}" for statut in StatutCycle]

    @admin.display(description=_("anonymisation des candidatures non retenues"))
    def anonymisation(self, cycle):
        # Cycles cannot import candidatures: the count goes through the reverse relation.
        faites = cycle.candidatures.filter(anonymisee_le__isnull=False).count() if cycle.pk else 0
        echeance = echeance_anonymisation(cycle) if cycle.pk else None
        if echeance is None:
            etat = _("pas encore prévue : le délai part de la publication des résultats")
        elif echeance > timezone.now():
            etat = _("prévue le %(date)s") % {
                "date": date_en_toutes_lettres(echeance, jour_semaine=False)
            }
        else:
            etat = _("échue le %(date)s (balayage quotidien)") % {
                "date": date_en_toutes_lettres(echeance, jour_semaine=False)
            }
        return _("%(etat)s ; %(n)s candidature(s) anonymisée(s)") % {"etat": etat, "n": faites}

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
