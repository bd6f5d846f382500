"""The logbook's sweeps: a reminder some days after a session to those whose entry is empty, a
digest of what the group shared a week before the next one, the line of the context note —
each at the right moment, to the right people, once however often the sweep runs."""

import datetime
import zoneinfo

import pytest
from django.conf import settings

from cerdd_cycle.courriels.models import Courriel
from journal import services, tasks
from journal.models import Entree
from seances import services as seances_services
from tests.factories import (
    BinomeFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    ElementFactory,
    MembreFactory,
    SeanceFactory,
    TerritoireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
JOUR_1 = datetime.date(2031, 3, 20)  # a Thursday
JOUR_2 = datetime.date(2031, 5, 6)
NOMME = "Le tour de table en binôme a délié les langues"
ANONYME = "On sous-estime le temps nécessaire pour convaincre les services"
PRIVE = "Mon adjoint freine tout, je ne sais plus comment faire"
BINOME = "À reprendre ensemble : la réunion publique de mars"
NOTES = "Appeler la DGS lundi"


def _paris(jour, heure=8):
    return datetime.datetime.combine(jour, datetime.time(heure), tzinfo=PARIS)


def _apres_1(jours, heure=8):
    return _paris(JOUR_1 + datetime.timedelta(days=jours), heure)


def _avant_2(jours, heure=8):
    return _paris(JOUR_2 - datetime.timedelta(days=jours), heure)


def _courriels(prefixe):
    return Courriel.objects.filter(cle__startswith=prefixe)


def _destinataires(prefixe):
    return sorted(a for c in _courriels(prefixe) for a in c.destinataires)


def _element(membre, seance, texte, audience, rubrique="points_forts"):
    entree, _cree = Entree.objects.get_or_create(membre=membre, seance=seance)
    return ElementFactory(entree=entree, texte=texte, audience=audience, rubrique=rubrique)


def _binome(cycle, collectivite, elu, technicien):
    binome = BinomeFactory(
        candidature=CandidatureDeposeeFactory(
            cycle=cycle, territoire=TerritoireFactory(nom=collectivite, region=cycle.region)
        )
    )
    membres = {}
    for role, nom_complet in (("elu", elu), ("technicien", technicien)):
        prenom, nom = nom_complet.split()
        user = UserFactory(first_name=prenom, last_name=nom, email=f"{prenom.lower()}@exemple.fr")
        membres[role] = MembreFactory(binome=binome, role=role, user=user)
    return membres


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", porteur="Cerdd")


@pytest.fixture
def seances(cycle):
    return (
        SeanceFactory(
            cycle=cycle, numero=1, date=JOUR_1, theme="Les défis de la participation citoyenne"
        ),
        SeanceFactory(
            cycle=cycle, numero=2, date=JOUR_2, theme="Postures d'élu·es et de technicien·nes"
        ),
    )


@pytest.fixture
def loos(cycle):
    return _binome(cycle, "Loos-en-Gohelle", "Claire Leroy", "Julien Desmet")


@pytest.fixture
def bethune(cycle):
    return _binome(cycle, "Béthune", "Paul Martin", "Lucie Petit")


@pytest.fixture
def ecrits(seances, loos, bethune):
    """After session 1: Claire kept a private item, Julien free notes only; Paul left an empty
    line; Lucie wrote nothing."""
    s1 = seances[0]
    _element(loos["elu"], s1, PRIVE, "prive")
    Entree.objects.create(membre=loos["technicien"], seance=s1, notes=NOTES)
    _element(bethune["elu"], s1, "", "groupe")
    return s1


# --- the reminder after a session -----------------------------------------------------------


def test_rappel_quelques_jours_apres_seulement_aux_entrees_vides(ecrits, loos, bethune):
    jours = settings.JOURNAL_RAPPEL_JOURS

    assert services.rappels_envoyer(maintenant=_apres_1(jours - 1, heure=23)) == 0
    assert services.rappels_envoyer(maintenant=_apres_1(jours, heure=0)) == 2

    # A private item or free notes are writing: only Paul (an empty line) and Lucie.
    assert _destinataires("journal-rappel:") == ["lucie@exemple.fr", "paul@exemple.fr"]


def test_rappel_deux_passages_un_seul_courriel(ecrits):
    jours = settings.JOURNAL_RAPPEL_JOURS

    premier = services.journal_balayer(maintenant=_apres_1(jours))
    second = services.journal_balayer(maintenant=_apres_1(jours, heure=9))
    troisieme = services.journal_balayer(maintenant=_apres_1(jours + 1))

    assert (premier["rappels"], second["rappels"], troisieme["rappels"]) == (2, 0, 0)
    assert _courriels("journal-rappel:").count() == 2
    assert len(set(_destinataires("journal-rappel:"))) == 2


def test_rappel_suit_le_reglage(ecrits, settings):
    settings.JOURNAL_RAPPEL_JOURS = 5

    assert services.rappels_envoyer(maintenant=_apres_1(4)) == 0
    assert services.rappels_envoyer(maintenant=_apres_1(5)) == 2


def test_rappel_pas_a_qui_a_ecrit_entre_temps(ecrits, bethune):
    _element(bethune["technicien"], ecrits, "Enfin quelques lignes", "prive", rubrique="idees")
    _element(bethune["elu"], ecrits, "Une idée", "binome", rubrique="idees")

    assert services.rappels_envoyer(maintenant=_apres_1(settings.JOURNAL_RAPPEL_JOURS)) == 0


def test_rappel_pas_a_un_membre_qui_a_quitte_le_binome(ecrits, bethune):
    bethune["technicien"].actif = False
    bethune["technicien"].save()

    services.rappels_envoyer(maintenant=_apres_1(settings.JOURNAL_RAPPEL_JOURS))

    assert _destinataires("journal-rappel:") == ["paul@exemple.fr"]


def test_rappel_plus_envoye_longtemps_apres(ecrits):
    # A sweep that did not run for weeks does not remind of a session long gone.
    assert services.rappels_envoyer(maintenant=_apres_1(settings.JOURNAL_RAPPEL_JOURS + 8)) == 0


@pytest.mark.parametrize("statut", ["preparation", "ami_ouvert", "selection", "termine"])
def test_rappel_et_synthese_seulement_pour_un_cycle_en_cours(ecrits, cycle, loos, statut):
    _element(loos["elu"], ecrits, NOMME, "groupe")
    cycle.statut = statut
    cycle.save()

    assert services.journal_balayer(maintenant=_apres_1(settings.JOURNAL_RAPPEL_JOURS)) == {
        "rappels": 0,
        "digests": 0,
    }
    assert services.journal_balayer(maintenant=_avant_2(settings.JOURNAL_DIGEST_JOURS)) == {
        "rappels": 0,
        "digests": 0,
    }
    assert not Courriel.objects.exists()


def test_rappel_texte(ecrits):
    services.rappels_envoyer(maintenant=_apres_1(settings.JOURNAL_RAPPEL_JOURS))

    courriel = _courriels("journal-rappel:").get(destinataires=["lucie@exemple.fr"])
    assert courriel.sujet == "Votre journal de la séance 1 est encore vide"
    assert courriel.texte.startswith("Bonjour Lucie,")
    assert "« Les défis de la participation citoyenne », jeudi 20 mars 2031" in courriel.texte
    assert "reste privé" in courriel.texte
    assert f"/journal/seances/{ecrits.pk}/" in courriel.texte
    assert "L'équipe du Cerdd" in courriel.texte


# --- the digest before the next session -----------------------------------------------------


@pytest.fixture
def partages(ecrits, loos, bethune):
    s1 = ecrits
    _element(loos["elu"], s1, NOMME, "groupe")
    _element(loos["elu"], s1, BINOME, "binome", rubrique="idees")
    _element(bethune["technicien"], s1, ANONYME, "groupe_anonyme", rubrique="vigilance")
    return s1


def test_synthese_une_semaine_avant_a_chaque_participant_une_fois(partages, loos, bethune):
    jours = settings.JOURNAL_DIGEST_JOURS

    assert services.digests_envoyer(maintenant=_avant_2(jours + 1)) == 0
    assert services.digests_envoyer(maintenant=_avant_2(jours)) == 4
    assert services.digests_envoyer(maintenant=_avant_2(jours, heure=9)) == 0
    assert services.digests_envoyer(maintenant=_avant_2(jours - 1)) == 0

    assert _destinataires("journal-digest:") == sorted(
        m.user.email for m in (*loos.values(), *bethune.values())
    )
    assert _courriels("journal-digest:").count() == 4


def test_synthese_contient_le_groupe_jamais_le_prive_ni_le_binome(partages, loos):
    services.digests_envoyer(maintenant=_avant_2(settings.JOURNAL_DIGEST_JOURS))

    # The mail of Julien, in the same pair as Claire who wrote the pair-only item.
    courriel = _courriels("journal-digest:").get(destinataires=[loos["technicien"].user.email])
    texte = courriel.texte
    assert courriel.sujet == "Avant la séance 2 : ce que le groupe a partagé de la séance 1"
    assert "Points forts retenus\n" in texte
    assert f"- {NOMME} (Claire Leroy, Loos-en-Gohelle)" in texte
    assert "Points de vigilance\n" in texte
    assert f"- {ANONYME} (anonyme)" in texte
    for secret in (PRIVE, BINOME, NOTES):
        assert secret not in texte
    # No heading without a shared item.
    assert "Idées" not in texte and "Marges de progression" not in texte


def test_synthese_anonyme_sans_nom_ni_collectivite(partages, loos):
    services.digests_envoyer(maintenant=_avant_2(settings.JOURNAL_DIGEST_JOURS))

    for courriel in _courriels("journal-digest:").exclude(destinataires=["lucie@exemple.fr"]):
        assert ANONYME in courriel.texte
        assert "Lucie" not in courriel.texte and "Petit" not in courriel.texte
        # Béthune shared nothing under a name: its name never comes with the anonymous item.
        assert "Béthune" not in courriel.texte


def test_pas_de_synthese_quand_rien_n_est_partage_avec_le_groupe(ecrits, loos):
    _element(loos["elu"], ecrits, BINOME, "binome")

    assert services.digests_envoyer(maintenant=_avant_2(settings.JOURNAL_DIGEST_JOURS)) == 0
    assert not _courriels("journal-digest:").exists()


def test_pas_de_synthese_avant_la_premiere_seance(cycle, loos):
    SeanceFactory(cycle=cycle, numero=1, date=JOUR_2)

    assert services.digests_envoyer(maintenant=_avant_2(settings.JOURNAL_DIGEST_JOURS)) == 0


# --- the line of the context note -----------------------------------------------------------


def test_note_de_contexte_dit_le_journal_vide(partages, loos, bethune):
    jours = seances_services.reglages_obtenir(partages.cycle).note_contexte_jours

    seances_services.notes_contexte_envoyer(maintenant=_avant_2(jours))

    notes = {c.destinataires[0]: c.texte for c in _courriels("note-contexte:") if c.destinataires}
    assert len(notes) == 4
    ligne = "Votre journal de la séance 1 est vide"
    # Lucie's only item is shared anonymously: she wrote. Paul left an empty line: he did not.
    assert ligne in notes["paul@exemple.fr"]
    for qui in ("claire@exemple.fr", "julien@exemple.fr", "lucie@exemple.fr"):
        assert ligne not in notes[qui]
    assert "journal" not in notes["claire@exemple.fr"]


def test_note_de_contexte_de_la_premiere_seance_sans_ligne_du_journal(cycle, loos):
    SeanceFactory(cycle=cycle, numero=1, date=JOUR_2)
    jours = seances_services.reglages_obtenir(cycle).note_contexte_jours

    assert seances_services.notes_contexte_envoyer(maintenant=_avant_2(jours)) == 2
    assert not [c for c in _courriels("note-contexte:") if "Votre journal" in c.texte]


# --- the schedule ---------------------------------------------------------------------------


def test_balayage_planifie_et_tache(ecrits):
    tache = settings.CELERY_BEAT_SCHEDULE["journal-balayage"]

    assert tache["task"] == "journal.tasks.journal_balayer_task"
    assert tache["task"] == tasks.journal_balayer_task.name
    # Today, nothing is due for a cycle of 2031.
    assert tasks.journal_balayer_task.delay().get() == {"rappels": 0, "digests": 0}
