"""Conflicts of interest: a tie with a commune covers its EPCI, a tie with an EPCI covers its
communes, a tie with a structure outside the list covers that structure; declaring ties
withdraws the assignments they put in conflict."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from cerdd_cycle.historique.selectors import historique_de
from jury import selectors, services
from jury.enums import NatureLien
from jury.models import Affectation, Lien
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    DepartementFactory,
    JureFactory,
    LienFactory,
    TerritoireFactory,
)

pytestmark = pytest.mark.django_db

SIREN_PARC = "189000017"


@pytest.fixture
def carte(cycle_jury):
    """Two EPCI: the Weppes (Aubers, Fromelles) and Béthune (Béthune); a regional park outside
    the official list; a candidature for each of them."""
    weppes = TerritoireFactory(type="CC", nom="CC des Weppes", population=30000)
    aubers = TerritoireFactory(nom="Aubers", epci=weppes)
    fromelles = TerritoireFactory(nom="Fromelles", epci=weppes)
    bethune_agglo = TerritoireFactory(type="CA", nom="CA Béthune-Bruay", population=270000)
    bethune = TerritoireFactory(nom="Béthune", epci=bethune_agglo)
    c = SimpleNamespace(
        weppes=weppes, aubers=aubers, fromelles=fromelles, agglo=bethune_agglo, bethune=bethune
    )
    for nom in ("weppes", "aubers", "fromelles", "agglo", "bethune"):
        territoire = getattr(c, nom)
        setattr(c, f"c_{nom}", CandidatureDeposeeFactory(cycle=cycle_jury, territoire=territoire))
    c.c_parc = CandidatureDeposeeFactory(
        cycle=cycle_jury,
        territoire=None,
        departement=DepartementFactory(),
        structure_nom="Parc naturel régional Scarpe-Escaut",
        structure_siren=SIREN_PARC,
        structure_nature="parc naturel régional",
    )
    return c


def _lien_parc(jure):
    return LienFactory(
        jure=jure, territoire=None, siren=SIREN_PARC, nom="Parc naturel régional Scarpe-Escaut"
    )


# --- sirens_en_conflit ------------------------------------------------------------------------


def test_sirens_en_conflit_commune_couvre_son_epci_pas_ses_voisines(carte, jure):
    LienFactory(jure=jure, territoire=carte.aubers)

    assert selectors.sirens_en_conflit(jure.liens.all()) == {
        carte.aubers.siren,
        carte.weppes.siren,
    }


def test_sirens_en_conflit_epci_couvre_toutes_ses_communes(carte, jure):
    LienFactory(jure=jure, territoire=carte.weppes)

    assert selectors.sirens_en_conflit(jure.liens.all()) == {
        carte.weppes.siren,
        carte.aubers.siren,
        carte.fromelles.siren,
    }


def test_sirens_en_conflit_structure_hors_liste_seulement_elle(carte, jure):
    _lien_parc(jure)

    assert selectors.sirens_en_conflit(jure.liens.all()) == {SIREN_PARC}


def test_sirens_en_conflit_siren_saisi_d_un_epci_de_la_liste_couvre_ses_communes(carte, jure):
    # Declared by its SIREN alone, without choosing it in the list: still the EPCI.
    LienFactory(jure=jure, territoire=None, siren=carte.weppes.siren, nom="Les Weppes")

    assert selectors.sirens_en_conflit(jure.liens.all()) == {
        carte.weppes.siren,
        carte.aubers.siren,
        carte.fromelles.siren,
    }


def test_sirens_en_conflit_sans_lien_vide(jure):
    assert selectors.sirens_en_conflit(jure.liens.all()) == set()


def test_sirens_en_conflit_commune_sans_epci_seulement_elle(jure):
    isolee = TerritoireFactory(nom="Commune isolée", epci=None)
    LienFactory(jure=jure, territoire=isolee)

    assert selectors.sirens_en_conflit(jure.liens.all()) == {isolee.siren}


# --- en_conflit / conflits_du_cycle -----------------------------------------------------------


def test_en_conflit_lien_commune(carte, jure):
    LienFactory(jure=jure, territoire=carte.aubers)

    resultat = {
        nom: selectors.en_conflit(jure, getattr(carte, f"c_{nom}"))
        for nom in ("aubers", "weppes", "fromelles", "agglo", "bethune", "parc")
    }

    assert resultat == {
        "aubers": True,
        "weppes": True,
        "fromelles": False,
        "agglo": False,
        "bethune": False,
        "parc": False,
    }


def test_en_conflit_lien_epci(carte, jure):
    LienFactory(jure=jure, territoire=carte.weppes)

    resultat = {
        nom: selectors.en_conflit(jure, getattr(carte, f"c_{nom}"))
        for nom in ("aubers", "weppes", "fromelles", "agglo", "bethune", "parc")
    }

    assert resultat == {
        "aubers": True,
        "weppes": True,
        "fromelles": True,
        "agglo": False,
        "bethune": False,
        "parc": False,
    }


def test_en_conflit_lien_structure_hors_liste(carte, jure):
    _lien_parc(jure)

    assert [
        nom
        for nom in ("aubers", "weppes", "fromelles", "agglo", "bethune", "parc")
        if selectors.en_conflit(jure, getattr(carte, f"c_{nom}"))
    ] == ["parc"]


def test_conflits_du_cycle_chaque_jure(carte, cycle_jury, autre_cycle):
    par_commune = JureFactory(cycle=cycle_jury)
    LienFactory(jure=par_commune, territoire=carte.aubers)
    par_epci = JureFactory(cycle=cycle_jury)
    LienFactory(jure=par_epci, territoire=carte.agglo)
    par_parc = JureFactory(cycle=cycle_jury)
    _lien_parc(par_parc)
    plusieurs = JureFactory(cycle=cycle_jury)
    LienFactory(jure=plusieurs, territoire=carte.fromelles)
    LienFactory(jure=plusieurs, territoire=carte.bethune)
    sans_lien = JureFactory(cycle=cycle_jury)
    # A juror of another cycle is not part of this one's answer.
    LienFactory(jure=JureFactory(cycle=autre_cycle), territoire=carte.aubers)

    assert selectors.conflits_du_cycle(cycle_jury) == {
        par_commune.pk: {carte.c_aubers.pk, carte.c_weppes.pk},
        par_epci.pk: {carte.c_agglo.pk, carte.c_bethune.pk},
        par_parc.pk: {carte.c_parc.pk},
        plusieurs.pk: {
            carte.c_fromelles.pk,
            carte.c_weppes.pk,
            carte.c_bethune.pk,
            carte.c_agglo.pk,
        },
        sans_lien.pk: set(),
    }


def test_conflits_du_cycle_ignore_les_brouillons(carte, cycle_jury, jure):
    LienFactory(jure=jure, territoire=carte.weppes)
    carte.c_fromelles.statut = "brouillon"
    carte.c_fromelles.save(update_fields=["statut"])

    assert selectors.conflits_du_cycle(cycle_jury) == {
        jure.pk: {carte.c_weppes.pk, carte.c_aubers.pk}
    }


def test_conflits_du_cycle_requetes_fixes(carte, cycle_jury, django_assert_max_num_queries):
    for territoire in (carte.aubers, carte.weppes, carte.bethune):
        LienFactory(jure=JureFactory(cycle=cycle_jury), territoire=territoire)
    _lien_parc(JureFactory(cycle=cycle_jury))

    # Jurors, their ties, candidatures, territories of SIREN-only ties, EPCI of tied communes,
    # communes of tied EPCI: the same whatever the number of jurors.
    with django_assert_max_num_queries(6):
        selectors.conflits_du_cycle(cycle_jury)


def test_affectation_de_en_conflit_404(carte, jure):
    # Assigned before the tie was known (created directly, as an old row would be).
    AffectationFactory(jure=jure, candidature=carte.c_fromelles)
    LienFactory(jure=jure, territoire=carte.weppes)

    with pytest.raises(Http404):
        selectors.affectation_de(jure.user, carte.c_fromelles.pk)


def test_affectation_ajouter_refuse_un_conflit(carte, jure, equipe):
    LienFactory(jure=jure, territoire=carte.aubers)

    with pytest.raises(ValidationError, match="conflit d'intérêts"):
        services.affectation_ajouter(jure, carte.c_weppes, par=equipe)
    assert Affectation.objects.count() == 0

    affectation = services.affectation_ajouter(jure, carte.c_fromelles, par=equipe)
    assert list(Affectation.objects.all()) == [affectation]


# --- liens_declarer ---------------------------------------------------------------------------


def test_liens_declarer_retire_les_affectations_en_conflit(carte, jure, equipe):
    weppes = AffectationFactory(jure=jure, candidature=carte.c_weppes)
    fromelles = AffectationFactory(jure=jure, candidature=carte.c_fromelles)
    bethune = AffectationFactory(jure=jure, candidature=carte.c_bethune)
    # Someone else's assignment of the same candidature stays.
    autre = AffectationFactory(candidature=carte.c_aubers)

    retirees = services.liens_declarer(
        jure,
        liens=[(carte.aubers, "", "", NatureLien.MEMBRE)],
        par=jure.user,
    )

    assert retirees == [weppes]
    assert set(Affectation.objects.all()) == {fromelles, bethune, autre}
    assert [(h.action, h.acteur) for h in historique_de(carte.c_weppes)] == [
        ("affectation_retiree", jure.user)
    ]
    assert historique_de(carte.c_fromelles).count() == 0
    entree = historique_de(jure.cycle).get(action="liens_declares")
    assert (entree.avant, entree.apres) == ({"liens": []}, {"liens": ["Aubers"]})
    jure.refresh_from_db()
    assert jure.liens_declares_le is not None
    assert [(lien.territoire, lien.siren, lien.nom, lien.nature) for lien in jure.liens.all()] == [
        (carte.aubers, carte.aubers.siren, "Aubers", NatureLien.MEMBRE)
    ]


def test_liens_declarer_epci_retire_toutes_ses_communes(carte, jure, equipe):
    for candidature in (carte.c_aubers, carte.c_fromelles, carte.c_bethune):
        AffectationFactory(jure=jure, candidature=candidature)

    retirees = services.liens_declarer(
        jure, liens=[(carte.weppes, "", "", NatureLien.PARTENAIRE)], par=equipe
    )

    assert {a.candidature for a in retirees} == {carte.c_aubers, carte.c_fromelles}
    assert [a.candidature for a in Affectation.objects.all()] == [carte.c_bethune]


def test_liens_declarer_structure_hors_liste(carte, jure):
    parc = AffectationFactory(jure=jure, candidature=carte.c_parc)
    AffectationFactory(jure=jure, candidature=carte.c_aubers)

    retirees = services.liens_declarer(
        jure,
        liens=[(None, "189 000 017", "  Parc naturel régional Scarpe-Escaut ", "membre")],
        par=jure.user,
    )

    assert retirees == [parc]
    assert [(lien.territoire, lien.siren, lien.nom) for lien in jure.liens.all()] == [
        (None, SIREN_PARC, "Parc naturel régional Scarpe-Escaut")
    ]


@pytest.mark.parametrize(
    ("lien", "message"),
    [
        ((None, "12345", "Syndicat", "membre"), "SIREN à 9 chiffres"),
        ((None, "", "Syndicat", "membre"), "SIREN à 9 chiffres"),
        ((None, "1234567890", "Syndicat", "membre"), "SIREN à 9 chiffres"),
        ((None, SIREN_PARC, "Parc", "cousin"), "nature du lien"),
    ],
)
def test_liens_declarer_mauvaise_saisie_ne_change_rien(carte, jure, lien, message):
    LienFactory(jure=jure, territoire=carte.bethune)
    affectation = AffectationFactory(jure=jure, candidature=carte.c_aubers)
    declares_le = jure.liens_declares_le

    with pytest.raises(ValidationError, match=message):
        # The first line is valid and would withdraw the assignment: nothing of it is saved.
        services.liens_declarer(jure, liens=[(carte.aubers, "", "", "membre"), lien], par=jure.user)

    jure.refresh_from_db()
    assert jure.liens_declares_le == declares_le
    assert [lien.territoire for lien in jure.liens.all()] == [carte.bethune]
    assert list(Affectation.objects.all()) == [affectation]
    assert historique_de(jure.cycle).count() == 0


def test_liens_declarer_remplace_les_liens(carte, jure):
    LienFactory(jure=jure, territoire=carte.aubers)
    LienFactory(jure=jure, territoire=carte.bethune)

    services.liens_declarer(
        jure,
        liens=[
            (carte.fromelles, "", "", "partenaire"),
            # The same collectivity twice is kept once.
            (None, carte.fromelles.siren, "Fromelles", "membre"),
        ],
        par=jure.user,
    )

    assert [(lien.territoire, lien.nature) for lien in Lien.objects.all()] == [
        (carte.fromelles, "partenaire")
    ]
    entree = historique_de(jure.cycle).get(action="liens_declares")
    assert (entree.avant, entree.apres) == (
        {"liens": ["Aubers", "Béthune"]},
        {"liens": ["Fromelles"]},
    )


def test_liens_declarer_aucun_lien(carte, jure):
    LienFactory(jure=jure, territoire=carte.aubers)

    assert services.liens_declarer(jure, liens=[], par=jure.user) == []

    jure.refresh_from_db()
    assert list(jure.liens.all()) == []
    assert jure.liens_declares_le is not None
