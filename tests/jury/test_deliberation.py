"""Staff deliberation: the ranking, the decisions, the exports and the cohort helper."""

import io

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from candidatures.models import Candidature
from cerdd_cycle.historique.models import Historique
from cerdd_cycle.territoires.models import Territoire
from jury import exports
from jury.models import Affectation, Decision, NoteJury
from jury.views.deliberation import chiffre
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    DecisionFactory,
    DepartementFactory,
    JureFactory,
    TerritoireFactory,
    UserFactory,
    noter,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(nom, cycle, *args):
    return reverse(f"deliberation:{nom}", args=[cycle.slug, *args])


def candidature_notee(cycle, notes_par_jure, *, soumise=True, **champs):
    """A submitted candidature, assigned to each juror of ``notes_par_jure`` and scored."""
    candidature = CandidatureDeposeeFactory(cycle=cycle, **champs)
    for jure, valeurs in notes_par_jure.items():
        affectation = AffectationFactory(candidature=candidature, jure=jure)
        if valeurs is not None:
            noter(affectation, valeurs, soumettre=soumise)
    return candidature


@pytest.fixture
def jure_b(cycle_jury):
    return JureFactory(cycle=cycle_jury, user__first_name="Bérénice", user__last_name="Sévère")


@pytest.fixture
def deliberation(jury, jure, jure_b):
    """Four candidatures: W scored by one juror only, X with a gate to check, Y with a
    disagreement, Z set aside by a gate. Juror ``jure`` is always the more generous."""
    cycle = jury.cycle
    w = candidature_notee(cycle, {jure: {2: 4, 3: 4}, jure_b: {2: 1, 3: 1}})
    Affectation.objects.filter(candidature=w, jure=jure_b).update(soumise_le=None)
    x = candidature_notee(cycle, {jure: {2: 3, 3: 4, 4: "a_verifier"}, jure_b: {2: 2, 3: 4}})
    y = candidature_notee(cycle, {jure: {2: 4, 3: 3}, jure_b: {2: 1, 3: 3}})
    z = candidature_notee(cycle, {jure: {1: "non", 2: 3, 3: 3}, jure_b: {2: 3, 3: 3}})
    return {"w": w, "x": x, "y": y, "z": z}


# --- access ---------------------------------------------------------------------------------


def _toutes_les_urls(cycle, candidature):
    return [
        ("get", url("classement", cycle)),
        ("get", url("composition", cycle)),
        ("get", url("export_xlsx", cycle)),
        ("get", url("synthese_pdf", cycle)),
        ("post", url("ouvrir", cycle)),
        ("post", url("decision", cycle, candidature.pk)),
        ("get", url("decision", cycle, candidature.pk)),
    ]


def test_deliberation_anonyme_redirige_vers_la_connexion(client, jury):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)

    for methode, adresse in _toutes_les_urls(jury.cycle, candidature):
        reponse = getattr(client, methode)(adresse, {"statut": "retenue"})
        assert reponse.status_code == 302, adresse
        assert reponse.url.startswith(reverse("account_login")), adresse
    assert not Decision.objects.exists()


@pytest.mark.parametrize("qui", ["candidat", "jure"])
def test_deliberation_hors_equipe_404(client, jury, jure, qui):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)
    noter(AffectationFactory(candidature=candidature, jure=jure), {2: 4, 3: 4})
    client.force_login(candidature.proprietaire if qui == "candidat" else jure.user)

    for methode, adresse in _toutes_les_urls(jury.cycle, candidature):
        reponse = getattr(client, methode)(adresse, {"statut": "retenue"})
        assert reponse.status_code == 404, adresse
    jury.refresh_from_db()
    assert (Decision.objects.count(), jury.deliberation_ouverte_le) == (0, None)


def test_classement_cycle_inconnu_404(client, equipe, jury):
    client.force_login(equipe)

    assert client.get("/equipe/jury/pas-de-cycle/classement/").status_code == 404


# --- the ranking ----------------------------------------------------------------------------


