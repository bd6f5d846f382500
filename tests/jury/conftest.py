import pytest

from candidatures.grille import grille_par_defaut
from jury.services import jury_obtenir
from tests.factories import CandidatureDeposeeFactory, CycleFactory, JureFactory


@pytest.fixture
def cycle_jury(db):
    """A cycle whose call is closed, with the default grid (gates 1 and 4, scales 2 and 3)."""
    candidature = CandidatureDeposeeFactory()
    cycle = candidature.cycle
    candidature.delete()
    grille_par_defaut(cycle)
    return cycle


@pytest.fixture
def jury(cycle_jury):
    return jury_obtenir(cycle_jury)


@pytest.fixture
def jure(cycle_jury):
    return JureFactory(cycle=cycle_jury)


@pytest.fixture
def autre_cycle(db):
    return CycleFactory()
