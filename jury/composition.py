"""The cohort helper: a retained list and a waiting list from the ranking and balance wishes,
and what each wish costs in score. Pure functions on plain data."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profil:
    candidature_id: int
    score: float
    departement: str
    est_epci: bool
    population: int


@dataclass(frozen=True)
class Voeux:
    places: int
    attente: int = 3
    par_departement: int = 0  # at least this many per department that has candidates
    epci_min: int = 0
    communes_min: int = 0
    petites_min: int = 0  # at least this many collectivities under ``seuil_petite`` inhabitants
    seuil_petite: int = 5000

    def actifs(self):
        """Each wish on its own, by name, to price it."""
        noms = ("par_departement", "epci_min", "communes_min", "petites_min")
        return [nom for nom in noms if getattr(self, nom)]


@dataclass
class Cout:
    voeu: str
    points: float  # score given up for this wish (sum over the retained list)
    entrent: list = field(default_factory=list)  # retained because of the wish
    sortent: list = field(default_factory=list)  # would be retained without it


@dataclass
class Proposition:
    retenues: list
    attente: list
    score_total: float
    score_sans_voeux: float
    couts: list
    insatisfaits: list  # wishes that the candidates cannot meet


def _quotas(voeux, profils):
    """[(name, predicate, minimum)] for every active wish, one per department."""
    quotas = []
    if voeux.par_departement:
        for dep in sorted({p.departement for p in profils if p.departement}):
            quotas.append(
                (f"departement:{dep}", lambda p, d=dep: p.departement == d, voeux.par_departement)
            )
    if voeux.epci_min:
        quotas.append(("epci_min", lambda p: p.est_epci, voeux.epci_min))
    if voeux.communes_min:
        quotas.append(("communes_min", lambda p: not p.est_epci, voeux.communes_min))
    if voeux.petites_min:
        seuil = voeux.seuil_petite
        quotas.append(("petites_min", lambda p: p.population < seuil, voeux.petites_min))
    return quotas


def _choisir(profils, voeux):
    classes = sorted(profils, key=lambda p: (-p.score, p.candidature_id))
    retenues, insatisfaits = [], []
    for nom, condition, minimum in _quotas(voeux, classes):
        deja = sum(1 for p in retenues if condition(p))
        for profil in classes:
            if deja >= minimum or len(retenues) >= voeux.places:
                break
            if profil not in retenues and condition(profil):
                retenues.append(profil)
                deja += 1
        if deja < minimum:
            insatisfaits.append(nom)
    for profil in classes:
        if len(retenues) >= voeux.places:
            break
        if profil not in retenues:
            retenues.append(profil)
    retenues.sort(key=lambda p: (-p.score, p.candidature_id))
    reste = [p for p in classes if p not in retenues]
    return retenues, reste[: voeux.attente], insatisfaits


def _somme(profils):
    return round(sum(p.score for p in profils), 2)


def proposer(profils, voeux):
    """``profils``: the eligible, scored candidatures (gates met)."""
    retenues, attente, insatisfaits = _choisir(profils, voeux)
    sans, _attente, _ = _choisir(profils, Voeux(places=voeux.places, attente=voeux.attente))
    couts = []
    for nom in voeux.actifs():
        autres = Voeux(**{**voeux.__dict__, nom: 0})
        sans_ce_voeu, _a, _i = _choisir(profils, autres)
        couts.append(
            Cout(
                voeu=nom,
                points=round(_somme(sans_ce_voeu) - _somme(retenues), 2),
                entrent=[p for p in retenues if p not in sans_ce_voeu],
                sortent=[p for p in sans_ce_voeu if p not in retenues],
            )
        )
    return Proposition(
        retenues=retenues,
        attente=attente,
        score_total=_somme(retenues),
        score_sans_voeux=_somme(sans),
        couts=couts,
        insatisfaits=insatisfaits,
    )
