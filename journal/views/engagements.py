"""Beyond the notes: what the pair relayed in its organisation and what its collectivity
experiments on its territory. Both members of the pair write them; staff read them all (they
are the collectivity's commitments, not private notes)."""

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from seances import selectors as seances_selectors

from .. import selectors, services
from ..enums import StatutExperimentation
from ..forms.engagements import ExperimentationForm, FiltreStatutForm, RelaisForm

# --- Relays ---------------------------------------------------------------------------------


def _page_relais(request, binome, form, *, modifie=None, statut=200):
    return render(
        request,
        "journal/participant/relais.html",
        {
            "binome": binome,
            "relais": list(selectors.relais_du_binome(binome)),
            "form": form,
            "modifie": modifie,
        },
        status=statut,
    )


def _relais_enregistrer(form, binome, *, auteur, relais=None):
    """The form's data to the service; True once saved (False leaves the errors on the form)."""
    if not form.is_valid():
        return False
    try:
        services.relais_enregistrer(binome, auteur=auteur, relais=relais, **form.cleaned_data)
    except ValidationError as erreur:
        form.add_error(None, erreur)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def relais(request):
    membre = selectors.membre_ou_404(request.user)
    binome = membre.binome
    if request.method == "POST":
        form = RelaisForm(request.POST, cycle=binome.cycle)
        if _relais_enregistrer(form, binome, auteur=membre):
            messages.success(request, _("Le relais est ajouté au journal de votre binôme."))
            return redirect("journal:relais")
        return _page_relais(request, binome, form, statut=422)
    return _page_relais(request, binome, RelaisForm(cycle=binome.cycle))


@login_required
@require_http_methods(["GET", "POST"])
def relais_modifier(request, pk):
    relais = selectors.relais_de(request.user, pk)
    binome = relais.binome
    if request.method == "POST":
        form = RelaisForm(request.POST, cycle=binome.cycle)
        if _relais_enregistrer(form, binome, auteur=relais.auteur, relais=relais):
            messages.success(request, _("Le relais est modifié."))
            return redirect("journal:relais")
        return _page_relais(request, binome, form, modifie=relais, statut=422)
    form = RelaisForm.depuis(relais, cycle=binome.cycle)
    return _page_relais(request, binome, form, modifie=relais)


@login_required
@require_POST
def relais_supprimer(request, pk):
    services.relais_supprimer(selectors.relais_de(request.user, pk))
    messages.success(request, _("Le relais est supprimé."))
    return redirect("journal:relais")


# --- Experiments ----------------------------------------------------------------------------


def _page_experimentations(request, binome, form, *, modifiee=None, statut=200):
    return render(
        request,
        "journal/participant/experimentations.html",
        {
            "binome": binome,
            "experimentations": list(selectors.experimentations_du_binome(binome)),
            "form": form,
            "modifiee": modifiee,
        },
        status=statut,
    )


def _experimentation_enregistrer(request, binome, form, experimentation=None):
    if not form.is_valid():
        return False
    try:
        services.experimentation_enregistrer(
            binome, par=request.user, experimentation=experimentation, **form.cleaned_data
        )
    except ValidationError as erreur:
        form.add_error(None, erreur)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def experimentations(request):
    binome = selectors.membre_ou_404(request.user).binome
    if request.method == "POST":
        form = ExperimentationForm(request.POST, cycle=binome.cycle)
        if _experimentation_enregistrer(request, binome, form):
            messages.success(request, _("L'expérimentation est ajoutée."))
            return redirect("journal:experimentations")
        return _page_experimentations(request, binome, form, statut=422)
    return _page_experimentations(request, binome, ExperimentationForm(cycle=binome.cycle))


@login_required
@require_http_methods(["GET", "POST"])
def experimentation_modifier(request, pk):
    experimentation = selectors.experimentation_de(request.user, pk)
    binome = experimentation.binome
    if request.method == "POST":
        form = ExperimentationForm(request.POST, cycle=binome.cycle)
        if _experimentation_enregistrer(request, binome, form, experimentation):
            messages.success(request, _("L'expérimentation est modifiée."))
            return redirect("journal:experimentations")
        return _page_experimentations(request, binome, form, modifiee=experimentation, statut=422)
    form = ExperimentationForm.depuis(experimentation, cycle=binome.cycle)
    return _page_experimentations(request, binome, form, modifiee=experimentation)


@login_required
@require_POST
def experimentation_supprimer(request, pk):
    services.experimentation_supprimer(selectors.experimentation_de(request.user, pk))
    messages.success(request, _("L'expérimentation est supprimée."))
    return redirect("journal:experimentations")


# --- Staff: every collectivity's commitments ------------------------------------------------


@equipe_requise
@require_safe
def equipe(request, cycle):
    """Counts per collectivity, then the details; a constant number of queries."""
    cycle = get_object_or_404(Cycle, slug=cycle)
    filtre = FiltreStatutForm(request.GET or None)
    statut = filtre.cleaned_data["statut"] if filtre.is_valid() else ""
    relais = list(selectors.relais_du_cycle(cycle).order_by("-date", "-pk"))
    toutes = list(selectors.experimentations_du_cycle(cycle).select_related("modifie_par"))
    experimentations = [e for e in toutes if not statut or e.statut == statut]
    relais_par_binome = defaultdict(list)
    for un_relais in relais:
        relais_par_binome[un_relais.binome_id].append(un_relais)
    experimentations_par_binome = defaultdict(list)
    for experimentation in experimentations:
        experimentations_par_binome[experimentation.binome_id].append(experimentation)
    statuts_par_binome = defaultdict(Counter)
    for experimentation in toutes:
        statuts_par_binome[experimentation.binome_id][experimentation.statut] += 1
    lignes = [
        {
            "binome": binome,
            "relais": relais_par_binome[binome.pk],
            "experimentations": experimentations_par_binome[binome.pk],
            "statuts": [statuts_par_binome[binome.pk][cle] for cle in StatutExperimentation.values],
        }
        for binome in seances_selectors.binomes_du_cycle(cycle).prefetch_related(None)
    ]
    lignes.sort(key=lambda ligne: str(ligne["binome"]))
    totaux = Counter(experimentation.statut for experimentation in toutes)
    return render(
        request,
        "journal/equipe/engagements.html",
        {
            "cycle": cycle,
            "lignes": lignes,
            "filtre": filtre,
            "statut": statut,
            "statut_libelle": StatutExperimentation(statut).label if statut else "",
            "statuts": StatutExperimentation.choices,
            "total_relais": len(relais),
            "total_experimentations": len(toutes),
            "totaux_statuts": [
                (libelle, totaux[cle]) for cle, libelle in StatutExperimentation.choices
            ],
            "nombre_affichees": len(experimentations),
        },
    )
