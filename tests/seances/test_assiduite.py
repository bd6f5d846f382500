"""The pure rules of attendance (seances/assiduite.py), every combination of the seats."""

import itertools

import pytest

from seances.assiduite import (
    Personne,
    bilan,
    en_alerte,
    statut_binome,
    statut_du_jour,
)
from seances.enums import ReponseConfirmation, StatutBinome, StatutPresence

P = StatutPresence
B = StatutBinome

# --- statut_du_jour -------------------------------------------------------------------------

# From the most present to the least: the day keeps the best of its two half-days.
DU_PLUS_PRESENT = [P.PRESENT, P.RETARD, P.REMPLACE, P.EXCUSE, P.ABSENT]


@pytest.mark.parametrize(
    ("matin", "apres_midi"), list(itertools.product(DU_PLUS_PRESENT, repeat=2))
)
def test_statut_du_jour_garde_la_demi_journee_la_plus_presente(matin, apres_midi):
    attendu = DU_PLUS_PRESENT[min(DU_PLUS_PRESENT.index(matin), DU_PLUS_PRESENT.index(apres_midi))]

    assert statut_du_jour([matin, apres_midi]) == attendu
    assert statut_du_jour([apres_midi, matin]) == attendu


@pytest.mark.parametrize("statut", DU_PLUS_PRESENT)
def test_statut_du_jour_une_seule_demi_journee(statut):
    assert statut_du_jour([statut]) == statut
    assert statut_du_jour(["", statut]) == statut


def test_statut_du_jour_rien_de_releve():
    assert statut_du_jour([]) is None
    assert statut_du_jour(["", None]) is None


def test_statut_du_jour_lit_les_valeurs_brutes_de_la_base():
    assert statut_du_jour(["absent", "retard"]) == P.RETARD


# --- statut_binome: every combination ----------------------------------------------------------

# What a holder can be on the day: a recorded day, or nothing recorded (with what they
# answered before the session, if anything).
TITULAIRE = {
    "present": (P.PRESENT, None),
    "retard": (P.RETARD, None),
    "absent": (P.ABSENT, None),
    "excuse": (P.EXCUSE, None),
    "remplace": (P.REMPLACE, None),
    "rien": (None, None),
    "rien_annonce_present": (None, ReponseConfirmation.PRESENT),
    "rien_annonce_excuse": (None, ReponseConfirmation.EXCUSE),
    "rien_annonce_remplace": (None, ReponseConfirmation.REMPLACE),
}
# A substitute of the same role: none, or one with this day.
SUPPLEANT = {
    "aucun": None,
    "present": (P.PRESENT, None),
    "retard": (P.RETARD, None),
    "absent": (P.ABSENT, None),
    "excuse": (P.EXCUSE, None),
}
DANS_LA_SALLE = {"present", "retard"}
TITULAIRE_EXCUSE = {
    "excuse",
    "remplace",
    "rien_annonce_excuse",
    "rien_annonce_remplace",
}


def _attendu(elu, technicien, suppleant_elu, suppleant_technicien, appel_fait):
    """The rule, written seat by seat: a seat is held by its holder, by a substitute, or
    empty; nobody in the room reads the holders' excuses, then whether the roll was called."""

    def siege(titulaire, suppleant):
        if titulaire in DANS_LA_SALLE:
            return "titulaire"
        if suppleant in DANS_LA_SALLE:
            return "suppleant"
        return "vide"

    sieges = (siege(elu, suppleant_elu), siege(technicien, suppleant_technicien))
    if sieges == ("titulaire", "titulaire"):
        return B.COMPLET
    if "vide" not in sieges:
        return B.REMPLACE
    if sieges[0] != "vide":
        return B.ELU_SEUL
    if sieges[1] != "vide":
        return B.TECHNICIEN_SEUL
    if elu in TITULAIRE_EXCUSE or technicien in TITULAIRE_EXCUSE:
        return B.EXCUSE
    return B.ABSENT if appel_fait else B.NON_RENSEIGNE


COMBINAISONS = list(itertools.product(TITULAIRE, TITULAIRE, SUPPLEANT, SUPPLEANT, [True, False]))


def test_toutes_les_combinaisons_sont_couvertes():
    assert len(COMBINAISONS) == 9 * 9 * 5 * 5 * 2
    attendus = {_attendu(*combinaison) for combinaison in COMBINAISONS}
    assert attendus == set(StatutBinome)


