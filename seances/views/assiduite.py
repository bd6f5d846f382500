"""Staff page of the assiduity matrix (collectivity × session) and its XLSX export."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle

from .. import exports, selectors
from ..enums import STATUTS_COMPLETS, StatutBinome

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Apparence:
    """How a status shows in a cell: a short label, a sign and a colour (never colour alone)."""

    statut: StatutBinome
    court: str
    signe: str
    classe: str
    explication: str

    @property
    def libelle(self):
        return self.statut.label


APPARENCES = {
    apparence.statut: apparence
    for apparence in (
        Apparence(
            StatutBinome.COMPLET,
            _("complet"),
            "✓",
            "text-bg-success",
            _("l'élu·e et le ou la technicien·ne titulaires étaient là."),
        ),
        Apparence(
            StatutBinome.REMPLACE,
            _("complet (suppl.)"),
            "✓",
            "bg-success-subtle text-success-emphasis border border-success",
            _("les deux sièges étaient occupés, l'un au moins par un·e suppléant·e."),
        ),
        Apparence(
            StatutBinome.ELU_SEUL,
            _("élu·e seul·e"),
            "½",
            "bg-warning-subtle text-warning-emphasis border border-warning",
            _("seul le siège de l'élu·e était occupé."),
        ),
        Apparence(
            StatutBinome.TECHNICIEN_SEUL,
            _("tech. seul·e"),
            "½",
            "bg-warning-subtle text-warning-emphasis border border-warning",
            _("seul le siège du ou de la technicien·ne était occupé."),
        ),
        Apparence(
            StatutBinome.EXCUSE,
            _("excusé"),
            "○",
            "bg-info-subtle text-info-emphasis border border-info",
            _("personne dans la salle, mais un·e titulaire s'était excusé·e ou fait remplacer."),
        ),
        Apparence(
            StatutBinome.ABSENT,
            _("absent"),
            "✗",
            "text-bg-danger",
            _("personne dans la salle, sans excuse, alors que l'appel a été fait."),
        ),
        Apparence(
            StatutBinome.NON_RENSEIGNE,
            _("non relevé"),
            "—",
            "text-body-secondary",
            _("séance à venir, ou appel pas encore fait."),
        ),
    )
}


@dataclass
class Cellule:
    seance: object
    apparence: Apparence


def _complets_par_seance(matrice) -> list[int]:
    comptes = [matrice.compte(statut) for statut in STATUTS_COMPLETS]
    return [sum(nombres) for nombres in zip(*comptes, strict=True)]


def _releves_par_seance(matrice) -> list[int]:
    non_releves = matrice.compte(StatutBinome.NON_RENSEIGNE)
    return [len(matrice.lignes) - nombre for nombre in non_releves]


@equipe_requise
@require_GET
def matrice(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    matrice = selectors.matrice_assiduite(cycle)
    lignes = [
        (
            ligne,
            [
                Cellule(seance, APPARENCES[statut])
                for seance, statut in zip(matrice.seances, ligne.statuts, strict=True)
            ],
        )
        for ligne in matrice.lignes
    ]
    totaux = list(
        zip(
            matrice.seances,
            _complets_par_seance(matrice),
            _releves_par_seance(matrice),
            strict=True,
        )
    )
    return render(
        request,
        "seances/equipe/assiduite.html",
        {
            "cycle": cycle,
            "matrice": matrice,
            "lignes": lignes,
            "totaux": totaux,
            "alertes": sum(ligne.alerte for ligne in matrice.lignes),
            "legende": list(APPARENCES.values()),
        },
    )


@equipe_requise
@require_GET
def matrice_xlsx(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    reponse = HttpResponse(exports.assiduite_xlsx(cycle), content_type=TYPE_XLSX)
    reponse["Content-Disposition"] = f'attachment; filename="assiduite-{cycle.slug}.xlsx"'
    return reponse
