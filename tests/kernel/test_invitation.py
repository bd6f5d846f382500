"""The invitation link of an account created for someone else (a juror, a participant)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from cerdd_cycle.comptes import services
from cerdd_cycle.comptes.services import compte_inviter, lien_invitation
from tests.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db

NOUVEAU_MOT_DE_PASSE = "Beffrois-et-terrils-2021"
LIEN_MORT = "Ce lien d'invitation ne fonctionne plus"


@pytest.fixture(autouse=True)
def _cache_vide():
    # allauth counts attempts (rate limits) in the cache: every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invitee():
    user, _cree = compte_inviter("Nadia.Haddad@exemple.fr ", prenom="Nadia", nom="Haddad")
    return user


def _chemin(user):
    return lien_invitation(user).removeprefix(settings.SITE_URL)


def _adresses(user):
    return list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))


def _connecte(client):
    return "_auth_user_id" in client.session


def test_lien_d_invitation_est_absolu_et_dans_la_bonne_route(invitee):
    lien = lien_invitation(invitee)

    assert lien.startswith(f"{settings.SITE_URL}/comptes/invitation/")
    assert services.invitation_ouvrir(lien.rstrip("/").rsplit("/", 1)[1]) == invitee


def test_invitation_sans_mot_de_passe_mene_au_choix_du_mot_de_passe(client, invitee):
    assert _adresses(invitee) == [("nadia.haddad@exemple.fr", False)]

    reponse = client.get(_chemin(invitee), follow=True)

    [(vers_cle, _statut1), (vers_formulaire, _statut2)] = reponse.redirect_chain
    assert vers_cle.startswith(f"/comptes/password/reset/key/{user_pk_to_url_str(invitee)}-")
    assert vers_formulaire == (
        f"/comptes/password/reset/key/{user_pk_to_url_str(invitee)}-set-password/"
    )
    assert reponse.status_code == 200
    assert "Nouveau mot de passe" in reponse.content.decode()
    assert _adresses(invitee) == [("nadia.haddad@exemple.fr", True)]
    assert not _connecte(client)

    choix = client.post(
        vers_formulaire, {"password1": NOUVEAU_MOT_DE_PASSE, "password2": NOUVEAU_MOT_DE_PASSE}
    )

    assert choix.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(NOUVEAU_MOT_DE_PASSE)
    client.logout()
    connexion = client.post(
        reverse("account_login"),
        {"login": "nadia.haddad@exemple.fr", "password": NOUVEAU_MOT_DE_PASSE},
    )
    assert connexion.status_code == 302
    assert int(client.session["_auth_user_id"]) == invitee.pk


def test_invitation_compte_avec_mot_de_passe_mene_a_la_connexion(client):
    user = UserFactory(email="elu@exemple.fr")

    reponse = client.get(_chemin(user), follow=True)

    assert reponse.redirect_chain == [(reverse("account_login"), 302)]
    assert [str(m) for m in reponse.context["messages"]] == [
        "Votre compte existe déjà : connectez-vous avec l'adresse elu@exemple.fr."
    ]
    assert _adresses(user) == [("elu@exemple.fr", True)]
    assert user.check_password(MOT_DE_PASSE)
    assert not _connecte(client)


def test_invitation_deja_connecte_mene_a_l_accueil(client):
    user = UserFactory()
    client.force_login(user)

    reponse = client.get(_chemin(user))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("accueil")


def _jeton_expire(user, monkeypatch):
    jeton = lien_invitation(user).rstrip("/").rsplit("/", 1)[1]
    monkeypatch.setattr(services, "DUREE_INVITATION", -1)
    return jeton


@pytest.mark.parametrize(
    "fabrique",
    [
        pytest.param(
            lambda user, monkeypatch: (
                lien_invitation(user).rstrip("/").rsplit("/", 1)[1][:-2] + "xx"
            ),
            id="altere",
        ),
        pytest.param(
            lambda user, monkeypatch: signing.dumps(
                {"u": user.pk, "e": user.email}, salt="autre.sel"
            ),
            id="autre-sel",
        ),
        pytest.param(_jeton_expire, id="expire"),
    ],
)
def test_invitation_lien_invalide_404_en_francais(client, invitee, monkeypatch, fabrique):
    jeton = fabrique(invitee, monkeypatch)

    reponse = client.get(reverse("invitation", args=[jeton]))

    assert reponse.status_code == 404
    assert f"<h1>{LIEN_MORT}</h1>" in reponse.content.decode()
    assert _adresses(invitee) == [("nadia.haddad@exemple.fr", False)]


def test_invitation_compte_desactive_ou_adresse_changee_404(client, invitee):
    chemin = _chemin(invitee)
    invitee.email = "autre@exemple.fr"
    invitee.save(update_fields=["email"])

    assert client.get(chemin).status_code == 404

    invitee.email, invitee.is_active = "nadia.haddad@exemple.fr", False
    invitee.save(update_fields=["email", "is_active"])

    reponse = client.get(chemin)

    assert reponse.status_code == 404
    assert LIEN_MORT in reponse.content.decode()
