"""The arithmetic of the ranking (jury/classement.py), checked by hand on plain data."""

from decimal import Decimal

from jury.classement import (
    CritereGrille,
    Evaluation,
    Ligne,
    ParCritere,
    Severite,
    classer,
    ligne_calculer,
    severites,
    total_jure,
)

MOTIVATION = CritereGrille(id=2, intitule="Motivation", porte=False, poids=Decimal(1))
PROJET = CritereGrille(id=3, intitule="Projet", porte=False, poids=Decimal(2))
REGION = CritereGrille(id=1, intitule="Région", porte=True, poids=Decimal(0))
BINOME = CritereGrille(id=4, intitule="Binôme", porte=True, poids=Decimal(0))
GRILLE = [REGION, MOTIVATION, PROJET, BINOME]


def evaluation(jure_id, motivation, projet, *, region="oui", binome="oui", soumise=True):
    return Evaluation(
        jure_id=jure_id,
        soumise=soumise,
        notes={1: region, 2: motivation, 3: projet, 4: binome},
    )


def test_ligne_calculer_moyenne_ponderee_sur_20():
    # Means 2.5 and 4 on 1-4 scales: (1 × 1.5/3 + 2 × 3/3) / 3 × 20 = 16.67.
    ligne = ligne_calculer(7, GRILLE, [evaluation(10, 3, 4), evaluation(11, 2, 4)])

    assert ligne == Ligne(
        candidature_id=7,
        criteres=[
            ParCritere(critere=REGION, valeurs=["oui", "oui"], porte="oui"),
            ParCritere(critere=MOTIVATION, valeurs=[3, 2], moyenne=2.5, ecart=1, desaccord=False),
            ParCritere(critere=PROJET, valeurs=[4, 4], moyenne=4, ecart=0, desaccord=False),
            ParCritere(critere=BINOME, valeurs=["oui", "oui"], porte="oui"),
        ],
        # (1 × 2/3 + 2) / 3 × 20 = 17.78 ; (1 × 1/3 + 2) / 3 × 20 = 15.56
        totaux={10: 17.78, 11: 15.56},
        score=16.67,
        ecart_total=2.22,
        nb_affectes=2,
        nb_soumises=2,
        portes_non=[],
        portes_a_verifier=[],
    )
    assert (ligne.desaccord, ligne.ecartee, ligne.manquantes) == (False, False, 0)


def test_total_jure_critere_non_note_donne_none():
    incomplete = Evaluation(jure_id=1, soumise=True, notes={2: 4})

    assert total_jure(incomplete, GRILLE) is None
    assert total_jure(evaluation(1, 4, 4), GRILLE) == 20.0
    assert total_jure(evaluation(1, 1, 1), GRILLE) == 0.0


def test_classer_porte_non_ecarte_et_classe_apres():
    excellente_mais_hors_region = ligne_calculer(1, GRILLE, [evaluation(10, 4, 4, region="non")])
    moyenne = ligne_calculer(2, GRILLE, [evaluation(10, 2, 2)])
    bonne = ligne_calculer(3, GRILLE, [evaluation(10, 3, 3)])

    classees = classer([excellente_mais_hors_region, moyenne, bonne])

    assert [(ligne.candidature_id, ligne.rang) for ligne in classees] == [
        (3, 1),
        (2, 2),
        (1, None),
    ]
    assert excellente_mais_hors_region.ecartee
    assert excellente_mais_hors_region.portes_non == [REGION]
    # The score is still computed: staff see what the file would have been worth.
    assert excellente_mais_hors_region.score == 20.0


def test_ligne_calculer_porte_garde_la_reponse_la_plus_stricte():
    a_verifier = ligne_calculer(
        1, GRILLE, [evaluation(10, 3, 3), evaluation(11, 3, 3, binome="a_verifier")]
    )
    non = ligne_calculer(
        2,
        GRILLE,
        [evaluation(10, 3, 3, region="a_verifier"), evaluation(11, 3, 3, region="non")],
    )

    assert [c.porte for c in a_verifier.criteres] == ["oui", None, None, "a_verifier"]
    assert (a_verifier.portes_a_verifier, a_verifier.portes_non) == ([BINOME], [])
    assert not a_verifier.ecartee
    assert [c.porte for c in non.criteres] == ["non", None, None, "oui"]
    assert (non.portes_a_verifier, non.portes_non) == ([], [REGION])
    assert classer([non, a_verifier])[0].candidature_id == 1


