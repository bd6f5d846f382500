"""The capitalisation report in a real browser: staff open it from the menu, write the
introduction, save and generate; the version is ready and its PDF downloads; the preview reads
the introduction and the item shared with the group, never the private one. A participant
opens her collectivity's journey from her pair's page. No serious or critical axe violation,
and no sideways scrolling on a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from capitalisation.models import Version
from cerdd_cycle.comptes.roles import Role, role_attribuer
from tests.factories import (
    BinomeFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    MembreFactory,
    SeanceFactory,
    TerritoireFactory,
)

from .accessibilite import assert_sans_violation_grave
from .connexion import compte_verifie, se_connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

PARTAGE = "Le porte-à-porte a fait venir des habitant·es jamais vus en réunion."
PRIVE = "Le maire ne lit jamais mes notes : à garder pour moi."
INTRODUCTION = "Une année de travail entre treize collectivités."


def _sans_defilement_horizontal(page):
    largeur = page.evaluate("() => document.documentElement.scrollWidth")
    assert largeur <= page.viewport_size["width"], largeur


@pytest.fixture
def cycle_termine():
    cycle = CycleFactory(statut="en_cours", slug="cycle-2021", titre="Territoires participatifs")
    seance = SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2021, 10, 5))
    territoire = TerritoireFactory(nom="Loos-en-Gohelle", region=cycle.region)
    binome = BinomeFactory(
        candidature=CandidatureDeposeeFactory(cycle=cycle, territoire=territoire)
    )
    elue = compte_verifie("claire.leroy@loos.fr", first_name="Claire", last_name="Leroy")
    membre = MembreFactory(binome=binome, user=elue, role="elu")
    MembreFactory(binome=binome, role="technicien")
    role_attribuer(elue, Role.PARTICIPANT)
    entree = EntreeFactory(membre=membre, seance=seance)
    ElementFactory(entree=entree, audience="groupe", texte=PARTAGE)
    ElementFactory(entree=entree, audience="prive", texte=PRIVE)
    return cycle


def test_l_equipe_genere_le_rapport_et_le_telecharge(page, page_telephone, cycle_termine):
    compte_verifie("equipe@cerdd.test", is_staff=True, first_name="Camille", last_name="Delattre")
    se_connecter(page, "equipe@cerdd.test")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Capitalisation"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("rapport de capitalisation")
    assert_sans_violation_grave(page)

    page.get_by_label("Introduction").fill(INTRODUCTION)
    page.get_by_role("button", name="Enregistrer et générer le PDF").click()
    telecharger = page.get_by_role("link", name="Télécharger le PDF").first
    expect(telecharger).to_be_visible()
    version = Version.objects.get(cycle=cycle_termine)
    assert (version.numero, version.etat, version.reglages["introduction"]) == (
        1,
        "prete",
        f"<p>{INTRODUCTION}</p>",
    )
    with page.expect_download() as attente:
        telecharger.click()
    chemin = attente.value.path()
    with open(chemin, "rb") as fichier:
        assert fichier.read(5) == b"%PDF-"

    page.get_by_role("link", name="Voir l'aperçu").click()
    expect(page.get_by_text(INTRODUCTION)).to_be_visible()
    expect(page.get_by_text(PARTAGE)).to_be_visible()
    assert PRIVE not in page.content()
    assert_sans_violation_grave(page)

    se_connecter(page_telephone, "equipe@cerdd.test")
    for adresse in (
        "/equipe/capitalisation/cycle-2021/",
        "/equipe/capitalisation/cycle-2021/apercu/",
    ):
        page_telephone.goto(adresse)
        _sans_defilement_horizontal(page_telephone)


def test_la_participante_ouvre_le_parcours_de_sa_collectivite(page_telephone, cycle_termine):
    se_connecter(page_telephone, "claire.leroy@loos.fr")
    page_telephone.goto("/seances/binome/")
    page_telephone.get_by_role("link", name="page").first.click()
    expect(page_telephone.get_by_role("heading", level=1)).to_contain_text("Loos-en-Gohelle")
    expect(page_telephone.get_by_text(PARTAGE)).to_be_visible()
    assert PRIVE not in page_telephone.content()
    _sans_defilement_horizontal(page_telephone)
    assert_sans_violation_grave(page_telephone)
