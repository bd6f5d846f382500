"""Staff pages for the candidatures of a cycle: the list with filters, its exports, one
candidature's page with its history, and the individual extension of the deadline."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.cycles.selectors import cycle_courant
from cerdd_cycle.formats import date_en_toutes_lettres
from cerdd_cycle.historique.selectors import historique_de
from cerdd_cycle.territoires.models import Departement, TypeTerritoire

from ..completude import completude_libelle, manquants
from ..enums import StatutCandidature, TypePiece
from ..exports import export_csv as contenu_csv
from ..exports import export_xlsx as contenu_xlsx
from ..exports import libelle_champ, reponses_par_section, type_collectivite
from ..forms import DelaiForm
from ..selectors import (
    TYPE_EPCI,
    TYPE_HORS_LISTE,
    candidature_pour_equipe,
    candidatures_compteurs,
    candidatures_pour_equipe,
)

# --- forms ----------------------------------------------------------------------------------


class FiltresForm(forms.Form):
    """The GET filters of the list, shared by its exports."""

    cycle = forms.ChoiceField(label=gettext_lazy("Cycle"), required=False)
    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("Tous")), *StatutCandidature.choices],
    )
    departement = forms.ModelChoiceField(
        label=gettext_lazy("Département"),
        queryset=Departement.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tous"),
    )
    type = forms.ChoiceField(
        label=gettext_lazy("Type de collectivité"),
        required=False,
        choices=[
            ("", gettext_lazy("Tous")),
            (TypeTerritoire.COMMUNE.value, TypeTerritoire.COMMUNE.label),
            (TYPE_EPCI, gettext_lazy("EPCI (tous)")),
            *[(t.value, t.label) for t in TypeTerritoire if t != TypeTerritoire.COMMUNE],
            (TYPE_HORS_LISTE, gettext_lazy("Hors liste officielle")),
        ],
    )
    a_verifier = forms.TypedChoiceField(
        label=gettext_lazy("Éligibilité"),
        required=False,
        choices=[
            ("", gettext_lazy("Toutes")),
            ("oui", gettext_lazy("À vérifier")),
            ("non", gettext_lazy("Sans vérification")),
        ],
        coerce=lambda valeur: valeur == "oui",
        empty_value=None,
    )
    recherche = forms.CharField(
        label=gettext_lazy("Rechercher"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Nom, SIREN, nom ou courriel d'une personne."),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = Cycle.objects.order_by("-ouverture_ami").values_list(
            "slug", "titre"
        )
        self.fields["departement"].queryset = Departement.objects.filter(
            region=cycle.region_id
        ).order_by("code")


# --- list and exports -----------------------------------------------------------------------


@dataclass
class Ligne:
    """One row of the staff list: the candidature and what stops its submission."""

    candidature: object
    manquants: list

    @property
    def completude(self):
        return completude_libelle(self.manquants)

    @property
    def type_collectivite(self):
        return type_collectivite(self.candidature)


def _cycle_et_filtres(request):
    """The cycle asked for (``?cycle=<slug>``, else the current one) and the bound filters."""
    slug = request.GET.get("cycle")
    if slug:
        cycle = get_object_or_404(Cycle.objects.select_related("region"), slug=slug)
    else:
        cycle = cycle_courant() or Cycle.objects.select_related("region").first()
    if cycle is None:
        return None, None
    donnees = request.GET.copy()
    donnees["cycle"] = cycle.slug
    form = FiltresForm(donnees, cycle=cycle)
    form.is_valid()  # an invalid filter is shown with its error and ignored
    return cycle, form


@equipe_requise
@require_GET
def liste(request):
    cycle, form = _cycle_et_filtres(request)
    if cycle is None:
        return render(request, "candidatures/equipe/liste.html", {"cycle": None})
    lignes = [
        Ligne(candidature, manquants(candidature, a_une_lettre=candidature.a_une_lettre))
        for candidature in candidatures_pour_equipe(cycle, form.cleaned_data)
    ]
    contexte = {
        "cycle": cycle,
        "form": form,
        "lignes": lignes,
        "compteurs": candidatures_compteurs(cycle),
        "parametres": form.data.urlencode(),
    }
    return render(request, "candidatures/equipe/liste.html", contexte)


def _nom_fichier(cycle, extension):
    return f"candidatures-{cycle.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _export(request, extension, fabrique, type_mime):
    cycle, form = _cycle_et_filtres(request)
    if cycle is None:
        raise Http404
    reponse = HttpResponse(
        fabrique(candidatures_pour_equipe(cycle, form.cleaned_data)), content_type=type_mime
    )
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_fichier(cycle, extension)}"'
    return reponse


@equipe_requise
@require_GET
def export_csv(request):
    return _export(request, "csv", contenu_csv, "text/csv; charset=utf-8")


@equipe_requise
@require_GET
def export_xlsx(request):
    return _export(
        request,
        "xlsx",
        contenu_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- one candidature ------------------------------------------------------------------------


@dataclass
class Evenement:
    """One history row as staff read it."""

    le: datetime.datetime
    qui: str
    quoi: str
    changements: list[tuple[str, str, str]]


def _valeur_historique(cle, valeur) -> str:
    if valeur in (None, "", []):
        return "—"
    if isinstance(valeur, bool):
        return _("oui") if valeur else _("non")
    if cle == "statut" and valeur in StatutCandidature.values:
        return str(StatutCandidature(valeur).label)
    if isinstance(valeur, str) and (moment := _datetime_ou_rien(valeur)) is not None:
        return date_en_toutes_lettres(moment, jour_semaine=False)
    if cle == "champs" and isinstance(valeur, list):
        return ", ".join(libelle_champ(champ) for champ in valeur)
    if isinstance(valeur, list):
        return ", ".join(str(element) for element in valeur)
    return str(valeur)


def _datetime_ou_rien(texte):
    try:
        moment = parse_datetime(texte)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


LIBELLES_CLES_HISTORIQUE = {
    "champs": gettext_lazy("réponses modifiées"),
    "version": gettext_lazy("version"),
}


def _libelle_cle(cle):
    if cle in LIBELLES_CLES_HISTORIQUE:
        return str(LIBELLES_CLES_HISTORIQUE[cle])
    return libelle_champ(cle)


def historique_lisible(entrees) -> list[Evenement]:
    evenements = []
    for entree in entrees:
        cles = list(dict.fromkeys([*entree.avant, *entree.apres]))
        changements = [
            (
                _libelle_cle(cle),
                _valeur_historique(cle, entree.avant.get(cle)) if cle in entree.avant else "",
                _valeur_historique(cle, entree.apres.get(cle)),
            )
            for cle in cles
        ]
        evenements.append(
            Evenement(
                le=entree.le,
                qui=entree.acteur.nom_affiche if entree.acteur else _("sans compte ou système"),
                quoi=entree.description or entree.action,
                changements=changements,
            )
        )
    return evenements


@equipe_requise
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    candidature = candidature_pour_equipe(pk)
    form = DelaiForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.accorder([candidature], request.user):
        messages.success(
            request,
            _("Délai individuel accordé jusqu'au %(date)s.")
            % {"date": date_en_toutes_lettres(form.cleaned_data["jusqua"], jour_semaine=False)},
        )
        return redirect("equipe_candidatures:detail", pk=candidature.pk)
    contexte = {
        "candidature": candidature,
        "sections": reponses_par_section(candidature),
        "manquants": manquants(
            candidature,
            a_une_lettre=any(
                piece.type == TypePiece.LETTRE for piece in candidature.pieces_jointes.all()
            ),
        ),
        "historique": historique_lisible(historique_de(candidature)),
        "form": form,
    }
    return render(request, "candidatures/equipe/detail.html", contexte)
