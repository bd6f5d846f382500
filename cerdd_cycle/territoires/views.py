from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from .selectors import territoires_rechercher

LIMITE_RESULTATS = 20


@require_GET
def recherche(request):
    """Public search of the official list (open data), for the candidature form.

    htmx gets the ``_resultats.html`` partial; a plain request with ``format=json`` gets JSON.
    """
    requete = request.GET.get("q", "")
    territoires = territoires_rechercher(
        requete, region=request.GET.get("region") or None, limite=LIMITE_RESULTATS
    )

    if not request.htmx and request.GET.get("format") == "json":
        reponse = JsonResponse(
            [
                {
                    "siren": t.siren,
                    "nom": t.nom,
                    "type": t.type,
                    "departement": t.departement_id,
                    "population": t.population,
                }
                for t in territoires
            ],
            safe=False,
        )
    else:
        # No request in the context: the partial needs no context processor, and skipping
        # them keeps a keystroke to the one search query.
        reponse = HttpResponse(
            render_to_string(
                "territoires/_resultats.html",
                {"territoires": territoires, "requete": requete.strip()},
            )
        )
    patch_cache_control(reponse, public=True, max_age=3600)
    # The same URL answers HTML to htmx and JSON otherwise: caches must tell them apart.
    patch_vary_headers(reponse, ["HX-Request"])
    return reponse