def test_classement_ordre_scores_et_signaux(client, equipe, deliberation, jure, jure_b):
    client.force_login(equipe)

    reponse = client.get(url("classement", jure.cycle))

    assert reponse.status_code == 200
    lignes = reponse.context["lignes"]
    d = deliberation
    assert [(ligne.candidature, ligne.calcul.rang) for ligne in lignes] == [
        (d["w"], 1),
        (d["x"], 2),
        (d["y"], 3),
        (d["z"], None),
    ]
    assert [ligne.calcul.score for ligne in lignes] == [20.0, 16.67, 12.22, 13.33]
    assert [ligne.calcul.manquantes for ligne in lignes] == [1, 0, 0, 0]
    assert [ligne.calcul.desaccord for ligne in lignes] == [False, False, True, False]
    assert [ligne.totaux for ligne in lignes][:2] == [
        [(jure, 20.0)],
        [(jure, 17.78), (jure_b, 15.56)],
    ]
    html = reponse.content.decode()
    # French decimals, the signals, the links to each staff page.
    for attendu in (
        "16,67",
        "12,22",
        "1 note manquante",
        "non : écartée",
        "à vérifier",
        "désaccord",
        "17,78",
        reverse("equipe_candidatures:detail", args=[d["x"].pk]),
        url("export_xlsx", jure.cycle),
        url("synthese_pdf", jure.cycle),
        '<caption class="visually-hidden">',
        '<th scope="col">',
    ):
        assert attendu in html, attendu


def test_classement_severite_a_cote_des_notes_brutes(client, equipe, deliberation, jure, jure_b):
    client.force_login(equipe)

    reponse = client.get(url("classement", jure.cycle))

    # Shared files X, Y, Z: totals 17.78/15.56, 15.56/8.89, 13.33/13.33 → mean gap 2.96.
    severites = {s.jure: s for s in reponse.context["severites"]}
    assert [
        (s.moyenne, s.ecart, s.signe, s.sens, s.nb) for s in (severites[jure], severites[jure_b])
    ] == [(16.67, 2.96, "+", "genereux", 3), (12.59, 2.96, "−", "severe", 3)]
    html = reponse.content.decode()
    assert "+3,0</span>" in html
    assert "plus généreux·se que les autres, sur 3 candidatures" in html
    assert "−3,0</span>" in html
    assert "plus sévère que les autres, sur 3 candidatures" in html
    # The raw means stay on the page.
    assert "16,67</td>" in html
    assert "12,59</td>" in html


def test_classement_sans_candidature(client, equipe, jury):
    client.force_login(equipe)

    reponse = client.get(url("classement", jury.cycle))

    assert reponse.context["lignes"] == []
    assert "Aucune candidature déposée pour ce cycle." in reponse.content.decode()


def _remplir_cycle(cycle, nombre, jures, equipe):
    """``nombre`` submitted candidatures, each scored by every juror; one in two decided."""
    departement = DepartementFactory(code="62", nom="Pas-de-Calais")
    proprietaire = UserFactory()
    territoires = Territoire.objects.bulk_create(
        [TerritoireFactory.build(departement=departement) for _ in range(nombre)]
    )
    candidatures = Candidature.objects.bulk_create(
        [
            CandidatureDeposeeFactory.build(
                cycle=cycle, proprietaire=proprietaire, territoire=territoire
            )
            for territoire in territoires
        ]
    )
    maintenant = timezone.now()
    affectations = Affectation.objects.bulk_create(
        [
            Affectation(jure=jure, candidature=candidature, soumise_le=maintenant)
            for candidature in candidatures
            for jure in jures
        ]
    )
    criteres = list(cycle.criteres.all())
    NoteJury.objects.bulk_create(
        [
            NoteJury(affectation=affectation, critere=critere, porte="oui")
            if critere.est_porte
            else NoteJury(
                affectation=affectation,
                critere=critere,
                valeur=1 + (affectation.candidature_id + critere.ordre) % 4,
            )
            for affectation in affectations
            for critere in criteres
        ]
    )
    Decision.objects.bulk_create(
        [
            Decision(
                candidature=candidature, statut="non_retenue", motif="Motif.", decide_par=equipe
            )
            for candidature in candidatures[::2]
        ]
    )


