"""The Content-Security-Policy (no inline script or style) seen by Chromium: no page of any role
breaks it, the autosaves (htmx) included, nor Django's admin (date shortcuts, prepopulated
slug, inlines, deletion). Violations are collected twice: the ``securitypolicyviolation``
events and Chromium's console messages."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from candidatures.enums import StatutCandidature
from candidatures.models import Candidature
from cerdd_cycle.cycles.models import Cycle
from jury.models import Affectation
from seances.models import Seance

from .connexion import se_connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE_DEMO = "cerdd-demo-2021"
# Runs before the page's own scripts, through the DevTools protocol: not an inline script of
# the document, so the policy does not block it (test_l_ecoute_voit_une_violation checks).
ECOUTE = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
  `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


class Violations:
    def __init__(self, page):
        self.page = page
        self.console = []
        page.context.add_init_script(ECOUTE)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    def releve(self):
        return self.page.evaluate("window.__violations"), list(self.console)

    def ouvrir(self, url):
        reponse = self.page.goto(url)
        assert reponse.status == 200, url
        self.page.wait_for_load_state("networkidle")
        self.verifier(url)

    def verifier(self, ou):
        evenements, console = self.releve()
        assert not evenements and not console, f"{ou} : {evenements} {console}"


@pytest.fixture
def demo():
    # The real territories: the demo's collectivities, candidatures and participants need them.
    call_command("charger_territoires", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO())


@pytest.fixture
def violations(page):
    return Violations(page)


def _taper_et_attendre_l_enregistrement(page, champ, texte):
    with page.expect_response(lambda r: r.request.method == "POST") as enregistrement:
        champ.press_sequentially(texte)
        champ.blur()
    assert enregistrement.value.status == 200


def test_l_ecoute_voit_une_violation(page, violations):
    page.goto("/")
    # The listener was injected (add_init_script) without being refused itself…
    assert violations.releve() == ([], [])
    # …and it does see an inline script the page would run.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    evenements, _console = violations.releve()
    assert evenements[0].startswith("script-src-elem inline")
    assert page.evaluate("window.x") is None


def test_pages_publiques_et_candidat_avec_enregistrement_automatique(page, violations, demo):
    ami = Cycle.objects.get(slug="territoires-participatifs-2027")
    for url in ("/", f"/ami/{ami.slug}/", "/comptes/login/", "/comptes/signup/", "/nulle-part/"):
        page.goto(url)
        violations.verifier(url)

    se_connecter(page, "candidat.wattrelos@demo.cerdd-cycle.fr", MOT_DE_PASSE_DEMO)
    brouillon = Candidature.objects.get(
        proprietaire__email="candidat.wattrelos@demo.cerdd-cycle.fr",
        statut=StatutCandidature.BROUILLON,
    )
    for url in ("/candidatures/", "/comptes/2fa/", f"/candidatures/{brouillon.pk}/"):
        violations.ouvrir(url)
    champ = page.locator("#formulaire-candidature textarea[data-autosave]").first
    _taper_et_attendre_l_enregistrement(page, champ, " Et un ajout.")
    violations.verifier("enregistrement automatique de la candidature")


def test_pages_du_jure_avec_enregistrement_automatique(page, violations, demo):
    se_connecter(page, "jure.benali@demo.cerdd-cycle.fr", MOT_DE_PASSE_DEMO)
    violations.ouvrir("/jury/")
    affectations = Affectation.objects.filter(
        jure__user__email="jure.benali@demo.cerdd-cycle.fr"
    ).select_related("candidature__cycle")
    terminee = affectations.filter(soumise_le__isnull=False).first()
    en_cours = affectations.get(
        soumise_le__isnull=True, candidature__cycle__resultats_publies_le__isnull=True
    )
    for affectation in (terminee, en_cours):
        cycle = affectation.candidature.cycle.slug
        violations.ouvrir(f"/jury/{cycle}/liens/")
        violations.ouvrir(f"/jury/{cycle}/candidatures/{affectation.candidature_id}/")

    commentaire = page.locator('textarea[data-autosave="commentaire"]')
    _taper_et_attendre_l_enregistrement(page, commentaire, " Vu.")
    violations.verifier("enregistrement automatique de l'évaluation")


def _premiere_seance_2021():
    return Seance.objects.get(cycle__slug="territoires-participatifs-2021", numero=1)


def test_pages_de_la_participante(page, violations, demo):
    se_connecter(page, "laetitia.degrave@vimy.demo.fr", MOT_DE_PASSE_DEMO)
    seance = _premiere_seance_2021().pk
    for url in (
        "/seances/",
        "/seances/agenda/",
        "/seances/binome/",
        f"/seances/{seance}/",
        "/seances/attestations/",
        "/journal/",
        f"/journal/seances/{seance}/",
        f"/journal/seances/{seance}/partages/",
        "/journal/relais/",
        "/journal/autodiagnostic/",
    ):
        violations.ouvrir(url)


def test_pages_de_l_equipe_et_administration(page, violations, demo):
    se_connecter(page, "camille.delattre@demo.cerdd-cycle.fr", MOT_DE_PASSE_DEMO)
    cycle = "territoires-participatifs-2021"
    ami = "territoires-participatifs-2027"
    candidature = Candidature.objects.filter(cycle__slug=cycle).order_by("pk").first()
    for url in (
        "/equipe/candidatures/",
        f"/equipe/candidatures/{candidature.pk}/",
        f"/equipe/jury/{ami}/",
        f"/equipe/jury/{ami}/classement/",
        f"/equipe/seances/{cycle}/",
        f"/equipe/seances/{cycle}/assiduite/",
        f"/equipe/seances/{cycle}/seances/1/appel/",
        f"/equipe/journal/{cycle}/ouverture/1/",
        f"/equipe/capitalisation/{cycle}/",
        f"/equipe/capitalisation/{cycle}/apercu/",
        "/admin/",
        "/admin/candidatures/candidature/",
        f"/admin/candidatures/candidature/{candidature.pk}/change/",
        f"/admin/cycles/cycle/{candidature.cycle_id}/delete/",
        f"/admin/seances/seance/{_premiere_seance_2021().pk}/change/",
    ):
        violations.ouvrir(url)

    # The admin's scripts (static files) still work: prepopulated slug, calendar, new inline.
    violations.ouvrir("/admin/cycles/cycle/add/")
    page.locator("#id_titre").press_sequentially("Vers 2030")
    expect(page.locator("#id_slug")).to_have_value("vers-2030")
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    violations.ouvrir("/admin/seances/seance/add/")
    lignes = page.locator(".inline-related:not(.empty-form)")
    avant = lignes.count()
    page.locator(".add-row a").first.click()
    expect(lignes).to_have_count(avant + 1)
    violations.verifier("scripts de l'administration")


def test_formulaire_des_taches_periodiques_sans_script_en_ligne(page, violations, demo):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    horaire = CrontabSchedule.objects.create(minute="*/15", timezone="Europe/Paris")
    tache = PeriodicTask.objects.create(
        name="seances-balayage", task="seances.tasks.seances_balayer_task", crontab=horaire
    )
    se_connecter(page, "camille.delattre@demo.cerdd-cycle.fr", MOT_DE_PASSE_DEMO)
    violations.ouvrir(f"/admin/django_celery_beat/periodictask/{tache.pk}/change/")
    # django_celery_beat's crontab helper, now a static file, still spells the schedule out.
    expect(page.locator(".field-crontab .help")).to_contain_text("Soit :")
    expect(page.locator(".field-crontab_translation")).to_be_hidden()
