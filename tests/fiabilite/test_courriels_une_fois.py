"""The outbox's claim: an email being sent is never sent a second time by a redelivered task
or by the sweep while its attempt is alive; a dead attempt's claim is taken over."""

import datetime
import socket

import pytest
from django.test import override_settings
from django.utils import timezone

from cerdd_cycle.courriels.models import Courriel, EtatCourriel
from cerdd_cycle.courriels.services import (
    courriel_creer,
    courriel_envoyer,
    courriels_relancer,
    message_id,
)
from cerdd_cycle.courriels.tasks import courriel_envoyer_task

from .puits_smtp import PuitsSMTP

pytestmark = pytest.mark.django_db


@pytest.fixture
def puits():
    with (
        PuitsSMTP() as puits,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=puits.port,
            COURRIELS_RESERVATION_SECONDES=600,
        ),
    ):
        yield puits


def _courriel(cle="fiabilite:1"):
    courriel = courriel_creer(
        cle=cle, destinataires=["Elue@Exemple.fr"], sujet="Note de contexte", texte="Bonjour"
    )
    # Created as if long ago: the sweep may take it.
    Courriel.objects.filter(pk=courriel.pk).update(
        cree_le=timezone.now() - datetime.timedelta(hours=1)
    )
    return courriel


def _reserver(courriel, il_y_a):
    Courriel.objects.filter(pk=courriel.pk).update(
        etat=EtatCourriel.EN_COURS,
        tentatives=1,
        derniere_tentative_le=timezone.now() - il_y_a,
    )


def test_envoi_par_smtp_avec_un_message_id_stable(puits):
    courriel = _courriel()

    assert courriel_envoyer(courriel.pk) is True

    courriel.refresh_from_db()
    assert (courriel.etat, courriel.tentatives) == (EtatCourriel.ENVOYE, 1)
    [recu] = puits.recus
    assert recu.destinataires == ("elue@exemple.fr",)
    assert recu.cle == "fiabilite:1"
    assert recu.message_id == message_id("fiabilite:1") != message_id("fiabilite:2")


def test_reservation_vivante_ni_tache_redistribuee_ni_balayage(puits):
    courriel = _courriel()
    _reserver(courriel, datetime.timedelta(minutes=2))

    assert courriel_envoyer(courriel.pk) is False
    courriel_envoyer_task.delay(courriel.pk)  # the same task, redelivered by the broker
    assert courriels_relancer() == 0

    courriel.refresh_from_db()
    assert (courriel.etat, courriel.tentatives) == (EtatCourriel.EN_COURS, 1)
    assert puits.recus == []


@pytest.mark.parametrize("par_le_balayage", [False, True])
def test_reservation_d_un_worker_mort_reprise_une_fois(puits, par_le_balayage):
    courriel = _courriel()
    _reserver(courriel, datetime.timedelta(minutes=11))

    if par_le_balayage:
        assert (courriels_relancer(), courriels_relancer()) == (1, 0)
    else:
        assert (courriel_envoyer(courriel.pk), courriel_envoyer(courriel.pk)) == (True, False)

    courriel.refresh_from_db()
    assert (courriel.etat, courriel.tentatives) == (EtatCourriel.ENVOYE, 2)
    assert [r.cle for r in puits.recus] == ["fiabilite:1"]


def test_serveur_injoignable_la_reservation_est_rendue(puits):
    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        port_ferme = libre.getsockname()[1]
    courriel = _courriel()

    with override_settings(EMAIL_PORT=port_ferme), pytest.raises(ConnectionRefusedError):
        courriel_envoyer(courriel.pk)

    courriel.refresh_from_db()
    assert (courriel.etat, courriel.tentatives) == (EtatCourriel.A_ENVOYER, 1)
    assert "ConnectionRefusedError" in courriel.derniere_erreur
    # The server is back: the sweep sends it, once.
    Courriel.objects.filter(pk=courriel.pk).update(
        derniere_tentative_le=timezone.now() - datetime.timedelta(hours=1)
    )
    assert courriels_relancer() == 1
    assert [r.cle for r in puits.recus] == ["fiabilite:1"]