@pytest.mark.parametrize("page", ["classement", "composition"])
def test_classement_nombre_de_requetes_constant(client, equipe, jury, jure, jure_b, page):
    client.force_login(equipe)
    adresse = url(page, jury.cycle)
    _remplir_cycle(jury.cycle, 10, [jure, jure_b], equipe)
    client.get(adresse)  # the session and the content types are cached from here on

    with CaptureQueriesContext(connection) as dix:
        reponse = client.get(adresse)
    assert reponse.status_code == 200
    _remplir_cycle(jury.cycle, 190, [jure, jure_b], equipe)
    with CaptureQueriesContext(connection) as deux_cents:
        reponse = client.get(adresse)

    assert reponse.status_code == 200
    if page == "classement":
        assert len(reponse.context["lignes"]) == 200
        assert all(ligne.calcul.score is not None for ligne in reponse.context["lignes"])
    assert len(deux_cents.captured_queries) == len(dix.captured_queries)


def test_ouvrir_deliberation_une_seule_fois(client, equipe, jury):
    client.force_login(equipe)

    reponse = client.post(url("ouvrir", jury.cycle))

    assert reponse.status_code == 302
    assert reponse.url == url("classement", jury.cycle)
    jury.refresh_from_db()
    ouverte_le = jury.deliberation_ouverte_le
    assert ouverte_le is not None
    client.post(url("ouvrir", jury.cycle))
    jury.refresh_from_db()
    assert jury.deliberation_ouverte_le == ouverte_le
    assert list(
        Historique.objects.filter(action="deliberation_ouverte").values_list("acteur", flat=True)
    ) == [equipe.pk]


def test_ouvrir_deliberation_get_refuse(client, equipe, jury):
    client.force_login(equipe)

    assert client.get(url("ouvrir", jury.cycle)).status_code == 405
    jury.refresh_from_db()
    assert jury.deliberation_ouverte_le is None


# --- decisions ------------------------------------------------------------------------------


def test_decision_htmx_enregistre_et_renvoie_la_cellule(client, equipe, jury):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)
    client.force_login(equipe)

    reponse = client.post(
        url("decision", jury.cycle, candidature.pk),
        {"statut": "attente", "rang_attente": "2", "motif": " Dossier solide, places prises. "},
        **HTMX,
    )

    assert reponse.status_code == 200
    assert reponse.templates[0].name == "jury/equipe/_decision.html"
    decision = Decision.objects.get(candidature=candidature)
    assert (decision.statut, decision.rang_attente, decision.motif, decision.decide_par) == (
        "attente",
        2,
        "Dossier solide, places prises.",
        equipe,
    )
    html = reponse.content.decode()
    assert html.lstrip().startswith(
        f'<div class="cellule-decision" id="decision-{candidature.pk}">'
    )
    assert "Décision enregistrée." in html
    assert "rang 2" in html
    assert equipe.nom_affiche in html
    entree = Historique.objects.get(action="decision", object_id=str(candidature.pk))
    assert (entree.acteur, entree.avant, entree.apres) == (
        equipe,
        {},
        {"statut": "attente", "motif": "Dossier solide, places prises.", "rang_attente": 2},
    )


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"statut": "non_retenue", "motif": "  "}, "Écrivez le motif"),
        ({"statut": "attente", "motif": ""}, "Écrivez le motif"),
        ({"statut": "", "motif": "x"}, "Choisissez retenue, liste d&#x27;attente ou non retenue."),
        ({"statut": "peut-etre"}, "Choisissez retenue, liste d&#x27;attente ou non retenue."),
        ({"statut": "attente", "motif": "x", "rang_attente": "0"}, "Le rang commence à 1."),
    ],
)
def test_decision_htmx_invalide_422_rien_d_enregistre(client, equipe, jury, donnees, message):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)
    client.force_login(equipe)

    reponse = client.post(url("decision", jury.cycle, candidature.pk), donnees, **HTMX)

    assert reponse.status_code == 422
    html = reponse.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert not Decision.objects.exists()
    assert not Historique.objects.filter(action="decision").exists()


