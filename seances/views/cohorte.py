"""Staff page of the cohort: open the pairs of the retained collectivities, see who is in,
replace a member or add a substitute during the cycle."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from jury.selectors import candidatures_retenues

from .. import services
from ..enums import RoleMembre
from ..forms.equipe import MembreForm
from ..selectors import binomes_du_cycle
from ..services import cohorte_ouvrir

# The two ways to add someone to a pair, each with its form on every pair of the page.
SORTES = {"remplacer": services.membre_remplacer, "suppleant": services.suppleant_ajouter}


@equipe_requise
@require_http_methods(["GET", "POST"])
def cohorte(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    if request.method == "POST":
        try:
            ouverts = cohorte_ouvrir(cycle, par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(nb)s binôme ouvert : chaque personne a reçu son invitation.",
                    "%(nb)s binômes ouverts : chaque personne a reçu son invitation.",
                    len(ouverts),
                )
                % {"nb": len(ouverts)}
                if ouverts
                else _("Tous les binômes des collectivités retenues sont déjà ouverts."),
            )
        return redirect("equipe_seances:cohorte", cycle.slug)
    return _page(request, cycle)


def _page(request, cycle, *, refuse=None, status=200):
    """The cohort page; after a refused form, that form is shown again with what was typed."""
    binomes = list(binomes_du_cycle(cycle))
    ouverts = {binome.candidature_id for binome in binomes}
    a_ouvrir = [c for c in candidatures_retenues(cycle) if c.pk not in ouverts]
    for binome in binomes:
        membres = list(binome.membres.all())
        binome.actuels = [membre for membre in membres if membre.actif]
        binome.anciens = [membre for membre in membres if not membre.actif]
        for sorte in SORTES:
            if refuse is not None and (refuse.binome.pk, refuse.sorte) == (binome.pk, sorte):
                form = refuse
            else:
                form = MembreForm(sorte=sorte, binome=binome)
            setattr(binome, f"form_{sorte}", form)
    return render(
        request,
        "seances/equipe/cohorte.html",
        {"cycle": cycle, "binomes": binomes, "a_ouvrir": a_ouvrir, "refuse": refuse},
        status=status,
    )


def _membre_ajouter(request, cycle, pk, sorte):
    cycle = get_object_or_404(Cycle, slug=cycle)
    binome = binomes_du_cycle(cycle).filter(pk=pk).first()
    if binome is None:
        raise Http404
    form = MembreForm(request.POST, sorte=sorte, binome=binome)
    if not (form.is_valid() and form.enregistrer(SORTES[sorte], binome, par=request.user)):
        # 400 with the whole page: the typed values and the French error stay on screen.
        return _page(request, cycle, refuse=form, status=400)
    donnees = form.cleaned_data
    if sorte == "remplacer":
        message = _(
            "%(nom)s devient %(role)s du binôme de %(collectivite)s et reçoit son invitation ; "
            "la personne remplacée reste dans l'historique."
        )
    else:
        message = _(
            "%(nom)s est suppléant·e (%(role)s) du binôme de %(collectivite)s et reçoit son "
            "invitation."
        )
    messages.success(
        request,
        message
        % {
            "nom": donnees["nom"],
            "role": RoleMembre(donnees["role"]).label.lower(),
            "collectivite": binome,
        },
    )
    return redirect(reverse("equipe_seances:cohorte", args=[cycle.slug]) + f"#binome-{binome.pk}")


@equipe_requise
@require_POST
def remplacer(request, cycle, pk):
    return _membre_ajouter(request, cycle, pk, "remplacer")


@equipe_requise
@require_POST
def suppleant(request, cycle, pk):
    return _membre_ajouter(request, cycle, pk, "suppleant")
