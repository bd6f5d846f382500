"""Signing a browser in without the login form: a session opened by Django's test client."""

from django.conf import settings
from django.test import Client


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
