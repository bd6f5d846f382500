"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.test import override_settings

CHROMIUM = Path("/usr/bin/chromium")
ARGUMENTS_CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUREAU = {"width": 1280, "height": 900}
TELEPHONE = {"width": 390, "height": 844}
DELAI_MS = 10_000


@pytest.fixture(scope="session", autouse=True)
def _static_root(tmp_path_factory):
    # The live server loads WhiteNoise, which warns (an error under filterwarnings) when
    # STATIC_ROOT does not exist; the files themselves come from the staticfiles finders.
    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("staticfiles"))):
        yield


@pytest.fixture(scope="package")
def navigateur():
    """One Chromium for all the browser tests.

    Package scope rather than session: Playwright's sync API keeps an event loop running in
    this thread while it is open, and Django refuses ORM calls (the factories of the tests)
    inside a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both the loop and that
    variable are confined to this folder, so the other tests (and the subprocesses they start,
    e.g. ``manage.py check --deploy``) never run with async safety turned off.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} est introuvable : installer le paquet Debian « chromium »."
        if os.environ.get("NAVIGATEUR_REQUIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=ARGUMENTS_CHROMIUM
            )
            yield chromium
            chromium.close()


def _ouvrir(navigateur, live_server, **options):
    # Reduced motion turns Bootstrap's transitions off: axe would otherwise measure a button's
    # contrast halfway through its colour change, right after a tap.
    contexte = navigateur.new_context(
        base_url=live_server.url, locale="fr-FR", reduced_motion="reduce", **options
    )
    contexte.set_default_timeout(DELAI_MS)
    return contexte


@pytest.fixture
def page(navigateur, live_server):
    contexte = _ouvrir(navigateur, live_server, viewport=BUREAU)
    yield contexte.new_page()
    contexte.close()


@pytest.fixture
def page_telephone(navigateur, live_server):
    contexte = _ouvrir(navigateur, live_server, viewport=TELEPHONE, is_mobile=True, has_touch=True)
    yield contexte.new_page()
    contexte.close()
