"""The self-diagnosis: the pair fills the cycle's grid at the start, middle and end of the
cycle and sees its progress as a chart; staff see every pair's answers and the averages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle

from .. import grille, selectors, services
from ..enums import Temps
from ..forms.autodiagnostic import DiagnosticForm


def _remplis(series) -> list[str]:
    """The moments the pair already filled (a value for at least one question)."""
    return [
        temps
        for rang, temps in enumerate(Temps.values)
        if any(serie.valeurs[rang] is not None for serie in series)
    ]


@login_required
@require_safe
def progression(request):
    binome = selectors.membre_ou_404(request.user).binome
    series = selectors.progression(binome)
    remplis = _remplis(series)
    moment = selectors.temps_du_moment(binome.cycle)
    return render(
        request,
        "journal/participant/autodiagnostic.html",
        {
            "binome": binome,
            "series": series,
            "graphique": grille.graphique(series),
            "temps": Temps.choices,
            "moment": moment,
            "moment_libelle": Temps(moment).label,
            "moment_rempli": moment in remplis,
            "remplis": [(t, label) for t, label in Temps.choices if t in remplis],
            "echelles": sorted({serie.question.echelle for serie in series}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def remplir(request, temps):
    if temps not in Temps.values:
        raise Http404
    binome = selectors.membre_ou_404(request.user).binome
    moment = selectors.temps_du_moment(binome.cycle)
    if Temps.values.index(temps) > Temps.values.index(moment):
        messages.error(
            request,
            _("« %(temps)s » n'est pas encore venu : remplissez la grille du moment présent.")
            % {"temps": Temps(temps).label},
        )
        return redirect("journal:autodiagnostic")
    questions = list(selectors.questions_diagnostic(binome.cycle))
    if not questions:
        messages.info(
            request,
            _("La grille d'autodiagnostic de votre cycle n'est pas encore prête."),
        )
        return redirect("journal:autodiagnostic")
    deja = selectors.diagnostic_de(binome, temps)
    form = DiagnosticForm.depuis(
        deja, questions=questions, data=request.POST if request.method == "POST" else None
    )
    statut = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.diagnostic_enregistrer(
                    binome, temps=temps, valeurs=form.valeurs(), par=request.user
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(
                    request,
                    _("Votre autodiagnostic « %(temps)s » est enregistré.")
                    % {"temps": Temps(temps).label},
                )
                return redirect("journal:autodiagnostic")
        statut = 422
    return render(
        request,
        "journal/participant/autodiagnostic_remplir.html",
        {
            "binome": binome,
            "temps": temps,
            "temps_libelle": Temps(temps).label,
            "revision": bool(deja),
            "form": form,
        },
        status=statut,
    )


@equipe_requise
@require_safe
def equipe(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    diagnostics = selectors.diagnostics_du_cycle(cycle)
    moyennes = grille.moyennes(diagnostics)
    # Per question: the cycle's average, then each pair's answers at the three moments.
    par_question = [
        (moyenne, [(binome, series[rang]) for binome, series in diagnostics])
        for rang, moyenne in enumerate(moyennes)
    ]
    remplis = [_remplis(series) for _binome, series in diagnostics]
    return render(
        request,
        "journal/equipe/autodiagnostics.html",
        {
            "cycle": cycle,
            "temps": Temps.choices,
            "par_question": par_question,
            "moyennes": moyennes,
            "binomes_total": len(diagnostics),
            # How many pairs filled each moment.
            "remplis": [
                (libelle, sum(temps in moments for moments in remplis))
                for temps, libelle in Temps.choices
            ],
            "grille_vide": not selectors.questions_diagnostic(cycle).exists(),
        },
    )
