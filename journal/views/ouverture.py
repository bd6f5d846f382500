"""The opening of each day (staff): what participants shared with the group from the previous
session, grouped by heading, with the number of contributions per collectivity. Projected full
screen at the start of the day and printable; computed on each display, so it is ready the
evening before and stays current until the last moment.

Only what was shared with the group reaches this page: the selector reads nothing else (no
private item, no pair-only item, no free note), and an anonymous item carries no name."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from seances import selectors as seances_selectors

from .. import selectors

# Past this many items, each heading starts a new printed page.
ELEMENTS_PAR_PAGE_IMPRIMEE = 12


@equipe_requise
@require_GET
def ouverture(request, cycle, numero):
    cycle = get_object_or_404(Cycle, slug=cycle)
    seance = seances_selectors.seance_du_cycle_ou_404(cycle, numero)
    precedente = seances_selectors.seance_precedente(seance)
    contenu = selectors.ouverture(precedente, cycle)
    maintenant = timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    elements = [element for _libelle, liste in contenu.rubriques for element in liste]
    return render(
        request,
        "journal/equipe/ouverture.html",
        {
            "cycle": cycle,
            "seance": seance,
            "precedente": precedente,
            "ouverture": contenu,
            "maintenant": maintenant,
            "jours_avant": (seance.date - aujourdhui).days,
            "precedente_a_venir": precedente is not None and precedente.date > aujourdhui,
            # The latest share or edit among what the page shows.
            "dernier_partage": max((e.modifie_le for e in elements), default=None),
            "collectivites_contributrices": sum(1 for _b, n in contenu.par_collectivite if n),
            "longue": contenu.total > ELEMENTS_PAR_PAGE_IMPRIMEE,
        },
    )
