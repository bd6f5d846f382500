"""The database restarted while someone types (the candidature form, the logbook): every
character is in the database afterwards, and the page said « not saved yet, retrying »
then « saved ».

A throwaway PostgreSQL cluster (never the machine's shared server), gunicorn in front of it
with persistent connections (CONN_MAX_AGE: the health check must replace the broken one),
Chromium typing. Each test restarts the database twice: a clean stop while the person types
and comes back while she goes on; then a crash right after her last words, which only the
page's own retries can bring to the database.
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.navigateur.conftest import ARGUMENTS_CHROMIUM, CHROMIUM

from .grappe_postgres import GrappePostgres, binaires_postgres, port_libre

pytestmark = pytest.mark.navigateur

MOT_DE_PASSE = "mot-de-passe-de-test"
PAS_ENREGISTRE = "Pas encore enregistré — nouvel essai automatique…"
AVANT = "Avant la coupure : animer un atelier avec les habitants. "
PENDANT = "Pendant la coupure : la base redémarre, le texte reste là. "
REPRISE = "Au redémarrage : et encore ces mots-ci, tapés sans attendre. "
APRES = "Après : fin du premier passage."
DERNIERS_MOTS = " Et ces derniers mots, base arrêtée net."

# Each script starts the factories' sequences elsewhere: both write in the same database.
PREAMBULE = """
import django
django.setup()
import factory
from tests import factories
for classe in vars(factories).values():
    if isinstance(classe, type) and issubclass(classe, factory.Factory) and classe._meta.model:
        classe.reset_sequence({debut}, force=True)
"""

CANDIDATURE = (
    PREAMBULE.format(debut=1000)
    + """
from allauth.account.models import EmailAddress
from tests.factories import CandidatureFactory, UserFactory
user = UserFactory(email="referente@bailleul.fr")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
print(CandidatureFactory(proprietaire=user, besoins="").pk)
"""
)

JOURNAL = (
    PREAMBULE.format(debut=2000)
    + """
