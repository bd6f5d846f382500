"""A juror declares a tie with a collectivity found by the search of the official list, with
the keyboard only (the shared combobox of static/js/combobox.js)."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from cerdd_cycle.territoires.normalisation import normaliser
from jury.models import Lien
from tests.factories import MOT_DE_PASSE, CandidatureDeposeeFactory, JureFactory, TerritoireFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_jure_ajoute_un_lien_au_clavier_puis_le_declare(page):
    candidature = CandidatureDeposeeFactory()
    annoeullin = TerritoireFactory(
        nom="Annœullin", nom_recherche=normaliser("Annœullin"), region=candidature.cycle.region
    )
    jure = JureFactory(cycle=candidature.cycle, liens_declares_le=None)
    EmailAddress.objects.create(user=jure.user, email=jure.user.email, verified=True, primary=True)
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(jure.user.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/jury/{candidature.cycle.slug}/liens/")

    champ = page.locator("[data-recherche-liens]")
    champ.fill("annoeul")
    expect(page.locator("#resultats-liens [role=option]").first).to_be_visible()
    champ.press("ArrowDown")
    expect(champ).to_have_attribute("aria-activedescendant", f"territoire-{annoeullin.siren}")
    champ.press("Enter")
    expect(page.locator("#autres-liens")).to_contain_text("Annœullin")
    page.get_by_role("button", name="Enregistrer ma déclaration").click()

    expect(page.get_by_role("status").first).to_be_visible()
    assert list(Lien.objects.filter(jure=jure).values_list("siren", flat=True)) == [
        annoeullin.siren
    ]
