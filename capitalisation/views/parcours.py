"""A collectivity's journey: a page and a PDF to show its council. Staff reach every pair, a
participant their own; anyone else gets a 404 (``binome_visible``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from cerdd_cycle.documents.pdf import reponse_pdf
from seances import selectors as seances_selectors

from .. import selectors, services


def nom_fichier(binome) -> str:
    return f"parcours-{slugify(str(binome))[:60]}-{binome.cycle.slug}.pdf"


@login_required
@require_GET
def page(request, binome):
    binome = seances_selectors.binome_visible(request.user, binome)
    reponse = render(
        request,
        "capitalisation/parcours.html",
        {
            "parcours": selectors.parcours(binome),
            # Staff go back to the cycle's report, a participant to their pair's page.
            "pour_equipe": seances_selectors.est_equipe(request.user),
        },
    )
    reponse["Cache-Control"] = "private, no-store"
    return reponse


@login_required
@require_GET
def pdf(request, binome):
    binome = seances_selectors.binome_visible(request.user, binome)
    reponse = reponse_pdf(services.parcours_pdf(binome), nom_fichier(binome))
    reponse["Cache-Control"] = "private, no-store"
    return reponse
