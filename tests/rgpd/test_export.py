"""A person's download: every layer's part of their data, and nothing of anyone else's."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.grille import grille_par_defaut
from candidatures.models import Acces
from cerdd_cycle.comptes.donnees import archive_zip
from cerdd_cycle.courriels.services import courriel_creer
from cerdd_cycle.historique.models import Historique
from journal.models import Relais
from jury.models import NoteJury
from seances.models import Confirmation, Presence, Question
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    DecisionFactory,
    ElementFactory,
    EntreeFactory,
    PieceJointeFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
    noter,
)

pytestmark = pytest.mark.django_db


def _ouvrir(contenu):
    archive = zipfile.ZipFile(io.BytesIO(contenu))
    assert archive.testzip() is None
    return archive, json.loads(archive.read("donnees.json"))


def _telecharger(client, user):
    client.force_login(user)
    reponse = client.get(reverse("donnees:telecharger"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/zip"
    assert reponse["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    return _ouvrir(reponse.content)


@pytest.fixture
def selection():
    candidature = CandidatureDeposeeFactory(motivations="Nos motivations à nous.")
    grille_par_defaut(candidature.cycle)
    piece = PieceJointeFactory(candidature=candidature, nom_original="lettre.pdf")
    autre = CandidatureDeposeeFactory(cycle=candidature.cycle, motivations="Secret d'à côté.")
    affectation = AffectationFactory(candidature=candidature, commentaire="Avis du juré A.")
    noter(affectation, {})
    NoteJury.objects.filter(affectation=affectation).update(commentaire="Note privée du juré A")
    autre_jure = AffectationFactory(candidature=candidature, commentaire="Avis du juré B.")
    DecisionFactory(candidature=candidature, statut="non_retenue", motif="Motif pour vous.")
    return {
        "candidature": candidature,
        "piece": piece,
        "autre": autre,
        "affectation": affectation,
        "autre_affectation": autre_jure,
    }


def test_la_candidate_recoit_ses_candidatures_et_leurs_fichiers(client, selection):
    candidature = selection["candidature"]
    courriel_creer(
        cle="t:1", destinataires=[candidature.proprietaire.email], sujet="Accusé", texte="Reçu"
    )
    courriel_creer(cle="t:2", destinataires=["quelquun@exemple.fr"], sujet="Autre", texte="X")

    archive, donnees = _telecharger(client, candidature.proprietaire)

    assert donnees["compte"]["email"] == candidature.proprietaire.email
    (export,) = donnees["candidatures"]["candidatures"]
    assert export["reponses"]["motivations"] == "Nos motivations à nous."
    assert export["titulaire_du_compte"] is True
    (fichier,) = [n for n in archive.namelist() if n.startswith("fichiers/")]
    assert fichier == export["pieces_jointes"][0]["fichier"].join(["fichiers/", ""])
    assert archive.read(fichier) == b"%PDF-1.4\n%%EOF\n"
    assert [c["sujet"] for c in donnees["courriels"]] == ["Accusé"]
    texte = json.dumps(donnees, ensure_ascii=False)
    # Not another collectivity's candidature, not the jurors' work.
    assert "Secret d'à côté" not in texte
    assert "juré" not in texte and "Note privée" not in texte
    # The decision waits for the publication of the results.
    assert donnees["jury"]["decisions_recues"] == []
    assert Historique.objects.filter(action="donnees_export").count() == 1


def test_la_decision_entre_une_fois_les_resultats_publies(client, selection):
    cycle = selection["candidature"].cycle
    cycle.resultats_publies_le = timezone.now()
    cycle.save(update_fields=["resultats_publies_le"])

    _archive, donnees = _telecharger(client, selection["candidature"].proprietaire)

    (decision,) = donnees["jury"]["decisions_recues"]
    assert decision["statut"] == "Non retenue" and decision["motif"] == "Motif pour vous."


def test_la_co_editrice_recoit_la_candidature(client, selection):
    coeditrice = UserFactory()
    Acces.objects.create(
        candidature=selection["candidature"],
        email=coeditrice.email,
        user=coeditrice,
        accepte_le=timezone.now(),
    )

    _archive, donnees = _telecharger(client, coeditrice)

    (export,) = donnees["candidatures"]["candidatures"]
    assert export["titulaire_du_compte"] is False


def test_le_jure_recoit_ses_notes_et_pas_celles_des_autres(client, selection):
    jure = selection["affectation"].jure.user

    _archive, donnees = _telecharger(client, jure)

    (jury,) = donnees["jury"]["jurys"]
    (evaluation,) = jury["evaluations"]
    assert evaluation["commentaire"] == "Avis du juré A."
    assert {n["commentaire"] for n in evaluation["notes"]} == {"Note privée du juré A"}
    texte = json.dumps(donnees, ensure_ascii=False)
    assert "Avis du juré B" not in texte
    # Never the candidature itself, nor the decision.
    assert "Nos motivations" not in texte and "Motif pour vous" not in texte
    assert donnees["candidatures"]["candidatures"] == []


@pytest.fixture
def parcours():
    binome = binome_complet(CandidatureDeposeeFactory().cycle)
    seance = SeanceFactory(cycle=binome.cycle, numero=1, date=datetime.date(2026, 3, 1))
    elu = binome.membres.get(role="elu")
    technicien = binome.membres.get(role="technicien")
    entree = EntreeFactory(membre=elu, seance=seance, notes="Mes notes libres")
    ElementFactory(entree=entree, texte="Mon idée privée", audience="prive")
    ElementFactory(entree=entree, texte="Mon idée partagée", audience="groupe")
    autre = EntreeFactory(membre=technicien, seance=seance, notes="Notes du technicien")
    ElementFactory(entree=autre, texte="Privé du technicien", audience="prive")
    ElementFactory(entree=autre, texte="Pour le binôme, du technicien", audience="binome")
    Confirmation.objects.create(seance=seance, membre=elu, reponse="present", regimes=["vegan"])
    Presence.objects.create(seance=seance, membre=elu, demi_journee="matin", statut="present")
    Question.objects.create(seance=seance, auteur=elu, texte="Ma question ?")
    Question.objects.create(seance=seance, auteur=technicien, texte="Question du technicien ?")
    Relais.objects.create(
        binome=binome, auteur=elu, date=seance.date, public="Conseil", quoi="Relais de l'élu"
    )
    return {"binome": binome, "elu": elu, "technicien": technicien, "seance": seance}


def test_la_participante_recoit_son_journal_sans_celui_de_son_binome(client, parcours):
    _archive, donnees = _telecharger(client, parcours["elu"].user)

    (entree,) = donnees["journal"]["entrees"]
    assert entree["notes"] == "Mes notes libres"
    assert {e["texte"] for e in entree["elements"]} == {"Mon idée privée", "Mon idée partagée"}
    assert donnees["journal"]["relais"][0]["de_vous"] is True
    seances = donnees["seances"]
    assert seances["binomes"][0]["role"]
    assert seances["confirmations"][0]["regimes"] == ["vegan"]
    assert seances["presences"][0]["statut"]
    assert [q["texte"] for q in seances["questions_aux_intervenants"]] == ["Ma question ?"]
    texte = json.dumps(donnees, ensure_ascii=False)
    for autre in ("technicien", "Notes du technicien"):
        assert autre not in texte


def test_le_nombre_de_requetes_ne_depend_pas_des_donnees(parcours, selection):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = parcours["elu"].user
    # One of each kind first: an empty prefetch is not run, so « none » would cost less.
    PieceJointeFactory(candidature=CandidatureDeposeeFactory(proprietaire=user))

    def compter():
        with CaptureQueriesContext(connection) as requetes:
            archive_zip(user)
        return len(requetes)

    compter()  # warms the content type cache of the audit log
    peu = compter()
    for numero in range(2, 6):
        seance = SeanceFactory(cycle=parcours["binome"].cycle, numero=numero)
        entree = EntreeFactory(membre=parcours["elu"], seance=seance)
        ElementFactory.create_batch(3, entree=entree)
        Question.objects.create(seance=seance, auteur=parcours["elu"], texte="Encore ?")
        Presence.objects.create(
            seance=seance, membre=parcours["elu"], demi_journee="matin", statut="present"
        )
    for _ in range(3):
        candidature = CandidatureDeposeeFactory(proprietaire=user)
        PieceJointeFactory(candidature=candidature)
    beaucoup = compter()

    assert beaucoup == peu
    assert peu <= 35


def test_une_personne_anonyme_va_a_la_connexion(client):
    for nom in ("donnees:accueil", "donnees:telecharger"):
        reponse = client.get(reverse(nom))
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("account_login"))


def test_la_page_mes_donnees_et_le_menu(client, utilisateur):
    client.force_login(utilisateur)

    page = client.get(reverse("donnees:accueil")).content.decode()

    assert reverse("donnees:telecharger") in page
    assert reverse("donnees:demander") in page
    assert "Mes données" in page


def test_la_page_publique_dit_les_durees_et_mene_aux_pages(client):
    page = client.get(reverse("donnees_personnelles")).content.decode()

    assert reverse("donnees:accueil") in page
    assert "24 mois" in page


def test_un_nom_de_fichier_televerse_ne_sort_pas_de_l_archive(client, selection):
    selection["piece"].nom_original = "../../etc/passwd"
    selection["piece"].save(update_fields=["nom_original"])

    archive, _donnees = _telecharger(client, selection["candidature"].proprietaire)

    noms = [n for n in archive.namelist() if n != "donnees.json"]
    assert len(noms) == 1
    assert noms[0].startswith("fichiers/candidatures/") and ".." not in noms[0].split("/")
