"""A candidature from end to end in a real browser: sign-up, the collectivity found without its
ligature, the form that saves itself (closing the tab loses nothing), the letter, submission.
And no serious or critical axe violation on the candidate's pages."""

import re
import time

import pytest
from playwright.sync_api import expect

from candidatures.enums import StatutCandidature
from candidatures.models import Candidature
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.territoires.normalisation import normaliser
from tests.factories import (
    CandidatureFactory,
    CycleFactory,
    TerritoireFactory,
)

from .accessibilite import assert_sans_violation_grave
from .connexion import compte_verifie, se_connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

EMAIL = "technicienne@annoeullin.fr"
# A real (tiny) PDF: the attachments check the content, not the name.
LETTRE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def cycle():
    cycle = CycleFactory(titre="Vers des territoires participatifs 2021")
    TerritoireFactory(nom="Annœullin", nom_recherche=normaliser("Annœullin"), region=cycle.region)
    TerritoireFactory(nom="Annay", nom_recherche=normaliser("Annay"), region=cycle.region)
    return cycle


def _lien(texte, motif):
    trouve = re.search(rf"https?://\S+{motif}\S*", texte)
    assert trouve, texte
    return trouve.group(0)


def _attendre(condition, delai=10):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("La condition attendue ne s'est pas réalisée.")


def _compte_candidat(email="referent@mairie.fr"):
    return compte_verifie(email)


def _tout_est_enregistre(page):
    """Every field confirmed by the server: no local copy left waiting."""
    page.wait_for_function(
        "() => Object.keys(localStorage).every(cle => !cle.startsWith('cerdd-candidature:'))"
    )


def _section(page, cle):
    return page.locator(f"#section-{cle}")


