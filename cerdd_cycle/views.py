"""Portal pages. The project package composes the layers; kernel apps never import upward."""

from django.shortcuts import render

from cerdd_cycle.cycles.selectors import cycle_courant
from seances.selectors import seances_du_cycle


def accueil(request):
    cycle = cycle_courant()
    seances = list(seances_du_cycle(cycle)) if cycle else []
    return render(request, "pages/accueil.html", {"cycle": cycle, "seances": seances})
