"""Assignment: the pure balanced assignment, then the service on real rows."""

import random
from collections import Counter

import pytest
from django.utils import timezone

from candidatures.models import Candidature
from cerdd_cycle.historique.selectors import historique_de
from cerdd_cycle.territoires.models import Territoire
from jury import selectors, services
from jury.models import Affectation, Lien
from jury.repartition import Repartition, charge_par_defaut, repartir
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    DepartementFactory,
    JureFactory,
    LienFactory,
    UserFactory,
)


def _verifier(resultat, candidatures, jures, *, par_candidature, conflits=None, existantes=()):
    """Every pair is new, distinct and free of conflict; returns (coverage, loads)."""
    conflits = conflits or {}
    assert len(set(resultat.nouvelles)) == len(resultat.nouvelles)
    assert not set(resultat.nouvelles) & set(existantes)
    assert [(j, c) for j, c in resultat.nouvelles if c in conflits.get(j, ())] == []
    paires = [*existantes, *resultat.nouvelles]
    couverture = Counter(c for _j, c in paires)
    charges = Counter(j for j, _c in paires)
    return {c: couverture[c] for c in candidatures}, {j: charges[j] for j in jures}


def _conflits_au_hasard(graine, candidatures, jures, *, nb_max):
    hasard = random.Random(graine)
    return {j: set(hasard.sample(candidatures, hasard.randint(0, nb_max))) for j in jures}


# --- pure function ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nb_candidatures", "nb_jures", "par_candidature"),
    [(1, 1, 1), (3, 2, 2), (10, 4, 2), (13, 5, 3), (7, 7, 1), (40, 6, 2), (200, 15, 2)],
)
def test_repartir_sans_conflit_couvre_tout_et_equilibre(nb_candidatures, nb_jures, par_candidature):
    candidatures = list(range(1, nb_candidatures + 1))
    jures = list(range(101, 101 + nb_jures))

    resultat = repartir(candidatures, jures, par_candidature=par_candidature)

    couverture, charges = _verifier(resultat, candidatures, jures, par_candidature=par_candidature)
    assert couverture == dict.fromkeys(candidatures, par_candidature)
    assert max(charges.values()) - min(charges.values()) <= 1
    assert resultat.manques == {}
    assert resultat.charge_max == charge_par_defaut(nb_candidatures, nb_jures, par_candidature)


def test_repartir_respecte_les_conflits():
    candidatures = [1, 2, 3, 4]
    conflits = {10: {1, 2}, 11: {3}, 12: set()}

    resultat = repartir(candidatures, [10, 11, 12], par_candidature=2, conflits=conflits)

    couverture, charges = _verifier(
        resultat, candidatures, [10, 11, 12], par_candidature=2, conflits=conflits
    )
    assert couverture == {1: 2, 2: 2, 3: 2, 4: 2}
    assert sorted(resultat.nouvelles, key=lambda p: (p[1], p[0])) == [
        (11, 1),
        (12, 1),
        (11, 2),
        (12, 2),
        (10, 3),
        (12, 3),
        (10, 4),
        (11, 4),
    ]
    assert charges == {10: 2, 11: 3, 12: 3}


def test_repartir_garde_les_affectations_existantes():
    existantes = [(10, 1), (10, 2), (11, 1)]

    resultat = repartir([1, 2, 3], [10, 11, 12], par_candidature=2, existantes=existantes)

    couverture, charges = _verifier(
        resultat, [1, 2, 3], [10, 11, 12], par_candidature=2, existantes=existantes
    )
    assert couverture == {1: 2, 2: 2, 3: 2}
    assert charges == {10: 2, 11: 2, 12: 2}
    assert sorted(resultat.nouvelles) == [(11, 3), (12, 2), (12, 3)]


def test_repartir_deja_complet_n_ajoute_rien():
    premiere = repartir([1, 2, 3, 4, 5], [10, 11, 12], par_candidature=2)

    seconde = repartir(
        [1, 2, 3, 4, 5], [10, 11, 12], par_candidature=2, existantes=premiere.nouvelles
    )

    assert seconde == Repartition(nouvelles=[], manques={}, charge_max=4)


