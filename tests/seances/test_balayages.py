"""The periodic sweeps of the sessions: what is due goes out once, at the right moment, to the
right people — run twice, nothing is sent twice."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from icalendar import Calendar

from cerdd_cycle.courriels.models import Courriel
from seances import services, tasks
from seances.models import Confirmation, Evaluation, Presence
from tests.factories import (
    CycleFactory,
    IntervenantFactory,
    MembreFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
JOUR = datetime.date(2031, 3, 20)  # a Thursday


def _paris(jour, heure=8, minute=0):
    return datetime.datetime.combine(jour, datetime.time(heure, minute), tzinfo=PARIS)


def _avant(jours, heure=8):
    return _paris(JOUR - datetime.timedelta(days=jours), heure)


def _courriels(prefixe):
    """(recipients, key) of the outbox rows whose key starts with ``prefixe``."""
    return sorted(
        (tuple(courriel.destinataires), courriel.cle)
        for courriel in Courriel.objects.filter(cle__startswith=prefixe)
    )


def _destinataires(prefixe):
    return sorted(
        adresse
        for courriel in Courriel.objects.filter(cle__startswith=prefixe)
        for adresse in courriel.destinataires
    )


def _emails(binome, **filtres):
    return sorted(binome.membres.filter(**filtres).values_list("user__email", flat=True))


def _membre(binome, role, suppleant=False):
    return binome.membres.get(role=role, suppleant=suppleant)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", titre="Vers des territoires participatifs")


@pytest.fixture
def seance(cycle):
    seance = SeanceFactory(
        cycle=cycle,
        numero=2,
        date=JOUR,
        theme="Postures d'élu·es et de technicien·nes",
        lieu="Ronchin",
        adresse="Hôtel de ville, 59790 Ronchin",
        note_contexte="<p>Lisez la charte avant de venir.</p><ul><li>Point 1</li></ul>",
    )
    IntervenantFactory(seance=seance, nom="Jean-François Caron")
    return seance


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle)


@pytest.fixture
def fournisseur():
    """A personal part registered for one test (the logbook's hook), removed afterwards."""

    def journal(seance, membre):
        if membre.role == "elu":
            return f"Votre journal de la séance {seance.numero - 1} est vide."
        return None

    services.partie_personnelle_ajouter(journal)
    yield journal
    services.PARTIES_PERSONNELLES.remove(journal)


# --- Context note ---------------------------------------------------------------------------


def test_note_de_contexte_n_jours_avant_et_pas_n_plus_un(seance, binome):
    assert services.notes_contexte_envoyer(maintenant=_avant(15, heure=23)) == 0
    assert not Courriel.objects.exists()

    assert services.notes_contexte_envoyer(maintenant=_avant(14, heure=0)) == 2

    assert _destinataires("note-contexte:") == _emails(binome)


def test_note_de_contexte_delai_du_cycle(seance, binome, cycle):
    reglages = services.reglages_obtenir(cycle)
    reglages.note_contexte_jours = 10
    reglages.save()

    assert services.notes_contexte_envoyer(maintenant=_avant(11)) == 0
    assert services.notes_contexte_envoyer(maintenant=_avant(10)) == 2


def test_note_de_contexte_une_fois_par_personne(seance, cycle):
    binome = binome_complet(cycle, suppleants=("elu",))
    autre = binome_complet(cycle)

    premier = services.seances_balayer(maintenant=_avant(14))
    second = services.seances_balayer(maintenant=_avant(13))

    assert (premier["notes_contexte"], second["notes_contexte"]) == (5, 0)
    attendus = sorted(_emails(binome) + _emails(autre))
    assert _destinataires("note-contexte:") == attendus
    assert Courriel.objects.filter(cle__startswith="note-contexte:").count() == 5


def test_note_de_contexte_avec_l_invitation_ics(seance, binome):
    services.notes_contexte_envoyer(maintenant=_avant(14))

    courriel = Courriel.objects.filter(cle__startswith="note-contexte:").first()
    [piece] = courriel.pieces_jointes.all()
    calendrier = Calendar.from_ical(bytes(piece.contenu))
    [evenement] = calendrier.walk("VEVENT")

    assert (piece.nom, piece.type_mime) == ("seance-2.ics", "text/calendar")
    assert str(calendrier["METHOD"]) == "PUBLISH"
    assert evenement["DTSTART"].dt == _paris(JOUR, 9, 30)
    assert evenement["DTEND"].dt == _paris(JOUR, 16, 30)
    assert str(evenement["LOCATION"]) == "Ronchin, Hôtel de ville, 59790 Ronchin"
    assert str(evenement["URL"]).endswith(f"/seances/{seance.pk}/")
    assert "Jean-François Caron" in str(evenement["DESCRIPTION"])


def test_note_de_contexte_partie_personnelle(seance, binome, fournisseur):
    elu, technicien = _membre(binome, "elu"), _membre(binome, "technicien")
    Confirmation.objects.create(
        seance=seance, membre=technicien, reponse="present", matin=True, apres_midi=True
    )

    services.notes_contexte_envoyer(maintenant=_avant(14))

    pour_elu = Courriel.objects.get(destinataires=[elu.user.email])
    pour_technicien = Courriel.objects.get(destinataires=[technicien.user.email])
    assert pour_elu.sujet == "Séance 2 du jeudi 20 mars 2031 : note de contexte"
    assert f"- {technicien.user.nom_affiche} (technicien·ne) : présent·e" in pour_elu.texte
    assert f"- {elu.user.nom_affiche} (élu·e) : pas encore de réponse" in pour_elu.texte
    assert "Votre binôme n'est pas encore au complet" in pour_elu.texte
    assert "Votre journal de la séance 1 est vide." in pour_elu.texte
    assert "Votre journal de la séance 1 est vide." in pour_elu.html
    assert "journal" not in pour_technicien.texte
    # The note itself, as text lines and as cleaned HTML.
    assert "Lisez la charte avant de venir.\n- Point 1" in pour_elu.texte
    assert "<p>Lisez la charte avant de venir.</p>" in pour_elu.html


def test_note_de_contexte_binome_complet_sans_avertissement(seance, binome):
    for membre in binome.membres.all():
        Confirmation.objects.create(seance=seance, membre=membre, reponse="present", matin=True)

    services.notes_contexte_envoyer(maintenant=_avant(14))

    textes = [courriel.texte for courriel in Courriel.objects.all()]
    assert len(textes) == 2
    assert not [texte for texte in textes if "pas encore au complet" in texte]


@pytest.mark.parametrize("statut", ["preparation", "ami_ouvert", "selection", "termine"])
def test_note_de_contexte_seulement_pour_un_cycle_en_cours(seance, binome, cycle, statut):
    cycle.statut = statut
    cycle.save()

    assert services.seances_balayer(maintenant=_avant(14)) == {
        "notes_contexte": 0,
        "rappels_confirmation": 0,
        "evaluations": 0,
        "alertes": 0,
    }
    assert not Courriel.objects.exists()


@pytest.mark.parametrize(
    "moment", [_paris(JOUR, 7), _paris(JOUR, 18), _paris(JOUR, 8) + datetime.timedelta(days=1)]
)
def test_note_de_contexte_jamais_le_jour_ni_apres(seance, binome, moment):
    assert services.notes_contexte_envoyer(maintenant=moment) == 0
    assert not Courriel.objects.exists()


def test_note_de_contexte_a_qui_rejoint_le_binome_ensuite(seance, binome):
    services.notes_contexte_envoyer(maintenant=_avant(14))
    suppleant = MembreFactory(binome=binome, role="technicien", suppleant=True)
    ancien = _membre(binome, "elu")
    ancien.actif = False
    ancien.save()
    nouvel_elu = MembreFactory(binome=binome, role="elu")

    assert services.notes_contexte_envoyer(maintenant=_avant(12)) == 2
    assert services.notes_contexte_envoyer(maintenant=_avant(11)) == 0

    assert _destinataires("note-contexte:") == sorted(
        [*_emails(binome, suppleant=False), suppleant.user.email]
    )
    assert nouvel_elu.user.email in _destinataires("note-contexte:")


# --- Reminder to incomplete pairs -----------------------------------------------------------


def test_rappel_j_moins_7_aux_binomes_incomplets_une_fois(seance, cycle):
    complet = binome_complet(cycle)
    for membre in complet.membres.all():
        Confirmation.objects.create(seance=seance, membre=membre, reponse="present", matin=True)
    remplace = binome_complet(cycle, suppleants=("technicien",))
    Confirmation.objects.create(
        seance=seance, membre=_membre(remplace, "elu"), reponse="present", matin=True
    )
    Confirmation.objects.create(
        seance=seance,
        membre=_membre(remplace, "technicien"),
        reponse="remplace",
        remplacant=_membre(remplace, "technicien", suppleant=True),
    )
    Confirmation.objects.create(
        seance=seance,
        membre=_membre(remplace, "technicien", suppleant=True),
        reponse="present",
        apres_midi=True,
    )
    incomplet = binome_complet(cycle)
    Confirmation.objects.create(
        seance=seance, membre=_membre(incomplet, "elu"), reponse="present", matin=True
    )
    sans_reponse = binome_complet(cycle)

    assert services.confirmations_relancer(maintenant=_avant(8, heure=23)) == 0
    assert services.confirmations_relancer(maintenant=_avant(7, heure=0)) == 2
    assert services.confirmations_relancer(maintenant=_avant(6)) == 0
    assert services.confirmations_relancer(maintenant=_avant(1)) == 0

    assert _courriels("rappel-confirmation:") == sorted(
        [
            (
                tuple(_emails(incomplet)),
                f"rappel-confirmation:seance={seance.pk}:binome={incomplet.pk}",
            ),
            (
                tuple(_emails(sans_reponse)),
                f"rappel-confirmation:seance={seance.pk}:binome={sans_reponse.pk}",
            ),
        ]
    )
    texte = Courriel.objects.get(cle__endswith=f"binome={incomplet.pk}").texte
    technicien = _membre(incomplet, "technicien")
    assert f"- {technicien.user.nom_affiche} (technicien·ne) : pas encore de réponse" in texte


def test_rappel_pas_apres_la_seance(seance, binome):
    assert services.confirmations_relancer(maintenant=_paris(JOUR, 7)) == 0
    assert not Courriel.objects.exists()


# --- Evaluation -----------------------------------------------------------------------------


@pytest.fixture
def appel(seance, cycle):
    """Roll call taken: pair A's élu·e present and technicien·ne absent, pair B's élu·e late
    in the morning, its technicien·ne excused."""
    a, b = binome_complet(cycle), binome_complet(cycle)
    for membre, statut in [
        (_membre(a, "elu"), "present"),
        (_membre(a, "technicien"), "absent"),
        (_membre(b, "elu"), "retard"),
        (_membre(b, "technicien"), "excuse"),
    ]:
        Presence.objects.create(seance=seance, membre=membre, demi_journee="matin", statut=statut)
    return a, b


def test_evaluation_a_la_fin_de_la_journee_aux_presents(seance, appel):
    a, b = appel

    assert services.evaluations_envoyer(maintenant=_paris(JOUR, 16, 29)) == 0
    assert services.evaluations_envoyer(maintenant=_paris(JOUR, 16, 30)) == 2
    assert services.evaluations_envoyer(maintenant=_paris(JOUR, 21)) == 0

    assert _courriels("evaluation") == sorted(
        [
            (
                (_membre(a, "elu").user.email,),
                f"evaluation:seance={seance.pk}:membre={_membre(a, 'elu').pk}",
            ),
            (
                (_membre(b, "elu").user.email,),
                f"evaluation:seance={seance.pk}:membre={_membre(b, 'elu').pk}",
            ),
        ]
    )
    courriel = Courriel.objects.filter(cle__startswith="evaluation:").first()
    assert courriel.sujet == "Séance 2 : votre avis en deux minutes"
    assert f"/seances/{seance.pk}/evaluation/" in courriel.texte


def test_evaluation_aux_confirmes_sans_appel(seance, binome):
    elu, technicien = _membre(binome, "elu"), _membre(binome, "technicien")
    Confirmation.objects.create(seance=seance, membre=elu, reponse="present", matin=True)
    Confirmation.objects.create(seance=seance, membre=technicien, reponse="excuse")

    assert services.evaluations_envoyer(maintenant=_paris(JOUR, 17)) == 1

    assert _destinataires("evaluation") == [elu.user.email]


def test_evaluation_une_relance_aux_seuls_non_repondants(seance, appel):
    a, b = appel
    services.evaluations_envoyer(maintenant=_paris(JOUR, 17))
    Evaluation.objects.create(seance=seance, membre=_membre(b, "elu"), note=5, bien="Le débat.")
    troisieme_jour = JOUR + datetime.timedelta(days=3)

    assert services.evaluations_envoyer(maintenant=_paris(troisieme_jour, 16, 29)) == 0
    assert services.evaluations_envoyer(maintenant=_paris(troisieme_jour, 16, 30)) == 1
    assert services.evaluations_envoyer(maintenant=_paris(troisieme_jour, 20)) == 0
    assert services.evaluations_envoyer(maintenant=_paris(JOUR + datetime.timedelta(days=6))) == 0

    elu_a = _membre(a, "elu")
    assert _courriels("evaluation-relance:") == [
        ((elu_a.user.email,), f"evaluation-relance:seance={seance.pk}:membre={elu_a.pk}")
    ]
    assert Courriel.objects.filter(cle__startswith="evaluation:").count() == 2
    relance = Courriel.objects.get(cle__startswith="evaluation-relance:")
    assert relance.sujet == "Rappel : votre avis sur la séance 2"


def test_evaluation_delai_de_relance_du_cycle(seance, appel, cycle):
    reglages = services.reglages_obtenir(cycle)
    reglages.relance_evaluation_jours = 5
    reglages.save()
    services.evaluations_envoyer(maintenant=_paris(JOUR, 17))

    assert (
        services.evaluations_envoyer(maintenant=_paris(JOUR + datetime.timedelta(days=4), 17)) == 0
    )
    assert (
        services.evaluations_envoyer(maintenant=_paris(JOUR + datetime.timedelta(days=5), 17)) == 2
    )


# --- Alert to staff -------------------------------------------------------------------------


def _journee(seance, binome, elu, technicien):
    for role, statut in (("elu", elu), ("technicien", technicien)):
        Presence.objects.create(
            seance=seance, membre=_membre(binome, role), demi_journee="matin", statut=statut
        )


def test_alerte_a_l_equipe_apres_deux_seances_incompletes_de_suite(cycle, equipe):
    UserFactory(email="pas-equipe@exemple.fr")
    seances = [
        SeanceFactory(cycle=cycle, numero=numero, date=JOUR + datetime.timedelta(days=42 * i))
        for i, numero in enumerate((1, 2, 3))
    ]
    en_alerte, une_fois, assidu = (binome_complet(cycle) for _i in range(3))
    territoire = en_alerte.candidature.territoire
    territoire.nom = "Communauté d'agglomération du Saint-Quentinois"
    territoire.save()
    for seance, statuts in zip(
        seances,
        [("present", "present"), ("present", "absent"), ("absent", "absent")],
        strict=True,
    ):
        _journee(seance, en_alerte, *statuts)
    for seance, statuts in zip(
        seances,
        [("present", "absent"), ("present", "present"), ("excuse", "present")],
        strict=True,
    ):
        _journee(seance, une_fois, *statuts)
    for seance in seances:
        _journee(seance, assidu, "present", "retard")
    lendemain = _paris(seances[2].date + datetime.timedelta(days=1))

    assert services.alertes_envoyer(maintenant=lendemain) == 1
    assert services.alertes_envoyer(maintenant=lendemain + datetime.timedelta(days=2)) == 0

    [alerte] = Courriel.objects.filter(cle__startswith="alerte-assiduite:")
    assert alerte.destinataires == ["equipe@cerdd.test"]
    assert alerte.cle == f"alerte-assiduite:binome={en_alerte.pk}:seance={seances[2].pk}"
    assert alerte.sujet == (
        "Assiduité : Communauté d'agglomération du Saint-Quentinois, 2 séances de suite sans "
        "le binôme complet"
    )
    assert "Séance 2 (" in alerte.texte and ") : Élu·e seul·e" in alerte.texte
    assert ") : Absent" in alerte.texte


def test_alerte_pas_avant_la_deuxieme_seance(cycle, equipe, binome):
    premiere = SeanceFactory(cycle=cycle, numero=1, date=JOUR)
    SeanceFactory(cycle=cycle, numero=2, date=JOUR + datetime.timedelta(days=42))
    _journee(premiere, binome, "present", "absent")

    assert services.alertes_envoyer(maintenant=_paris(JOUR + datetime.timedelta(days=1))) == 0
    assert not Courriel.objects.exists()


# --- The beat schedule ----------------------------------------------------------------------


def test_balayage_au_calendrier_des_taches():
    tache = settings.CELERY_BEAT_SCHEDULE["seances-balayage"]

    assert tache["task"] == "seances.tasks.seances_balayer_task"
    assert tasks.seances_balayer_task.name == tache["task"]


def test_tache_de_balayage_appelle_les_balayages(cycle, binome):
    from django.utils import timezone

    SeanceFactory(cycle=cycle, numero=1, date=timezone.localdate() + datetime.timedelta(days=3))

    premier = tasks.seances_balayer_task.delay().get()
    second = tasks.seances_balayer_task.delay().get()

    assert premier == {
        "notes_contexte": 2,
        "rappels_confirmation": 1,
        "evaluations": 0,
        "alertes": 0,
    }
    assert second == {
        "notes_contexte": 0,
        "rappels_confirmation": 0,
        "evaluations": 0,
        "alertes": 0,
    }
