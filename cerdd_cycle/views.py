"""Portal pages. The project package composes the layers; kernel apps never import upward."""

import datetime
from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.cycles.selectors import cycle_courant
from cerdd_cycle.formats import date_en_toutes_lettres
from seances.models import Seance
from seances.selectors import seances_du_cycle


def accueil(request):
    cycle = cycle_courant()
    seances = list(seances_du_cycle(cycle)) if cycle else []
    etapes = calendrier_du_cycle(cycle, seances) if cycle else []
    contexte = {
        "cycle": cycle,
        "seances": seances,
        "etapes": etapes,
        "prochaine": next((etape for etape in etapes if etape.est_prochaine), None),
        "date_limite": date_en_toutes_lettres(cycle.date_limite) if cycle else None,
    }
    return render(request, "pages/accueil.html", contexte)


@dataclass
class Etape:
    """One line of the public calendar of a cycle: a milestone of the call or a session."""

    titre: str
    jour: datetime.date
    quand: str
    iso: str
    seance: Seance | None = None
    passee: bool = False
    aujourdhui: bool = False
    est_prochaine: bool = False


def calendrier_du_cycle(cycle, seances, maintenant=None) -> list[Etape]:
    """The dated milestones of ``cycle`` then its sessions, in time order, the next one flagged.

    A milestone given as a datetime (AMI opening, deadline) is past from that instant; one given
    as a date is past the day after, so the step of today stays the next one all day long.
    """
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)

    def jalon(titre, valeur, **kwargs):
        if isinstance(valeur, datetime.datetime):
            jour = timezone.localdate(valeur)
            passee = valeur <= maintenant
            iso = timezone.localtime(valeur).isoformat(timespec="minutes")
        else:
            jour = valeur
            passee = valeur < aujourdhui
            iso = valeur.isoformat()
        return Etape(
            titre=titre,
            jour=jour,
            quand=date_en_toutes_lettres(valeur),
            iso=iso,
            passee=passee,
            aujourdhui=jour == aujourdhui,
            **kwargs,
        )

    etapes = [
        jalon(_("Ouverture de l'appel à manifestation d'intérêt"), cycle.ouverture_ami),
        jalon(_("Date limite de dépôt des candidatures"), cycle.date_limite),
        jalon(_("Réponse aux collectivités candidates"), cycle.date_reponse),
    ]
    if not any(seance.date == cycle.premiere_seance for seance in seances):
        etapes.append(jalon(_("Première journée du cycle"), cycle.premiere_seance))
    etapes.extend(
        jalon(_("Séance %(numero)s") % {"numero": seance.numero}, seance.date, seance=seance)
        for seance in seances
    )
    if cycle.fin_prevue and not any(seance.date >= cycle.fin_prevue for seance in seances):
        etapes.append(jalon(_("Fin prévue du cycle"), cycle.fin_prevue))
    # Stable sort: on the same day the call's milestones come before the sessions.
    etapes.sort(key=lambda etape: etape.jour)
    prochaine = next((etape for etape in etapes if not etape.passee), None)
    if prochaine is not None:
        prochaine.est_prochaine = True
    return etapes
