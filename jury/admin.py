"""The jury in the admin: settings and decision templates are edited here (through the
services, so the history keeps them); jurors, their ties, assignments, scores and decisions
are shown only, since they change on the jurors' and staff pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cerdd_cycle.formats import date_en_toutes_lettres
from cerdd_cycle.historique.selectors import historique_de

from .enums import StatutDecision
from .models import Affectation, Decision, Jure, Jury, Lien, ModeleDecision, NoteJury
from .services import VARIABLES_MODELE, jury_parametrer, modele_modifier, variables_inconnues


class LectureSeule:
    """Shown, never added, changed nor deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InlineLectureSeule(LectureSeule, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


def _lien(nom_url, kwargs, texte):
    try:
        return format_html('<a href="{}">{}</a>', reverse(nom_url, kwargs=kwargs), texte)
    except NoReverseMatch:
        return texte


# --- jury settings --------------------------------------------------------------------------


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = [
        "cycle",
        "jures_par_candidature",
        "charge_max",
        "date_limite",
        "visibilite_notes",
        "deliberation_ouverte_le",
        "envoi_prevu_le",
    ]
    list_select_related = ["cycle"]
    ordering = ["-cycle__date_limite"]
    fields = [
        "cycle",
        "jures_par_candidature",
        "charge_max",
        "date_limite",
        "visibilite_notes",
        "deliberation_ouverte_le",
        "envoi_prevu_le",
    ]
    readonly_fields = ["cycle"]

    def has_add_permission(self, request):
        return False  # a cycle's jury is created the first time its staff page opens

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, from the row as it was, so that the history has before/after.
        valeurs = {champ: form.cleaned_data[champ] for champ in form.changed_data}
        if valeurs:
            jury_parametrer(Jury.objects.get(pk=obj.pk), par=request.user, **valeurs)


# --- jurors ---------------------------------------------------------------------------------


class LienInline(InlineLectureSeule):
    """Ties are declared by the juror: their page withdraws the assignments in conflict."""

    model = Lien
    fields = ["nom", "siren", "territoire", "nature"]


@admin.register(Jure)
class JureAdmin(LectureSeule, admin.ModelAdmin):
    """Jurors are invited, withdrawn and assigned on the staff pages of the jury."""

    list_display = [
        "personne",
        "email",
        "cycle",
        "actif",
        "liens_declares_le",
        "nb_liens",
        "nb_affectees",
        "nb_soumises",
    ]
    list_filter = ["cycle", "actif"]
    list_select_related = ["user", "cycle"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_help_text = gettext_lazy("Nom, prénom ou courriel.")
    fields = ["user", "cycle", "actif", "invite_le", "invite_par", "liens_declares_le"]
    readonly_fields = fields
    inlines = [LienInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                nb_affectees=Count("affectations", distinct=True),
                nb_soumises=Count(
                    "affectations",
                    filter=Q(affectations__soumise_le__isnull=False),
                    distinct=True,
                ),
                nb_liens=Count("liens", distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("juré·e"), ordering="user__last_name")
    def personne(self, jure):
        return jure.user.nom_affiche

    @admin.display(description=gettext_lazy("courriel"), ordering="user__email")
    def email(self, jure):
        return jure.user.email

    @admin.display(description=gettext_lazy("liens"), ordering="nb_liens")
    def nb_liens(self, jure):
        return jure.nb_liens

    @admin.display(description=gettext_lazy("affectées"), ordering="nb_affectees")
    def nb_affectees(self, jure):
        return jure.nb_affectees

    @admin.display(description=gettext_lazy("soumises"), ordering="nb_soumises")
    def nb_soumises(self, jure):
        return jure.nb_soumises


# --- assignments and scores -----------------------------------------------------------------


class NoteJuryInline(InlineLectureSeule):
    model = NoteJury
    fields = ["critere", "valeur", "porte", "commentaire"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("critere")


class SoumiseFilter(admin.SimpleListFilter):
    title = gettext_lazy("évaluation soumise")
    parameter_name = "soumise"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui")), ("non", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(soumise_le__isnull=False)
        if self.value() == "non":
            return queryset.filter(soumise_le__isnull=True)
        return queryset


@admin.register(Affectation)
class AffectationAdmin(LectureSeule, admin.ModelAdmin):
    """Assignments are made on the staff pages; scores belong to the juror."""

    list_display = ["jure", "candidature", "cycle", "automatique", "soumise_le"]
    list_filter = [("jure__cycle", admin.RelatedFieldListFilter), SoumiseFilter, "automatique"]
    list_select_related = ["jure__user", "jure__cycle", "candidature__territoire"]
    search_fields = [
        "candidature__territoire__nom",
        "candidature__structure_nom",
        "jure__user__email",
        "jure__user__last_name",
    ]
    search_help_text = gettext_lazy("Collectivité, nom ou courriel du juré·e.")
    fields = [
        "jure",
        "candidature",
        "automatique",
        "cree_le",
        "cree_par",
        "modifie_le",
        "soumise_le",
        "commentaire",
    ]
    readonly_fields = fields
    inlines = [NoteJuryInline]

    @admin.display(description=gettext_lazy("cycle"), ordering="jure__cycle")
    def cycle(self, affectation):
        return affectation.jure.cycle


# --- decisions ------------------------------------------------------------------------------


@admin.register(Decision)
class DecisionAdmin(LectureSeule, admin.ModelAdmin):
    """Decisions are taken on the ranking page (``decision_enregistrer`` keeps the history)."""

    list_display = ["candidature", "cycle", "statut", "rang_attente", "decide_par", "decide_le"]
    list_filter = ["candidature__cycle", "statut"]
    list_select_related = ["candidature__territoire", "candidature__cycle", "decide_par"]
    search_fields = ["candidature__territoire__nom", "candidature__structure_nom"]
    fields = [
        "candidature",
        "statut",
        "rang_attente",
        "motif",
        "decide_par",
        "decide_le",
        "page_classement",
        "historique",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("cycle"), ordering="candidature__cycle")
    def cycle(self, decision):
        return decision.candidature.cycle

    @admin.display(description=gettext_lazy("délibération"))
    def page_classement(self, decision):
        return _lien(
            "deliberation:classement",
            {"cycle": decision.candidature.cycle.slug},
            _("Modifier la décision depuis le classement du jury"),
        )

    @admin.display(description=gettext_lazy("historique de la décision"))
    def historique(self, decision):
        # The service writes a decision's history on its candidature.
        entrees = historique_de(decision.candidature).filter(action="decision")
        libelles = dict(StatutDecision.choices)
        lignes = [
            (
                date_en_toutes_lettres(entree.le),
                entree.acteur.nom_affiche if entree.acteur else _("système"),
                libelles.get(entree.avant.get("statut"), "—"),
                libelles.get(entree.apres.get("statut"), "—"),
            )
            for entree in entrees
        ]
        if not lignes:
            return _("Aucune modification enregistrée.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{} – {} : {} → {}</li>", lignes),
        )


# --- decision templates ---------------------------------------------------------------------


class ModeleDecisionForm(forms.ModelForm):
    class Meta:
        model = ModeleDecision
        fields = ["cycle", "statut", "sujet", "corps"]
        help_texts = {
            "corps": format_lazy(
                "{} {}",
                gettext_lazy("Variables disponibles :"),
                ", ".join(f"{{{nom}}} ({sens})" for nom, sens in VARIABLES_MODELE.items()),
            )
        }

    def clean(self):
        donnees = super().clean()
        for champ in ("sujet", "corps"):
            inconnues = variables_inconnues(donnees.get(champ) or "")
            if inconnues:
                self.add_error(
                    champ,
                    ValidationError(
                        _("Variables inconnues : %(noms)s. Celles qui existent : %(connues)s.")
                        % {
                            "noms": ", ".join(f"{{{nom}}}" for nom in inconnues),
                            "connues": ", ".join(f"{{{nom}}}" for nom in VARIABLES_MODELE),
                        }
                    ),
                )
        return donnees


@admin.register(ModeleDecision)
class ModeleDecisionAdmin(admin.ModelAdmin):
    form = ModeleDecisionForm
    list_display = ["cycle", "statut", "sujet"]
    list_filter = ["cycle", "statut"]
    list_select_related = ["cycle"]
    search_fields = ["sujet", "corps"]

    def get_readonly_fields(self, request, obj=None):
        return ["cycle", "statut"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            # Through the service, so that the history has the text before and after.
            modele_modifier(
                ModeleDecision.objects.get(pk=obj.pk),
                sujet=obj.sujet,
                corps=obj.corps,
                par=request.user,
            )
        else:
            super().save_model(request, obj, form, change)
