"""A candidature with the keyboard alone: Tab, typing, Space, Enter and the arrows of the
collectivity combobox, from the skip link to the receipt.

At every Tab the focus must move on (no trap), and the focused element must show it (an
outline or a box-shadow) and not sit under something else (the sticky save bar). The first
submission misses a field and the letter: the error summary, a live alert, takes the focus and
its links lead to the fields.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from candidatures.enums import StatutCandidature
from candidatures.models import Candidature
from cerdd_cycle.territoires.normalisation import normaliser
from tests.factories import CycleFactory, TerritoireFactory, UserFactory

from .connexion import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

LETTRE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# Enough Tabs to cross the longest page of the journey (about 50 stops) and wrap around.
TABS_MAX = 80

FOCUS_VISIBLE = """e => {
    const style = getComputedStyle(e);
    const contour = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return contour || style.boxShadow !== "none";
}"""
# Where the focus shows (the caret of a text box, the middle of a small control), the user
# sees the focused element, not the sticky save bar or the edge of the window.
FOCUS_NON_MASQUE = """e => {
    const r = e.getBoundingClientRect();
    const x = r.left + Math.min(8, r.width / 2);
    const y = r.top + Math.min(8, r.height / 2);
    const dessus = y >= 0 && y < window.innerHeight ? document.elementFromPoint(x, y) : null;
    return dessus !== null && (e.contains(dessus) || dessus.control === e);
}"""
DECRIRE = """() => {
    const e = document.activeElement;
    return `${e.tagName.toLowerCase()}#${e.id} « ${(e.labels && e.labels[0]
        ? e.labels[0].textContent : e.textContent).trim().slice(0, 60)} »`;
}"""


def _tab(page):
    """One Tab: the focus moves to another element, visibly, and nothing hides it."""
    avant = page.evaluate_handle("document.activeElement")
    page.keyboard.press("Tab")
    focus = page.evaluate_handle("document.activeElement")
    decrit = page.evaluate(DECRIRE)
    assert not page.evaluate("([a, b]) => a === b", [avant, focus]), f"Focus bloqué sur {decrit}"
    if page.evaluate("e => e === document.body", focus):
        # Past the last element the focus leaves the page (the browser's own controls).
        return focus
    assert focus.evaluate(FOCUS_VISIBLE), f"Focus invisible sur {decrit}"
    assert focus.evaluate(FOCUS_NON_MASQUE), f"Focus masqué sur {decrit}"
    return focus


def _tab_jusqu_a(page, cible):
    """Tab (checking each stop) until ``cible`` has the focus."""
    for _ in range(TABS_MAX):
        _tab(page)
        if cible.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{cible} jamais atteint au clavier en {TABS_MAX} tabulations")


def _taper(page, champ, texte):
    _tab_jusqu_a(page, champ)
    page.keyboard.type(texte)


def _cocher(page, case):
    _tab_jusqu_a(page, case)
    page.keyboard.press("Space")
    expect(case).to_be_checked()


@pytest.fixture
def appel(page, live_server):
    """An open call, two collectivities whose names start alike, a signed-in candidate."""
    cycle = CycleFactory(titre="Vers des territoires participatifs 2021")
    TerritoireFactory(nom="Annœullin", nom_recherche=normaliser("Annœullin"), region=cycle.region)
    TerritoireFactory(nom="Annay", nom_recherche=normaliser("Annay"), region=cycle.region)
    user = UserFactory(email="technicienne@annoeullin.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    connecter(page, live_server, user)
    return cycle


def test_candidature_entierement_au_clavier(page, appel):
    page.goto(f"/candidatures/nouvelle/{appel.slug}/")

    # The skip link comes first, shows itself, and leads into the main content.
    lien_evitement = page.get_by_role("link", name="Aller au contenu")
    _tab(page)
    expect(lien_evitement).to_be_focused()
    expect(lien_evitement).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    _tab(page)
    assert page.evaluate("document.getElementById('contenu').contains(document.activeElement)")

    # The collectivity: the arrows move through the results, Escape closes them; then the
    # name typed on without its ligature, chosen with the arrow and Enter.
    recherche = page.get_by_role("combobox", name="Nom de la collectivité")
    _taper(page, recherche, "Ann")
    options = page.get_by_role("listbox", name="Collectivités trouvées").get_by_role("option")
    expect(options).to_have_count(2)
    expect(recherche).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    expect(recherche).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)
    expect(recherche).to_have_attribute("aria-expanded", "false")
    expect(recherche).to_be_focused()
    page.keyboard.type("oeullin")
    expect(options).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page.locator("#choix-territoire")).to_contain_text("Collectivité choisie : Annœullin")
    expect(recherche).to_be_focused()
    _tab_jusqu_a(page, page.get_by_role("button", name="Commencer la candidature"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Annœullin")
    candidature = Candidature.objects.get()

    # The form, Tab after Tab; the motivations and the letter are left out for now.
    _taper(page, page.locator("#id_contact_nom"), "Claire Martin")
    _taper(page, page.locator("#id_contact_email"), "claire.martin@annoeullin.fr")
    _taper(page, page.locator("#id_politique_nom"), "Jean Dupont")
    _taper(page, page.locator("#id_politique_mandat"), "Adjoint à la démocratie locale")
    _taper(page, page.locator("#id_politique_email"), "jean.dupont@annoeullin.fr")
    _taper(page, page.locator("#id_technique_nom"), "Lucie Bernard")
    _taper(page, page.locator("#id_technique_poste"), "Chargée de mission participation")
    _taper(page, page.locator("#id_technique_email"), "lucie.bernard@annoeullin.fr")
    _taper(page, page.locator("#id_actions"), "Un budget participatif depuis 2019.")
    _taper(page, page.locator("#id_pistes"), "Un conseil citoyen de la transition.")
    _taper(page, page.locator("#id_besoins"), "Mobiliser les publics éloignés.")
    _cocher(page, page.get_by_label("Plan climat (PCAET)"))
    _cocher(page, page.get_by_label(re.compile("Nous nous engageons")))
    # Saved as it goes, without a click.
    expect(page.locator("#etat-enregistrement")).to_contain_text("Enregistré à")

    # Submitted incomplete: the summary is announced (role="alert") and takes the focus.
    _tab_jusqu_a(page, page.get_by_role("button", name="Déposer la candidature"))
    page.keyboard.press("Enter")
    resume = page.get_by_role("alert").filter(has_text="La candidature n'est pas déposée")
    expect(resume).to_be_focused()
    expect(resume.get_by_role("link")).to_have_text(
        [
            "Motivations : « motivations » est à remplir.",
            "Pièces jointes : ajoutez la lettre de motivation.",
        ]
    )
    # Each section at fault describes itself with its message.
    motivations = page.locator("#section-motivations")
    decrit_par = motivations.get_attribute("aria-describedby").split()
    assert any("à remplir" in page.locator(f"#{ident}").inner_text() for ident in decrit_par), (
        decrit_par
    )
    # Everything typed before is there: saved, not lost in the round trip.
    expect(page.locator("#id_technique_poste")).to_have_value("Chargée de mission participation")

    # From the summary, its link leads to the missing field, the next Tab into it.
    _tab(page)
    expect(resume.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#section-motivations")
    _tab(page)
    expect(page.locator("#id_motivations")).to_be_focused()
    page.keyboard.type("Associer les habitant·es au plan climat.")

    # The letter: the type is already « Lettre de motivation », the file chooser opens with
    # Space, the piece is added with Enter.
    _tab_jusqu_a(page, page.get_by_label("Type de pièce"))
    expect(page.get_by_label("Type de pièce")).to_have_value("lettre")
    _tab_jusqu_a(page, page.get_by_label("Fichier"))
    with page.expect_file_chooser() as choix:
        page.keyboard.press("Space")
    choix.value.set_files(
        {"name": "lettre-motivation.pdf", "mimeType": "application/pdf", "buffer": LETTRE_PDF}
    )
    _tab_jusqu_a(page, page.get_by_role("button", name="Ajouter la pièce"))
    page.keyboard.press("Enter")
    # The confirmation takes the focus (and is read): Tab goes on from there.
    expect(
        page.get_by_role("status").filter(has_text="a été ajouté aux pièces jointes")
    ).to_be_focused()
    expect(page.locator("#pieces")).to_contain_text("lettre-motivation.pdf")

    # Submitted again, with the keyboard: the confirmation, then the receipt.
    _tab_jusqu_a(page, page.get_by_role("button", name="Déposer la candidature"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Candidature déposée ✓")).to_be_visible()
    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.DEPOSEE
    assert candidature.motivations == "Associer les habitant·es au plan climat."
    assert candidature.technique_email == "lucie.bernard@annoeullin.fr"
    recu = page.get_by_role("link", name="Reçu de la version 1")
    _tab_jusqu_a(page, recu)
    reponse = page.request.get(recu.get_attribute("href"))
    assert reponse.status == 200
    assert reponse.headers["content-type"] == "application/pdf"

    # No trap anywhere on the page: Tab goes round, back to the skip link.
    _tab_jusqu_a(page, page.get_by_role("link", name="Aller au contenu"))