def test_parcours_complet_inscription_brouillon_jamais_perdu_et_depot(page, live_server, cycle):
    # Sign-up, then the link of the verification email (sent through the outbox).
    page.goto(f"/ami/{cycle.slug}/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Créer un compte"
    ).click()
    page.get_by_label("Courriel").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill("Une-phrase-de-passe-2021")
    page.get_by_label("Mot de passe (confirmation)").fill("Une-phrase-de-passe-2021")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse électronique")
    _attendre(lambda: Courriel.objects.filter(destinataires=[EMAIL]).exists())
    lien = _lien(Courriel.objects.get(destinataires=[EMAIL]).texte, "/comptes/confirm-email/")
    page.goto(lien.replace("http://127.0.0.1:8000", live_server.url))
    page.locator("main").get_by_role("button").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    # The open call, then the collectivity, typed without its ligature, picked by keyboard.
    page.goto(f"/ami/{cycle.slug}/")
    page.get_by_role("link", name="Déposer une candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle candidature")
    recherche = page.get_by_role("combobox", name="Nom de la collectivité")
    recherche.press_sequentially("Annoeullin")
    resultats = page.get_by_role("listbox", name="Collectivités trouvées")
    expect(resultats.get_by_role("option")).to_have_count(1)
    expect(recherche).to_have_attribute("aria-expanded", "true")
    assert_sans_violation_grave(page)
    recherche.press("ArrowDown")
    expect(resultats.get_by_role("option", name=re.compile("Annœullin"))).to_have_attribute(
        "aria-selected", "true"
    )
    recherche.press("Enter")
    expect(page.locator("#choix-territoire")).to_contain_text("Collectivité choisie : Annœullin")
    page.get_by_role("button", name="Commencer la candidature").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Annœullin")
    candidature = Candidature.objects.get()
    formulaire = page.url
    assert formulaire.endswith(f"/candidatures/{candidature.pk}/")
    assert_sans_violation_grave(page)

    # Part of the form, saved as it is typed.
    _section(page, "contact").get_by_label("Prénom et nom").fill("Claire Martin")
    _section(page, "politique").get_by_label("Prénom et nom").fill("Jean Dupont")
    _section(page, "politique").get_by_label("Mandat").fill("Adjoint à la démocratie locale")
    page.get_by_label("Vos motivations").fill("Associer les habitant·es au plan climat.")
    page.get_by_label("Plan climat (PCAET)").check()
    expect(page.locator("#etat-enregistrement")).to_contain_text("Enregistré à")
    _tout_est_enregistre(page)

    # A closed tab, a new one: everything is there.
    contexte = page.context
    page.close()
    page = contexte.new_page()
    page.goto(formulaire)
    expect(_section(page, "contact").get_by_label("Prénom et nom")).to_have_value("Claire Martin")
    expect(_section(page, "politique").get_by_label("Mandat")).to_have_value(
        "Adjoint à la démocratie locale"
    )
    expect(page.get_by_label("Vos motivations")).to_have_value(
        "Associer les habitant·es au plan climat."
    )
    expect(page.get_by_label("Plan climat (PCAET)")).to_be_checked()

    # The letter.
    page.get_by_label("Type de pièce").select_option("lettre")
    page.get_by_label("Fichier").set_input_files(
        {"name": "lettre-motivation.pdf", "mimeType": "application/pdf", "buffer": LETTRE_PDF}
    )
    page.get_by_role("button", name="Ajouter la pièce").click()
    expect(page.locator("#pieces")).to_contain_text("lettre-motivation.pdf")

    # The rest, then submission.
    _section(page, "politique").get_by_label("Courriel").fill("jean.dupont@annoeullin.fr")
    _section(page, "technique").get_by_label("Prénom et nom").fill("Lucie Bernard")
    _section(page, "technique").get_by_label("Poste").fill("Chargée de mission participation")
    _section(page, "technique").get_by_label("Courriel").fill("lucie.bernard@annoeullin.fr")
    page.get_by_label("Actions réalisées ou prévues").fill("Un budget participatif depuis 2019.")
    page.get_by_label("Pistes de travail envisagées").fill("Un conseil citoyen de la transition.")
    page.get_by_label("Principaux besoins").fill("Mobiliser les publics éloignés.")
    page.get_by_label(re.compile("Nous nous engageons")).check()
    # Submitted at once, without waiting for the autosave: the page sends what is pending first.
    page.get_by_role("button", name="Déposer la candidature").click()

    expect(page.get_by_role("status").filter(has_text="Candidature déposée ✓")).to_contain_text(
        "un accusé de réception avec le reçu PDF a été envoyé à"
    )
    expect(page.get_by_text(re.compile(r"^Déposée ✓ le "))).to_be_visible()
    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.DEPOSEE
    assert candidature.besoins == "Mobiliser les publics éloignés."
    accuse = Courriel.objects.get(categorie="accuse_reception")
    assert EMAIL in accuse.destinataires
    assert_sans_violation_grave(page)

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes candidatures"
    ).click()
    expect(page.get_by_text(re.compile(r"^Déposée ✓ le "))).to_be_visible()
    assert_sans_violation_grave(page)


def test_page_quittee_pendant_la_frappe_la_derniere_frappe_arrive(page, live_server):
    user = _compte_candidat()
    candidature = CandidatureFactory(proprietaire=user, pistes="")
    se_connecter(page, user.email)
    page.goto(f"/candidatures/{candidature.pk}/")

    # Less than the 2 s of the autosave: only the beacon of the page leaving can carry it.
    page.get_by_label("Pistes de travail envisagées").fill("Tapé juste avant de partir")
    page.goto("/")

    _attendre(
        lambda: Candidature.objects.get(pk=candidature.pk).pistes == "Tapé juste avant de partir"
    )


def test_reseau_coupe_ou_serveur_en_erreur_nouvel_essai_automatique(page, live_server):
    user = _compte_candidat()
    candidature = CandidatureFactory(proprietaire=user, besoins="Version du serveur")
    se_connecter(page, user.email)
    page.goto(f"/candidatures/{candidature.pk}/")
    besoins = page.get_by_label("Principaux besoins")
    statut = page.locator("#etat-enregistrement")

    # Offline: the save fails, says so, keeps the text and tries again once back online.
    page.context.set_offline(True)
    besoins.fill("Écrit hors ligne")
    besoins.blur()
    expect(statut).to_have_text("Pas encore enregistré — nouvel essai automatique…")
    expect(besoins).to_have_value("Écrit hors ligne")
    page.context.set_offline(False)
    expect(statut).to_contain_text("Enregistré à", timeout=15_000)
    assert Candidature.objects.get(pk=candidature.pk).besoins == "Écrit hors ligne"

    # A server error: the same.
    page.route("**/enregistrer/", lambda route: route.fulfill(status=500, body="Erreur"))
    besoins.fill("Écrit pendant une panne du serveur")
    besoins.blur()
    expect(statut).to_have_text("Pas encore enregistré — nouvel essai automatique…")
    page.unroute("**/enregistrer/")
    expect(statut).to_contain_text("Enregistré à", timeout=15_000)
    assert Candidature.objects.get(pk=candidature.pk).besoins == (
        "Écrit pendant une panne du serveur"
    )


