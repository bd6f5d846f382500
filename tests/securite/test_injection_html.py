"""HTML injection tried in every text field, on every page and in the HTML of every PDF.

The world of the authorization matrix is built once, then every text field of every row of
the project's models (found from the models: a new field is tried without a line here) is
overwritten with markup that would run if it reached the page unescaped: ``<script>``,
``onerror``, ``javascript:`` links, ``<iframe>``, ``<style>``, ``<svg onload>``, quotes that
break out of an attribute, template syntax. Written straight into the database, so that what is
tried is the way out (escaping, ``texte_riche``), not only the forms' checks. Then every URL
is opened by every role that may open it (the matrix's 200s), the admin's change page of every
row as staff, and the HTML handed to WeasyPrint is inspected for each PDF: no executable
markup anywhere. Rich text fields also go through their real form or service.

Templates marked ``|safe`` or ``autoescape off`` and Python ``mark_safe`` are listed with the
reason they are harmless: a new one fails ``test_chaque_echappement_desactive_est_revu``."""

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from capitalisation import services as capitalisation
from cerdd_cycle.documents import pdf
from seances.models import Ressource
from tests.factories import CycleFactory, SeanceFactory, UserFactory
from tests.securite.test_matrice_acces import ATTENDU, ROLES, _url, monde_du_module

MARQUE = "XSSMARQUE"
CHARGE = (
    f"\"'><script>alert('{MARQUE}')</script><img src=x onerror=alert('{MARQUE}')>"
    f'<a href="javascript:alert(\'{MARQUE}\')">{MARQUE}</a><iframe src="javascript:alert(1)">'
    f"</iframe><style>body{{background:url(\"javascript:alert('{MARQUE}')\")}}</style>"
    f"<svg onload=alert('{MARQUE}')></svg><div style=\"background:expression(alert(1))\">"
    f"{MARQUE}</div><p onclick='alert(1)'>{{{{ settings.SECRET_KEY }}}}{{% debug %}}</p>"
    f"' onmouseover='alert(1)' x='"
)
CHARGES_COURTES = (f'"><svg onload=alert(1)>{MARQUE}', "'\"><b onclick=alert(1)>", "<b onclick=1>")
APPLICATIONS = {"candidatures", "jury", "seances", "journal", "capitalisation", "cerdd_cycle"}
# Technical text, never typed by a person (or a secret the page never shows).
TECHNIQUES = {"password", "jeton", "sha256", "type_mime", "code", "cle", "key", "etape", "erreur"}

# Rich text: HTML typed by staff, shown through ``|texte_riche`` (nh3) only.
RICHES = {
    "cycles.Cycle.texte_ami",
    "seances.Seance.note_contexte",
    "capitalisation.Rapport.introduction",
    "capitalisation.Rapport.conclusion",
}
# The outbox's HTML version: written by our templates from cleaned text, sent, never shown.
HTML_ENVOYE = {"courriels.Courriel.html"}


@pytest.fixture(autouse=True)
def _reglages_de_test():
    # The world's files live in the module's folder (see _monde below).
    return None


# --- what runs in a page --------------------------------------------------------------------


class _Inspecteur(HTMLParser):
    ATTRIBUTS_URL = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
    BALISES_INTERDITES = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problemes = []
        self._dans = None

    def handle_starttag(self, balise, attributs):
        if balise in self.BALISES_INTERDITES:
            self.problemes.append(f"<{balise}>")
        for nom, valeur in attributs:
            valeur = valeur or ""
            if nom.startswith("on"):
                self.problemes.append(f"<{balise} {nom}=…>")
            compacte = re.sub(r"[\s\x00-\x1f]", "", valeur).lower()
            if nom in self.ATTRIBUTS_URL and compacte.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problemes.append(f"<{balise} {nom}={valeur[:40]}>")
            if MARQUE in valeur and (nom == "style" or nom.startswith("hx-")):
                self.problemes.append(f"<{balise} {nom}> porte la charge")
        if balise == "script":
            source = dict(attributs).get("src") or ""
            if dict(attributs).get("type") == "application/json":
                self._dans = "donnees"  # a data block (json_script), never run
                return
            # Our own files, and the admin's translation catalogue (same origin).
            if not source.startswith((settings.STATIC_URL, "/admin/jsi18n/")):
                self.problemes.append(f"<script src={source[:40]!r}>")
        if balise in ("script", "style"):
            self._dans = balise

    def handle_endtag(self, balise):
        if balise == self._dans or (balise == "script" and self._dans == "donnees"):
            self._dans = None

    def handle_data(self, donnees):
        if self._dans == "script" and donnees.strip():
            self.problemes.append("script en ligne")
        if self._dans == "style" and MARQUE in donnees:
            self.problemes.append("<style> porte la charge")


