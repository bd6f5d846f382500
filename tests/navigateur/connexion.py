"""Signing a browser in: through the login form (the journeys), or without it, with a session
opened by Django's test client (the page-by-page checks)."""

import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE, UserFactory


def compte_verifie(email, **champs):
    """A user who can log in (address verified: allauth's verification is mandatory)."""
    user = UserFactory(email=email, **champs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def se_connecter(page, email, mot_de_passe=MOT_DE_PASSE):
    """The login form, as a person fills it in; returns once the session is open."""
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile("/comptes/login/"))
    # Attached rather than visible: on a phone the menu is folded.
    expect(page.get_by_role("button", name="Se déconnecter", include_hidden=True)).to_be_attached()


def connecter(page, live_server, user) -> Client:
    """``user``'s session in the page's browser context; the client shares it."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return client
