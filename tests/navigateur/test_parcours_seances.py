"""The sessions in a real browser: a participant confirms, staff take the roll call on a phone
(one tap per person, no reload, no sideways scroll), and the assiduity matrix shows the pair
complete. No serious or critical axe violation on the participant's and the phone's pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cerdd_cycle.comptes.roles import Role, role_attribuer
from seances.models import Confirmation, Presence, Seance
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
from .conftest import TELEPHONE
from .connexion import compte_verifie, se_connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

THEME = "Mobiliser les habitant·es éloigné·es de la participation"
PRECISIONS = "Allergie aux fruits à coque"


def _menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def _binome(cycle, collectivite, elu, technicien):
    """A pair whose two members hold a participant account."""
    territoire = TerritoireFactory(nom=collectivite, region=cycle.region)
    binome = BinomeFactory(
        candidature=CandidatureDeposeeFactory(cycle=cycle, territoire=territoire)
    )
    membres = {}
    for role, user in (("elu", elu), ("technicien", technicien)):
        membres[role] = MembreFactory(binome=binome, user=user, role=role)
        role_attribuer(user, Role.PARTICIPANT)
    return binome, membres


@pytest.fixture
def cycle_en_cours():
    cycle = CycleFactory(statut="en_cours", slug="cycle-2021")
    loos, membres = _binome(
        cycle,
        "Loos-en-Gohelle",
        compte_verifie("claire.leroy@loos.fr", first_name="Claire", last_name="Leroy"),
        UserFactory(first_name="Julien", last_name="Desmet"),
    )
    # Another pair on the roll call: the taps must land on the right row.
    _binome(
        cycle,
        "Béthune",
        UserFactory(first_name="Paul", last_name="Martin"),
        UserFactory(first_name="Lucie", last_name="Petit"),
    )
    seance = SeanceFactory(
        cycle=cycle,
        numero=1,
        date=timezone.localdate() + datetime.timedelta(days=10),
        theme=THEME,
        lieu="Maison de la participation",
        adresse="12 rue de la République, 62750 Loos-en-Gohelle",
    )
    return cycle, seance, loos, membres


def test_le_participant_confirme_l_equipe_fait_l_appel_la_matrice_montre_le_binome_complet(
    page, page_telephone, live_server, cycle_en_cours
):
    cycle, seance, _loos, membres = cycle_en_cours
    elu, technicien = membres["elu"], membres["technicien"]
    compte_verifie("equipe@cerdd.test", is_staff=True)

    # --- the élu·e confirms, ten days before --------------------------------------------------
    se_connecter(page, "claire.leroy@loos.fr")
    _menu(page).get_by_role("link", name="Mes séances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes séances")
    page.get_by_role("link", name=f"Séance 1 : {THEME}").click()
    expect(page).to_have_url(live_server.url + reverse("seances:seance", args=[seance.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(THEME)
    ma_reponse = page.get_by_role("region", name="Votre réponse")
    expect(ma_reponse).to_contain_text("pas encore répondu")
    assert_sans_violation_grave(page)

    ma_reponse.get_by_role("link", name="Répondre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Serez-vous là ?")
    page.get_by_label("Présent·e").check()
    page.get_by_label("le matin").check()
    page.get_by_label("l'après-midi").check()
    page.get_by_label("Je déjeune sur place").check()
    page.get_by_label("Végétarien").check()
    page.get_by_label("Précisions pour le repas").fill(PRECISIONS)
    assert_sans_violation_grave(page)
    page.get_by_role("button", name="Enregistrer ma réponse").click()

    expect(page).to_have_url(
        live_server.url + reverse("seances:seance", args=[seance.pk]) + "#ma-reponse"
    )
    expect(
        page.get_by_role("status").filter(has_text="Votre réponse est enregistrée")
    ).to_be_visible()
    expect(ma_reponse).to_contain_text("présent·e toute la journée, déjeune sur place")
    expect(ma_reponse).to_contain_text(f"Pour le repas : Végétarien — {PRECISIONS}")
    confirmation = Confirmation.objects.get(seance=seance, membre=elu)
    assert (
        confirmation.reponse,
        confirmation.matin,
        confirmation.apres_midi,
        confirmation.dejeuner,
        confirmation.regimes,
        confirmation.precisions_repas,
    ) == ("present", True, True, True, ["vegetarien"], PRECISIONS)
    assert_sans_violation_grave(page)

    # --- the day has come: staff take the roll call on a phone ---------------------------------
    Seance.objects.filter(pk=seance.pk).update(date=timezone.localdate())
    telephone = page_telephone
    se_connecter(telephone, "equipe@cerdd.test")
    telephone.goto(reverse("equipe_seances:appel", args=[cycle.slug, seance.numero]))
    expect(telephone.get_by_role("heading", level=1)).to_have_text("Appel du jour")
    # The page opens on the half-day under way: the morning is chosen whatever the hour.
    matin = telephone.get_by_role("navigation", name="Demi-journée").get_by_role(
        "link", name="Matin", exact=True
    )
    matin.click()
    expect(matin).to_have_attribute("aria-current", "page")
    loos = telephone.get_by_role("region", name="Loos-en-Gohelle")
    expect(loos).to_contain_text("a confirmé (journée)")
    # A marker in the window: it survives only if the taps do not reload the page.
    telephone.evaluate("() => { window.pasRecharge = true; }")

    for nom in ("Claire Leroy", "Julien Desmet"):
        bouton = loos.get_by_role("group", name=f"Présence de {nom} (matin)").get_by_role(
            "button", name="Présent·e"
        )
        expect(bouton).to_have_attribute("aria-pressed", "false")
        bouton.click()
        expect(bouton).to_have_attribute("aria-pressed", "true")

    expect(loos).to_contain_text("Binôme : complet")
    expect(telephone.locator("#compteur-appel")).to_contain_text("2 présent·es sur")
    assert telephone.evaluate("() => window.pasRecharge === true")
    largeur = telephone.evaluate("() => document.documentElement.scrollWidth")
    assert largeur <= TELEPHONE["width"]
    assert {
        (p.membre_id, p.demi_journee, p.statut) for p in Presence.objects.filter(seance=seance)
    } == {(elu.pk, "matin", "present"), (technicien.pk, "matin", "present")}
    assert_sans_violation_grave(telephone)

    # --- back at the office: the matrix --------------------------------------------------------
    page.context.clear_cookies()
    se_connecter(page, "equipe@cerdd.test")
    page.goto("/")
    page.get_by_role("region", name="Votre espace").get_by_role("link", name="Assiduité").click()
    expect(page).to_have_url(
        live_server.url + reverse("equipe_seances:assiduite", args=[cycle.slug])
    )
    # The row's first cell is session 1's (the collectivity is the row header).
    cellule = page.get_by_role("row").filter(has_text="Loos-en-Gohelle").get_by_role("cell").first
    expect(cellule).to_have_text("✓ complet")
    expect(cellule.get_by_role("link")).to_have_attribute("title", re.compile(r"^Complet – "))
    # The roll call was taken and nobody of the other pair was there.
    autre = page.get_by_role("row").filter(has_text="Béthune").get_by_role("cell").first
    expect(autre).to_have_text("✗ absent")
    assert_sans_violation_grave(page)
