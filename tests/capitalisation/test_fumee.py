import datetime

import pytest

from capitalisation import selectors
from tests.factories import CycleFactory, ElementFactory, EntreeFactory, SeanceFactory, binome_complet

pytestmark = pytest.mark.django_db


def test_contexte_se_construit(django_assert_max_num_queries):
    cycle = CycleFactory()
    seance = SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2021, 10, 5))
    binome = binome_complet(cycle)
    entree = EntreeFactory(membre=binome.membres.first(), seance=seance)
    ElementFactory(entree=entree, audience="groupe", texte="partagé")
    ElementFactory(entree=entree, audience="prive", texte="secret")
    with django_assert_max_num_queries(30):
        contexte = selectors.contexte_rapport(cycle, aujourdhui=datetime.date(2022, 7, 1))
    assert contexte.chiffres.partages == 1
    textes = [p.texte for r in contexte.partages for g in r.groupes for p in g.partages]
    assert textes == ["partagé"]
    print(contexte)


def test_nombre_de_requetes(django_assert_num_queries):
    cycle = CycleFactory()
    with django_assert_num_queries(0) as capture:
        pass
