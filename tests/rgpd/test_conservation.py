"""Retention: the sweep anonymises the candidatures a cycle did not retain, after its delay."""

import datetime
import logging
import os

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.sites import site
from django.utils import timezone

from candidatures.anonymisation import candidatures_anonymiser_echues
from candidatures.grille import grille_par_defaut
from candidatures.models import (
    Acces,
    Candidature,
    ConfirmationReferent,
    PieceJointe,
    VersionCandidature,
)
from candidatures.services import instantane
from candidatures.tasks import candidatures_anonymiser_task
from cerdd_cycle.comptes.donnees import ADRESSE_ANONYME, MASQUE
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.courriels.services import Fichier, courriel_creer
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.historique.models import Historique
from jury.models import NoteJury
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    CycleFactory,
    DecisionFactory,
    PieceJointeFactory,
    noter,
)

pytestmark = pytest.mark.django_db


def _publier(cycle, il_y_a_mois, mois=24):
    cycle.resultats_publies_le = timezone.now() - relativedelta(months=il_y_a_mois)
    cycle.conservation_candidatures_mois = mois
    cycle.save(update_fields=["resultats_publies_le", "conservation_candidatures_mois"])


@pytest.fixture
def monde():
    """A cycle in selection: one candidature retained, one not retained (with everything
    personal a candidature holds), one draft never submitted."""
    retenue = CandidatureDeposeeFactory()
    cycle = retenue.cycle
    grille_par_defaut(cycle)
    DecisionFactory(candidature=retenue, statut="retenue")
    refusee = CandidatureDeposeeFactory(
        cycle=cycle,
        contact_telephone="03 20 00 00 00",
        adresse="1 place de la Mairie",
        motivations="Claire Martin porte le projet ; écrire à claire.martin@mairie.fr.",
    )
    piece = PieceJointeFactory(candidature=refusee)
    VersionCandidature.objects.create(
        candidature=refusee,
        numero=1,
        donnees=instantane(refusee),
        deposee_le=timezone.now(),
        deposee_par=refusee.proprietaire,
    )
    Acces.objects.create(candidature=refusee, email="coediteur@exemple.fr")
    ConfirmationReferent.objects.create(
        candidature=refusee, role="politique", nom="Jean Dupont", email="elu@mairie.fr"
    )
    affectation = AffectationFactory(candidature=refusee, commentaire="Mme Martin est motivée.")
    noter(affectation, {})
    NoteJury.objects.filter(affectation=affectation).update(commentaire="Vu avec Jean Dupont.")
    DecisionFactory(
        candidature=refusee, statut="non_retenue", motif="Merci Claire Martin, pas cette fois."
    )
    for cle in (
        f"accuse-reception:candidature={refusee.pk}:version=1",
        f"decision:candidature={refusee.pk}",
    ):
        courriel = courriel_creer(
            cle=cle,
            destinataires=[refusee.contact_email],
            sujet="Votre candidature",
            texte="Bonjour Claire Martin",
            pieces_jointes=[Fichier("recu.pdf", "application/pdf", b"%PDF")],
        )
        Courriel.objects.filter(pk=courriel.pk).update(etat="envoye")
    brouillon = CandidatureFactory(
        cycle=cycle, statut="brouillon", politique_nom="Paul Durand", politique_email="p@d.fr"
    )
    return {
        "cycle": cycle,
        "retenue": retenue,
        "refusee": refusee,
        "brouillon": brouillon,
        "piece": piece,
        "affectation": affectation,
    }


def test_avant_le_delai_rien_ne_change(monde):
    _publier(monde["cycle"], il_y_a_mois=23)

    bilan = candidatures_anonymiser_echues()

    assert bilan["candidatures"] == 0
    assert not Candidature.objects.filter(anonymisee_le__isnull=False).exists()
    assert os.path.exists(monde["piece"].fichier.path)


