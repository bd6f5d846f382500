"""The jury in a real browser: a juror scores a candidature on the page that saves itself, then
staff decide, publish the results, and a candidate reads the answer — never a score.
And no serious or critical axe violation on the jury's and the staff's pages."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from candidatures.grille import grille_par_defaut
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.courriels.models import Courriel
from jury import selectors
from jury.models import Affectation, Decision, NoteJury
from jury.services import jury_obtenir
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    JureFactory,
    TerritoireFactory,
    UserFactory,
    noter,
)

from .accessibilite import assert_sans_violation_grave
from .connexion import compte_verifie, se_connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

COMMENTAIRE_AUTRE = "Avis de Bernadette : le binôme n'a jamais été réuni, à creuser."
COMMENTAIRE_CRITERE = "La lettre relie la participation au plan climat."
COMMENTAIRE_GENERAL = "Une démarche sincère, portée par l'élu comme par les services."
MOTIF_REFUS = "La participation n'a pas encore de place dans le projet de la commune."
MESSAGE_MOTIF = "Écrivez le motif : il est adressé à la collectivité avec la décision."


# --- helpers --------------------------------------------------------------------------------


def _attendre(condition, delai=10):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("La condition attendue ne s'est pas réalisée.")


def _menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def _cycle_jury():
    """A cycle whose call is closed, with the call's grid (gates 1 and 4, scales 2 and 3)."""
    candidature = CandidatureDeposeeFactory()
    cycle = candidature.cycle
    candidature.delete()
    grille_par_defaut(cycle)
    jury_obtenir(cycle)
    return cycle


def _deposee(cycle, nom, **champs):
    territoire = TerritoireFactory(nom=nom, region=cycle.region)
    return CandidatureDeposeeFactory(cycle=cycle, territoire=territoire, **champs)


def _tout_est_enregistre(page, affectation):
    """Every answer confirmed by the server: no local copy left waiting."""
    page.wait_for_function(
        "prefixe => Object.keys(localStorage).every(cle => !cle.startsWith(prefixe))",
        arg=f"cerdd-candidature:jury-{affectation.pk}:",
    )


# --- a juror scores a candidature -----------------------------------------------------------


def test_jure_note_une_candidature_enregistree_au_fil_puis_soumise(page, live_server):
    cycle = _cycle_jury()
    candidature = _deposee(cycle, "Loos-en-Gohelle")
    odile = compte_verifie("jure@exemple.fr", first_name="Odile", last_name="Marchand")
    jure = JureFactory(cycle=cycle, user=odile)
    autre = AffectationFactory(
        candidature=candidature,
        jure=JureFactory(
            cycle=cycle, user=UserFactory(first_name="Bernadette", last_name="Lefort")
        ),
        commentaire=COMMENTAIRE_AUTRE,
    )
    noter(autre, {2: 2, 3: 1})
    affectation = AffectationFactory(candidature=candidature, jure=jure)
    criteres = {c.ordre: c for c in cycle.criteres.all()}

    se_connecter(page, "jure@exemple.fr")
    _menu(page).get_by_role("link", name="Espace jury").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    expect(page.get_by_text("0 / 1 notées")).to_be_visible()
    assert_sans_violation_grave(page)

    page.get_by_role("link", name="Noter — Loos-en-Gohelle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Loos-en-Gohelle")
    evaluation = page.url
    assert evaluation.endswith(f"/jury/{cycle.slug}/candidatures/{candidature.pk}/")
    # The other juror's evaluation stays hidden until this one is submitted.
    expect(page.get_by_text("Vous découvrirez les notes et les commentaires")).to_be_visible()
    assert COMMENTAIRE_AUTRE not in page.content()
    assert "Bernadette" not in page.content()
    assert_sans_violation_grave(page)

    # Each answer is picked by its label and saved at once.
    choix = {1: "Oui", 2: "3 – Solide", 3: "4 – Remarquable", 4: "Oui"}
    for ordre, libelle in choix.items():
        groupe = page.get_by_role("group", name=criteres[ordre].intitule)
        groupe.locator("label").filter(has_text=libelle).click()
        expect(page.locator(f"#etat-critere-{criteres[ordre].pk}")).to_contain_text("Enregistré à")
    page.get_by_role("group", name=criteres[2].intitule).get_by_label(
        "Commentaire sur ce critère"
    ).fill(COMMENTAIRE_CRITERE)
    page.get_by_label("Appréciation générale").fill(COMMENTAIRE_GENERAL)
    page.get_by_label("Appréciation générale").blur()
    expect(page.locator("#etat-commentaire")).to_contain_text("Enregistré à")
    _tout_est_enregistre(page, affectation)

    # On the server: the ORM has every answer...
    notes = {
        note.critere.ordre: (note.valeur, note.porte, note.commentaire)
        for note in NoteJury.objects.filter(affectation=affectation).select_related("critere")
    }
    assert notes == {
        1: (None, "oui", ""),
        2: (3, "", COMMENTAIRE_CRITERE),
        3: (4, "", ""),
        4: (None, "oui", ""),
    }
    affectation.refresh_from_db()
    assert affectation.commentaire == COMMENTAIRE_GENERAL
    assert affectation.soumise_le is None

    # ... and a new page shows them again, with nothing left to restore.
    page.reload()
    for ordre in (1, 4):
        expect(page.locator(f"#porte-{criteres[ordre].pk}-oui")).to_be_checked()
    expect(page.locator(f"#valeur-{criteres[2].pk}-3")).to_be_checked()
    expect(page.locator(f"#valeur-{criteres[3].pk}-4")).to_be_checked()
    expect(page.locator(f"#commentaire-{criteres[2].pk}")).to_have_value(COMMENTAIRE_CRITERE)
    expect(page.get_by_label("Appréciation générale")).to_have_value(COMMENTAIRE_GENERAL)
    expect(page.locator("#restauration")).to_be_hidden()

    page.get_by_role("button", name="Soumettre mon évaluation").click()

    expect(page.get_by_role("status").filter(has_text="est soumise. Merci !")).to_contain_text(
        "Votre évaluation de Loos-en-Gohelle est soumise."
    )
    croisees = page.get_by_role("table").filter(has_text="Appréciation générale")
    expect(croisees.get_by_role("columnheader")).to_have_text(
        ["Critère", "Vous", "Bernadette Lefort"]
    )
    expect(croisees).to_contain_text(COMMENTAIRE_AUTRE)
    expect(croisees).to_contain_text(COMMENTAIRE_GENERAL)
    expect(page.get_by_role("button", name="Soumettre mon évaluation")).to_have_count(0)
    assert Affectation.objects.get(pk=affectation.pk).soumise_le is not None
    assert_sans_violation_grave(page)

    _menu(page).get_by_role("link", name="Espace jury").click()
    expect(page.get_by_text("1 / 1 notées")).to_be_visible()
    expect(page.get_by_role("link", name="Consulter — Loos-en-Gohelle")).to_be_visible()


