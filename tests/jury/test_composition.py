"""The cohort helper (jury/composition.py) on plain data."""

from jury.composition import Cout, Profil, Proposition, Voeux, proposer


def profil(pk, score, departement="59", *, epci=False, population=10000):
    return Profil(
        candidature_id=pk,
        score=score,
        departement=departement,
        est_epci=epci,
        population=population,
    )


NORD_1 = profil(1, 18.0)
NORD_2 = profil(2, 17.0)
NORD_3 = profil(3, 16.0)
NORD_4 = profil(4, 15.0)
PAS_DE_CALAIS = profil(5, 12.0, "62")
SOMME = profil(6, 9.5, "80")
PROFILS = [SOMME, NORD_3, PAS_DE_CALAIS, NORD_1, NORD_4, NORD_2]


def test_proposer_sans_voeu_les_meilleurs_scores():
    proposition = proposer(PROFILS, Voeux(places=3, attente=2))

    assert proposition == Proposition(
        retenues=[NORD_1, NORD_2, NORD_3],
        attente=[NORD_4, PAS_DE_CALAIS],
        score_total=51.0,
        score_sans_voeux=51.0,
        couts=[],
        insatisfaits=[],
    )


def test_proposer_voeu_departement_fait_entrer_le_meilleur_du_departement_absent():
    proposition = proposer(PROFILS, Voeux(places=3, attente=2, par_departement=1))

    assert proposition.retenues == [NORD_1, PAS_DE_CALAIS, SOMME]
    assert proposition.score_total == 39.5
    assert proposition.score_sans_voeux == 51.0
    # Its cost is the score given up: 17 + 16 out, 12 + 9.5 in.
    assert proposition.couts == [
        Cout(
            voeu="par_departement",
            points=11.5,
            entrent=[PAS_DE_CALAIS, SOMME],
            sortent=[NORD_2, NORD_3],
        )
    ]
    assert proposition.insatisfaits == []
    # The waiting list goes on with the best of those left out.
    assert proposition.attente == [NORD_2, NORD_3]


def test_proposer_cout_egal_a_la_difference_de_score():
    profils = [NORD_1, NORD_2, PAS_DE_CALAIS]

    proposition = proposer(profils, Voeux(places=2, attente=1, par_departement=1))

    assert proposition.retenues == [NORD_1, PAS_DE_CALAIS]
    assert proposition.couts == [
        Cout(voeu="par_departement", points=5.0, entrent=[PAS_DE_CALAIS], sortent=[NORD_2])
    ]
    assert proposition.couts[0].points == NORD_2.score - PAS_DE_CALAIS.score
    assert proposition.attente == [NORD_2]


def test_proposer_voeu_impossible_signale():
    epci = profil(7, 8.0, epci=True)

    proposition = proposer([*PROFILS, epci], Voeux(places=3, attente=1, epci_min=2))

    assert proposition.insatisfaits == ["epci_min"]
    assert proposition.retenues == [NORD_1, NORD_2, epci]
    assert proposition.couts == [
        Cout(voeu="epci_min", points=8.0, entrent=[epci], sortent=[NORD_3])
    ]
    assert proposition.attente == [NORD_3]


def test_proposer_voeu_deja_satisfait_ne_coute_rien():
    proposition = proposer(PROFILS, Voeux(places=3, attente=0, communes_min=2))

    assert proposition.retenues == [NORD_1, NORD_2, NORD_3]
    assert proposition.couts == [Cout(voeu="communes_min", points=0.0)]
    assert proposition.attente == []


def test_proposer_voeu_petites_collectivites_sous_le_seuil():
    petite = profil(8, 10.0, population=1200)
    juste_au_seuil = profil(9, 14.0, population=3000)

    proposition = proposer(
        [NORD_1, NORD_2, juste_au_seuil, petite],
        Voeux(places=2, attente=5, petites_min=1, seuil_petite=3000),
    )

    assert proposition.retenues == [NORD_1, petite]
    assert proposition.attente == [NORD_2, juste_au_seuil]
    assert proposition.couts[0].points == 7.0


def test_proposer_moins_de_candidatures_que_de_places():
    proposition = proposer([NORD_2, NORD_1], Voeux(places=13))

    assert (proposition.retenues, proposition.attente) == ([NORD_1, NORD_2], [])
    assert proposition.score_total == 35.0