def test_repartir_charge_max_signale_les_manques():
    resultat = repartir([1, 2, 3, 4, 5], [10, 11], par_candidature=2, charge_max=3)

    couverture, charges = _verifier(resultat, [1, 2, 3, 4, 5], [10, 11], par_candidature=2)
    assert charges == {10: 3, 11: 3}
    assert couverture == {1: 2, 2: 2, 3: 2, 4: 0, 5: 0}
    assert resultat.manques == {4: 2, 5: 2}
    assert resultat.charge_max == 3


def test_repartir_conflits_signale_les_manques():
    # Nobody but juror 10 may read candidature 1.
    resultat = repartir([1, 2], [10, 11, 12], par_candidature=2, conflits={11: {1}, 12: {1}})

    assert resultat.manques == {1: 1}
    assert (10, 1) in resultat.nouvelles


def test_repartir_sans_jure_tout_manque():
    assert repartir([1, 2], [], par_candidature=2) == Repartition(
        nouvelles=[], manques={1: 2, 2: 2}, charge_max=0
    )


def test_repartir_deplace_une_affectation_pour_tout_couvrir():
    # Served first, candidature 1 takes juror 12, the only one who could also read 3;
    # a chain of moves gives 1 to juror 13 and 3 to juror 12.
    conflits = {11: {1}, 13: {2, 3}}

    resultat = repartir([1, 2, 3], [11, 12, 13], par_candidature=1, charge_max=1, conflits=conflits)

    assert resultat.manques == {}
    assert sorted(resultat.nouvelles) == [(11, 2), (12, 3), (13, 1)]


@pytest.mark.parametrize("graine", range(20))
def test_repartir_200_candidatures_15_jures_conflits_au_hasard(graine):
    candidatures = list(range(1, 201))
    jures = list(range(1001, 1016))
    conflits = _conflits_au_hasard(graine, candidatures, jures, nb_max=30)

    resultat = repartir(candidatures, jures, par_candidature=2, conflits=conflits)

    couverture, charges = _verifier(
        resultat, candidatures, jures, par_candidature=2, conflits=conflits
    )
    assert resultat.manques == {}
    assert couverture == dict.fromkeys(candidatures, 2)
    assert max(charges.values()) - min(charges.values()) <= 1


@pytest.mark.parametrize("graine", range(40))
def test_repartir_petits_cas_au_hasard_couvre_des_que_possible(graine):
    """Whatever the conflicts, a candidature is reported short only when no assignment at
    all could cover it: checked against every possible assignment of the small case."""
    hasard = random.Random(graine)
    candidatures = list(range(1, hasard.randint(2, 5) + 1))
    jures = [10, 11, 12]
    conflits = {j: {c for c in candidatures if hasard.random() < 0.4} for j in jures}
    charge_max = hasard.randint(1, 2)

    resultat = repartir(
        candidatures, jures, par_candidature=1, charge_max=charge_max, conflits=conflits
    )

    _verifier(resultat, candidatures, jures, par_candidature=1, conflits=conflits)
    assert max(Counter(j for j, _c in resultat.nouvelles).values(), default=0) <= charge_max

    def meilleure(reste, charges):
        if not reste:
            return 0
        premiere, *suite = reste
        possibles = [
            j for j in jures if premiere not in conflits[j] and charges.get(j, 0) < charge_max
        ]
        return max(
            [meilleure(suite, charges)]
            + [1 + meilleure(suite, {**charges, j: charges.get(j, 0) + 1}) for j in possibles]
        )

    assert len(resultat.nouvelles) == meilleure(candidatures, {})


# --- service ----------------------------------------------------------------------------------


def _candidatures_en_nombre(cycle, nombre):
    """``nombre`` submitted candidatures, each for its own commune, in a few queries."""
    departement = DepartementFactory()
    proprietaire = UserFactory()
    territoires = Territoire.objects.bulk_create(
        Territoire(
            siren=f"21{n:07d}",
            code_insee=f"62{n:03d}",
            type="COM",
            nom=f"Commune {n:03d}",
            nom_recherche=f"commune {n:03d}",
            departement=departement,
            region=departement.region,
        )
        for n in range(nombre)
    )
    maintenant = timezone.now()
    Candidature.objects.bulk_create(
        Candidature(
            cycle=cycle,
            proprietaire=proprietaire,
            territoire=territoire,
            departement=departement,
            statut="deposee",
            depose_le=maintenant,
        )
        for territoire in territoires
    )
    return territoires


