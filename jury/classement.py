"""The arithmetic of the deliberation, on plain data so that it can be checked by hand.

A juror's total is the weighted mean of their scale scores, each brought to /20 by its scale's
top level; a candidature's score is the same weighted mean over the jurors' per-criterion means.
Gates do not count in the score: a « non » sets the candidature aside, « à vérifier » flags it.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from .enums import Porte

# A criterion is flagged when jurors are at least this share of its scale apart.
SEUIL_DESACCORD = 0.5
SUR = 20


@dataclass(frozen=True)
class CritereGrille:
    id: int
    intitule: str
    porte: bool
    poids: Decimal = Decimal(1)
    minimum: int = 1
    maximum: int = 4


@dataclass
class Evaluation:
    jure_id: int
    soumise: bool
    # criterion id -> int (scale) or Porte value (gate); a missing key is unanswered.
    notes: dict = field(default_factory=dict)


@dataclass
class ParCritere:
    critere: CritereGrille
    valeurs: list
    moyenne: float | None = None
    ecart: int | None = None
    desaccord: bool = False
    porte: str | None = None  # for a gate: the strictest answer given


@dataclass
class Ligne:
    candidature_id: int
    criteres: list[ParCritere]
    totaux: dict  # juror id -> total /20 of their submitted evaluation
    score: float | None
    ecart_total: float | None
    nb_affectes: int
    nb_soumises: int
    portes_non: list = field(default_factory=list)
    portes_a_verifier: list = field(default_factory=list)
    rang: int | None = None

    @property
    def manquantes(self):
        return self.nb_affectes - self.nb_soumises

    @property
    def desaccord(self):
        return any(c.desaccord for c in self.criteres)

    @property
    def ecartee(self):
        return bool(self.portes_non)


@dataclass
class Severite:
    jure_id: int
    moyenne: float | None  # mean of the juror's totals, raw
    ecart_moyen: float | None  # mean deviation from the other jurors on the same files
    nb: int  # candidatures compared


def _ramene(valeur, critere):
    etendue = critere.maximum - critere.minimum
    if etendue <= 0:
        return 1.0
    return (valeur - critere.minimum) / etendue


def total_jure(evaluation, criteres):
    """The juror's weighted total /20, or None if a weighted scale criterion is unanswered."""
    ponderes = [c for c in criteres if not c.porte and c.poids > 0]
    somme_poids = sum(float(c.poids) for c in ponderes)
    if not somme_poids:
        return None
    total = 0.0
    for critere in ponderes:
        valeur = evaluation.notes.get(critere.id)
        if valeur is None:
            return None
        total += float(critere.poids) * _ramene(valeur, critere)
    return round(total / somme_poids * SUR, 2)


_SEVERITE_PORTE = {Porte.OUI: 0, Porte.A_VERIFIER: 1, Porte.NON: 2}


def ligne_calculer(candidature_id, criteres, evaluations):
    soumises = [e for e in evaluations if e.soumise]
    par_critere = []
    for critere in criteres:
        valeurs = [e.notes[critere.id] for e in soumises if e.notes.get(critere.id) is not None]
        detail = ParCritere(critere=critere, valeurs=valeurs)
        if critere.porte:
            valeurs = [v for v in valeurs if v]
            if valeurs:
                detail.porte = max(valeurs, key=lambda v: _SEVERITE_PORTE.get(v, 0))
        elif valeurs:
            detail.moyenne = round(mean(valeurs), 2)
            detail.ecart = max(valeurs) - min(valeurs)
            etendue = critere.maximum - critere.minimum
            detail.desaccord = etendue > 0 and detail.ecart >= SEUIL_DESACCORD * etendue
        par_critere.append(detail)

    ponderes = [d for d in par_critere if not d.critere.porte and d.critere.poids > 0]
    somme_poids = sum(float(d.critere.poids) for d in ponderes)
    score = None
    if somme_poids and ponderes and all(d.moyenne is not None for d in ponderes):
        score = round(
            sum(float(d.critere.poids) * _ramene(d.moyenne, d.critere) for d in ponderes)
            / somme_poids
            * SUR,
            2,
        )
    totaux = {e.jure_id: total_jure(e, criteres) for e in soumises}
    totaux = {jure: total for jure, total in totaux.items() if total is not None}
    ecart_total = round(max(totaux.values()) - min(totaux.values()), 2) if totaux else None
    return Ligne(
        candidature_id=candidature_id,
        criteres=par_critere,
        totaux=totaux,
        score=score,
        ecart_total=ecart_total,
        nb_affectes=len(evaluations),
        nb_soumises=len(soumises),
        portes_non=[d.critere for d in par_critere if d.porte == Porte.NON],
        portes_a_verifier=[d.critere for d in par_critere if d.porte == Porte.A_VERIFIER],
    )


def classer(lignes):
    """Eligible candidatures by score (unscored last), then those set aside by a gate."""
    lignes = sorted(
        lignes,
        key=lambda x: (x.ecartee, x.score is None, -(x.score or 0), x.candidature_id),
    )
    rang = 0
    for ligne in lignes:
        if not ligne.ecartee and ligne.score is not None:
            rang += 1
            ligne.rang = rang
    return lignes


def severites(lignes, jures):
    """Per juror: raw mean of their totals and mean deviation from the others' on the same files."""
    totaux, ecarts = {j: [] for j in jures}, {j: [] for j in jures}
    for ligne in lignes:
        for jure, total in ligne.totaux.items():
            totaux.setdefault(jure, []).append(total)
            autres = [t for j, t in ligne.totaux.items() if j != jure]
            if autres:
                ecarts.setdefault(jure, []).append(total - mean(autres))
    return {
        jure: Severite(
            jure_id=jure,
            moyenne=round(mean(totaux[jure]), 2) if totaux.get(jure) else None,
            ecart_moyen=round(mean(ecarts[jure]), 2) if ecarts.get(jure) else None,
            nb=len(ecarts.get(jure, [])),
        )
        for jure in totaux
    }