import datetime
from allauth.account.models import EmailAddress
from django.utils import timezone
from tests.factories import CycleFactory, SeanceFactory, binome_complet
cycle = CycleFactory(statut="en_cours")
membre = binome_complet(cycle).membres.get(role="elu")
EmailAddress.objects.create(user=membre.user, email=membre.user.email, verified=True, primary=True)
seance = SeanceFactory(cycle=cycle, date=timezone.localdate() - datetime.timedelta(days=2))
print(seance.pk, membre.user.email)
"""
)


@pytest.fixture(scope="module")
def grappe():
    binaires = binaires_postgres()
    if binaires is None:
        pytest.skip("initdb/pg_ctl introuvables (/usr/lib/postgresql/*/bin) : paquet postgresql.")
    # Under /tmp, not pytest's tmp_path: the « postgres » account must be able to reach it.
    grappe = GrappePostgres(binaires, Path(tempfile.mkdtemp(prefix="fiabilite-pg-")))
    os.chmod(grappe.dossier, 0o755)  # noqa: S103 (a test folder, nothing secret)
    try:
        grappe.creer()
        yield grappe
    finally:
        grappe.detruire()


class Serveur:
    def __init__(self, url, env, journal):
        self.url = url
        self.env = env
        self.journal = journal

    def python(self, *arguments):
        resultat = subprocess.run(
            [sys.executable, *arguments],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert resultat.returncode == 0, resultat.stderr[-3000:]
        return resultat.stdout

    def fin_du_journal(self):
        return self.journal.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def serveur(grappe, tmp_path_factory):
    """gunicorn (one process, one persistent database connection) on the throwaway cluster."""
    dossier = tmp_path_factory.mktemp("serveur")
    (dossier / "statiques").mkdir()
    (dossier / "reglages_base_redemarree.py").write_text(
        "from cerdd_cycle.settings.test import *  # noqa\n"
        "WHITENOISE_USE_FINDERS = True\n"
        f"STATIC_ROOT = {str(dossier / 'statiques')!r}\n"
    )
    env = {
        cle: valeur
        for cle, valeur in os.environ.items()
        if cle not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="reglages_base_redemarree",
        PYTHONPATH=os.pathsep.join([str(dossier), str(settings.BASE_DIR)]),
        DATABASE_URL=grappe.url,
        CONN_MAX_AGE="600",
    )
    port = port_libre()
    serveur = Serveur(f"http://127.0.0.1:{port}", env, dossier / "gunicorn.log")
    serveur.python("manage.py", "migrate", "--noinput")
    with open(serveur.journal, "wb") as journal:
        processus = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cerdd_cycle.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",
                "--timeout=60",
                "--graceful-timeout=5",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=journal,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(serveur.url + "/sante/", timeout=2)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            yield serveur
        finally:
            processus.terminate()
            processus.wait(20)


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} est introuvable : installer le paquet Debian « chromium ».")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        navigateur = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGUMENTS_CHROMIUM
        )
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(chromium, serveur):
    contexte = chromium.new_context(
        base_url=serveur.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    contexte.set_default_timeout(10_000)
    yield contexte.new_page()
    contexte.close()


def _lire(grappe, requete, parametres):
    with psycopg.connect(grappe.url.replace("postgres://", "postgresql://")) as connexion:
        return connexion.execute(requete, parametres).fetchone()[0]


def _se_connecter(page, email):
    from playwright.sync_api import expect

    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile("/comptes/login/"))


def _tout_enregistre(page, prefixe_local):
    from playwright.sync_api import expect

    expect(page.locator("#etat-enregistrement")).to_contain_text("Enregistré à", timeout=25_000)
    page.wait_for_function(
        f"() => Object.keys(localStorage).every(cle => !cle.startsWith('{prefixe_local}'))"
    )


def _taper_pendant_les_redemarrages(page, grappe, serveur, champ, en_base, prefixe_local):
    """Types in ``champ`` across the two restarts; ``en_base()`` reads the saved text."""
    from playwright.sync_api import expect

    statut = page.locator("#etat-enregistrement")
    champ.press_sequentially(AVANT, delay=15)
    _tout_enregistre(page, prefixe_local)
    assert en_base().rstrip() == AVANT.rstrip()  # the form strips its answers, the logbook not

    # The database goes down while the person types; the save after her last key fails.
    debut = time.monotonic()
    grappe.arreter()
    champ.press_sequentially(PENDANT, delay=15)
    expect(statut).to_have_text(PAS_ENREGISTRE)
    # It comes back while she goes on typing.
    redemarrage = threading.Thread(target=grappe.demarrer)
    redemarrage.start()
    champ.press_sequentially(REPRISE, delay=15)
    redemarrage.join(60)
    coupure = time.monotonic() - debut
    champ.press_sequentially(APRES, delay=15)
    _tout_enregistre(page, prefixe_local)
    texte = AVANT + PENDANT + REPRISE + APRES
    assert en_base() == texte, serveur.fin_du_journal()

    # A crash right after her last words: nothing more is typed.
    grappe.arreter(mode="immediate")
    champ.press_sequentially(DERNIERS_MOTS, delay=15)
    expect(statut).to_have_text(PAS_ENREGISTRE)
    grappe.demarrer()
    _tout_enregistre(page, prefixe_local)
    texte += DERNIERS_MOTS
    assert en_base() == texte, serveur.fin_du_journal()
    expect(champ).to_have_value(texte)
    return coupure, len(texte)


def test_candidature_base_redemarree_pendant_la_frappe_rien_perdu(grappe, serveur, page):
    candidature = int(serveur.python("-c", CANDIDATURE).strip())
    _se_connecter(page, "referente@bailleul.fr")
    page.goto(f"/candidatures/{candidature}/")

    coupure, caracteres = _taper_pendant_les_redemarrages(
        page,
        grappe,
        serveur,
        page.get_by_label("Principaux besoins"),
        lambda: _lire(
            grappe, "SELECT besoins FROM candidatures_candidature WHERE id = %s", [candidature]
        ),
        "cerdd-candidature:",
    )

    print(f"\ncandidature : base coupée {coupure:.1f} s, {caracteres} caractères gardés")


def test_journal_base_redemarree_pendant_la_frappe_rien_perdu(grappe, serveur, page):
    seance, email = serveur.python("-c", JOURNAL).split()
    _se_connecter(page, email)
    page.goto(f"/journal/seances/{seance}/")

    coupure, caracteres = _taper_pendant_les_redemarrages(
        page,
        grappe,
        serveur,
        page.get_by_label("Vos notes libres (privées, pour vous seul·e)"),
        lambda: _lire(grappe, "SELECT notes FROM journal_entree WHERE seance_id = %s", [seance]),
        "cerdd-journal:",
    )

    print(f"\njournal : base coupée {coupure:.1f} s, {caracteres} caractères gardés")
