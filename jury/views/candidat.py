"""The candidate's result (/candidatures/<pk>/resultat/): the decision, its reason and what
comes next, once the results are published. Never a score, a comment or a juror's name."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cerdd_cycle.documents.pdf import reponse_pdf
from cerdd_cycle.formats import date_en_toutes_lettres

from .. import selectors, services
from ..enums import STATUTS_MOTIF_OBLIGATOIRE, StatutDecision
from ..pdf import lettre_decision_pdf, nom_lettre


@login_required
@require_safe
def resultat(request, candidature_pk):
    candidature, decision = selectors.resultat_de(request.user, candidature_pk)
    cycle = candidature.cycle
    contexte = {
        "candidature": candidature,
        "cycle": cycle,
        "statut": decision.statut,
        "libelle": decision.get_statut_display(),
        "retenue": decision.statut == StatutDecision.RETENUE,
        "attente": decision.statut == StatutDecision.ATTENTE,
        "motif": decision.motif if decision.statut in STATUTS_MOTIF_OBLIGATOIRE else "",
        "rang_attente": decision.rang_attente
        if decision.statut == StatutDecision.ATTENTE
        else None,
        "publie_le": date_en_toutes_lettres(
            timezone.localdate(cycle.resultats_publies_le), jour_semaine=False
        ),
        "premiere_seance": date_en_toutes_lettres(cycle.premiere_seance),
    }
    return render(request, "jury/candidat/resultat.html", contexte)


@login_required
@require_safe
def lettre(request, candidature_pk):
    candidature, decision = selectors.resultat_de(request.user, candidature_pk)
    decision.candidature = candidature  # already loaded with its cycle and territory
    modele = services.modeles_par_defaut(candidature.cycle)[decision.statut]
    return reponse_pdf(lettre_decision_pdf(decision, modele), nom_lettre(decision))