def test_decision_sans_javascript_redirige_vers_le_classement(client, equipe, jury):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)
    client.force_login(equipe)

    reponse = client.post(url("decision", jury.cycle, candidature.pk), {"statut": "retenue"})

    assert reponse.status_code == 302
    assert reponse.url == f"{url('classement', jury.cycle)}#decision-{candidature.pk}"
    assert Decision.objects.get(candidature=candidature).statut == "retenue"
    page = client.get(reponse.url).content.decode()
    assert f"Décision enregistrée pour {candidature.nom_collectivite}." in page


def test_decision_sans_javascript_invalide_page_422(client, equipe, jury):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)
    client.force_login(equipe)

    reponse = client.post(
        url("decision", jury.cycle, candidature.pk), {"statut": "non_retenue", "motif": ""}
    )

    assert reponse.status_code == 422
    assert reponse.templates[0].name == "jury/equipe/classement.html"
    html = reponse.content.decode()
    assert "n'a pas été enregistrée" in html
    assert "Écrivez le motif" in html
    assert not Decision.objects.exists()


def test_classement_cellule_remplie_avec_la_decision_actuelle(client, equipe, jury):
    decision = DecisionFactory(
        candidature__cycle=jury.cycle,
        statut="attente",
        rang_attente=3,
        motif="Places prises.",
        decide_par=equipe,
    )
    pk = decision.candidature_id
    client.force_login(equipe)

    page = client.get(url("classement", jury.cycle)).content.decode()
    html = client.get(url("decision", jury.cycle, pk), **HTMX).content.decode()

    # The row shows the decision read-only, and a link that brings its editor (htmx) or,
    # without JavaScript, opens the ranking with this row's editor.
    action = url("decision", jury.cycle, pk)
    assert "Liste d&#x27;attente · rang 3" in page
    assert 'name="statut"' not in page
    assert (
        f'href="{url("classement", jury.cycle)}?modifier={pk}#decision-{pk}" '
        f'hx-get="{action}" hx-target="#decision-{pk}" hx-swap="outerHTML"'
    ) in page
    # The editor's hand-written fields carry what DecisionForm would have rendered: the
    # current status chosen, the rank and the reason filled, each label tied to its field.
    assert f'<form method="post" action="{action}"' in html
    assert f'hx-post="{action}" hx-target="#decision-{pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<option value="attente" selected>' in html
    assert '<option value="retenue" selected>' not in html
    assert f'for="decision-{pk}-statut">Décision</label>' in html
    assert 'name="rang_attente" value="3" class="form-control form-control-sm" min="1"' in html
    assert f'aria-describedby="decision-{pk}-motif_helptext" id="decision-{pk}-motif">' in html
    assert f'id="decision-{pk}-motif_helptext">Adressé à la collectivité' in html
    assert "Places prises.</textarea>" in html
    assert "Liste d&#x27;attente · rang 3" in html
    assert f"par {escape(equipe.nom_affiche)}, le " in html
    assert 'aria-invalid="true"' not in html


def test_decision_htmx_invalide_garde_la_saisie_et_relie_le_message(client, equipe, jury):
    candidature = CandidatureDeposeeFactory(cycle=jury.cycle)
    pk = candidature.pk
    client.force_login(equipe)

    reponse = client.post(
        url("decision", jury.cycle, pk),
        {"statut": "attente", "rang_attente": "4", "motif": ""},
        **HTMX,
    )

    assert reponse.status_code == 422
    html = reponse.content.decode()
    # What was sent stays in the fields, the editor stays open, the message is described.
    assert 'class="formulaire-decision mt-2"' in html
    assert '<option value="attente" selected>' in html
    assert 'name="rang_attente" value="4"' in html
    assert (
        f'aria-describedby="decision-{pk}-motif_helptext decision-{pk}-motif_error" '
        f'aria-invalid="true" id="decision-{pk}-motif">'
    ) in html
    assert f'<div class="invalid-feedback d-block" id="decision-{pk}-motif_error">' in html
    assert f'id="decision-{pk}-statut" aria-invalid' not in html
    assert not Decision.objects.exists()


