"""Balanced assignment of candidatures to jurors: a pure function, tested on its own.

Most constrained first: the candidatures with the fewest possible jurors are served first,
each by the least loaded jurors who are free of conflict, so the loads never differ by more
than what conflicts and the maximum load force. When every juror free for a candidature is
full, a chain of moves among this run's new assignments frees a place if one exists: no
candidature is reported short while a complete assignment is possible.
"""

import math
from collections import defaultdict, deque
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
    deja_nouvelles = defaultdict(set)  # juror -> candidatures given by this run (movable)

    def liberer(candidature):
        """When every juror free for ``candidature`` is full: find a chain of moves of new
        assignments (A takes this one and leaves one of theirs to B, who leaves one to C…)
        ending at a juror below the maximum. True if the chain was found and applied."""
        venu_de = {candidature: None}  # candidature -> (juror who left it, previous one)
        file = deque([candidature])
        while file:
            courante = file.popleft()
            candidats = possibles(courante)
            libres = [j for j in candidats if charge[j] < charge_max]
            if libres:
                jure = min(libres, key=lambda j: (charge[j], j))
                charge[jure] += 1
                while True:
                    deja[courante].add(jure)
                    resultat.nouvelles.append((jure, courante))
                    if venu_de[courante] is None:
                        return True
                    # That juror leaves this candidature for the previous one in the chain.
                    jure, precedente = venu_de[courante]
                    deja[courante].discard(jure)
                    resultat.nouvelles.remove((jure, courante))
                    courante = precedente
            for jure in candidats:
                for autre in sorted(deja_nouvelles[jure]):
                    if autre not in venu_de:
                        venu_de[autre] = (jure, courante)
                        file.append(autre)
        return False

    a_servir = [c for c in candidatures if len(deja[c]) < par_candidature]
    a_servir.sort(key=lambda c: (len(possibles(c)), c))
    for candidature in a_servir:
        for _place in range(par_candidature - len(deja[candidature])):
            libres = [j for j in possibles(candidature) if charge[j] < charge_max]
            if not libres:
                avant = set(resultat.nouvelles)
                if liberer(candidature):
                    apres = set(resultat.nouvelles)
                    for jure, autre in avant - apres:
                        deja_nouvelles[jure].discard(autre)
                    for jure, autre in apres - avant:
                        deja_nouvelles[jure].add(autre)
                    continue
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
            deja_nouvelles[choisi].add(candidature)
            charge[choisi] += 1
            resultat.nouvelles.append((choisi, candidature))
    return resultat
