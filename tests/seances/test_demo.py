"""The sessions' part of ``manage.py demo``: the 2021-2022 edition lived through (pairs, days
detailed, answers, attendance, questions, evaluations, attestations), no email left in the
outbox, and a second run that adds nothing."""

import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role, roles_de
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.demo import MOT_DE_PASSE_DEMO
from cerdd_cycle.cycles.models import Cycle
from seances import selectors, services
from seances.enums import FormatProgramme, StatutBinome
from seances.models import (
    Attestation,
    Binome,
    Confirmation,
    Evaluation,
    Membre,
    PointProgramme,
    Presence,
    Question,
    ReponseBesoins,
    Ressource,
    Seance,
)
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db
SLUG_2021 = "territoires-participatifs-2021"
MODELES = [
    User,
    Binome,
    Membre,
    Seance,
    PointProgramme,
    Ressource,
    ReponseBesoins,
    Confirmation,
    Presence,
    Question,
    Evaluation,
    Attestation,
]
CLES_DES_SEANCES = (
    "participant-invitation:",
    "note-contexte:",
    "rappel-confirmation:",
    "remplacement:",
    "evaluation",
    "alerte-assiduite:",
    "attestation:",
)


def _comptes():
    return {modele.__name__: modele.objects.count() for modele in MODELES}


@pytest.fixture
def demo():
    call_command("charger_territoires", stdout=StringIO())
    sortie = StringIO()
    call_command("demo", "--force", stdout=sortie)
    return sortie.getvalue()


@pytest.fixture
def cycle(demo):
    return Cycle.objects.get(slug=SLUG_2021)


def test_demo_deux_fois_ne_cree_rien_de_plus_et_n_envoie_rien(demo):
    apres_premier = _comptes()

    call_command("demo", "--force", stdout=StringIO())

    assert _comptes() == apres_premier
    assert (apres_premier["Binome"], apres_premier["Membre"]) == (13, 13 * 2 + 4 + 1)
    cles = Q()
    for prefixe in CLES_DES_SEANCES:
        cles |= Q(cle__startswith=prefixe)
    assert not Courriel.objects.filter(cles).exists()
    # The cycle is over: the sweeps find nothing to send for it.
    assert services.seances_balayer() == {
        "notes_contexte": 0,
        "rappels_confirmation": 0,
        "evaluations": 0,
        "alertes": 0,
    }


def test_demo_participants_de_vimy_se_connectent(demo, client):
    elue = User.objects.get(email="laetitia.degrave@vimy.demo.fr")
    technicien = User.objects.get(email="julien.deldalle@vimy.demo.fr")

    connexion = client.post(
        reverse("account_login"), {"login": elue.email, "password": MOT_DE_PASSE_DEMO}
    )

    assert connexion.status_code == 302
    assert int(client.session["_auth_user_id"]) == elue.pk
    for user in (elue, technicien):
        assert roles_de(user) == {Role.PARTICIPANT}
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
        assert f"{user.email}  (séances 2021-2022, binôme, attestation)" in demo
    vimy = Binome.objects.get(membres__user=elue)
    assert str(vimy) == "Vimy"
    assert sorted(
        (m.role, m.suppleant, m.user.email) for m in vimy.membres.select_related("user")
    ) == [
        ("elu", False, "laetitia.degrave@vimy.demo.fr"),
        ("elu", True, "gerard.playe@vimy.demo.fr"),
        ("technicien", False, "julien.deldalle@vimy.demo.fr"),
    ]


