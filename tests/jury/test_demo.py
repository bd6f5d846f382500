"""The jury's part of ``manage.py demo``: the 2021 edition scored and decided, the open call's
jury ready to try, and a second run that adds nothing."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q

from candidatures.models import Candidature
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.historique.models import Historique
from jury import selectors
from jury.models import Affectation, Decision, Jure, Jury, Lien, ModeleDecision, NoteJury
from jury.services import jures_relancer, resultats_envoyer
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SLUG_2021 = "territoires-participatifs-2021"
RETENUES = {
    "Annœullin",
    "Baisieux",
    "CU de Dunkerque",
    "CA du Saint-Quentinois",
    "CC du Pays de Lumbres",
    "Lambres-lez-Douai",
    "Loos-en-Gohelle",
    "Margny-lès-Compiègne",
    "Parc naturel régional Scarpe-Escaut",
    "Ronchin",
    "Sailly-lez-Lannoy",
    "Templeuve-en-Pévèle",
    "Vimy",
}
MODELES = [Jury, Jure, Lien, Affectation, NoteJury, Decision, ModeleDecision, Historique]


def _comptes():
    return {modele.__name__: modele.objects.count() for modele in MODELES}


@pytest.fixture
def demo():
    """The official list loaded, the demo built once; returns what it printed."""
    call_command("charger_territoires", stdout=StringIO())
    sortie = StringIO()
    call_command("demo", "--force", stdout=sortie)
    return sortie.getvalue()


@pytest.fixture
def cycle_2021(demo):
    return Cycle.objects.get(slug=SLUG_2021)


def test_demo_deux_fois_ne_cree_rien_de_plus(demo):
    apres_premier = _comptes()

    call_command("demo", "--force", stdout=StringIO())

    assert _comptes() == apres_premier
    assert apres_premier["Jure"] == 8
    assert apres_premier["Affectation"] == 16 * 2 + 1


def test_demo_ne_laisse_aucun_courriel_du_jury_a_envoyer(demo):
    # 2021 is published and the open call's deadline is weeks away: the sweeps find nothing.
    assert resultats_envoyer() == 0
    assert jures_relancer() == 0
    assert not Courriel.objects.filter(
        Q(cle__startswith="jury-") | Q(cle__startswith="decision:")
    ).exists()


def test_demo_2021_decisions_publiees(cycle_2021):
    decisions = Decision.objects.filter(candidature__cycle=cycle_2021).select_related(
        "candidature__territoire"
    )
    par_statut = {}
    for decision in decisions:
        par_statut.setdefault(decision.statut, []).append(decision)

    assert {str(d.candidature) for d in par_statut["retenue"]} == RETENUES
    assert sorted((d.rang_attente, str(d.candidature)) for d in par_statut["attente"]) == [
        (1, "Wattrelos"),
        (2, "Liévin"),
    ]
    assert [str(d.candidature) for d in par_statut["non_retenue"]] == ["CC Pévèle-Carembault"]
    assert all(d.motif for d in decisions)
    assert cycle_2021.resultats_publies_le == datetime.datetime(2021, 4, 15, 9, tzinfo=PARIS)
    jury = cycle_2021.jury
    assert jury.date_limite == datetime.datetime(2021, 4, 2, 18, tzinfo=PARIS)
    assert jury.deliberation_ouverte_le.astimezone(PARIS).date() == datetime.date(2021, 4, 8)
    assert set(
        ModeleDecision.objects.filter(cycle=cycle_2021).values_list("statut", flat=True)
    ) == {
        "retenue",
        "attente",
        "non_retenue",
    }


def test_demo_2021_affectations_equilibrees_sans_conflit(cycle_2021):
    conflits = selectors.conflits_du_cycle(cycle_2021)
    jures = {
        j.user.last_name: j for j in Jure.objects.filter(cycle=cycle_2021).select_related("user")
    }
    candidatures = list(Candidature.objects.filter(cycle=cycle_2021))
    en_conflit = {
        nom: sorted(str(c) for c in candidatures if c.pk in conflits[jure.pk])
        for nom, jure in jures.items()
    }
    affectations = Affectation.objects.filter(jure__cycle=cycle_2021)

    assert en_conflit == {
        "Benali": [],
        "Lemaire": ["CU de Dunkerque"],
        "Carpentier": ["CC du Pays de Lumbres", "Ronchin"],
        "Dufresne": [],
    }
    assert all(j.liens_declares_le is not None for j in jures.values())
    assert not [a for a in affectations if a.candidature_id in conflits[a.jure_id]]
    assert len(candidatures) == 16
    for candidature in candidatures:
        assert candidature.affectations.filter(soumise_le__isnull=False).count() == 2
    assert sorted(j.affectations.count() for j in jures.values()) == [8, 8, 8, 8]
    limite = cycle_2021.jury.date_limite
    assert all(a.soumise_le < limite and a.commentaire for a in affectations)


def test_demo_2021_classement_desaccords_et_severite(cycle_2021):
    classement = selectors.classement_du_cycle(cycle_2021)
    lignes = classement.lignes
    dufresne = Jure.objects.get(cycle=cycle_2021, user__last_name="Dufresne")

    assert sorted(str(ligne.candidature) for ligne in lignes if ligne.calcul.desaccord) == [
        "Margny-lès-Compiègne",
        "Wattrelos",
    ]
    assert [str(ligne.candidature) for ligne in lignes if ligne.calcul.portes_a_verifier] == [
        "Parc naturel régional Scarpe-Escaut"
    ]
    # The thirteen retained are the thirteen best scores; nobody is set aside by a gate.
    assert {str(ligne.candidature) for ligne in lignes[:13]} == RETENUES
    assert [ligne.calcul.rang for ligne in lignes] == list(range(1, 17))
    # Marc Dufresne scores well below the others on the same files.
    severites = classement.severites
    assert min(severites.values(), key=lambda s: s.ecart_moyen).jure_id == dufresne.pk
    assert severites[dufresne.pk].ecart_moyen < -3


def test_demo_appel_ouvert_un_jure_peut_essayer_de_noter(demo):
    cycle = Cycle.objects.get(statut=StatutCycle.AMI_OUVERT)
    jures = {j.user.last_name: j for j in Jure.objects.filter(cycle=cycle).select_related("user")}
    [affectation] = Affectation.objects.filter(jure__cycle=cycle)

    assert set(jures) == {"Benali", "Lemaire", "Carpentier", "Dufresne"}
    assert cycle.jury.date_limite == cycle.date_limite + datetime.timedelta(days=20)
    assert (affectation.jure, str(affectation.candidature)) == (jures["Benali"], "Arras")
    assert affectation.soumise_le is None and not affectation.notes.exists()
    assert sorted(jures["Benali"].liens.values_list("nom", flat=True)) == ["Amiens", "Lille"]
    assert jures["Lemaire"].liens_declares_le is None
    assert "jure.lemaire@demo.cerdd-cycle.fr  (déclarer ses liens d'intérêts)" in demo


def test_demo_sans_la_liste_officielle_ne_fait_aucune_affectation():
    RegionFactory()

    call_command("demo", "--force", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO())

    assert Jure.objects.count() == 8
    assert not Affectation.objects.exists()
    assert not Decision.objects.exists()
    assert Cycle.objects.get(slug=SLUG_2021).resultats_publies_le is None
