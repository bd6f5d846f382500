"""The logbook in a real browser: a participant writes an item under « Points forts retenus »,
sees it saved as she types, shares it with the group under her name, writes a second item she
keeps for herself; the evening before the next session staff open the opening of the day: the
shared item is there with her name and collectivity, the private one is not. No serious or
critical axe violation on the entry page and on the opening page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cerdd_cycle.comptes.roles import Role, role_attribuer
from journal.models import Element
from tests.factories import (
    BinomeFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    MembreFactory,
    SeanceFactory,
    TerritoireFactory,
    UserFactory,
)

from .accessibilite import assert_sans_violation_grave
from .connexion import compte_verifie, se_connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

THEME_1 = "Les défis de la participation citoyenne"
THEME_2 = "Postures d'élu·es et de technicien·nes"
PARTAGE = "Le tour de table en binôme a délié les langues : à refaire au conseil municipal."
PRIVE = "Mon adjoint freine tout, je ne sais plus comment lui en parler."


def _menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def _binome(cycle, collectivite, elu, technicien):
    territoire = TerritoireFactory(nom=collectivite, region=cycle.region)
    binome = BinomeFactory(
        candidature=CandidatureDeposeeFactory(cycle=cycle, territoire=territoire)
    )
    for role, user in (("elu", elu), ("technicien", technicien)):
        MembreFactory(binome=binome, user=user, role=role)
        role_attribuer(user, Role.PARTICIPANT)
    return binome


@pytest.fixture
def cycle_en_cours():
    cycle = CycleFactory(statut="en_cours", slug="cycle-2021")
    _binome(
        cycle,
        "Loos-en-Gohelle",
        compte_verifie("claire.leroy@loos.fr", first_name="Claire", last_name="Leroy"),
        UserFactory(first_name="Julien", last_name="Desmet"),
    )
    _binome(
        cycle,
        "Béthune",
        UserFactory(first_name="Paul", last_name="Martin"),
        UserFactory(first_name="Lucie", last_name="Petit"),
    )
    aujourdhui = timezone.localdate()
    premiere = SeanceFactory(
        cycle=cycle, numero=1, date=aujourdhui - datetime.timedelta(days=3), theme=THEME_1
    )
    # The next session is tomorrow: the opening page is read the evening before.
    SeanceFactory(
        cycle=cycle, numero=2, date=aujourdhui + datetime.timedelta(days=1), theme=THEME_2
    )
    return cycle, premiere


def _ecrire(rubrique, libelle, texte):
    """Add an item under a heading, type its text, wait until the page says it is saved."""
    rubrique.get_by_role("button", name="Ajouter").click()
    champ = rubrique.get_by_label(libelle, exact=True)
    expect(champ).to_be_focused()
    champ.fill(texte)
    expect(rubrique.get_by_text(re.compile(r"^Enregistré"))).to_be_visible()
    return champ


def test_un_element_partage_avec_le_groupe_ouvre_la_seance_suivante_le_prive_jamais(
    page, live_server, cycle_en_cours
):
    cycle, premiere = cycle_en_cours
    compte_verifie("equipe@cerdd.test", is_staff=True)

    # --- the participant writes ---------------------------------------------------------------
    se_connecter(page, "claire.leroy@loos.fr")
    _menu(page).get_by_role("link", name="Mon journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon journal de bord")
    page.get_by_role("link", name=f"Séance 1 : {THEME_1}").click()
    expect(page).to_have_url(live_server.url + reverse("journal:entree", args=[premiere.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(THEME_1)
    assert_sans_violation_grave(page)

    forts = page.get_by_role("region", name="Points forts retenus")
    _ecrire(forts, "Point fort 1", PARTAGE)
    [element] = Element.objects.filter(entree__seance=premiere)
    assert (element.texte, element.audience) == (PARTAGE, "prive")

    forts.get_by_label("Partager avec").select_option(label="Le groupe, avec mon nom")
    expect(
        page.get_by_role("status").filter(has_text="Partage enregistré : Le groupe, avec mon nom")
    ).to_be_visible()
    expect(forts.locator("[data-badge]")).to_have_text("Actuellement : Le groupe, avec mon nom")

    vigilance = page.get_by_role("region", name="Points de vigilance")
    _ecrire(vigilance, "Point de vigilance 1", PRIVE)
    assert_sans_violation_grave(page)

    # Saved as typed: nothing was submitted, yet the server has both, each with its audience.
    assert sorted(
        Element.objects.filter(entree__seance=premiere).values_list("texte", "audience")
    ) == sorted([(PARTAGE, "groupe"), (PRIVE, "prive")])
    # A reload shows what the server holds.
    page.reload()
    expect(page.get_by_label("Point fort 1", exact=True)).to_have_value(PARTAGE)
    expect(page.get_by_label("Point de vigilance 1", exact=True)).to_have_value(PRIVE)

    # --- the evening before session 2, staff open the opening of the day ----------------------
    page.get_by_role("button", name="Se déconnecter").click()
    se_connecter(page, "equipe@cerdd.test")
    page.goto(reverse("equipe_seances:tableau", args=[cycle.slug]))
    page.get_by_role("link", name="Ouverture du jour – séance 2").click()
    expect(page).to_have_url(
        live_server.url + reverse("equipe_journal:ouverture", args=[cycle.slug, 2])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ce que le groupe a partagé de la séance 1"
    )
    expect(page.get_by_text("La séance a lieu demain.")).to_be_visible()

    projete = page.locator("#ouverture")
    points_forts = projete.get_by_role("region", name=re.compile(r"^Points forts retenus"))
    expect(points_forts.get_by_role("listitem")).to_have_count(1)
    expect(points_forts.get_by_role("listitem")).to_contain_text(PARTAGE)
    expect(points_forts.get_by_role("listitem")).to_contain_text("Claire Leroy · Loos-en-Gohelle")
    expect(page.get_by_text(PRIVE)).to_have_count(0)
    assert PRIVE not in page.content()
    compteurs = page.get_by_role("table")
    expect(compteurs.get_by_role("row", name="Loos-en-Gohelle 1")).to_be_visible()
    expect(compteurs.get_by_role("row", name="Béthune 0")).to_be_visible()
    assert_sans_violation_grave(page)

    # Full screen for the projector: only the block of the opening, larger type.
    plein_ecran = page.get_by_role("button", name="Plein écran")
    expect(plein_ecran).to_be_visible()
    taille_avant = (
        points_forts.get_by_role("listitem")
        .locator("p")
        .first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    )
    plein_ecran.click()
    expect(page.get_by_role("button", name="Quitter le plein écran")).to_be_visible()
    assert page.evaluate("() => document.fullscreenElement && document.fullscreenElement.id") == (
        "ouverture"
    )
    taille_projetee = (
        points_forts.get_by_role("listitem")
        .locator("p")
        .first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    )
    assert taille_projetee > taille_avant
    page.get_by_role("button", name="Quitter le plein écran").click()
    expect(plein_ecran).to_be_visible()

    # Printed: the page alone, without the menu.
    page.emulate_media(media="print")
    expect(_menu(page)).to_be_hidden()
    expect(points_forts).to_be_visible()
    page.emulate_media(media="screen")