def test_decision_editeur_ouvert_puis_ferme_a_la_demande(client, equipe, jury):
    decision = DecisionFactory(candidature__cycle=jury.cycle, statut="retenue")
    pk = decision.candidature_id
    action = url("decision", jury.cycle, pk)
    client.force_login(equipe)

    ouvert = client.get(action, **HTMX)
    ferme = client.get(f"{action}?fermer=1", **HTMX)

    assert ouvert.status_code == ferme.status_code == 200
    assert ouvert.templates[0].name == "jury/equipe/_decision.html"
    html = ouvert.content.decode()
    assert html.lstrip().startswith(f'<div class="cellule-decision" id="decision-{pk}">')
    assert '<option value="retenue" selected>' in html
    assert f'hx-get="{action}?fermer=1" hx-target="#decision-{pk}"' in html
    assert 'name="statut"' not in ferme.content.decode()
    assert "Modifier la décision" in ferme.content.decode()
    # Reading changes nothing.
    decision.refresh_from_db()
    assert decision.statut == "retenue"


def test_decision_editeur_sans_javascript_dans_le_classement(client, equipe, jury):
    premiere = CandidatureDeposeeFactory(cycle=jury.cycle)
    autre = CandidatureDeposeeFactory(cycle=jury.cycle)
    client.force_login(equipe)

    reponse = client.get(url("decision", jury.cycle, premiere.pk))
    page = client.get(f"{url('classement', jury.cycle)}?modifier={premiere.pk}").content.decode()

    assert reponse.status_code == 302
    assert reponse.url == (
        f"{url('classement', jury.cycle)}?modifier={premiere.pk}#decision-{premiere.pk}"
    )
    # Only that row's editor is open, with a way back to the row.
    assert f'id="decision-{premiere.pk}-statut"' in page
    assert f'id="decision-{autre.pk}-statut"' not in page
    assert f'href="{url("classement", jury.cycle)}#decision-{premiere.pk}"' in page
    bizarre = client.get(f"{url('classement', jury.cycle)}?modifier=abc")
    assert bizarre.status_code == 200
    assert 'name="statut"' not in bizarre.content.decode()


def test_decision_editeur_apres_publication_ferme(client, equipe, jury):
    decision = DecisionFactory(candidature__cycle=jury.cycle, statut="retenue")
    cycle = jury.cycle
    cycle.resultats_publies_le = timezone.now()
    cycle.save(update_fields=["resultats_publies_le"])
    client.force_login(equipe)

    reponse = client.get(url("decision", cycle, decision.candidature_id), **HTMX)

    assert reponse.status_code == 200
    assert 'name="statut"' not in reponse.content.decode()
    assert "la décision ne change plus ici" in reponse.content.decode()


@pytest.mark.parametrize("valeur", [0.0, 4.0, 3.5, 16.67, 12.22, 0.01, 19.99, 20.0, 1234.5, None])
def test_chiffres_du_classement_comme_floatformat(valeur):
    translation.activate("fr")
    attendu = "—" if valeur is None else floatformat(valeur, 2)
    attendu_court = "—" if valeur is None else floatformat(valeur, "-2")

    assert chiffre(valeur) == attendu
    assert chiffre(valeur, sans_zeros=True) == attendu_court
    # The direct path the ranking takes, with the page's separator.
    assert chiffre(valeur, separateur=",") == attendu
    assert chiffre(valeur, sans_zeros=True, separateur=",") == attendu_court