# One test per pair of holders; each runs the substitutes × roll call combinations (4 050 in
# all, too many for one test each).
@pytest.mark.parametrize(("elu", "technicien"), list(itertools.product(TITULAIRE, repeat=2)))
def test_statut_binome(elu, technicien):
    for suppleant_elu, suppleant_technicien, appel_fait in itertools.product(
        SUPPLEANT, SUPPLEANT, [True, False]
    ):
        personnes = [
            Personne("elu", False, *TITULAIRE[elu]),
            Personne("technicien", False, *TITULAIRE[technicien]),
        ]
        for role, suppleant in (("elu", suppleant_elu), ("technicien", suppleant_technicien)):
            if SUPPLEANT[suppleant] is not None:
                personnes.append(Personne(role, True, *SUPPLEANT[suppleant]))
        cas = (elu, technicien, suppleant_elu, suppleant_technicien, appel_fait)

        attendu = _attendu(*cas)

        assert statut_binome(personnes, appel_fait=appel_fait) == attendu, cas
        # The order of the people does not matter.
        assert statut_binome(personnes[::-1], appel_fait=appel_fait) == attendu, cas


def test_statut_binome_sans_personne():
    assert statut_binome([], appel_fait=False) == B.NON_RENSEIGNE
    assert statut_binome([], appel_fait=True) == B.ABSENT


def test_statut_binome_l_excuse_d_un_suppleant_ne_rend_pas_le_binome_excuse():
    personnes = [Personne("elu", True, P.EXCUSE), Personne("technicien", True, P.REMPLACE)]

    assert statut_binome(personnes, appel_fait=True) == B.ABSENT


def test_statut_binome_deux_suppleants_font_un_binome_complet_avec_suppleants():
    personnes = [
        Personne("elu", False, P.ABSENT),
        Personne("technicien", False, None, ReponseConfirmation.REMPLACE),
        Personne("elu", True, P.RETARD),
        Personne("technicien", True, P.PRESENT),
    ]

    assert statut_binome(personnes, appel_fait=True) == B.REMPLACE


def test_statut_binome_une_presence_relevee_l_emporte_sur_l_excuse_annoncee():
    personnes = [
        Personne("elu", False, P.PRESENT, ReponseConfirmation.EXCUSE),
        Personne("technicien", False, P.ABSENT, ReponseConfirmation.EXCUSE),
    ]

    assert statut_binome(personnes, appel_fait=True) == B.ELU_SEUL
    # Marked absent on the day: the excuse announced beforehand no longer counts.
    assert statut_binome(personnes[1:], appel_fait=True) == B.ABSENT


# --- bilan and alert ------------------------------------------------------------------------


def test_bilan_compte_assiduite_et_engagement_sur_les_seances_relevees():
    statuts = [
        B.COMPLET,
        B.ELU_SEUL,
        B.NON_RENSEIGNE,
        B.EXCUSE,
        B.ABSENT,
        B.REMPLACE,
        B.TECHNICIEN_SEUL,
        B.NON_RENSEIGNE,
    ]

    resultat = bilan(statuts)

    assert (
        resultat.seances,
        resultat.completes,
        resultat.engagees,
        resultat.incompletes_de_suite,
    ) == (6, 2, 5, 1)
    assert resultat.assiduite == pytest.approx(2 / 6)
    assert resultat.engagement == pytest.approx(5 / 6)


def test_bilan_sans_seance_relevee():
    resultat = bilan([B.NON_RENSEIGNE, B.NON_RENSEIGNE])

    assert (resultat.seances, resultat.completes, resultat.engagees) == (0, 0, 0)
    assert resultat.assiduite is None
    assert resultat.engagement is None
    assert resultat.incompletes_de_suite == 0


@pytest.mark.parametrize(
    ("statuts", "serie"),
    [
        ([], 0),
        ([B.COMPLET, B.REMPLACE], 0),
        ([B.ABSENT], 1),
        ([B.COMPLET, B.ELU_SEUL, B.EXCUSE], 2),
        ([B.ELU_SEUL, B.NON_RENSEIGNE, B.ABSENT, B.NON_RENSEIGNE], 2),
        ([B.ABSENT, B.ABSENT, B.ABSENT, B.REMPLACE, B.TECHNICIEN_SEUL], 1),
    ],
)
def test_bilan_serie_d_incompletes_en_cours(statuts, serie):
    assert bilan(statuts).incompletes_de_suite == serie


@pytest.mark.parametrize(
    ("statuts", "alerte"),
    [
        ([B.COMPLET, B.ELU_SEUL, B.ABSENT], True),
        ([B.EXCUSE, B.EXCUSE], True),
        ([B.TECHNICIEN_SEUL, B.NON_RENSEIGNE, B.ELU_SEUL], True),
        ([B.ELU_SEUL, B.COMPLET, B.ABSENT], False),
        ([B.ELU_SEUL, B.ABSENT, B.COMPLET], False),
        ([B.ELU_SEUL, B.REMPLACE, B.ABSENT], False),
        ([B.ABSENT], False),
        ([B.NON_RENSEIGNE, B.NON_RENSEIGNE], False),
    ],
)
def test_en_alerte_apres_deux_incompletes_de_suite(statuts, alerte):
    assert en_alerte(statuts) is alerte
