"""Balanced assignment of candidatures to jurors: a pure function, tested on its own.

Most constrained first: the candidatures with the fewest possible jurors are served first,
each by the least loaded jurors who are free of conflict, so the loads never differ by more
than what conflicts and the maximum load force.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Repartition:
    # (juror id, candidature id) pairs to create.
    nouvelles: list[tuple[int, int]] = field(default_factory=list)
    # candidature id -> how many jurors it still lacks.
    manques: dict[int, int] = field(default_factory=dict)
    charge_max: int = 0


def charge_par_defaut(nb_candidatures, nb_jures, par_candidature):
    if nb_jures == 0:
        return 0
    return math.ceil(nb_candidatures * par_candidature / nb_jures)


def repartir(
    candidatures, jures, *, par_candidature, charge_max=None, conflits=None, existantes=()
):
    """Complete ``existantes`` so that every candidature has ``par_candidature`` jurors.

    ``candidatures`` and ``jures`` are ids; ``conflits`` maps a juror id to the set of
    candidature ids they may not see; ``existantes`` are (juror, candidature) pairs already
    made (by hand or earlier) and are kept.
    """
    conflits = conflits or {}
    jures = list(jures)
    candidatures = list(candidatures)
    if charge_max is None:
        charge_max = charge_par_defaut(len(candidatures), len(jures), par_candidature)
    charge = defaultdict(int)
    deja = defaultdict(set)
    for jure, candidature in existantes:
        charge[jure] += 1
        deja[candidature].add(jure)
    # Pairs of jurors already sharing candidatures: spread the pairings as well.
    binomes = defaultdict(int)
    for membres in deja.values():
        for a in membres:
            for b in membres:
                if a < b:
                    binomes[a, b] += 1

    def possibles(candidature):
        return [
            jure
            for jure in jures
            if jure not in deja[candidature] and candidature not in conflits.get(jure, ())
        ]

    resultat = Repartition(charge_max=charge_max)
    a_servir = [c for c in candidatures if len(deja[c]) < par_candidature]
    a_servir.sort(key=lambda c: (len(possibles(c)), c))
    for candidature in a_servir:
        for _place in range(par_candidature - len(deja[candidature])):
            libres = [j for j in possibles(candidature) if charge[j] < charge_max]
            if not libres:
                resultat.manques[candidature] = par_candidature - len(deja[candidature])
                break
            choisi = min(
                libres,
                key=lambda j: (
                    charge[j],
                    sum(binomes[min(j, k), max(j, k)] for k in deja[candidature]),
                    j,
                ),
            )
            for autre in deja[candidature]:
                binomes[min(choisi, autre), max(choisi, autre)] += 1
            deja[candidature].add(choisi)
            charge[choisi] += 1
            resultat.nouvelles.append((choisi, candidature))
    return resultat
