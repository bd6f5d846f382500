"""The logbook in the admin. Staff set the self-diagnosis grid and the writing prompts, and
keep the relays and experiments of the collectivities. The logbook itself is private: no
admin for the entries (their free notes are the author's alone), and of the items only those
shared with the group are shown, read-only, without the author of an anonymous one. Anything
else answers 404, its text shown nowhere."""

from django import forms
from django.contrib import admin, messages
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cerdd_cycle.cycles.models import Cycle
from seances.models import Binome, Membre

from . import grille
from .enums import AUDIENCES_GROUPE, Audience
from .models import (
    Consigne,
    Diagnostic,
    Element,
    Experimentation,
    QuestionDiagnostic,
    Relais,
    ReponseDiagnostic,
)


class LectureSeule:
    """Shown, searched and filtered; never added, changed nor deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IntrouvableEn404:
    """An object outside the admin's queryset answers 404 (Django would redirect with a
    message): its change, history and delete pages say nothing of it."""

    def get_object(self, request, object_id, from_field=None):
        objet = super().get_object(request, object_id, from_field)
        if objet is None:
            raise Http404
        return objet


# --- The self-diagnosis grid ----------------------------------------------------------------


@admin.register(QuestionDiagnostic)
class QuestionDiagnosticAdmin(IntrouvableEn404, admin.ModelAdmin):
    list_display = ["intitule", "cycle", "ordre", "echelle", "libelle_min", "libelle_max"]
    list_display_links = ["intitule"]
    list_editable = ["ordre"]
    list_filter = ["cycle"]
    list_select_related = ["cycle"]
    ordering = ["cycle", "ordre", "pk"]
    search_fields = ["intitule"]
    fields = ["cycle", "ordre", "intitule", "echelle", "libelle_min", "libelle_max"]
    change_list_template = "admin/journal/questiondiagnostic/change_list.html"

    def get_urls(self):
        return [
            path(
                "grille-par-defaut/",
                self.admin_site.admin_view(self.grille_par_defaut_view),
                name="journal_questiondiagnostic_grille_par_defaut",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "cycles_sans_grille": Cycle.objects.exclude(
                pk__in=QuestionDiagnostic.objects.values("cycle_id")
            ).order_by("-pk"),
        }
        return super().changelist_view(request, extra_context)

    def grille_par_defaut_view(self, request):
        """POST: the six default questions for a cycle whose grid is empty."""
        return require_POST(self._grille_par_defaut)(request)

    def _grille_par_defaut(self, request):
        if not self.has_add_permission(request):
            raise Http404
        cycle = get_object_or_404(Cycle, pk=request.POST.get("cycle") or 0)
        questions = grille.grille_par_defaut(cycle)
        if questions:
            self.message_user(
                request,
                _("La grille par défaut (%(n)s questions) est créée pour « %(cycle)s ».")
                % {"n": len(questions), "cycle": cycle},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Le cycle « %(cycle)s » a déjà des questions : rien n'est ajouté.")
                % {"cycle": cycle},
                messages.WARNING,
            )
        url = reverse("admin:journal_questiondiagnostic_changelist")
        return HttpResponseRedirect(f"{url}?cycle__id__exact={cycle.pk}")


# --- Writing prompts ------------------------------------------------------------------------


@admin.register(Consigne)
class ConsigneAdmin(IntrouvableEn404, admin.ModelAdmin):
    list_display = ["texte", "seance", "rubrique", "ordre"]
    list_editable = ["ordre"]
    list_filter = ["seance__cycle", "rubrique"]
    list_select_related = ["seance__cycle"]
    ordering = ["seance__cycle", "seance__numero", "ordre", "pk"]
    search_fields = ["texte", "seance__theme"]
    fields = ["seance", "rubrique", "texte", "ordre"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "seance":
            kwargs["queryset"] = db_field.related_model.objects.select_related("cycle").order_by(
                "-cycle__pk", "numero"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Relays and experiments: the collectivities' commitments, kept by staff too --------------


class _EngagementForm(forms.ModelForm):
    def clean(self):
        donnees = super().clean()
        binome, seance = donnees.get("binome"), donnees.get("seance")
        if binome is not None and seance is not None and seance.cycle_id != binome.cycle_id:
            self.add_error("seance", _("Cette séance n'est pas du cycle de la collectivité."))
        return donnees


class BinomeFiltre(admin.RelatedFieldListFilter):
    """The pairs, named by their collectivity, read in one query (Django's choices would read
    each pair's candidature and territory one by one)."""

    def field_choices(self, field, request, model_admin):
        binomes = Binome.objects.select_related("candidature__territoire")
        ordre = self.field_admin_ordering(field, request, model_admin)
        if ordre:
            binomes = binomes.order_by(*ordre)
        return [(binome.pk, str(binome)) for binome in binomes]


class _EngagementAdmin(IntrouvableEn404, admin.ModelAdmin):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Binome:
            kwargs["queryset"] = Binome.objects.select_related("cycle", "candidature__territoire")
        elif db_field.related_model is Membre:
            kwargs["queryset"] = Membre.objects.filter(actif=True).select_related(
                "user", "binome__candidature__territoire"
            )
        elif db_field.name == "seance":
            kwargs["queryset"] = db_field.related_model.objects.order_by("-cycle__pk", "numero")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Relais)