# --- staff publish the results --------------------------------------------------------------


def test_equipe_decide_publie_et_la_collectivite_lit_sa_reponse(page, live_server):
    cycle = _cycle_jury()
    candidat = compte_verifie("mairie@bethune.fr")
    role_attribuer(candidat, Role.CANDIDAT)
    arras = _deposee(cycle, "Arras")
    bethune = _deposee(cycle, "Béthune", proprietaire=candidat)
    jure = JureFactory(cycle=cycle, user=UserFactory(first_name="Odile", last_name="Marchand"))
    noter(
        AffectationFactory(candidature=arras, jure=jure, commentaire="Très convaincant."),
        {2: 4, 3: 4},
    )
    noter(
        AffectationFactory(candidature=bethune, jure=jure, commentaire="Projet encore flou."),
        {2: 2, 3: 1},
    )
    score_bethune = next(
        ligne.calcul.score
        for ligne in selectors.classement_du_cycle(cycle).lignes
        if ligne.candidature.pk == bethune.pk
    )
    compte_verifie("equipe@cerdd.test", is_staff=True)

    se_connecter(page, "equipe@cerdd.test")
    page.goto(reverse("deliberation:classement", args=[cycle.slug]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Classement et décisions")
    expect(page.get_by_role("row").filter(has_text="Arras")).to_contain_text("20,00")
    assert_sans_violation_grave(page)

    # Retained, in its cell, without leaving the page: the row's editor comes on demand and
    # takes the focus; once saved, the focus is back on the row's button.
    cellule = page.locator(f"#decision-{arras.pk}")
    expect(cellule.get_by_label("Décision")).to_have_count(0)
    cellule.get_by_role("link", name="Décider — Arras").click()
    expect(cellule.get_by_label("Décision")).to_be_focused()
    cellule.get_by_label("Décision").select_option("retenue")
    cellule.get_by_role("button", name="Enregistrer").click()
    expect(cellule.get_by_role("status")).to_have_text("Décision enregistrée.")
    expect(cellule).to_contain_text("Retenue")
    modifier = cellule.get_by_role("link", name="Modifier la décision — Arras")
    expect(modifier).to_be_focused()

    # Escape closes an editor without saving and gives the focus back.
    modifier.click()
    expect(cellule.get_by_label("Décision")).to_be_focused()
    cellule.get_by_label("Décision").select_option("non_retenue")
    page.keyboard.press("Escape")
    expect(cellule.get_by_label("Décision")).to_have_count(0)
    expect(cellule.get_by_role("link", name="Modifier la décision — Arras")).to_be_focused()

    # Not retained without a reason: refused in French, nothing saved.
    cellule = page.locator(f"#decision-{bethune.pk}")
    cellule.get_by_role("link", name="Décider — Béthune").click()
    cellule.get_by_label("Décision").select_option("non_retenue")
    cellule.get_by_role("button", name="Enregistrer").click()
    expect(cellule.locator(".invalid-feedback")).to_have_text(MESSAGE_MOTIF)
    expect(cellule.get_by_label("Motif")).to_have_attribute("aria-invalid", "true")
    expect(cellule.get_by_label("Motif")).to_be_focused()
    assert_sans_violation_grave(page)  # the open editor with its message
    assert not Decision.objects.filter(candidature=bethune).exists()

    cellule.get_by_label("Motif").fill(MOTIF_REFUS)
    cellule.get_by_role("button", name="Enregistrer").click()
    expect(cellule.get_by_role("status")).to_have_text("Décision enregistrée.")
    expect(cellule).to_contain_text("Non retenue")
    assert {
        d.candidature_id: (d.statut, d.motif)
        for d in Decision.objects.filter(candidature__cycle=cycle)
    } == {arras.pk: ("retenue", ""), bethune.pk: ("non_retenue", MOTIF_REFUS)}

    # The results, sent at once after a confirmation.
    page.goto(reverse("resultats:resultats", args=[cycle.slug]))
    expect(page.get_by_text("Chaque candidature déposée a sa décision")).to_be_visible()
    assert_sans_violation_grave(page)
    page.get_by_role("link", name="Envoyer maintenant").click()
    expect(page.get_by_role("heading", name="Envoyer les résultats maintenant ?")).to_be_visible()
    page.get_by_role("button", name="Envoyer maintenant").click()
    expect(page.get_by_text("Cochez la case pour confirmer l'envoi.")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.resultats_publies_le is None
    page.get_by_label(re.compile("Je confirme : les courriels")).check()
    page.get_by_role("button", name="Envoyer maintenant").click()

    expect(page.get_by_role("status").filter(has_text="Résultats publiés :")).to_contain_text(
        "2 courriel(s) de décision partent maintenant"
    )
    envoi = page.locator("#envoi")
    expect(envoi).to_contain_text("Résultats publiés le")
    expect(envoi.get_by_role("row").filter(has_text="Béthune")).to_contain_text("Non retenue")
    expect(envoi.get_by_role("link", name=re.compile("Envoyer maintenant"))).to_have_count(0)
    assert_sans_violation_grave(page)

    # One decision email per candidature, each with its letter in PDF.
    courriels = Courriel.objects.filter(categorie="decision").prefetch_related("pieces_jointes")
    assert len(courriels) == 2
    par_destinataire = {
        candidature.pk: [c for c in courriels if candidature.proprietaire.email in c.destinataires]
        for candidature in (arras, bethune)
    }
    assert [len(liste) for liste in par_destinataire.values()] == [1, 1]
    for (courriel,) in par_destinataire.values():
        (piece,) = courriel.pieces_jointes.all()
        assert piece.type_mime == "application/pdf"
        assert bytes(piece.contenu).startswith(b"%PDF")
    assert MOTIF_REFUS in par_destinataire[bethune.pk][0].texte
    # And they left the outbox (Celery runs eagerly in the tests, the backend is locmem).
    _attendre(lambda: len([m for m in mail.outbox if "mairie@bethune.fr" in m.to]) == 1)
    (message,) = [m for m in mail.outbox if "mairie@bethune.fr" in m.to]
    assert [(type_mime, contenu[:4]) for _nom, contenu, type_mime in message.attachments] == [
        ("application/pdf", b"%PDF")
    ]

    # The collectivity not retained reads its answer: the reason, no score, no comment.
    page.context.clear_cookies()
    se_connecter(page, "mairie@bethune.fr")
    _menu(page).get_by_role("link", name="Mes candidatures").click()
    page.get_by_role("link", name="voir la réponse du jury — Béthune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réponse du jury")
    expect(page.get_by_text("Votre candidature n'est pas retenue cette fois-ci.")).to_be_visible()
    expect(page.get_by_role("region", name="Ce qui a guidé la décision")).to_contain_text(
        MOTIF_REFUS
    )
    texte = page.locator("main").inner_text()
    for interdit in (
        "Projet encore flou.",
        "Marchand",
        "/20",
        "score",
        f"{score_bethune:.2f}".replace(".", ","),
        f"{score_bethune:.2f}",
    ):
        assert interdit.lower() not in texte.lower(), interdit
