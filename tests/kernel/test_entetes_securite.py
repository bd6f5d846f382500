"""Security headers: the Content-Security-Policy (no inline code), frame denial, referrer
policy, nosniff, Permissions-Policy; a reserved file keeps its own ``sandbox``; in production,
HTTPS only (redirect, HSTS) and secure cookies."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from cerdd_cycle.securite import EntetesSecuriteMiddleware
from tests.factories import PieceJointeFactory

POLITIQUE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _directives(politique):
    return {
        morceau.split()[0]: morceau.split()[1:]
        for morceau in (m.strip() for m in politique.split(";"))
        if morceau
    }


@pytest.mark.django_db
def test_page_html_porte_tous_les_entetes(client):
    reponse = client.get(reverse("accueil"))

    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/html")
    assert reponse["Content-Security-Policy"] == POLITIQUE
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["Referrer-Policy"] == "same-origin"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Permissions-Policy"] == ("camera=(), microphone=(), geolocation=(), payment=()")
    assert reponse["Cross-Origin-Opener-Policy"] == "same-origin"


def test_politique_sans_code_en_ligne_ni_autre_origine():
    directives = _directives(settings.CSP_POLITIQUE)

    assert "unsafe-inline" not in settings.CSP_POLITIQUE
    assert "unsafe-eval" not in settings.CSP_POLITIQUE
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert all(
        source in ("'self'", "'none'", "data:")
        for sources in directives.values()
        for source in sources
    )


@pytest.mark.django_db
def test_pages_d_erreur_et_admin_sous_la_meme_politique(client, equipe):
    assert client.get("/nulle-part/")["Content-Security-Policy"] == POLITIQUE

    client.force_login(equipe)
    for url in ("/admin/", "/admin/cycles/cycle/add/"):
        reponse = client.get(url)
        assert reponse.status_code == 200
        assert reponse["Content-Security-Policy"] == POLITIQUE


@pytest.mark.django_db
def test_telechargement_garde_sa_politique_sandbox(client):
    piece = PieceJointeFactory()
    client.force_login(piece.candidature.proprietaire)

    reponse = client.get(reverse("pieces:telecharger", args=[piece.candidature.pk, piece.pk]))
    reponse.close()

    assert reponse.status_code == 200
    assert reponse["Content-Security-Policy"] == "sandbox"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_politique_reglable_par_deploiement(client):
    with override_settings(CSP_POLITIQUE="default-src 'self'; img-src 'self' https://tuiles.fr"):
        reponse = client.get(reverse("accueil"))

    assert reponse["Content-Security-Policy"] == (
        "default-src 'self'; img-src 'self' https://tuiles.fr"
    )


def test_pages_techniques_du_mode_debug_laissees_lisibles(rf):
    from django.http import HttpResponse, HttpResponseNotFound

    with override_settings(DEBUG=True):
        introuvable = EntetesSecuriteMiddleware(lambda r: HttpResponseNotFound("<style>"))(
            rf.get("/")
        )
        page = EntetesSecuriteMiddleware(lambda r: HttpResponse("ok"))(rf.get("/"))

    assert "Content-Security-Policy" not in introuvable
    assert page["Content-Security-Policy"] == POLITIQUE


# Run in a subprocess with the production settings (they read the environment at import).
SCRIPT_PRODUCTION = """
import json, django
from django.conf import settings
django.setup()
# The manifest of hashed static files comes from collectstatic at deployment, not from a test.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
client = Client(HTTP_HOST="cycle.cerdd.org")
http = client.get("/donnees-personnelles/")
https = client.get("/donnees-personnelles/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "redirection": [http.status_code, http.get("Location")],
    "statut": https.status_code,
    "entetes": dict(https.headers),
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                settings.SESSION_COOKIE_HTTPONLY],
}))
"""


def _environnement_production(tmp_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cerdd_cycle.settings.prod",
        "SECRET_KEY": "k9#Vq2!mZ7@pL4$wR8^tY1&uN6*eB3(hJ5)cX0_dF" * 2,
        "ALLOWED_HOSTS": "cycle.cerdd.org",
        "SITE_URL": "https://cycle.cerdd.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "DEBUG": "false",
    }


def test_production_https_seulement_hsts_et_cookies_securises(tmp_path):
    # ``check --deploy`` itself is tried in tests/kernel/test_reglages.py.
    env = _environnement_production(tmp_path)
    requetes = subprocess.run(
        [sys.executable, "-c", SCRIPT_PRODUCTION],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert requetes.returncode == 0, requetes.stderr
    resultat = json.loads(requetes.stdout.strip().splitlines()[-1])
    assert resultat["redirection"] == [301, "https://cycle.cerdd.org/donnees-personnelles/"]
    assert resultat["statut"] == 200
    entetes = resultat["entetes"]
    assert entetes["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert entetes["Content-Security-Policy"] == POLITIQUE
    assert entetes["X-Frame-Options"] == "DENY"
    assert entetes["Referrer-Policy"] == "same-origin"
    assert entetes["X-Content-Type-Options"] == "nosniff"
    assert entetes["Cross-Origin-Opener-Policy"] == "same-origin"
    assert resultat["cookies"] == [True, True, True]