def test_copie_locale_plus_recente_proposee_au_retour(page, live_server):
    user = _compte_candidat()
    candidature = CandidatureFactory(proprietaire=user, besoins="Version du serveur")
    se_connecter(page, user.email)
    page.goto(f"/candidatures/{candidature.pk}/")
    # What a tab closed while the server was out of reach leaves behind: a local copy typed on
    # the server's current revision, never confirmed.
    page.evaluate(
        """([cle, revision]) => localStorage.setItem(cle, JSON.stringify(
            {valeurs: ["Écrit puis onglet fermé sans réseau"], revision, le: Date.now()}))""",
        [f"cerdd-candidature:{candidature.pk}:besoins", candidature.revision],
    )
    page.reload()
    bandeau = page.get_by_role("region", name=re.compile("pas encore été enregistrées"))

    expect(bandeau).to_be_visible()
    expect(bandeau).to_contain_text("Principaux besoins")
    expect(bandeau).to_be_focused()
    assert_sans_violation_grave(page)
    page.get_by_role("button", name="Reprendre ces modifications").click()

    expect(page.get_by_label("Principaux besoins")).to_have_value(
        "Écrit puis onglet fermé sans réseau"
    )
    expect(page.locator("#etat-enregistrement")).to_contain_text("Enregistré à")
    _attendre(
        lambda: (
            Candidature.objects.get(pk=candidature.pk).besoins
            == "Écrit puis onglet fermé sans réseau"
        )
    )
    _tout_est_enregistre(page)


def test_copie_locale_plus_ancienne_que_le_serveur_oubliee(page, live_server):
    user = _compte_candidat()
    candidature = CandidatureFactory(proprietaire=user, besoins="Version du serveur")
    Candidature.objects.filter(pk=candidature.pk).update(revision=5)
    se_connecter(page, user.email)
    page.goto(f"/candidatures/{candidature.pk}/")
    page.evaluate(
        """cle => localStorage.setItem(cle, JSON.stringify(
            {valeurs: ["Vieille copie"], revision: 2, le: Date.now() - 86400000}))""",
        f"cerdd-candidature:{candidature.pk}:besoins",
    )

    page.reload()

    expect(page.get_by_label("Principaux besoins")).to_have_value("Version du serveur")
    expect(page.locator("#restauration")).to_be_hidden()
    _tout_est_enregistre(page)


def test_depot_incomplet_resume_des_erreurs_focalise(page, live_server):
    user = _compte_candidat()
    candidature = CandidatureFactory(proprietaire=user, motivations="")
    se_connecter(page, user.email)
    page.goto(f"/candidatures/{candidature.pk}/")

    page.get_by_role("button", name="Déposer la candidature").click()

    resume = page.get_by_role("alert").filter(has_text="La candidature n'est pas déposée")
    expect(resume).to_be_focused()
    expect(resume.get_by_role("link")).to_have_text(
        [
            "Motivations : « motivations » est à remplir.",
            "Pièces jointes : ajoutez la lettre de motivation.",
        ]
    )
    assert_sans_violation_grave(page)
    resume.get_by_role("link").first.click()
    assert page.url.endswith("#section-motivations")


def test_formulaire_sur_telephone_sans_debordement(page_telephone, live_server):
    page = page_telephone
    user = _compte_candidat()
    candidature = CandidatureFactory(proprietaire=user)
    se_connecter(page, user.email)

    page.goto(f"/candidatures/{candidature.pk}/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_sans_violation_grave(page)
