"""WeasyPrint never fetches anything but our static files.

A participant shares with the group a logbook item (and a relay, an experiment) full of
references to a local HTTP server that records every hit, to ``file:///etc/passwd``, to
``data:`` URLs and CSS ``@import`` / ``url()``. The logbook PDF, the collectivity's journey
PDF and the cycle's report are generated through the real views and services: the server gets
no hit, the file's content never appears, and each PDF is still produced. The same references
are then given to WeasyPrint as raw markup (as if a template forgot to escape them): the
kernel's url fetcher refuses every one of them and still serves the static stylesheet."""

import base64
import datetime
import http.server
import shutil
import subprocess
import threading
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from capitalisation import services as capitalisation
from capitalisation.enums import EtatVersion, Section
from cerdd_cycle.documents import pdf
from journal import services as journal
from journal.enums import Audience
from tests.factories import CycleFactory, SeanceFactory, binome_complet

pytestmark = pytest.mark.django_db

PASSWD = "root:x:0:0"  # the first line of /etc/passwd on every Linux


@pytest.fixture(autouse=True)
def _reglages_de_test(settings, tmp_path):
    # tests/securite/conftest.py keeps the matrix's media folders; here, each test its own.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "prive"


@pytest.fixture
def serveur():
    """A local HTTP server that records every request it receives."""
    visites = []

    class Espion(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            visites.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Espion)
    fil = threading.Thread(target=httpd.serve_forever, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", visites
    httpd.shutdown()
    httpd.server_close()


def _svg_qui_appelle(url):
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<image href="{url}/svg-imbrique" xlink:href="{url}/svg-imbrique" width="9" height="9"/>'
        f'<image href="file:///etc/passwd" width="9" height="9"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _references(url):
    """Every way markup or CSS can ask WeasyPrint for a resource."""
    return (
        f'<img src="{url}/img"><img src="file:///etc/passwd" alt="passwd">'
        f'<link rel="stylesheet" href="{url}/feuille.css">'
        f'<style>@import url("{url}/import.css"); @import "file:///etc/passwd";'
        f'@font-face {{ font-family: Espion; src: url("{url}/police.woff"); }}'
        f'body {{ background: url("{url}/fond.png"); }}</style>'
        f'<div style="background-image: url({url}/style.png); font-family: Espion">x</div>'
        f'<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>'
        f'<embed src="{url}/embed"><img src="{_svg_qui_appelle(url)}">'
        f'<img src="file:///static/../../../../etc/passwd">'
        f'<img src="/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd">'
        f'<img src="/static/../../../../../etc/passwd">'
        f'<img src="{url}/static/css/pdf.css">'
        f'<img src="//127.0.0.1:{url.rsplit(":", 1)[1]}/sans-schema">'
    )


def _texte_du_pdf(contenu: bytes) -> str:
    assert contenu.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) n'est pas installé")
    sortie = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=contenu, capture_output=True, check=True
    )
    return " ".join(sortie.stdout.decode().split())


@pytest.fixture
def binome_hostile(serveur):
    """A pair of a cycle under way whose élu·e shared hostile texts with the group."""
    url, _visites = serveur
    aujourdhui = timezone.localdate()
    cycle = CycleFactory(statut="en_cours", slug="cycle-hostile")
    seance = SeanceFactory(cycle=cycle, numero=1, date=aujourdhui - datetime.timedelta(days=3))
    binome = binome_complet(cycle)
    membre = binome.membres.get(role="elu", suppleant=False)
    hostile = "Partagé avec le groupe : " + _references(url)
    entree = journal.entree_obtenir(membre, seance)
    for audience in (Audience.GROUPE, Audience.GROUPE_ANONYME):
        journal.element_ajouter(entree, rubrique="points_forts", texte=hostile, audience=audience)
    journal.relais_enregistrer(
        binome,
        auteur=membre,
        date=aujourdhui,
        public=f'Conseil <img src="{url}/public">',
        quoi=hostile,
        seance=seance,
    )
    journal.experimentation_enregistrer(
        binome,
        par=membre.user,
        titre=f'Essai <img src="{url}/titre">',
        statut="en_cours",
        description=hostile,
        resultats=hostile,
        seance=seance,
    )
    return binome, membre


def _verifier(contenu, visites):
    texte = _texte_du_pdf(contenu)
    assert visites == []
    assert PASSWD not in texte
    # The texts are in the PDF, as text: what was typed is printed, never fetched.
    assert "Partagé avec le groupe" in texte
    assert "/etc/passwd" in texte
    return texte


def test_pdf_du_journal(client, serveur, binome_hostile):
    _url, visites = serveur
    _binome, membre = binome_hostile
    client.force_login(membre.user)

    reponse = client.get(reverse("journal:pdf"))

    assert reponse.status_code == 200
    _verifier(reponse.content, visites)


def test_pdf_du_parcours(client, equipe, serveur, binome_hostile):
    _url, visites = serveur
    binome, _membre = binome_hostile
    client.force_login(equipe)

    reponse = client.get(reverse("capitalisation:parcours_pdf", args=[binome.pk]))

    assert reponse.status_code == 200
    _verifier(reponse.content, visites)


def test_rapport_de_capitalisation(equipe, serveur, binome_hostile):
    _url, visites = serveur
    binome, _membre = binome_hostile
    capitalisation.rapport_enregistrer(
        binome.cycle,
        par=equipe,
        titre="Rapport",
        introduction=f'<p>Introduction <img src="{_url}/intro"></p>' + _references(_url),
        conclusion=f'<a href="file:///etc/passwd">conclusion</a><style>@import "{_url}/c";</style>',
        sections=Section.values,
    )
    version = capitalisation.version_demander(binome.cycle, par=equipe, lancer=False)

    version = capitalisation.version_generer(version.pk)

    assert version.etat == EtatVersion.PRETE, version.erreur
    assert version.pages >= 1
    with version.fichier.open("rb") as fichier:
        _verifier(fichier.read(), visites)


def test_le_fetcher_refuse_tout_sauf_les_fichiers_statiques(serveur):
    url, visites = serveur
    demandes = []
    fetch = pdf.FichiersStatiquesSeulement.fetch

    def espion(self, adresse, headers=None):
        try:
            reponse = fetch(self, adresse, headers)
        except ValueError:
            demandes.append((adresse, "refusée"))
            raise
        demandes.append((adresse, "servie"))
        return reponse

    brut = (
        '<html><head><link rel="stylesheet" href="/static/css/pdf.css"></head><body>'
        f"<p>Texte</p>{_references(url)}</body></html>"
    )
    with (
        mock.patch.object(pdf.FichiersStatiquesSeulement, "fetch", espion),
        mock.patch.object(pdf, "render_to_string", return_value=brut),
    ):
        contenu = pdf.rendre_pdf("gabarit-hostile.html", {})

    texte = _texte_du_pdf(contenu)
    assert visites == []
    assert PASSWD not in texte
    assert "Texte" in texte
    servies = [adresse for adresse, issue in demandes if issue == "servie"]
    refusees = [adresse for adresse, issue in demandes if issue == "refusée"]
    # Only our stylesheet, and the data: image (whose own references are refused in turn).
    assert [a for a in servies if not a.startswith("data:")] == ["file:///static/css/pdf.css"]
    assert any(a.startswith("data:image/svg+xml") for a in servies)
    for attendue in (
        f"{url}/img",
        f"{url}/feuille.css",
        f"{url}/import.css",
        f"{url}/fond.png",
        f"{url}/svg-imbrique",
        f"{url}/static/css/pdf.css",
        "file:///etc/passwd",
    ):
        assert attendue in refusees, (attendue, demandes)