def test_decision_modifiee_historique_avant_apres(client, equipe, jury):
    decision = DecisionFactory(candidature__cycle=jury.cycle, statut="retenue")
    client.force_login(equipe)

    client.post(
        url("decision", jury.cycle, decision.candidature_id),
        {"statut": "non_retenue", "motif": "Le binôme ne peut pas venir.", "rang_attente": "4"},
        **HTMX,
    )

    decision.refresh_from_db()
    assert (decision.statut, decision.motif, decision.rang_attente) == (
        "non_retenue",
        "Le binôme ne peut pas venir.",
        None,
    )
    entree = Historique.objects.get(action="decision")
    assert entree.avant == {"statut": "retenue", "motif": "", "rang_attente": None}
    assert entree.apres == {
        "statut": "non_retenue",
        "motif": "Le binôme ne peut pas venir.",
        "rang_attente": None,
    }


def test_decision_apres_publication_lecture_seule(client, equipe, jury):
    decision = DecisionFactory(candidature__cycle=jury.cycle, statut="retenue")
    cycle = jury.cycle
    cycle.resultats_publies_le = timezone.now()
    cycle.save(update_fields=["resultats_publies_le"])
    client.force_login(equipe)

    page = client.get(url("classement", cycle)).content.decode()
    reponse = client.post(
        url("decision", cycle, decision.candidature_id),
        {"statut": "non_retenue", "motif": "Trop tard."},
        **HTMX,
    )

    assert url("decision", cycle, decision.candidature_id) not in page
    assert "Résultats publiés : la décision ne change plus ici." in page
    assert "Ouvrir la délibération" not in page
    assert reponse.status_code == 422
    assert "Les résultats sont publiés" in reponse.content.decode()
    decision.refresh_from_db()
    assert decision.statut == "retenue"


@pytest.mark.parametrize("cas", ["autre_cycle", "brouillon"])
def test_decision_candidature_hors_du_cycle_404(client, equipe, jury, autre_cycle, cas):
    if cas == "autre_cycle":
        candidature = CandidatureDeposeeFactory(cycle=autre_cycle)
    else:
        candidature = CandidatureFactory(cycle=jury.cycle)
    client.force_login(equipe)

    reponse = client.post(url("decision", jury.cycle, candidature.pk), {"statut": "retenue"})
    editeur = client.get(url("decision", jury.cycle, candidature.pk), **HTMX)

    assert reponse.status_code == editeur.status_code == 404
    assert not Decision.objects.exists()


# --- exports --------------------------------------------------------------------------------


def test_export_xlsx_notes_et_classement(client, equipe, jury, jure, jure_b):
    candidature = candidature_notee(jury.cycle, {jure: {2: 3, 3: 4}, jure_b: None})
    affectation = Affectation.objects.get(candidature=candidature, jure=jure)
    affectation.commentaire = '=HYPERLINK("http://x")'
    affectation.save(update_fields=["commentaire"])
    NoteJury.objects.filter(affectation=affectation, critere__ordre=2).update(
        commentaire="Motivation portée par le maire."
    )
    DecisionFactory(candidature=candidature, statut="retenue", decide_par=equipe)
    client.force_login(equipe)

    reponse = client.get(url("export_xlsx", jury.cycle))

    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"notes-jury-{jury.cycle.slug}-" in reponse["Content-Disposition"]
    classeur = load_workbook(io.BytesIO(reponse.content))
    assert classeur.sheetnames == ["Notes", "Classement"]
    notes = [[cellule.value for cellule in ligne] for ligne in classeur["Notes"].iter_rows()]
    nom, siren = candidature.nom_collectivite, candidature.siren
    departement = str(candidature.departement)
    debut = [nom, siren, departement, jure.user.nom_affiche]
    lignes_du_jure = [ligne for ligne in notes[1:] if ligne[3] == jure.user.nom_affiche]
    intitules = list(jury.cycle.criteres.values_list("intitule", flat=True))
    assert [ligne[:4] for ligne in lignes_du_jure] == [debut] * 5
    assert [ligne[5:] for ligne in lignes_du_jure] == [
        [1, intitules[0], "condition", None, None, "Oui", None],
        [2, intitules[1], "échelle", 1, 3, None, "Motivation portée par le maire."],
        [3, intitules[2], "échelle", 2, 4, None, None],
        [4, intitules[3], "condition", None, None, "Oui", None],
        [None, "Appréciation générale", None, None, None, None, '=HYPERLINK("http://x")'],
    ]
    # Typed by a juror, a formula stays a text.
    cellules = [c for c in classeur["Notes"]["L"] if c.value == '=HYPERLINK("http://x")']
    assert [c.data_type for c in cellules] == ["s"]
    # The juror who did not score yet is listed as such, with empty cells.
    lignes_b = [ligne for ligne in notes[1:] if ligne[3] == jure_b.user.nom_affiche]
    assert [ligne[4] for ligne in lignes_b] == ["non soumise"] * 5
    classement = [[c.value for c in ligne] for ligne in classeur["Classement"].iter_rows()]
    entetes = classement[0]
    ligne = dict(zip(entetes, classement[1], strict=True))
    assert (ligne["rang"], ligne["collectivité"], ligne["score /20"]) == (1, nom, 17.78)
    assert ligne["évaluations manquantes"] == 1
    assert ligne["total de chaque juré·e (/20)"] == f"{jure.user.nom_affiche} : 17,78"
    assert (ligne["décision"], ligne["décidée par"]) == ("Retenue", equipe.nom_affiche)