def problemes(html: str) -> list[str]:
    inspecteur = _Inspecteur()
    inspecteur.feed(html)
    inspecteur.close()
    trouves = inspecteur.problemes
    if settings.SECRET_KEY in html:
        trouves.append("la syntaxe de gabarit a été interprétée")
    return trouves


def test_l_inspecteur_voit_la_charge_non_echappee():
    # The checker itself: the payload unescaped is caught, escaped it is not.
    from django.utils.html import escape

    assert len(problemes(CHARGE)) >= 6
    assert problemes(f"<p>{escape(CHARGE)}</p>") == []
    for courte in CHARGES_COURTES:
        assert problemes(courte) != []
        assert problemes(escape(courte)) == []


# --- the inventory --------------------------------------------------------------------------


def _modeles():
    return [m for m in apps.get_models() if m.__module__.split(".")[0] in APPLICATIONS]


def _champs_texte(modele):
    for champ in modele._meta.concrete_fields:
        if (
            isinstance(champ, (models.CharField, models.TextField))
            and not champ.choices
            and not champ.unique
            and not isinstance(champ, models.SlugField)
            and champ.name not in TECHNIQUES
            and (champ.max_length or 10_000) >= 13
        ):
            yield champ


def _nom(modele, champ):
    return f"{modele._meta.app_label}.{modele.__name__}.{champ.name}"


def _gabarits():
    racines = [Path(settings.BASE_DIR) / "templates"] + [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in APPLICATIONS
    ]
    return sorted({p for racine in racines if racine.is_dir() for p in racine.rglob("*.html")})


def test_chaque_texte_riche_passe_par_texte_riche():
    """Every TextField shown with ``|texte_riche`` is one of RICHES, and each of RICHES is
    shown that way only; a rich field is never shown with ``|safe``."""
    champs = {_nom(m, c) for m in _modeles() for c in _champs_texte(m)}
    assert champs >= RICHES
    assert champs >= HTML_ENVOYE
    riches_dans_les_gabarits = set()
    for gabarit in _gabarits():
        texte = gabarit.read_text()
        riches_dans_les_gabarits |= set(re.findall(r"\.(\w+)\s*\|\s*texte_riche", texte))
    assert riches_dans_les_gabarits == {nom.rsplit(".", 1)[1] for nom in RICHES}


# Every place escaping is turned off, and why it is harmless. A new one must be reviewed here.
ECHAPPEMENTS_REVUS = {
    # allauth's help texts: written by the validators' code, never by a person.
    "templates/allauth/elements/_champ_aide.html": 1,
}
MARK_SAFE_REVUS = {
    # nh3's output (cerdd_cycle/documents/html.py), the only rich text path.
    "cerdd_cycle/documents/html.py": 1,
    # SVG charts drawn from numbers, every label through format_html.
    "capitalisation/graphiques.py": 1,
    # The QR code (our own SVG) with an escaped label.
    "seances/views/jour.py": 1,
    # The form renderer: Django's widget HTML written in Python, every value escaped as the
    # widget templates do (tests/kernel/test_formulaires.py compares the two, hostile values
    # included); the other call keeps a value that was already safe.
    "cerdd_cycle/formulaires.py": 2,
}


