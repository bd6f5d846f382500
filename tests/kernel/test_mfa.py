"""Two-factor authentication: mandatory for staff (MFA_EQUIPE_OBLIGATOIRE), optional for the
others; the admin login goes through the site's rate-limited login."""

import io
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_reglages
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cerdd_cycle.comptes.mfa import CLE_SESSION
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.cycles.demo import Demo
from cerdd_cycle.cycles.management.commands.demo import Command
from tests.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db

PAGE_EQUIPE = "/equipe/candidatures/"
ACTIVATION = "/comptes/2fa/totp/activate/"
CONNEXION = "/comptes/login/"
MESSAGE_OBLIGATOIRE = "la double authentification y est obligatoire"
REFUS_DESACTIVATION = "elle ne peut pas être désactivée"
ERREUR_TROP_D_ESSAIS = "Trop de tentatives de connexion échouées."


@pytest.fixture
def obligatoire(settings):
    settings.MFA_EQUIPE_OBLIGATOIRE = True


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing, i.e. before collectstatic.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def _compte(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def membre_equipe():
    return _compte(is_staff=True, is_superuser=True)


@pytest.fixture
def jure():
    user = _compte()
    role_attribuer(user, Role.JURE)
    return user


def _code(secret: str) -> str:
    """The code an authenticator app shows now, computed with allauth's own functions."""
    # Not in the last seconds of its 30-second window: it must still hold when it is checked.
    reste = mfa_reglages.TOTP_PERIOD - time.time() % mfa_reglages.TOTP_PERIOD
    if reste < 3:
        time.sleep(reste + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_reglages.TOTP_PERIOD))


def _activer_totp(user) -> tuple[str, list[str]]:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def _se_connecter(client, user, code=None, suivant=None):
    """The real login: password, then (when asked) the second factor."""
    url = CONNEXION + (f"?next={suivant}" if suivant else "")
    reponse = client.post(url, {"login": user.email, "password": MOT_DE_PASSE})
    if code is not None:
        assert reponse["Location"] == reverse("mfa_authenticate")
        reponse = client.post(reverse("mfa_authenticate"), {"code": code})
    return reponse


def _reauthentifier(client):
    """allauth asks the password again before any change of authenticator."""
    reponse = client.post(reverse("account_reauthenticate"), {"password": MOT_DE_PASSE})
    assert reponse.status_code == 302, reponse.content.decode()


def _est_connecte(client):
    return "_auth_user_id" in client.session


# --- staff without an authenticator app ----------------------------------------------------