def test_synthese_contexte_classement_et_decisions(jury, deliberation, jure, jure_b, equipe):
    d = deliberation
    DecisionFactory(candidature=d["w"], statut="retenue", motif="")
    DecisionFactory(
        candidature=d["x"], statut="attente", motif="Deuxième sur la liste.", rang_attente=2
    )
    DecisionFactory(
        candidature=d["y"], statut="attente", motif="Premier sur la liste.", rang_attente=1
    )

    contexte = exports.contexte_synthese(jury.cycle, jury)

    assert [(ligne.rang, ligne.collectivite) for ligne in contexte["lignes"]] == [
        (1, str(d["w"].nom_collectivite)),
        (2, str(d["x"].nom_collectivite)),
        (3, str(d["y"].nom_collectivite)),
        (None, str(d["z"].nom_collectivite)),
    ]
    assert contexte["lignes"][3].portes_non == [jury.cycle.criteres.get(ordre=1).intitule]
    assert [ligne.collectivite for ligne in contexte["retenues"]] == [str(d["w"].nom_collectivite)]
    assert [ligne.decision.motif for ligne in contexte["attente"]] == [
        "Premier sur la liste.",
        "Deuxième sur la liste.",
    ]
    assert contexte["non_retenues"] == []
    assert [ligne.collectivite for ligne in contexte["sans_decision"]] == [
        str(d["z"].nom_collectivite)
    ]
    assert {j.pk for j in contexte["jures"]} == {jure.pk, jure_b.pk}


def test_synthese_pdf_telechargee(client, equipe, jury, deliberation):
    DecisionFactory(candidature=deliberation["z"], statut="non_retenue", motif="Hors région.")
    client.force_login(equipe)

    reponse = client.get(url("synthese_pdf", jury.cycle))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert f'filename="synthese-deliberation-{jury.cycle.slug}-' in reponse["Content-Disposition"]


# --- the cohort helper ----------------------------------------------------------------------


def test_composition_par_defaut_places_du_cycle(client, equipe, jury, jure):
    for valeurs in ({2: 4, 3: 4}, {2: 3, 3: 3}):
        candidature_notee(jury.cycle, {jure: valeurs})
    client.force_login(equipe)

    reponse = client.get(url("composition", jury.cycle))

    assert reponse.status_code == 200
    formulaire = reponse.context["formulaire"]
    assert formulaire.cleaned_data == {
        "places": jury.cycle.places,
        "attente": 3,
        "par_departement": 0,
        "epci_min": 0,
        "communes_min": 0,
        "petites_min": 0,
        "seuil_petite": 5000,
    }
    assert len(reponse.context["retenues"]) == 2
    html = reponse.content.decode()
    assert "ne décide rien" in html
    assert url("classement", jury.cycle) in html


