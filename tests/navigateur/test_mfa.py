"""Two-factor authentication in a real browser: a staff member is made to turn it on, keeps the
recovery codes, then logs in with a code; no serious or critical axe violation on the way."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_reglages
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE, UserFactory

from .accessibilite import assert_sans_violation_grave

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

EMAIL = "camille@cerdd.test"


@pytest.fixture
def obligatoire(settings):
    settings.MFA_EQUIPE_OBLIGATOIRE = True


@pytest.fixture
def membre_equipe():
    user = UserFactory(email=EMAIL, is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def _code(secret: str) -> str:
    """What an authenticator app would show now."""
    # Not in the last seconds of its 30-second window: it must still hold when it is checked.
    reste = mfa_reglages.TOTP_PERIOD - time.time() % mfa_reglages.TOTP_PERIOD
    if reste < 3:
        time.sleep(reste + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_reglages.TOTP_PERIOD))


def _menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def _connexion(page):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()


def test_equipe_active_la_double_authentification_puis_se_reconnecte(
    page, obligatoire, membre_equipe
):
    _connexion(page)

    # Straight to the activation, by way of allauth's password confirmation.
    expect(page.get_by_text("la double authentification y est obligatoire")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/comptes/reauthenticate/"))
    assert_sans_violation_grave(page)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Confirmer").click()

    expect(page).to_have_url(re.compile(r"/comptes/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Activer l'application d'authentification"
    )
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_sans_violation_grave(page)
    # Any other page sends back here.
    page.goto("/equipe/candidatures/")
    expect(page).to_have_url(re.compile(r"/comptes/2fa/totp/activate/$"))

    secret = page.get_by_label("Clé secrète").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code de l'authentificateur").fill("000000")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Code incorrect")).to_be_visible()
    assert_sans_violation_grave(page)
    page.get_by_label("Code de l'authentificateur").fill(_code(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    codes = page.get_by_label("Codes encore utilisables").input_value().split()
    assert len(codes) == 10
    assert_sans_violation_grave(page)
    page.goto("/equipe/candidatures/")
    expect(page).to_have_url(re.compile(r"/equipe/candidatures/$"))

    # The overview says it stays on, and offers no way to turn it off.
    _menu(page).get_by_role("link", name="Double authentification").click()
    expect(page.get_by_text("elle ne peut pas être désactivée")).to_be_visible()
    expect(page.get_by_role("link", name="Désactiver")).to_have_count(0)
    assert_sans_violation_grave(page)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(_menu(page).get_by_role("link", name="Se connecter")).to_be_visible()
    _connexion(page)

    expect(page).to_have_url(re.compile(r"/comptes/2fa/authenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    assert_sans_violation_grave(page)
    totp = Authenticator.objects.get(user=membre_equipe, type="totp")
    assert totp.last_used_at is None
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto("/equipe/candidatures/")
    expect(page).to_have_url(re.compile(r"/equipe/candidatures/$"))
    totp.refresh_from_db()
    assert totp.last_used_at is not None
