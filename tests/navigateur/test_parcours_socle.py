"""The base every space builds on, seen through a real browser: home page, skip link, login,
account pages, phone menu, and no serious or critical axe violation."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from cerdd_cycle.cycles.enums import StatutCycle
from tests.factories import (
    MOT_DE_PASSE,
    PARIS,
    CycleFactory,
    IntervenantFactory,
    SeanceFactory,
    UserFactory,
)

from .accessibilite import assert_sans_violation_grave

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

VERT_CERDD = "rgb(11, 93, 70)"


@pytest.fixture
def cycle():
    cycle = CycleFactory(
        titre="Vers des territoires participatifs 2021",
        statut=StatutCycle.EN_COURS,
        ouverture_ami=datetime.datetime(2020, 12, 10, 9, 0, tzinfo=PARIS),
        date_limite=datetime.datetime(2021, 3, 12, 12, 0, tzinfo=PARIS),
        date_reponse=datetime.date(2021, 4, 15),
        premiere_seance=datetime.date(2021, 7, 8),
    )
    for numero, (date, theme) in enumerate(
        [
            (datetime.date(2021, 7, 8), "Les défis de la participation"),
            (datetime.date(2099, 10, 5), "Postures d'élu·es et de technicien·nes"),
        ],
        start=1,
    ):
        seance = SeanceFactory(cycle=cycle, numero=numero, date=date, theme=theme)
        IntervenantFactory(seance=seance)
    return cycle


@pytest.fixture
def compte():
    user = UserFactory(email="technicienne@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_accueil_montre_le_cycle_avec_la_feuille_de_style(page, cycle):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text(cycle.titre)
    expect(page.locator(".etape--prochaine")).to_contain_text("Séance 2")
    expect(page.locator(".etape--prochaine")).to_have_attribute("aria-current", "step")
    # site.css and Bootstrap are served: the brand is green, the phone toggler is hidden.
    couleur = page.evaluate("getComputedStyle(document.querySelector('.marque')).color")
    assert couleur == VERT_CERDD
    expect(page.locator(".navbar-toggler")).to_be_hidden()


def test_accueil_sans_violation_axe_grave(page, cycle):
    page.goto("/")

    assert_sans_violation_grave(page)


def test_accueil_sans_cycle_sans_violation_axe_grave(page):
    page.goto("/")

    expect(page.get_by_text("Aucun cycle n'est publié pour le moment.")).to_be_visible()
    assert_sans_violation_grave(page)


def test_lien_d_evitement_premier_et_mene_au_contenu(page, cycle):
    page.goto("/")

    page.keyboard.press("Tab")
    lien = page.locator(":focus")
    expect(lien).to_have_text("Aller au contenu")
    expect(lien).to_be_in_viewport()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "contenu"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_connexion_par_le_formulaire(page, compte):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()

    page.get_by_label("Courriel").fill("technicienne@exemple.fr")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("link", name="Mon compte", exact=True)).to_be_visible()
    assert page.url.endswith("/")


def test_connexion_erreur_annoncee(page, compte):
    page.goto("/comptes/login/")

    page.get_by_label("Courriel").fill("technicienne@exemple.fr")
    page.get_by_label("Mot de passe", exact=True).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("alert")).to_contain_text("mot de passe sont incorrects")
    assert_sans_violation_grave(page)


@pytest.mark.parametrize(
    "chemin",
    ["/comptes/login/", "/comptes/signup/", "/comptes/password/reset/", "/donnees-personnelles/"],
)
def test_pages_publiques_sans_violation_axe_grave(page, chemin):
    page.goto(chemin)

    expect(page.locator("main h1")).to_be_visible()
    assert_sans_violation_grave(page)


def test_inscription_erreurs_sans_violation_axe_grave(page):
    page.goto("/comptes/signup/")

    page.get_by_role("button", name="Créer mon compte").click()

    champ = page.get_by_label("Courriel")
    expect(champ).to_have_attribute("aria-invalid", "true")
    expect(champ).to_have_accessible_description("Ce champ est obligatoire.")
    assert_sans_violation_grave(page)


def test_pages_du_compte_sans_violation_axe_grave(page, compte):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill("technicienne@exemple.fr")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    for chemin in ("/comptes/email/", "/comptes/password/change/", "/comptes/2fa/"):
        page.goto(chemin)
        expect(page.get_by_role("navigation", name="Mon compte")).to_be_visible()
        assert_sans_violation_grave(page)


def test_menu_replie_sur_telephone(page_telephone, cycle):
    page = page_telephone
    page.goto("/")
    bouton = page.get_by_role("button", name="Menu")
    lien = page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Se connecter"
    )

    expect(bouton).to_be_visible()
    expect(bouton).to_have_attribute("aria-expanded", "false")
    expect(lien).to_be_hidden()
    bouton.click()

    expect(bouton).to_have_attribute("aria-expanded", "true")
    expect(lien).to_be_visible()
    assert_sans_violation_grave(page)
