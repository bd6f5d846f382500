"""Staff page of the cohort: open the pairs of the retained collectivities, see who is in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from jury.selectors import candidatures_retenues

from ..selectors import binomes_du_cycle
from ..services import cohorte_ouvrir


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
    binomes = list(binomes_du_cycle(cycle))
    ouverts = {binome.candidature_id for binome in binomes}
    a_ouvrir = [c for c in candidatures_retenues(cycle) if c.pk not in ouverts]
    return render(
        request,
        "seances/equipe/cohorte.html",
        {"cycle": cycle, "binomes": binomes, "a_ouvrir": a_ouvrir},
    )


def remplacer(request, *args, **kwargs):
    raise Http404


def suppleant(request, *args, **kwargs):
    raise Http404
