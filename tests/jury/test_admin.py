"""The jury in the admin: settings and templates edited through the services, the rest shown
read-only, every list with a fixed number of queries."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidatures.grille import grille_par_defaut
from cerdd_cycle.historique.selectors import historique_de
from jury.enums import StatutDecision, VisibiliteNotes
from jury.models import Affectation, Decision, Jury, ModeleDecision
from jury.services import decision_enregistrer, jury_obtenir
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    DecisionFactory,
    JureFactory,
    LienFactory,
    noter,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


def _jury():
    return jury_obtenir(CycleFactory())


def _jure():
    jure = JureFactory()
    LienFactory(jure=jure)
    AffectationFactory(jure=jure, candidature__cycle=jure.cycle)
    return jure


def _affectation():
    affectation = AffectationFactory()
    grille_par_defaut(affectation.candidature.cycle)
    return noter(affectation, {2: 3, 3: 4})


def _modele():
    return ModeleDecision.objects.create(
        cycle=CycleFactory(),
        statut=StatutDecision.RETENUE,
        sujet="Votre candidature au cycle",
        corps="Bonjour, {collectivite} rejoint le cycle.",
    )


LISTES = {
    "jury": _jury,
    "jure": _jure,
    "affectation": _affectation,
    "decision": DecisionFactory,
    "modeledecision": _modele,
}


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(requetes)


@pytest.mark.parametrize("modele", LISTES)
def test_admin_liste_nombre_de_requetes_constant(client_equipe, modele):
    url = reverse(f"admin:jury_{modele}_changelist")
    LISTES[modele]()
    un, requetes_un = _requetes(client_equipe, url)
    LISTES[modele]()
    LISTES[modele]()
    trois, requetes_trois = _requetes(client_equipe, url)

    assert len(un.context["cl"].result_list) == 1
    assert len(trois.context["cl"].result_list) == 3
    assert requetes_trois == requetes_un


def test_admin_jures_avec_leurs_comptes(client_equipe):
    jure = _jure()
    noter(jure.affectations.get(), {2: 2, 3: 2})
    AffectationFactory(jure=jure, candidature__cycle=jure.cycle)

    response = client_equipe.get(reverse("admin:jury_jure_changelist"))
    [ligne] = response.context["cl"].result_list

    assert (ligne.nb_liens, ligne.nb_affectees, ligne.nb_soumises) == (1, 2, 1)
    assert jure.user.email in response.content.decode()


def test_admin_jures_recherche_par_nom(client_equipe):
    jure = _jure()
    _jure()

    response = client_equipe.get(reverse("admin:jury_jure_changelist"), {"q": jure.user.last_name})

    assert list(response.context["cl"].result_list) == [jure]


def test_admin_fiche_jure_montre_les_liens_sans_les_modifier(client_equipe):
    jure = _jure()
    lien = jure.liens.get()
    url = reverse("admin:jury_jure_change", args=[jure.pk])

    page = client_equipe.get(url)
    envoi = client_equipe.post(url, {"actif": ""})

    assert page.status_code == 200
    contenu = page.content.decode()
    assert lien.nom in contenu and lien.siren in contenu
    assert 'name="_save"' not in contenu
    assert envoi.status_code == 403
    jure.refresh_from_db()
    assert jure.actif is True
    assert client_equipe.get(reverse("admin:jury_jure_add")).status_code == 403


def test_admin_fiche_affectation_montre_les_notes_en_lecture_seule(client_equipe):
    affectation = _affectation()
    Affectation.objects.filter(pk=affectation.pk).update(commentaire="Dossier très convaincant.")
    url = reverse("admin:jury_affectation_change", args=[affectation.pk])

    page = client_equipe.get(url)

    assert page.status_code == 200
    contenu = page.content.decode()
    assert "Dossier très convaincant." in contenu
    assert "Place de la démocratie participative dans le projet" in contenu
    assert 'name="notes-0-valeur"' not in contenu
    assert client_equipe.get(reverse("admin:jury_affectation_add")).status_code == 403


def test_admin_affectations_filtre_soumise(client_equipe):
    soumise = _affectation()
    AffectationFactory(jure__cycle=soumise.jure.cycle, candidature__cycle=soumise.jure.cycle)
    url = reverse("admin:jury_affectation_changelist")

    oui = client_equipe.get(url, {"soumise": "oui"})
    non = client_equipe.get(
        url, {"soumise": "non", "jure__cycle__id__exact": soumise.jure.cycle_id}
    )

    assert list(oui.context["cl"].result_list) == [soumise]
    assert [a.soumise for a in non.context["cl"].result_list] == [False]


def test_admin_fiche_decision_lien_vers_le_classement_et_historique(client_equipe, equipe):
    candidature = CandidatureDeposeeFactory()
    decision_enregistrer(candidature, statut=StatutDecision.RETENUE, par=equipe)
    decision = decision_enregistrer(
        candidature,
        statut=StatutDecision.ATTENTE,
        motif="Places comptées.",
        rang_attente=1,
        par=equipe,
    )
    url = reverse("admin:jury_decision_change", args=[decision.pk])

    page = client_equipe.get(url)
    envoi = client_equipe.post(url, {"statut": StatutDecision.NON_RETENUE, "motif": "Non."})

    assert page.status_code == 200
    contenu = page.content.decode()
    classement = reverse("deliberation:classement", kwargs={"cycle": candidature.cycle.slug})
    assert f'<a href="{classement}">' in contenu
    assert "— → Retenue" in contenu
    assert "Retenue → Liste d&#x27;attente" in contenu
    assert envoi.status_code == 403
    assert Decision.objects.get().statut == StatutDecision.ATTENTE


def test_admin_jury_modifie_par_le_service(client_equipe, equipe):
    jury = _jury()
    url = reverse("admin:jury_jury_change", args=[jury.pk])

    response = client_equipe.post(
        url,
        {
            "jures_par_candidature": "3",
            "charge_max": "6",
            "date_limite_0": "2021-04-02",
            "date_limite_1": "18:00:00",
            "visibilite_notes": VisibiliteNotes.DELIBERATION,
            "deliberation_ouverte_le_0": "",
            "deliberation_ouverte_le_1": "",
            "envoi_prevu_le_0": "",
            "envoi_prevu_le_1": "",
        },
    )

    assert response.status_code == 302
    jury.refresh_from_db()
    assert (jury.jures_par_candidature, jury.charge_max, jury.visibilite_notes) == (
        3,
        6,
        VisibiliteNotes.DELIBERATION,
    )
    assert jury.date_limite == datetime.datetime(2021, 4, 2, 18, tzinfo=PARIS)
    [entree] = historique_de(jury.cycle).filter(action="jury_parametre")
    assert entree.acteur == equipe
    assert entree.apres == {
        "jures_par_candidature": "3",
        "charge_max": "6",
        "date_limite": "2021-04-02 18:00:00+02:00",
        "visibilite_notes": VisibiliteNotes.DELIBERATION,
    }
    assert client_equipe.get(reverse("admin:jury_jury_add")).status_code == 403


def test_admin_modele_refuse_une_variable_inconnue(client_equipe):
    modele = _modele()
    avant = (modele.sujet, modele.corps)
    url = reverse("admin:jury_modeledecision_change", args=[modele.pk])

    response = client_equipe.post(
        url,
        {"sujet": "Votre candidature", "corps": "Bonjour {commune}, {collectivite} est retenue."},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "corps": [
            "Variables inconnues : {commune}. Celles qui existent : {collectivite}, {cycle}, "
            "{motif}, {rang_attente}, {premiere_seance}, {porteur}, {contact}."
        ]
    }
    modele.refresh_from_db()
    assert (modele.sujet, modele.corps) == avant
    assert not historique_de(modele.cycle).filter(action="modele_decision").exists()


def test_admin_modele_modifie_par_le_service(client_equipe, equipe):
    modele = _modele()
    url = reverse("admin:jury_modeledecision_change", args=[modele.pk])

    response = client_equipe.post(
        url, {"sujet": " {collectivite} rejoint le cycle ", "corps": "Bienvenue, {collectivite}."}
    )

    assert response.status_code == 302
    modele.refresh_from_db()
    assert (modele.sujet, modele.corps) == (
        "{collectivite} rejoint le cycle",
        "Bienvenue, {collectivite}.",
    )
    [entree] = historique_de(modele.cycle).filter(action="modele_decision")
    assert entree.acteur == equipe
    assert entree.apres == {"sujet": modele.sujet, "corps": modele.corps}


def test_admin_modele_ajout_refuse_une_variable_inconnue_dans_l_objet(client_equipe):
    cycle = CycleFactory()

    response = client_equipe.post(
        reverse("admin:jury_modeledecision_add"),
        {
            "cycle": cycle.pk,
            "statut": StatutDecision.RETENUE,
            "sujet": "Bienvenue {maire}",
            "corps": "Bonjour {collectivite}.",
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["sujet"]
    assert not ModeleDecision.objects.exists()


def test_admin_jury_liste_par_cycle(client_equipe):
    jury = _jury()

    response = client_equipe.get(reverse("admin:jury_jury_changelist"))

    assert list(response.context["cl"].result_list) == [Jury.objects.get(pk=jury.pk)]
    assert jury.cycle.titre in response.content.decode()