def test_chaque_echappement_desactive_est_revu():
    racine = Path(settings.BASE_DIR)
    trouves = {}
    for gabarit in _gabarits():
        texte = gabarit.read_text()
        nombre = len(re.findall(r"\|\s*safe\b|\|\s*safeseq\b|{%\s*autoescape\s+off", texte))
        if nombre:
            trouves[str(gabarit.relative_to(racine))] = nombre
    assert trouves == ECHAPPEMENTS_REVUS

    appels = {}
    for application in APPLICATIONS:
        for fichier in (racine / application).rglob("*.py"):
            if "migrations" in fichier.parts:
                continue
            nombre = len(re.findall(r"\bmark_safe\(|\bSafeString\(", fichier.read_text()))
            if nombre:
                appels[str(fichier.relative_to(racine))] = nombre
    assert appels == MARK_SAFE_REVUS


# --- rich text through its real form or service ---------------------------------------------


@pytest.mark.django_db
def test_rapport_introduction_et_conclusion_nettoyees(client, equipe):
    cycle = CycleFactory(statut="en_cours", slug="riche")
    SeanceFactory(cycle=cycle, numero=1)
    rapport = capitalisation.rapport_enregistrer(
        cycle, par=equipe, titre=CHARGE[:200], introduction=CHARGE, conclusion=CHARGE
    )

    for valeur in (rapport.introduction, rapport.conclusion):
        assert problemes(valeur) == []
        assert "<script" not in valeur and "onerror" not in valeur
    client.force_login(equipe)
    page = client.get(reverse("equipe_capitalisation:apercu", args=[cycle.slug]))
    assert page.status_code == 200
    assert problemes(page.content.decode()) == []


