"""Pure rules of attendance: what a pair was at a session, and what a collectivity's record
says over the cycle. No database here: the selectors feed these functions."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .enums import (
    PRESENCES_EFFECTIVES,
    STATUTS_COMPLETS,
    ReponseConfirmation,
    RoleMembre,
    StatutBinome,
    StatutPresence,
)

# When a person has two half-days, the day keeps the most present of the two.
ORDRE_PRESENCE = {
    StatutPresence.PRESENT: 0,
    StatutPresence.RETARD: 1,
    StatutPresence.REMPLACE: 2,
    StatutPresence.EXCUSE: 3,
    StatutPresence.ABSENT: 4,
}


def statut_du_jour(statuts: Iterable[str]) -> StatutPresence | None:
    """The day of one person from their half-days (None: nothing recorded)."""
    valeurs = [StatutPresence(statut) for statut in statuts if statut]
    return min(valeurs, key=ORDRE_PRESENCE.__getitem__) if valeurs else None


@dataclass(frozen=True)
class Personne:
    """One member of a pair as seen at one session."""

    role: str
    suppleant: bool
    jour: StatutPresence | None  # statut_du_jour of the recorded half-days
    reponse: str | None = None  # their confirmation before the day, if any


def est_present(personne: Personne) -> bool:
    return personne.jour in PRESENCES_EFFECTIVES


def est_excuse(personne: Personne) -> bool:
    """Excused or replaced on the day, or announced so beforehand without being marked since."""
    if personne.jour in (StatutPresence.EXCUSE, StatutPresence.REMPLACE):
        return True
    return personne.jour is None and personne.reponse in (
        ReponseConfirmation.EXCUSE,
        ReponseConfirmation.REMPLACE,
    )


def statut_binome(personnes: Sequence[Personne], *, appel_fait: bool) -> StatutBinome:
    """What the pair was at a session.

    A seat is filled when someone of that role was in the room (present or late) for at least
    one half-day; a seat filled by a substitute only makes the pair « complet avec
    suppléant·e ». Nobody in the room: « excusé » if a holder excused themselves or was
    replaced, else « absent » once attendance has been taken for that session.
    """
    presents = [personne for personne in personnes if est_present(personne)]
    roles = {personne.role for personne in presents}
    if roles >= {RoleMembre.ELU, RoleMembre.TECHNICIEN}:
        par_titulaire = {personne.role for personne in presents if not personne.suppleant}
        if par_titulaire >= {RoleMembre.ELU, RoleMembre.TECHNICIEN}:
            return StatutBinome.COMPLET
        return StatutBinome.REMPLACE
    if roles == {RoleMembre.ELU}:
        return StatutBinome.ELU_SEUL
    if roles == {RoleMembre.TECHNICIEN}:
        return StatutBinome.TECHNICIEN_SEUL
    if any(est_excuse(personne) for personne in personnes if not personne.suppleant):
        return StatutBinome.EXCUSE
    if appel_fait:
        return StatutBinome.ABSENT
    return StatutBinome.NON_RENSEIGNE


@dataclass(frozen=True)
class Bilan:
    """A collectivity's record over the sessions where attendance was taken."""

    seances: int
    completes: int  # assiduity: the pair complete in the room
    engagees: int  # commitment: someone came, or the absence was excused
    incompletes_de_suite: int  # the current run of sessions without the complete pair

    @property
    def assiduite(self) -> float | None:
        return self.completes / self.seances if self.seances else None

    @property
    def engagement(self) -> float | None:
        return self.engagees / self.seances if self.seances else None


SEUIL_ALERTE = 2  # incomplete sessions in a row before staff are told


def bilan(statuts: Sequence[StatutBinome]) -> Bilan:
    """``statuts`` in session order; sessions not recorded yet are left out."""
    releves = [statut for statut in statuts if statut != StatutBinome.NON_RENSEIGNE]
    serie = 0
    for statut in releves:
        serie = 0 if statut in STATUTS_COMPLETS else serie + 1
    return Bilan(
        seances=len(releves),
        completes=sum(statut in STATUTS_COMPLETS for statut in releves),
        engagees=sum(statut != StatutBinome.ABSENT for statut in releves),
        incompletes_de_suite=serie,
    )


def en_alerte(statuts: Sequence[StatutBinome]) -> bool:
    return bilan(statuts).incompletes_de_suite >= SEUIL_ALERTE


@dataclass(frozen=True)
class SiegeConfirme:
    """Where a seat stands before the session, from the confirmations."""

    role: str
    couvert: bool  # someone of that role said they come
    par_suppleant: bool
    repondu: bool  # the holder answered (whatever the answer)


def sieges_confirmes(personnes: Sequence[Personne]) -> list[SiegeConfirme]:
    """For each seat: is someone coming? ``Personne.reponse`` is read, ``jour`` ignored."""
    sieges = []
    for role in (RoleMembre.ELU, RoleMembre.TECHNICIEN):
        du_role = [personne for personne in personnes if personne.role == role]
        titulaires = [personne for personne in du_role if not personne.suppleant]
        viennent = [p for p in du_role if p.reponse == ReponseConfirmation.PRESENT]
        sieges.append(
            SiegeConfirme(
                role=role,
                couvert=bool(viennent),
                par_suppleant=bool(viennent) and all(p.suppleant for p in viennent),
                repondu=any(personne.reponse for personne in titulaires),
            )
        )
    return sieges


def binome_confirme_complet(personnes: Sequence[Personne]) -> bool:
    return all(siege.couvert for siege in sieges_confirmes(personnes))
