"""The ways in from the menu and the home page: stable addresses that redirect to the right
cycle or pair, computed on click rather than on every page (the menu costs no query)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.enums import StatutCycle

from .. import selectors

# Staff pages that take only the cycle: « ?vers=assiduite » from the home page.
PAGES_EQUIPE = ("tableau", "assiduite", "besoins", "cohorte", "attestations")


@equipe_requise
@require_GET
def equipe(request):
    cycle = selectors.cycle_des_seances()
    if cycle is None:
        messages.info(
            request, _("Aucun cycle pour l'instant : créez-le d'abord dans l'administration.")
        )
        return redirect("admin:index")
    vers = request.GET.get("vers")
    page = vers if vers in PAGES_EQUIPE else "tableau"
    return redirect(f"equipe_seances:{page}", cycle=cycle.slug)


@login_required
@require_GET
def mon_binome(request):
    """The participant's pair: the one of the cycle under way first, else the latest."""
    membre = (
        selectors.membres_de(request.user)
        .annotate(
            en_cours=Case(
                When(binome__cycle__statut=StatutCycle.EN_COURS, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("en_cours", "-binome__cycle__ouverture_ami")
        .first()
    )
    if membre is None:
        raise Http404
    return redirect("seances:binome", pk=membre.binome_id)
