"""axe-core on every page of every role: no serious or critical violation anywhere.

The pages come from the authorization matrix (``tests/securite/test_matrice_acces.py``): every
(route, role) whose expected GET answer is 200, in the same world, opened in Chromium as that
role. Downloads (PDF, spreadsheets, calendars, archives, JSON) and htmx fragments are told
apart by what the server answers, not by a list kept here, so a new page is checked at once.
The admin is checked as staff: its index, and a changelist and a change form per app.

One test per role (a browser context each, the role's session cookie copied in): the world is
rebuilt for each (a fraction of a second) because the live server needs committed rows,
which pytest-django flushes after every test. Each test opens all the pages of its role and
reports every violation found at once: route, role, rule, impact, targets.
"""

import shutil
import tempfile

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse

from tests.securite.test_matrice_acces import ATTENDU, ROLES, _construire, _url

from .accessibilite import decrire_violations, violations_graves
from .connexion import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def monde():
    dossier = tempfile.mkdtemp(prefix="axe-")
    with override_settings(MEDIA_ROOT=f"{dossier}/media", PRIVATE_MEDIA_ROOT=f"{dossier}/prive"):
        try:
            yield _construire()
        finally:
            shutil.rmtree(dossier, ignore_errors=True)


def _est_une_page(reponse) -> bool:
    """A whole HTML document: not a download, not an htmx fragment."""
    if reponse.streaming or not reponse["Content-Type"].startswith("text/html"):
        return False
    if reponse.has_header("Content-Disposition"):
        return False
    return b"<html" in reponse.content[:1000].lower()


def _pages(client, adresses) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, url) of the HTML pages among ``adresses``, and what answered otherwise."""
    pages, anomalies = [], []
    for libelle, url in adresses:
        reponse = client.get(url)
        if reponse.streaming:
            b"".join(reponse.streaming_content)
        if reponse.status_code != 200:
            anomalies.append(f"- {libelle} ({url}) : réponse {reponse.status_code}, pas 200")
        elif _est_une_page(reponse):
            pages.append((libelle, url))
    return pages, anomalies


def _verifier(page, client, role, adresses):
    pages, problemes = _pages(client, adresses)
    for libelle, url in pages:
        reponse = page.goto(url, wait_until="load")
        if reponse is None or reponse.status != 200:
            statut = reponse.status if reponse else "aucune"
            problemes.append(f"- {libelle} ({url}) : réponse {statut} dans le navigateur")
            continue
        graves = violations_graves(page)
        if graves:
            problemes.append(f"- {libelle} ({url}) :\n{decrire_violations(graves)}")
    assert not problemes, f"Rôle « {role} », {len(pages)} pages :\n" + "\n".join(problemes)
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_aucune_violation_grave_sur_les_pages_du_role(page, live_server, monde, role):
    user = getattr(monde, role)
    client = Client(raise_request_exception=False)
    if user is not None:
        client = connecter(page, live_server, user)
    adresses = [
        (route, _url(route, monde))
        for route, ligne in sorted(ATTENDU.items())
        if ligne[role] == 200
    ]

    pages = _verifier(page, client, role, adresses)

    # Guards the filter: most of what a role may open are pages, not downloads.
    assert len(pages) >= len(adresses) // 2, pages


def _adresses_admin(user) -> list[tuple[str, str]]:
    """The index, then per app: a changelist and the change form of a row, when it has one."""
    adresses = [("admin:index", reverse("admin:index"))]
    requete = RequestFactory().get("/admin/")
    requete.user = user
    par_app: dict[str, list] = {}
    for modele in admin.site._registry:
        par_app.setdefault(modele._meta.app_label, []).append(modele)
    for app, modeles in sorted(par_app.items()):
        modeles.sort(key=lambda modele: modele._meta.model_name)
        meta = modeles[0]._meta
        route = f"admin:{app}_{meta.model_name}_changelist"
        adresses.append((route, reverse(route)))
        for modele in modeles:
            # The admin's own queryset: some hide rows (private logbook items).
            lignes = admin.site._registry[modele].get_queryset(requete)
            objet = lignes.order_by("pk").first()
            if objet is None:
                continue
            route = f"admin:{app}_{modele._meta.model_name}_change"
            try:
                adresses.append((route, reverse(route, args=[objet.pk])))
            except NoReverseMatch:
                continue
            break
    return adresses


def test_aucune_violation_grave_dans_l_admin(page, live_server, monde):
    # A superuser: the change forms then show their widgets, not a read-only view.
    equipe = get_user_model().objects.create_superuser(
        email="admin-axe@cerdd.test", password="Une-phrase-de-passe-2021"
    )
    client = connecter(page, live_server, equipe)
    adresses = _adresses_admin(equipe)

    pages = _verifier(page, client, "equipe (admin)", adresses)

    assert len(pages) == len(adresses)
    assert sum(route.endswith("_change") for route, _ in pages) >= 5