@pytest.mark.parametrize("chemin", [PAGE_EQUIPE, "/admin/", "/", "/admin/comptes/user/"])
def test_equipe_sans_totp_renvoyee_vers_l_activation(client, obligatoire, membre_equipe, chemin):
    _se_connecter(client, membre_equipe)

    reponse = client.get(chemin)

    assert reponse.status_code == 302
    assert reponse["Location"] == ACTIVATION
    # allauth first asks the password again (a change of authenticator), then the activation.
    page = client.get(ACTIVATION, follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert MESSAGE_OBLIGATOIRE in page.content.decode()
    _reauthentifier(client)
    assert "Clé secrète" in client.get(ACTIVATION).content.decode()


def test_equipe_sans_totp_ni_post_ni_htmx(client, obligatoire, membre_equipe):
    client.force_login(membre_equipe)

    assert client.post(PAGE_EQUIPE)["Location"] == ACTIVATION
    htmx = client.get(PAGE_EQUIPE, headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == ACTIVATION


def test_equipe_sans_totp_garde_les_pages_utiles(client, obligatoire, membre_equipe):
    _se_connecter(client, membre_equipe)

    _reauthentifier(client)
    for chemin in ("/comptes/2fa/", ACTIVATION, "/comptes/email/", "/sante/"):
        assert client.get(chemin).status_code == 200, chemin
    client.post(reverse("account_logout"))
    assert not _est_connecte(client)


def test_reglage_coupe_aucun_renvoi(client, membre_equipe):
    assert settings.MFA_EQUIPE_OBLIGATOIRE is False
    client.force_login(membre_equipe)

    assert client.get(PAGE_EQUIPE).status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_activation_leve_le_renvoi(client, obligatoire, membre_equipe):
    # A real commit: allauth sends « authenticator added » once the transaction is committed.
    _se_connecter(client, membre_equipe)
    _reauthentifier(client)
    client.get(ACTIVATION)
    secret = client.session["mfa.totp.secret"]

    refus = client.post(ACTIVATION, {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert "Code incorrect" in refus.content.decode()
    assert client.get(PAGE_EQUIPE).status_code == 302
    reponse = client.post(ACTIVATION, {"code": _code(secret)})

    # allauth shows the recovery codes made along with the app.
    assert reponse["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reponse["Location"]).content.decode()
    assert "Codes encore utilisables" in codes
    assert Authenticator.objects.filter(user=membre_equipe, type="totp").exists()
    assert client.session[CLE_SESSION] is False
    assert client.get(PAGE_EQUIPE).status_code == 200


def test_session_ouverte_avant_la_regle_decidee_une_fois(client, obligatoire, membre_equipe):
    client.force_login(membre_equipe)
    session = client.session
    del session[CLE_SESSION]
    session.save()

    assert client.get(PAGE_EQUIPE)["Location"] == ACTIVATION
    assert client.session[CLE_SESSION] is True


# --- staff with an authenticator app --------------------------------------------------------


def test_equipe_avec_totp_entre_avec_le_code(client, obligatoire, membre_equipe):
    secret, _codes = _activer_totp(membre_equipe)

    # The password alone does not open the session.
    client.post(CONNEXION, {"login": membre_equipe.email, "password": MOT_DE_PASSE})
    assert not _est_connecte(client)
    assert client.get(PAGE_EQUIPE)["Location"].startswith(CONNEXION)
    refus = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert "Code incorrect" in refus.content.decode()
    assert not _est_connecte(client)

    reponse = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})

    assert reponse.status_code == 302
    assert _est_connecte(client)
    assert client.get(PAGE_EQUIPE).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_equipe_ne_peut_pas_desactiver(client, obligatoire, membre_equipe):
    secret, _codes = _activer_totp(membre_equipe)
    _se_connecter(client, membre_equipe, code=_code(secret))

    index = client.get(reverse("mfa_index")).content.decode()
    assert "une fois activée, elle ne peut pas être désactivée" in index
    assert reverse("mfa_deactivate_totp") not in index
    _reauthentifier(client)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert REFUS_DESACTIVATION in page.content.decode()
    reponse = client.post(reverse("mfa_deactivate_totp"))

    assert REFUS_DESACTIVATION in reponse.content.decode()
    assert Authenticator.objects.filter(user=membre_equipe, type="totp").exists()


def test_equipe_peut_desactiver_quand_le_reglage_est_coupe(client, membre_equipe):
    secret, _codes = _activer_totp(membre_equipe)
    _se_connecter(client, membre_equipe, code=_code(secret))
    _reauthentifier(client)

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=membre_equipe).exists()


def test_le_drapeau_ne_coute_aucune_requete(client, settings, membre_equipe):
    _activer_totp(membre_equipe)
    client.force_login(membre_equipe)
    client.get(PAGE_EQUIPE)

    comptes = {}
    for valeur in (False, True):
        settings.MFA_EQUIPE_OBLIGATOIRE = valeur
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(PAGE_EQUIPE).status_code == 200
        comptes[valeur] = len(requetes)

    assert comptes[True] == comptes[False]


def test_equipe_nommee_en_cours_de_session_renvoyee_a_la_connexion_suivante(
    client, obligatoire, jure
):
    client.force_login(jure)
    jure.is_staff = True
    jure.save(update_fields=["is_staff"])
    assert client.get("/").status_code == 200

    client.post(reverse("account_logout"))
    _se_connecter(client, jure)

    assert client.get("/")["Location"] == ACTIVATION


# --- the others: optional -------------------------------------------------------------------


def test_jure_libre_puis_active_et_desactive(
    client, obligatoire, jure, django_capture_on_commit_callbacks
):
    _se_connecter(client, jure)
    assert client.get("/jury/").get("Location") != ACTIVATION
    index = client.get(reverse("mfa_index")).content.decode()
    assert "facultative" in index
    assert reverse("mfa_activate_totp") in index

    _reauthentifier(client)
    client.get(ACTIVATION)
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ACTIVATION, {"code": _code(secret)})
    assert Authenticator.objects.filter(user=jure, type="totp").exists()
    assert reverse("mfa_deactivate_totp") in client.get(reverse("mfa_index")).content.decode()

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=jure).exists()