def test_apres_le_delai_les_non_retenues_sont_anonymisees(
    monde, django_capture_on_commit_callbacks, caplog
):
    _publier(monde["cycle"], il_y_a_mois=25)
    chemin = monde["piece"].fichier.path
    proprietaire = monde["refusee"].proprietaire

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        bilan = candidatures_anonymiser_echues()

    assert bilan == {"cycles": 1, "candidatures": 2, "fichiers": 1}
    refusee = Candidature.objects.get(pk=monde["refusee"].pk)
    assert refusee.anonymisee_le is not None
    for champ in (
        "contact_nom",
        "contact_email",
        "contact_telephone",
        "politique_nom",
        "technique_email",
        "adresse",
    ):
        assert getattr(refusee, champ) == "", champ
    assert "Claire" not in refusee.motivations and "@" not in refusee.motivations
    assert MASQUE in refusee.motivations
    assert refusee.proprietaire.email == ADRESSE_ANONYME
    assert refusee.proprietaire.pk != proprietaire.pk
    # What the statistics need stays.
    assert refusee.territoire_id == monde["refusee"].territoire_id
    assert refusee.statut == "deposee"
    assert refusee.decision.statut == "non_retenue"
    assert "Claire" not in refusee.decision.motif
    # Files, access rows, referents' confirmations: gone.
    assert not os.path.exists(chemin)
    assert not PieceJointe.objects.filter(candidature=refusee).exists()
    assert not Acces.objects.filter(candidature=refusee).exists()
    assert not ConfirmationReferent.objects.filter(candidature=refusee).exists()
    version = refusee.versions.get()
    assert version.donnees["contact_nom"] == "" and version.deposee_par is None
    assert "claire.martin" not in str(version.donnees)
    assert version.donnees["pieces_jointes"][0]["nom"] == MASQUE
    # The jury's scores stay, its texts lose the names.
    notes = NoteJury.objects.filter(affectation=monde["affectation"])
    assert notes.exclude(valeur=None).exists() or notes.exclude(porte="").exists()
    assert all("Dupont" not in n.commentaire for n in notes)
    monde["affectation"].refresh_from_db()
    assert "Martin" not in monde["affectation"].commentaire
    # The emails about it keep their key (sent once), lose recipients, text and attachments.
    courriels = Courriel.objects.filter(cle__contains=f"candidature={refusee.pk}")
    assert courriels.count() == 2
    for courriel in courriels:
        assert courriel.destinataires == [] and courriel.texte == MASQUE
        assert not courriel.pieces_jointes.exists()
        assert courriel.etat == "envoye"
    # The draft of the closed call too; the retained candidature is untouched.
    brouillon = Candidature.objects.get(pk=monde["brouillon"].pk)
    assert brouillon.anonymisee_le is not None and brouillon.politique_nom == ""
    retenue = Candidature.objects.get(pk=monde["retenue"].pk)
    assert retenue.anonymisee_le is None and retenue.contact_nom == "Claire Martin"
    # Audit: one entry per candidature and one for the cycle; one log line with the counts.
    assert Historique.objects.filter(action="anonymisation", object_id=str(refusee.pk)).exists()
    ligne_cycle = Historique.objects.get(
        action="anonymisation", content_type__model="cycle", object_id=str(monde["cycle"].pk)
    )
    assert ligne_cycle.apres == {"candidatures": 2, "fichiers": 1}
    assert "2 candidature(s) anonymisée(s) dans 1 cycle(s), 1 fichier(s)" in caplog.text


def test_le_balayage_se_relance_sans_effet(monde):
    _publier(monde["cycle"], il_y_a_mois=25)
    candidatures_anonymiser_echues()
    avant = Candidature.objects.get(pk=monde["refusee"].pk).anonymisee_le
    entrees = Historique.objects.filter(action="anonymisation").count()

    bilan = candidatures_anonymiser_task()

    assert bilan["candidatures"] == 0
    assert Candidature.objects.get(pk=monde["refusee"].pk).anonymisee_le == avant
    assert Historique.objects.filter(action="anonymisation").count() == entrees


def test_le_delai_est_propre_a_chaque_cycle(monde):
    _publier(monde["cycle"], il_y_a_mois=7, mois=6)

    assert candidatures_anonymiser_echues()["candidatures"] == 2


def test_sans_resultats_seul_un_cycle_termine_compte_depuis_sa_date_limite():
    ancien = timezone.now() - relativedelta(months=30)
    cycle = CycleFactory(
        ouverture_ami=ancien - datetime.timedelta(days=30),
        date_limite=ancien,
        statut=StatutCycle.SELECTION,
    )
    brouillon = CandidatureFactory(cycle=cycle)
    assert candidatures_anonymiser_echues()["candidatures"] == 0

    Cycle.objects.filter(pk=cycle.pk).update(statut=StatutCycle.TERMINE)

    assert candidatures_anonymiser_echues()["candidatures"] == 1
    assert Candidature.objects.get(pk=brouillon.pk).anonymisee_le is not None


def test_une_candidature_devenue_binome_est_gardee(monde):
    from tests.factories import BinomeFactory

    BinomeFactory(candidature=monde["brouillon"], cycle=monde["cycle"])
    _publier(monde["cycle"], il_y_a_mois=25)

    candidatures_anonymiser_echues()

    assert Candidature.objects.get(pk=monde["brouillon"].pk).anonymisee_le is None


def test_la_tache_quotidienne_est_programmee():
    taches = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "candidatures.tasks.candidatures_anonymiser_task" in taches


def test_l_equipe_voit_l_echeance_dans_l_administration(monde, equipe):
    admin_cycle = site._registry[Cycle]
    assert "pas encore prévue" in admin_cycle.anonymisation(monde["cycle"])
    _publier(monde["cycle"], il_y_a_mois=1)

    texte = admin_cycle.anonymisation(monde["cycle"])

    assert "prévue le" in texte and "0 candidature(s) anonymisée(s)" in texte
    _publier(monde["cycle"], il_y_a_mois=25)
    candidatures_anonymiser_echues()
    assert "2 candidature(s) anonymisée(s)" in admin_cycle.anonymisation(monde["cycle"])


def test_la_page_du_cycle_dans_l_administration_montre_le_delai(client, equipe, monde):
    client.force_login(equipe)

    reponse = client.get(f"/admin/cycles/cycle/{monde['cycle'].pk}/change/")

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert 'name="conservation_candidatures_mois"' in page
    assert "pas encore prévue" in page