def _matrice(cycle):
    return Counter(
        Affectation.objects.filter(jure__cycle=cycle).values_list("jure_id", flat=True)
    ), Counter(
        Affectation.objects.filter(jure__cycle=cycle).values_list("candidature_id", flat=True)
    )


@pytest.mark.django_db
def test_affectations_proposer_200_candidatures_15_jures(jury, equipe):
    cycle = jury.cycle
    territoires = _candidatures_en_nombre(cycle, 200)
    jures = [JureFactory(cycle=cycle) for _ in range(15)]
    hasard = random.Random(4)
    Lien.objects.bulk_create(
        Lien(jure=jure, territoire=territoire, siren=territoire.siren, nom=territoire.nom)
        for jure in jures
        for territoire in hasard.sample(territoires, hasard.randint(0, 12))
    )

    resultat = services.affectations_proposer(jury, par=equipe)

    charges, couverture = _matrice(cycle)
    conflits = selectors.conflits_du_cycle(cycle)
    assert resultat.manques == {}
    assert len(resultat.nouvelles) == 400
    assert set(couverture.values()) == {2}
    assert len(couverture) == 200
    assert max(charges.values()) - min(charges.values()) <= 1
    assert sum(len(c) for c in conflits.values()) > 0
    assert [
        (a.jure_id, a.candidature_id)
        for a in Affectation.objects.all()
        if a.candidature_id in conflits[a.jure_id]
    ] == []
    assert set(Affectation.objects.values_list("automatique", "cree_par")) == {(True, equipe.pk)}

    # Proposing again adds nothing.
    seconde = services.affectations_proposer(jury, par=equipe)

    assert (seconde.nouvelles, seconde.manques) == ([], {})
    assert Affectation.objects.count() == 400
    assert [
        h.description for h in historique_de(cycle).filter(action="affectations_proposees")
    ] == [
        "Répartition automatique : 0 affectation(s) ajoutée(s)",
        "Répartition automatique : 400 affectation(s) ajoutée(s)",
    ]


@pytest.mark.django_db
def test_affectations_proposer_garde_les_affectations_faites_a_la_main(jury, equipe):
    cycle = jury.cycle
    candidatures = [CandidatureDeposeeFactory(cycle=cycle) for _ in range(4)]
    jures = [JureFactory(cycle=cycle) for _ in range(4)]
    a_la_main = AffectationFactory(jure=jures[0], candidature=candidatures[0], cree_par=equipe)

    resultat = services.affectations_proposer(jury, par=equipe)

    charges, couverture = _matrice(cycle)
    assert len(resultat.nouvelles) == 7
    assert couverture == Counter({c.pk: 2 for c in candidatures})
    assert charges == Counter({j.pk: 2 for j in jures})
    a_la_main.refresh_from_db()
    assert a_la_main.automatique is False
    assert Affectation.objects.filter(automatique=True).count() == 7


@pytest.mark.django_db
def test_affectations_proposer_respecte_les_reglages_et_ignore_brouillons_et_inactifs(jury, equipe):
    cycle = jury.cycle
    jury.jures_par_candidature = 1
    jury.charge_max = 2
    jury.save()
    candidatures = [CandidatureDeposeeFactory(cycle=cycle) for _ in range(5)]
    CandidatureFactory(cycle=cycle, statut="brouillon")
    actifs = [JureFactory(cycle=cycle) for _ in range(2)]
    JureFactory(cycle=cycle, actif=False)
    LienFactory(jure=actifs[0], territoire=candidatures[0].territoire)

    resultat = services.affectations_proposer(jury, par=equipe)

    charges, couverture = _matrice(cycle)
    assert charges == Counter({actifs[0].pk: 2, actifs[1].pk: 2})
    assert sum(resultat.manques.values()) == 1
    assert set(couverture) | set(resultat.manques) == {c.pk for c in candidatures}
    assert (actifs[0].pk, candidatures[0].pk) not in resultat.nouvelles