def test_demo_seances_detaillees(cycle):
    seances = list(cycle.seances.order_by("numero").prefetch_related("programme", "ressources"))
    binomes = set(Binome.objects.filter(cycle=cycle))

    assert [str(s.hote) for s in seances] == [
        "Loos-en-Gohelle",
        "Ronchin",
        "Templeuve-en-Pévèle",
        "CU de Dunkerque",
        "CA du Saint-Quentinois",
        "CC du Pays de Lumbres",
    ]
    assert {s.hote for s in seances} <= binomes
    assert seances[4].heure_debut == datetime.time(9, 0)
    formats = {point.format for s in seances for point in s.programme.all()}
    assert {
        FormatProgramme.APPORT,
        FormatProgramme.DEBAT,
        FormatProgramme.DEJEUNER,
        FormatProgramme.ATELIER_PAIRS,
        FormatProgramme.AUTODIAGNOSTIC,
        FormatProgramme.CODEVELOPPEMENT,
        FormatProgramme.CONFERENCE_INVERSEE,
    } <= formats
    for seance in seances:
        assert seance.note_contexte.startswith("<p>") and "<ul><li>" in seance.note_contexte
        assert seance.ressources.all()
        assert all(s.heure_debut < s.fin_matinee < s.heure_fin for s in [seance])
    [fichier] = Ressource.objects.exclude(fichier="")
    with fichier.fichier.open("rb") as contenu:
        assert contenu.read(5) == b"%PDF-"
    perdrigeat = seances[2].programme.get(format=FormatProgramme.CONFERENCE_INVERSEE)
    assert perdrigeat.intervenant.nom == "Julian Perdrigeat"


def test_demo_assiduite_questions_evaluations_attestations(cycle):
    matrice = selectors.matrice_assiduite(cycle)
    par_nom = {str(ligne.binome): ligne for ligne in matrice.lignes}
    questions = selectors.questions_groupees(cycle.seances.get(numero=3))

    assert len(matrice.lignes) == 13
    assert StatutBinome.NON_RENSEIGNE not in {s for ligne in matrice.lignes for s in ligne.statuts}
    assert par_nom["Vimy"].statuts[1:3] == [StatutBinome.ELU_SEUL, StatutBinome.TECHNICIEN_SEUL]
    assert par_nom["CU de Dunkerque"].statuts[1] == StatutBinome.REMPLACE
    assert par_nom["Baisieux"].statuts[2] == StatutBinome.ABSENT
    assert par_nom["CA du Saint-Quentinois"].statuts[3] == StatutBinome.EXCUSE
    assert sum(s == StatutBinome.COMPLET for s in matrice.lignes[0].statuts) >= 4
    assert matrice.compte(StatutBinome.COMPLET)[0] == 13

    assert [groupe.groupe for groupe in questions] == [
        "Décloisonner les services",
        "La place des élu·es",
        "Manager par la confiance",
        "",
    ]
    assert sorted(q.nombre for groupe in questions for q in groupe.questions) == [
        1,
        1,
        1,
        1,
        1,
        2,
        2,
    ]

    for seance in cycle.seances.all():
        resultats = selectors.resultats_evaluation(seance)
        assert 0 < resultats.nombre < resultats.attendus
        assert all(e.bien for e in resultats.evaluations)
    assert selectors.besoins_du_cycle(cycle).repondants > 13

    attestations = Attestation.objects.filter(cycle=cycle)
    assert attestations.filter(type="collectivite").count() == 13
    assert attestations.filter(membre__user__email="laetitia.degrave@vimy.demo.fr").exists()
    # The technicien of Sailly-lez-Lannoy who left after three sessions gets none; nor does
    # his successor; the collectivity does.
    sailly = Membre.objects.filter(binome__candidature__territoire__nom="Sailly-lez-Lannoy")
    assert not attestations.filter(membre__in=sailly.filter(role="technicien")).exists()
    assert sailly.filter(role="technicien", actif=False).count() == 1
    assert all(a.seances_presentes >= 5 and a.seances_total == 6 for a in attestations)


def test_demo_sans_la_liste_officielle_seances_sans_binomes():
    RegionFactory()

    call_command("demo", "--force", stdout=StringIO())
    sortie = StringIO()
    call_command("demo", "--force", stdout=sortie)

    cycle = Cycle.objects.get(slug=SLUG_2021)
    assert cycle.seances.count() == 6
    assert PointProgramme.objects.filter(seance__cycle=cycle).count() == 36
    assert not Binome.objects.exists()
    assert not Seance.objects.filter(hote__isnull=False).exists()
    assert "Participante (élue)" not in sortie.getvalue()