def test_ligne_calculer_desaccord_des_la_moitie_de_l_echelle():
    # A 0-4 scale: half of it is 2 points.
    echelle = CritereGrille(id=9, intitule="Échelle 0-4", porte=False, minimum=0, maximum=4)

    def ecart_de(a, b):
        evaluations = [
            Evaluation(jure_id=1, soumise=True, notes={9: a}),
            Evaluation(jure_id=2, soumise=True, notes={9: b}),
        ]
        detail = ligne_calculer(1, [echelle], evaluations).criteres[0]
        return detail.ecart, detail.desaccord

    assert ecart_de(1, 3) == (2, True)
    assert ecart_de(1, 2) == (1, False)
    assert ecart_de(0, 4) == (4, True)
    # On the default 1-4 scales, 1.5 points is the threshold: 2 apart is a disagreement.
    ligne = ligne_calculer(1, GRILLE, [evaluation(10, 1, 3), evaluation(11, 3, 3)])
    assert [c.desaccord for c in ligne.criteres] == [False, True, False, False]
    assert ligne.desaccord


def test_ligne_calculer_ignore_evaluation_non_soumise_et_la_compte_manquante():
    ligne = ligne_calculer(
        1, GRILLE, [evaluation(10, 3, 4), evaluation(11, 1, 1, region="non", soumise=False)]
    )

    assert ligne.totaux == {10: 17.78}
    assert [c.moyenne for c in ligne.criteres] == [None, 3, 4, None]
    assert ligne.score == 17.78
    assert ligne.portes_non == []
    assert (ligne.nb_affectes, ligne.nb_soumises, ligne.manquantes) == (2, 1, 1)
    assert ligne.ecart_total == 0


def test_ligne_calculer_sans_evaluation_soumise_non_classee():
    sans_note = ligne_calculer(1, GRILLE, [evaluation(10, 3, 4, soumise=False)])
    notee = ligne_calculer(2, GRILLE, [evaluation(10, 1, 1)])

    assert (sans_note.score, sans_note.ecart_total, sans_note.totaux) == (None, None, {})
    assert [(ligne.candidature_id, ligne.rang) for ligne in classer([sans_note, notee])] == [
        (2, 1),
        (1, None),
    ]


def test_severites_jure_toujours_un_point_au_dessus_ecart_positif():
    lignes = [
        ligne_calculer(1, GRILLE, [evaluation(10, 3, 3), evaluation(11, 2, 2)]),
        ligne_calculer(2, GRILLE, [evaluation(10, 4, 4), evaluation(11, 3, 3)]),
        ligne_calculer(3, GRILLE, [evaluation(10, 2, 2), evaluation(11, 1, 1)]),
        # Only juror 12 on this one: nothing to compare with.
        ligne_calculer(4, GRILLE, [evaluation(12, 2, 2)]),
    ]

    resultat = severites(lignes, [10, 11, 12, 13])

    # One level more on each criterion is 1/3 of the scale: 6.67 points out of 20.
    assert resultat == {
        10: Severite(jure_id=10, moyenne=13.33, ecart_moyen=6.67, nb=3),
        11: Severite(jure_id=11, moyenne=6.67, ecart_moyen=-6.67, nb=3),
        12: Severite(jure_id=12, moyenne=6.67, ecart_moyen=None, nb=0),
        13: Severite(jure_id=13, moyenne=None, ecart_moyen=None, nb=0),
    }


def test_ligne_calculer_poids_nul_ne_compte_pas():
    sans_poids = CritereGrille(id=2, intitule="Motivation", porte=False, poids=Decimal(0))
    grille = [sans_poids, PROJET]
    # The weightless criterion is unanswered: it blocks neither the total nor the score.
    evaluations = [
        Evaluation(jure_id=1, soumise=True, notes={3: 4}),
        Evaluation(jure_id=2, soumise=True, notes={2: 1, 3: 3}),
    ]

    ligne = ligne_calculer(1, grille, evaluations)

    assert ligne.totaux == {1: 20.0, 2: 13.33}
    assert ligne.score == 16.67  # mean 3.5 on the only weighted criterion: 2.5/3 × 20
    assert ligne.criteres[0].moyenne == 1


def test_ligne_calculer_tous_poids_nuls_pas_de_score():
    grille = [CritereGrille(id=2, intitule="Motivation", porte=False, poids=Decimal(0))]

    ligne = ligne_calculer(1, grille, [Evaluation(jure_id=1, soumise=True, notes={2: 4})])

    assert (ligne.score, ligne.totaux, ligne.ecart_total) == (None, {}, None)
    assert classer([ligne])[0].rang is None
