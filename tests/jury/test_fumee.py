import pytest
from tests.factories import AffectationFactory, CandidatureDeposeeFactory, noter
from jury import selectors, services

def test_fumee(jury, jure, equipe):
    c = CandidatureDeposeeFactory(cycle=jury.cycle)
    a = AffectationFactory(candidature=c, jure=jure)
    noter(a, {2: 3, 3: 4})
    cl = selectors.classement_du_cycle(jury.cycle)
    assert cl.lignes[0].calcul.score is not None
    services.decision_enregistrer(c, statut="retenue", par=equipe)
    jury.cycle.refresh_from_db()
    assert services.resultats_publier(jury, par=equipe) == 1
