import datetime
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.contrib.admin.sites import site
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from cerdd_cycle.courriels.admin import CourrielAdmin
from cerdd_cycle.courriels.models import Courriel, EtatCourriel
from cerdd_cycle.courriels.services import (
    Fichier,
    courriel_creer,
    courriel_envoyer,
    courriel_preparer,
    courriel_renvoyer,
    courriels_relancer,
)
from cerdd_cycle.courriels.tasks import courriel_envoyer_task, courriels_relancer_task

pytestmark = pytest.mark.django_db


def _creer(cle="test:1", **kwargs):
    valeurs = {
        "cle": cle,
        "destinataires": ["Alice@Exemple.fr"],
        "sujet": "Bonjour",
        "texte": "Corps du message",
        "categorie": "test",
    }
    valeurs.update(kwargs)
    return courriel_creer(**valeurs)


def _vieillir(courriel, minutes=10):
    Courriel.objects.filter(pk=courriel.pk).update(
        cree_le=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_courriel_creer_envoie_apres_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        courriel = _creer(html="<p>Corps</p>")

    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.ENVOYE
    assert courriel.tentatives == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["alice@exemple.fr"], "Bonjour", "Corps du message")
    ]
    assert mail.outbox[0].alternatives[0].content == "<p>Corps</p>"
    assert mail.outbox[0].extra_headers["X-Cerdd-Cle"] == "test:1"


def test_courriel_creer_rien_avant_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        _creer()

    assert mail.outbox == []
    assert len(rappels) == 1


def test_courriel_meme_cle_deux_fois_une_seule_ligne(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        premier = _creer(sujet="Premier")
        second = _creer(sujet="Second")

    assert second.pk == premier.pk
    assert list(Courriel.objects.values_list("sujet", flat=True)) == ["Premier"]
    assert len(mail.outbox) == 1


def test_courriel_smtp_en_echec_puis_succes_envoie_une_seule_fois(
    django_capture_on_commit_callbacks,
):
    envoi_reel = mail.get_connection().__class__.send_messages
    appels = []

    def une_panne_puis_ok(connexion, messages):
        appels.append(len(messages))
        if len(appels) == 1:
            raise SMTPServerDisconnected("connexion perdue")
        return envoi_reel(connexion, messages)

    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", une_panne_puis_ok
    ):
        # The first attempt fails: the task asks Celery to retry it later.
        with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
            courriel = _creer()
        # The retry, then a duplicate delivery of the same task (worker killed after sending).
        courriel_envoyer_task.delay(courriel.pk)
        courriel_envoyer_task.delay(courriel.pk)

    courriel.refresh_from_db()
    assert len(appels) == 2
    assert len(mail.outbox) == 1
    assert courriel.etat == EtatCourriel.ENVOYE
    assert courriel.tentatives == 2


def test_courriel_erreur_enregistree_et_reste_a_envoyer():
    courriel = _creer()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPServerDisconnected("serveur indisponible"),
        ),
        pytest.raises(SMTPServerDisconnected),
    ):
        courriel_envoyer(courriel.pk)

    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.A_ENVOYER
    assert courriel.tentatives == 1
    assert "serveur indisponible" in courriel.derniere_erreur
    assert mail.outbox == []


@override_settings(COURRIELS_TENTATIVES_MAX=2)
def test_courriel_abandonne_apres_le_maximum_de_tentatives():
    courriel = _creer()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPServerDisconnected("non"),
    ):
        with pytest.raises(SMTPServerDisconnected):
            courriel_envoyer(courriel.pk)
        assert courriel_envoyer(courriel.pk) is False

    courriel.refresh_from_db()
    assert courriel.etat == EtatCourriel.ECHEC
    assert courriel.tentatives == 2


def test_courriel_envoyer_deux_fois_n_envoie_qu_une_fois():
    courriel = _creer()

    assert courriel_envoyer(courriel.pk) is True
    assert courriel_envoyer(courriel.pk) is False
    assert courriel_envoyer(987654) is False
    assert len(mail.outbox) == 1


def test_relance_periodique_lancee_deux_fois_n_envoie_rien_de_plus():
    bloque = _creer(cle="test:bloque")  # its task was lost: never sent
    recent = _creer(cle="test:recent")
    _vieillir(bloque)

    premier = courriels_relancer_task.delay().get()
    second = courriels_relancer_task.delay().get()

    assert (premier, second) == (1, 0)
    assert [m.extra_headers["X-Cerdd-Cle"] for m in mail.outbox] == ["test:bloque"]
    recent.refresh_from_db()
    assert recent.etat == EtatCourriel.A_ENVOYER  # its own task is still expected


def test_relance_periodique_continue_apres_une_panne():
    premier = _creer(cle="test:a")
    second = _creer(cle="test:b")
    _vieillir(premier)
    _vieillir(second)
    envoi_reel = mail.get_connection().__class__.send_messages
    appels = []

    def panne_au_premier(connexion, messages):
        appels.append(1)
        if len(appels) == 1:
            raise ConnectionRefusedError("smtp fermé")
        return envoi_reel(connexion, messages)

    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", panne_au_premier
    ):
        assert courriels_relancer() == 1

    assert Courriel.objects.filter(etat=EtatCourriel.A_ENVOYER).count() == 1


def test_courriel_preparer_rend_le_triplet_de_gabarits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        courriel = courriel_preparer(
            cle="gabarit:1",
            destinataires=["b@exemple.fr"],
            gabarit="courriels/test/essai",
            contexte={"nom": "Annœullin <script>"},
            pieces_jointes=[Fichier("recu.pdf", "application/pdf", b"%PDF-1.7")],
        )

    assert courriel.sujet == "Essai pour Annœullin <script>"
    assert courriel.texte == "Bonjour Annœullin <script>\n"
    assert "Annœullin &lt;script&gt;" in courriel.html
    assert courriel.categorie == "essai"
    assert mail.outbox[0].attachments == [("recu.pdf", b"%PDF-1.7", "application/pdf")]


def test_courriel_renvoyer_remet_en_file(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        courriel = _creer()
    with django_capture_on_commit_callbacks(execute=True):
        courriel_renvoyer(courriel)

    courriel.refresh_from_db()
    assert len(mail.outbox) == 2
    assert courriel.etat == EtatCourriel.ENVOYE


def test_admin_courriel_lecture_seule_et_action_renvoyer(rf, equipe):
    admin = CourrielAdmin(Courriel, site)
    requete = rf.get("/")
    requete.user = equipe

    assert admin.has_add_permission(requete) is False
    assert admin.has_change_permission(requete) is False
    assert "renvoyer" in admin.get_actions(requete)


def test_une_adresse_supprimee_ne_recoit_rien(db, django_capture_on_commit_callbacks):
    # An erased account's address (reserved .invalid domain) is still named by reminders.
    with django_capture_on_commit_callbacks(execute=True):
        partiel = courriel_creer(
            cle="t:1", destinataires=["a@b.fr", "supprime-1@supprime.invalid"], sujet="S", texte="T"
        )
        personne = courriel_creer(
            cle="t:2", destinataires=["supprime-2@supprime.invalid"], sujet="S", texte="T"
        )

    assert partiel.destinataires == ["a@b.fr"]
    assert [m.to for m in mail.outbox] == [["a@b.fr"]]
    personne.refresh_from_db()
    assert personne.etat == EtatCourriel.ECHEC
    assert personne.derniere_erreur == "Aucun destinataire joignable."
    # The key stays taken: preparing the same email again creates nothing.
    assert (
        courriel_creer(cle="t:2", destinataires=["x@y.fr"], sujet="S", texte="T").pk == personne.pk
    )