@pytest.mark.django_db
def test_texte_de_l_appel_nettoye_a_l_affichage(client):
    cycle = CycleFactory(texte_ami=f"<p>Bienvenue</p>{CHARGE}")

    page = client.get(reverse("ami:appel", args=[cycle.slug]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<p>Bienvenue</p>" in html  # harmless formatting kept
    assert problemes(html) == []


@pytest.mark.django_db
def test_note_de_contexte_par_l_admin_puis_page_et_courriel(client, equipe):
    from seances.models import Seance
    from tests.seances.test_admin import _donnees

    cycle = CycleFactory(statut="en_cours")
    client.force_login(equipe)
    reponse = client.post(
        reverse("admin:seances_seance_add"), _donnees(cycle, note_contexte=CHARGE)
    )

    assert reponse.status_code == 302
    note = Seance.objects.get().note_contexte
    assert problemes(note) == []
    assert "javascript:" not in note


# --- the contaminated world -----------------------------------------------------------------


def _charge_pour(champ) -> str | None:
    longueur = champ.max_length or 10_000
    if isinstance(champ, models.URLField):
        return f"javascript:alert('{MARQUE}')"[:longueur]
    if isinstance(champ, models.EmailField):
        return None  # an address is checked wherever it is typed; it still gets shown escaped
    for charge in (CHARGE, *CHARGES_COURTES):
        if len(charge) <= longueur:
            return charge
    return None


def _contaminer(m) -> list[str]:
    # A resource that is a link, so that its address is tried too.
    Ressource.objects.create(seance=m.seance, titre="Lien", url="https://www.example.org/")
    touches = []
    for modele in _modeles():
        for champ in _champs_texte(modele):
            charge = _charge_pour(champ)
            if charge is None:
                continue
            lignes = modele._base_manager.all()
            if isinstance(champ, models.URLField):
                lignes = lignes.exclude(**{champ.attname: ""})  # a link or a file, not both
            lignes.update(**{champ.attname: charge})
            touches.append(_nom(modele, champ))
    return touches


def _completer(m):
    m.superuser = UserFactory(is_staff=True, is_superuser=True, email="super@injection.test")
    m.touches = _contaminer(m)


@pytest.fixture(scope="module")
def _monde(django_db_setup, django_db_blocker):
    roles = (*ROLES, "superuser")
    with monde_du_module(django_db_blocker, "injection-", _completer, roles) as m:
        yield m


@pytest.fixture
def monde(_monde, db):
    with transaction.atomic():
        yield _monde
        transaction.set_rollback(True)


def _client(m, role) -> Client:
    client = Client(raise_request_exception=True)
    if role in m.cookies:
        client.cookies = copy.deepcopy(m.cookies[role])
    return client


def _html_des_pdf():
    """Record the HTML each PDF is laid out from (the kernel's one PDF function)."""
    rendus = []
    original = pdf.render_to_string

    def enregistrer(*args, **kwargs):
        html = original(*args, **kwargs)
        rendus.append(html)
        return html

    return rendus, mock.patch.object(pdf, "render_to_string", enregistrer)


def _chaines(valeur):
    if isinstance(valeur, str):
        yield valeur
    elif isinstance(valeur, dict):
        for element in valeur.values():
            yield from _chaines(element)
    elif isinstance(valeur, list):
        for element in valeur:
            yield from _chaines(element)


def _inspecter(reponse, rendus) -> list[str]:
    if reponse.streaming:
        b"".join(reponse.streaming_content)
        return []
    type_contenu = reponse.get("Content-Type", "")
    trouves = []
    if "html" in type_contenu:
        trouves += problemes(reponse.content.decode())
    elif "json" in type_contenu:
        # htmx and the logbook's script put these strings into the page as HTML.
        for chaine in _chaines(json.loads(reponse.content)):
            trouves += problemes(chaine)
    if "pdf" in type_contenu:
        assert rendus, "un PDF fait sans passer par cerdd_cycle.documents.pdf"
    for html in rendus:
        trouves += [f"PDF : {p}" for p in problemes(html)]
    return trouves


def test_le_monde_est_contamine(monde):
    # The fields a person types, in every layer: the payload really is in the database.
    for attendu in (
        "candidatures.Candidature.motivations",
        "candidatures.Candidature.nom_collectivite",
        "jury.Decision.motif",
        "jury.ModeleDecision.corps",
        "seances.Seance.note_contexte",
        "seances.PointProgramme.description",
        "seances.Ressource.url",
        "seances.Question.texte",
        "journal.Element.texte",
        "journal.Relais.quoi",
        "journal.Experimentation.description",
        "cycles.Cycle.texte_ami",
        "comptes.User.first_name",
        "territoires.Territoire.nom",
    ):
        if attendu in {_nom(m, c) for m in _modeles() for c in m._meta.concrete_fields}:
            assert attendu in monde.touches, attendu


def _cas():
    for route in sorted(ATTENDU):
        for role, attendu in ATTENDU[route].items():
            if attendu == 200:
                yield pytest.param(route, role, id=f"{route}-{role}")


@pytest.mark.parametrize(("route", "role"), list(_cas()))
def test_aucune_charge_executable(monde, route, role):
    rendus, espion = _html_des_pdf()
    with espion:
        reponse = _client(monde, role).get(_url(route, monde))

    assert reponse.status_code == 200
    assert _inspecter(reponse, rendus) == []


def _pages_admin(m):
    for modele in admin.site._registry:
        meta = modele._meta
        yield reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        objet = modele._base_manager.order_by("pk").first()
        if objet is not None:
            yield reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[objet.pk])


def test_aucune_charge_executable_dans_l_admin(monde):
    client = _client(monde, "superuser")
    trouves = {}
    vues = 0
    for url in _pages_admin(monde):
        reponse = client.get(url)
        if reponse.status_code == 404 and url.endswith("/change/"):
            continue  # a row the admin does not show (a private logbook item)
        assert reponse.status_code == 200, url
        if MARQUE in reponse.content.decode():
            vues += 1
        if probleme := problemes(reponse.content.decode()):
            trouves[url] = probleme
    assert trouves == {}
    assert vues >= 10  # the payload is shown (escaped) on the admin's pages


def test_la_charge_est_affichee_echappee(monde):
    """Where a person reads what another typed, the payload shows as text."""
    echappee = "&lt;script&gt;alert(&#x27;XSSMARQUE&#x27;)&lt;/script&gt;"
    for route, role in (
        ("equipe_candidatures:detail", "equipe"),
        ("candidatures:formulaire", "candidat"),
        ("jury:evaluation", "jure"),
        ("seances:seance", "participant"),
        ("journal:entree", "participant"),
        ("capitalisation:parcours", "equipe"),
    ):
        if route not in ATTENDU:
            continue
        html = _client(monde, role).get(_url(route, monde)).content.decode()
        assert echappee in html, route
        assert CHARGE not in html, route