class RelaisAdmin(_EngagementAdmin):
    form = _EngagementForm
    list_display = ["date", "binome", "public", "extrait", "auteur", "seance"]
    list_display_links = ["date", "public"]
    list_filter = ["binome__cycle", ("binome", BinomeFiltre)]
    list_select_related = [
        "binome__candidature__territoire",
        "auteur__user",
        "seance",
    ]
    search_fields = ["public", "quoi", "binome__candidature__territoire__nom"]
    search_help_text = gettext_lazy("Public, contenu du relais ou collectivité.")
    date_hierarchy = "date"
    fields = ["binome", "auteur", "date", "public", "quoi", "seance"]

    @admin.display(description=gettext_lazy("ce qui a été relayé"))
    def extrait(self, relais):
        return Truncator(relais.quoi).chars(80)


@admin.register(Experimentation)
class ExperimentationAdmin(_EngagementAdmin):
    form = _EngagementForm
    list_display = ["titre", "binome", "statut", "seance", "modifie_le", "modifie_par"]
    list_filter = ["binome__cycle", "statut", ("binome", BinomeFiltre)]
    list_select_related = ["binome__candidature__territoire", "seance", "modifie_par"]
    search_fields = ["titre", "description", "resultats", "binome__candidature__territoire__nom"]
    search_help_text = gettext_lazy("Outil ou méthode, description, résultats ou collectivité.")
    fields = ["binome", "titre", "description", "statut", "resultats", "seance", "modifie_par"]
    readonly_fields = ["modifie_par"]

    def save_model(self, request, obj, form, change):
        obj.modifie_par = request.user
        super().save_model(request, obj, form, change)


# --- Self-diagnoses: the pairs' answers, shown only -----------------------------------------


class ReponseDiagnosticInline(LectureSeule, admin.TabularInline):
    model = ReponseDiagnostic
    fields = ["question", "valeur"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question")
            .order_by("question__ordre", "question__pk")
        )


@admin.register(Diagnostic)
class DiagnosticAdmin(LectureSeule, IntrouvableEn404, admin.ModelAdmin):
    list_display = ["binome", "temps", "rempli_le", "rempli_par"]
    list_filter = ["binome__cycle", "temps"]
    list_select_related = ["binome__candidature__territoire", "rempli_par"]
    search_fields = ["binome__candidature__territoire__nom", "binome__candidature__structure_nom"]
    fields = ["binome", "temps", "rempli_le", "rempli_par"]
    readonly_fields = fields
    inlines = [ReponseDiagnosticInline]


# --- Items shared with the group: the only items the admin ever shows ---------------------

# The filters the page offers, and nothing else: no lookup through the entry could tie an
# anonymous item to its author, nor reach an entry's private items or free notes.
RECHERCHES_ELEMENT = {
    "entree__seance__cycle__id__exact",
    "entree__seance__cycle__isnull",
    "entree__seance__id__exact",
    "entree__seance__isnull",
}


class AudienceGroupeFiltre(admin.SimpleListFilter):
    """Only the two audiences this page can show."""

    title = gettext_lazy("partagé avec")
    parameter_name = "audience"

    def lookups(self, request, model_admin):
        return [(audience.value, audience.label) for audience in AUDIENCES_GROUPE]

    def queryset(self, request, queryset):
        if self.value() in AUDIENCES_GROUPE:
            return queryset.filter(audience=self.value())
        return queryset


@admin.register(Element)
class ElementPartageAdmin(LectureSeule, IntrouvableEn404, admin.ModelAdmin):
    list_display = ["extrait", "rubrique", "audience", "seance", "auteur", "collectivite"]
    list_filter = ["entree__seance__cycle", "entree__seance", "rubrique", AudienceGroupeFiltre]
    search_fields = ["texte"]
    search_help_text = gettext_lazy("Texte des éléments partagés avec le groupe.")
    fields = ["seance", "rubrique", "audience", "texte", "auteur", "collectivite", "cree_le"]
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        # Strictly what the group may read: never a private nor a pair-only item.
        return (
            super()
            .get_queryset(request)
            .filter(audience__in=AUDIENCES_GROUPE)
            .select_related(
                "entree__seance__cycle",
                "entree__membre__user",
                "entree__membre__binome__candidature__territoire",
            )
        )

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP)[0] == "entree" and lookup not in RECHERCHES_ELEMENT:
            return False
        return super().lookup_allowed(lookup, value, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "title": _("Éléments du journal partagés avec le groupe"),
            "subtitle": _("Les éléments privés et ceux partagés avec le binôme n'y figurent pas."),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=gettext_lazy("élément"))
    def extrait(self, element):
        return Truncator(element.texte).chars(90) or "—"

    @admin.display(description=gettext_lazy("séance"))
    def seance(self, element):
        return element.entree.seance

    @admin.display(description=gettext_lazy("auteur·e"))
    def auteur(self, element):
        if element.audience != Audience.GROUPE:
            return format_html("<em>{}</em>", _("anonyme"))
        return element.entree.membre.user.nom_affiche

    @admin.display(description=gettext_lazy("collectivité"))
    def collectivite(self, element):
        if element.audience != Audience.GROUPE:
            return format_html("<em>{}</em>", _("anonyme"))
        return element.entree.membre.binome
