"""Staff read candidatures here; nothing a candidate wrote is edited in the admin: every
change goes through a service (``candidature_accorder_delai`` for an extension)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cerdd_cycle.formats import date_en_toutes_lettres
from cerdd_cycle.historique.admin import HistoriqueInline

from .exports import type_collectivite, valeur_lisible
from .forms import DelaiForm
from .models import (
    Acces,
    Candidature,
    ConfirmationReferent,
    Critere,
    NiveauCritere,
    PieceJointe,
    VersionCandidature,
)
from .sections import SECTIONS
from .selectors import candidatures_avec_suivi

# --- candidatures ---------------------------------------------------------------------------


class InlineLectureSeule(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PieceJointeInline(InlineLectureSeule):
    model = PieceJointe
    fields = ["fichier_lien", "type", "type_mime", "taille", "ajoutee_par", "ajoutee_le"]

    @admin.display(description=gettext_lazy("fichier"))
    def fichier_lien(self, piece):
        try:
            lien = reverse("pieces:telecharger", args=[piece.candidature_id, piece.pk])
        except NoReverseMatch:
            return piece.nom_original
        return format_html('<a href="{}">{}</a>', lien, piece.nom_original)


class ConfirmationReferentInline(InlineLectureSeule):
    model = ConfirmationReferent
    fields = ["role", "nom", "email", "confirme_le", "disponible", "commentaire"]


class AccesInline(InlineLectureSeule):
    """Shown, not edited: invitations and withdrawals go through the services (history,
    emails)."""

    model = Acces
    fields = ["email", "user", "demande", "invite_par", "cree_le", "accepte_le"]


class VersionCandidatureInline(InlineLectureSeule):
    model = VersionCandidature
    fields = ["numero", "deposee_le", "deposee_par", "hors_delai_accorde"]


def _fieldsets():
    """Identity and follow-up, then one fieldset per section of the form (``SECTIONS``)."""
    reponses = [
        (
            section.titre,
            {
                "fields": [
                    "engagements_libelles" if champ == "engagements" else champ
                    for champ in section.champs
                ]
            },
        )
        for section in SECTIONS
    ]
    return [
        (
            gettext_lazy("Candidature"),
            {
                "fields": [
                    "cycle",
                    "statut",
                    "territoire",
                    ("structure_nom", "structure_siren", "structure_nature"),
                    "departement",
                    "eligibilite_a_verifier",
                    "proprietaire",
                    "page_equipe",
                ]
            },
        ),
        *reponses,
        (
            gettext_lazy("Suivi"),
            {
                "fields": [
                    "depose_le",
                    ("prolongation_jusqua", "prolongation_motif"),
                    "cree_le",
                    "modifie_le",
                    "revision",
                    "anonymisee_le",
                ]
            },
        ),
    ]


@admin.register(Candidature)
class CandidatureAdmin(admin.ModelAdmin):
    list_display = [
        "collectivite",
        "cycle",
        "statut",
        "departement",
        "type_de_collectivite",
        "eligibilite_a_verifier",
        "depose_le",
        "nb_pieces",
    ]
    list_filter = [
        "cycle",
        "statut",
        "departement",
        "territoire__type",
        "eligibilite_a_verifier",
        ("anonymisee_le", admin.EmptyFieldListFilter),
    ]
    search_fields = [
        "territoire__nom",
        "structure_nom",
        "=structure_siren",
        "=territoire__siren",
        "proprietaire__email",
        "contact_email",
        "politique_email",
        "technique_email",
        "point_contact_email",
    ]
    search_help_text = gettext_lazy("Nom de la collectivité ou de la structure, SIREN, courriel.")
    list_select_related = ["cycle", "territoire", "departement"]
    fieldsets = _fieldsets()
    inlines = [
        PieceJointeInline,
        ConfirmationReferentInline,
        AccesInline,
        VersionCandidatureInline,
        HistoriqueInline,
    ]
    actions = ["accorder_delai"]

    def get_queryset(self, request):
        return candidatures_avec_suivi(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # Everything: the answers belong to the candidate and change through the services.
        return [
            champ
            for fieldset in self.fieldsets
            for ligne in fieldset[1]["fields"]
            for champ in (ligne if isinstance(ligne, tuple) else (ligne,))
        ]

    def has_add_permission(self, request):
        return False  # a candidature starts from the candidate's space (``candidature_creer``)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_accorder_delai_permission(self, request):
        return request.user.has_perm("candidatures.change_candidature")

    @admin.display(description=gettext_lazy("collectivité"), ordering="territoire__nom")
    def collectivite(self, candidature):
        return candidature.nom_collectivite

    @admin.display(description=gettext_lazy("type"), ordering="territoire__type")
    def type_de_collectivite(self, candidature):
        return type_collectivite(candidature)

    @admin.display(description=gettext_lazy("pièces"), ordering="nb_pieces")
    def nb_pieces(self, candidature):
        return candidature.nb_pieces

    @admin.display(description=gettext_lazy("démarches de transition"))
    def engagements_libelles(self, candidature):
        return valeur_lisible(candidature, "engagements") or "—"

    @admin.display(description=gettext_lazy("page de l'équipe"))
    def page_equipe(self, candidature):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("equipe_candidatures:detail", args=[candidature.pk]),
            _("Lire la candidature, accorder un délai"),
        )

    @admin.action(
        description=gettext_lazy("Accorder un délai individuel"),
        permissions=["accorder_delai"],
    )
    def accorder_delai(self, request, queryset):
        """Intermediate page (date and reason), then one service call per candidature, all or
        nothing; each extension is written in the candidature's history by the service."""
        candidatures = list(queryset.select_related("cycle", "territoire"))
        if "appliquer" in request.POST:
            form = DelaiForm(request.POST)
            if form.is_valid() and form.accorder(candidatures, request.user):
                self.message_user(
                    request,
                    _("Délai individuel accordé jusqu'au %(date)s : %(noms)s.")
                    % {
                        "date": date_en_toutes_lettres(
                            form.cleaned_data["jusqua"], jour_semaine=False
                        ),
                        "noms": ", ".join(str(c.nom_collectivite) for c in candidatures),
                    },
                    messages.SUCCESS,
                )
                return None
        else:
            form = DelaiForm()
        contexte = {
            **self.admin_site.each_context(request),
            "title": _("Accorder un délai individuel"),
            "opts": self.model._meta,
            "candidatures": candidatures,
            "form": form,
            "action": "accorder_delai",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "candidatures/equipe/admin/accorder_delai.html", contexte)


# --- selection criteria ---------------------------------------------------------------------


class CritereForm(forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("sections du formulaire"),
        choices=[(section.cle, section.titre) for section in SECTIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Sections de la candidature qui éclairent ce critère."),
    )

    class Meta:
        model = Critere
        fields = ["cycle", "ordre", "intitule", "description", "type", "poids", "sections"]


class NiveauCritereInline(admin.TabularInline):
    model = NiveauCritere
    extra = 0
    fields = ["valeur", "libelle", "description"]
    verbose_name_plural = gettext_lazy("Niveaux de l'échelle (critères notés seulement)")


@admin.register(Critere)
class CritereAdmin(admin.ModelAdmin):
    form = CritereForm
    inlines = [NiveauCritereInline]
    list_display = ["intitule", "cycle", "type", "ordre", "poids"]
    list_display_links = ["intitule"]
    list_editable = ["ordre", "poids"]
    list_filter = ["cycle", "type"]
    list_select_related = ["cycle"]
    search_fields = ["intitule", "description"]
    ordering = ["cycle", "ordre", "pk"]