def test_code_de_secours_une_seule_fois(client, jure):
    _secret, codes = _activer_totp(jure)

    _se_connecter(client, jure, code=codes[0])
    assert _est_connecte(client)
    client.post(reverse("account_logout"))

    refus = _se_connecter(client, jure, code=codes[0])
    assert "Code incorrect" in refus.content.decode()
    assert not _est_connecte(client)
    client.post(reverse("account_logout"))

    _se_connecter(client, jure, code=codes[1])
    assert _est_connecte(client)
    restants = RecoveryCodes(Authenticator.objects.get(user=jure, type="recovery_codes"))
    assert codes[0] not in restants.get_unused_codes()
    assert len(restants.get_unused_codes()) == len(codes) - 2


def test_compte_d_un_autre_introuvable(client, jure, membre_equipe):
    _activer_totp(membre_equipe)
    client.force_login(jure)

    # Nothing of the staff member's authenticator reaches the juror.
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 404
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 404


# --- the admin login and the rate limits ----------------------------------------------------


def test_connexion_admin_passe_par_celle_du_site(client, membre_equipe):
    reponse = client.get("/admin/login/?next=/admin/")

    assert reponse.status_code == 302
    assert reponse["Location"] == f"{CONNEXION}?next=%2Fadmin%2F"
    # The admin's own form is never processed: the right password does not log in there.
    client.post("/admin/login/", {"username": membre_equipe.email, "password": MOT_DE_PASSE})
    assert not _est_connecte(client)

    reponse = _se_connecter(client, membre_equipe, suivant="/admin/")
    assert reponse["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_connexion_admin_avec_le_second_facteur(client, obligatoire, membre_equipe):
    secret, _codes = _activer_totp(membre_equipe)
    connexion = client.get("/admin/login/?next=/admin/")["Location"]

    client.post(connexion, {"login": membre_equipe.email, "password": MOT_DE_PASSE})
    assert not _est_connecte(client)
    reponse = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})

    assert reponse["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_connexion_admin_hors_equipe(client, jure):
    client.force_login(jure)

    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/").status_code == 404


@pytest.mark.parametrize("origine", ["site", "administration"])
def test_mots_de_passe_faux_repetes_bloques(client, membre_equipe, origine):
    url = CONNEXION if origine == "site" else client.get("/admin/login/")["Location"]
    assert url.startswith(CONNEXION)
    for _essai in range(5):
        client.post(url, {"login": membre_equipe.email, "password": "pas-le-bon"})

    # Even the right password is refused while the limit holds.
    reponse = client.post(url, {"login": membre_equipe.email, "password": MOT_DE_PASSE})

    assert ERREUR_TROP_D_ESSAIS in reponse.content.decode()
    assert not _est_connecte(client)


def test_trop_de_connexions_depuis_une_adresse_429(client, membre_equipe):
    url = client.get("/admin/login/")["Location"]
    statuts = [
        client.post(url, {"login": f"essai{n}@exemple.fr", "password": "pas-le-bon"}).status_code
        for n in range(31)
    ]

    assert set(statuts[:30]) == {200}
    assert statuts[30] == 429
    reponse = client.post(url, {"login": membre_equipe.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 429
    assert "Trop de tentatives" in reponse.content.decode()
    assert not _est_connecte(client)


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (False, "double authentification non exigée en développement (MFA_EQUIPE_OBLIGATOIRE=1"),
        (True, "double authentification obligatoire"),
    ],
)
def test_identifiants_de_demo_disent_la_regle(settings, valeur, attendu):
    settings.MFA_EQUIPE_OBLIGATOIRE = valeur
    demo = Demo()
    demo.identifiants.append(("Équipe", "equipe@demo.test", "administration"))
    sortie = io.StringIO()

    Command(stdout=sortie)._afficher(demo)

    assert attendu in sortie.getvalue()