def test_composition_voeu_departement_cout_et_decisions(client, equipe, jury, jure):
    nord = DepartementFactory(code="59", nom="Nord")
    pas_de_calais = DepartementFactory(code="62", nom="Pas-de-Calais")
    premiere = candidature_notee(
        jury.cycle, {jure: {2: 4, 3: 4}}, territoire=TerritoireFactory(departement=nord)
    )
    deuxieme = candidature_notee(
        jury.cycle, {jure: {2: 4, 3: 3}}, territoire=TerritoireFactory(departement=nord)
    )
    lointaine = candidature_notee(
        jury.cycle,
        {jure: {2: 2, 3: 2}},
        territoire=TerritoireFactory(departement=pas_de_calais, population=1800),
    )
    hors_region = candidature_notee(
        jury.cycle, {jure: {1: "non", 2: 4, 3: 4}}, territoire=TerritoireFactory(departement=nord)
    )
    sans_note = CandidatureDeposeeFactory(cycle=jury.cycle)
    DecisionFactory(candidature=lointaine, statut="attente", motif="À revoir.", decide_par=equipe)
    client.force_login(equipe)

    reponse = client.get(
        url("composition", jury.cycle),
        {
            "places": "2",
            "attente": "3",
            "par_departement": "1",
            "epci_min": "0",
            "communes_min": "0",
            "petites_min": "0",
            "seuil_petite": "5000",
        },
    )

    contexte = reponse.context
    assert [p.candidature for p in contexte["retenues"]] == [premiere, lointaine]
    assert [p.candidature for p in contexte["listes"][1]["lignes"]] == [deuxieme]
    assert contexte["difference"] == 15.56 - 6.67
    assert [(c.libelle, c.points) for c in contexte["couts"]] == [
        ("Au moins 1 par département représenté", 8.89)
    ]
    assert [p.candidature for p in contexte["couts"][0].entrent] == [lointaine]
    assert [p.candidature for p in contexte["couts"][0].sortent] == [deuxieme]
    assert contexte["insatisfaits"] == []
    assert [(e.ligne.candidature, e.raison) for e in contexte["ecartees"]] == [
        (sans_note, "Confiée à aucun·e juré·e"),
        (hors_region, f"Condition non remplie : {jury.cycle.criteres.get(ordre=1).intitule}"),
    ]
    html = reponse.content.decode()
    assert "1\xa0800</td>" in html
    assert "Liste d&#x27;attente · rang" not in html  # the current decision has no rank
    assert "Liste d&#x27;attente" in html
    assert equipe.nom_affiche in html


def test_composition_voeu_impossible_signale(client, equipe, jury, jure):
    candidature_notee(jury.cycle, {jure: {2: 4, 3: 4}})
    client.force_login(equipe)

    reponse = client.get(
        url("composition", jury.cycle),
        {
            "places": "2",
            "attente": "3",
            "par_departement": "0",
            "epci_min": "1",
            "communes_min": "0",
            "petites_min": "0",
            "seuil_petite": "5000",
        },
    )

    assert reponse.context["insatisfaits"] == ["Au moins 1 intercommunalité(s)"]
    assert [(c.libelle, c.points, c.insatisfait) for c in reponse.context["couts"]] == [
        ("Au moins 1 intercommunalité(s)", 0.0, True)
    ]
    assert "ne permettent pas de satisfaire" in reponse.content.decode()


def test_composition_saisie_invalide_message_sans_proposition(client, equipe, jury):
    client.force_login(equipe)

    reponse = client.get(
        url("composition", jury.cycle),
        {
            "places": "0",
            "attente": "trois",
            "par_departement": "0",
            "epci_min": "0",
            "communes_min": "0",
            "petites_min": "0",
            "seuil_petite": "5000",
        },
    )

    assert reponse.status_code == 200
    assert "proposition" not in reponse.context
    assert reponse.context["formulaire"].errors == {
        "places": ["Indiquez un nombre au moins égal à 1."],
        "attente": ["Indiquez un nombre entier."],
    }
    assert "Indiquez un nombre au moins égal à 1." in reponse.content.decode()
