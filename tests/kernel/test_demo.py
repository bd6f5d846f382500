from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role, roles_de
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from seances.models import Intervenant, Seance
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _comptes():
    return {
        "utilisateurs": User.objects.count(),
        "cycles": Cycle.objects.count(),
        "seances": Seance.objects.count(),
        "intervenants": Intervenant.objects.count(),
    }


def test_demo_deux_fois_ne_cree_rien_de_plus():
    RegionFactory()
    sortie = StringIO()

    call_command("demo", "--force", stdout=sortie)
    apres_premier = _comptes()
    call_command("demo", "--force", stdout=StringIO())

    assert _comptes() == apres_premier
    assert apres_premier["cycles"] == 2
    assert "cerdd-demo-2021" in sortie.getvalue()
    assert "camille.delattre@demo.cerdd-cycle.fr" in sortie.getvalue()


def test_demo_cycle_2021_et_ses_seances_reelles():
    RegionFactory()
    call_command("demo", "--force", stdout=StringIO())

    cycle = Cycle.objects.get(slug="territoires-participatifs-2021")
    seances = list(cycle.seances.order_by("numero").values_list("date", "intervenants__nom"))
    assert cycle.statut == StatutCycle.TERMINE
    assert cycle.places == 13
    assert [str(date) for date, _nom in seances[:3]] == ["2021-07-08", "2021-10-05", "2021-11-16"]
    assert ("2022-01-27", "Elisabeth Dau") in [(str(d), n) for d, n in seances]
    assert Cycle.objects.filter(statut=StatutCycle.AMI_OUVERT).get().ami_ouvert


def test_demo_comptes_verifies_avec_leurs_roles():
    RegionFactory()
    call_command("demo", "--force", stdout=StringIO())

    equipe = User.objects.get(email="camille.delattre@demo.cerdd-cycle.fr")
    jure = User.objects.get(email="jure.benali@demo.cerdd-cycle.fr")
    assert roles_de(equipe) == {Role.EQUIPE}
    assert roles_de(jure) == {Role.JURE}
    assert equipe.check_password("cerdd-demo-2021")
    assert EmailAddress.objects.filter(user=jure, verified=True, primary=True).exists()


def test_demo_refusee_hors_developpement():
    with pytest.raises(CommandError, match="développement"):
        call_command("demo", stdout=StringIO())


def test_demo_candidatures_de_2021_et_tous_les_etats_de_l_appel_ouvert():
    call_command("charger_territoires", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO())

    from candidatures.models import Candidature

    edition_2021 = Candidature.objects.filter(cycle__slug="territoires-participatifs-2021")
    noms = {str(c) for c in edition_2021}
    assert edition_2021.count() == 16
    assert {
        "Annœullin",
        "CA du Saint-Quentinois",
        "Loos-en-Gohelle",
        "Vimy",
        "Parc naturel régional Scarpe-Escaut",
    } <= noms
    assert set(edition_2021.values_list("statut", flat=True)) == {"deposee"}
    ouvert = Candidature.objects.filter(cycle__statut=StatutCycle.AMI_OUVERT)
    assert set(ouvert.values_list("statut", flat=True)) == {
        "brouillon",
        "deposee",
        "en_modification",
    }
    assert ouvert.filter(eligibilite_a_verifier=True).count() == 1
    assert all(c.pieces_jointes.count() == 1 for c in edition_2021)
    assert all(c.confirmations.filter(confirme_le__isnull=False).count() == 2 for c in edition_2021)
