"""Staff side of the candidatures: list, filters, exports, detail page, extension, admin."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import StatutCandidature
from candidatures.models import Candidature, ConfirmationReferent, Critere
from candidatures.services import candidature_enregistrer, candidature_manquants
from cerdd_cycle.formats import date_en_toutes_lettres
from cerdd_cycle.historique.models import Historique
from cerdd_cycle.historique.selectors import historique_de
from cerdd_cycle.territoires.models import TypeTerritoire
from tests.factories import (
    CandidatureFactory,
    CycleFactory,
    DepartementFactory,
    PieceJointeFactory,
    TerritoireFactory,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
LISTE = reverse("equipe_candidatures:liste")
EXPORT_CSV = reverse("equipe_candidatures:export_csv")
EXPORT_XLSX = reverse("equipe_candidatures:export_xlsx")
INJECTION = '=HYPERLINK("https://exemple.invalid","cliquez")'


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def quatre(cycle):
    """A deposited commune of the Pas-de-Calais with its letter, a draft commune and a
    metropolis of the Nord, and a structure entered by hand whose eligibility is to check."""
    pas_de_calais = DepartementFactory(code="62", nom="Pas-de-Calais")
    nord = DepartementFactory(code="59", nom="Nord")
    arras = CandidatureFactory(
        cycle=cycle,
        territoire=TerritoireFactory(nom="Arras", departement=pas_de_calais, siren="216200412"),
        statut=StatutCandidature.DEPOSEE,
        depose_le=datetime.datetime(2021, 3, 12, 11, 58, tzinfo=PARIS),
    )
    PieceJointeFactory(candidature=arras)
    lille = CandidatureFactory(cycle=cycle, territoire=TerritoireFactory(nom="Lille"))
    metropole = CandidatureFactory(
        cycle=cycle,
        territoire=TerritoireFactory(
            nom="Métropole Européenne de Lille", type=TypeTerritoire.METRO, departement=nord
        ),
    )
    parc = CandidatureFactory(
        cycle=cycle,
        territoire=None,
        structure_nom="Parc naturel régional Scarpe-Escaut",
        structure_siren="255902374",
        structure_nature="syndicat mixte",
        departement=nord,
        eligibilite_a_verifier=True,
    )
    return {"arras": arras, "lille": lille, "metropole": metropole, "parc": parc}


def _noms(response):
    return [str(ligne.candidature.nom_collectivite) for ligne in response.context["lignes"]]


def _candidature_suivie(cycle):
    """A deposited candidature with a letter, a confirmed referent and some history."""
    candidature = CandidatureFactory(
        cycle=cycle, statut=StatutCandidature.DEPOSEE, depose_le=timezone.now()
    )
    PieceJointeFactory(candidature=candidature)
    ConfirmationReferent.objects.create(
        candidature=candidature,
        role="politique",
        nom="Jean Dupont",
        email=candidature.politique_email,
        confirme_le=timezone.now(),
        disponible=True,
    )
    Historique.objects.create(
        objet=candidature, action="depot", description="Version 1 déposée", apres={"version": 1}
    )
    return candidature


def _midi_apres_la_date_limite(cycle, jours):
    jour = timezone.localdate(cycle.date_limite) + datetime.timedelta(days=jours)
    return datetime.datetime.combine(jour, datetime.time(12, 0), tzinfo=PARIS)


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("nom_url", ["liste", "export_csv", "export_xlsx"])
def test_pages_equipe_anonyme_redirige_vers_connexion(client, cycle, nom_url):
    url = reverse(f"equipe_candidatures:{nom_url}")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_pages_equipe_candidat_recoit_404(client, cycle):
    candidature = CandidatureFactory(cycle=cycle)
    client.force_login(candidature.proprietaire)

    reponses = [
        client.get(LISTE),
        client.get(EXPORT_CSV),
        client.get(EXPORT_XLSX),
        client.get(reverse("equipe_candidatures:detail", args=[candidature.pk])),
        client.post(
            reverse("equipe_candidatures:detail", args=[candidature.pk]),
            {"jusqua": "2099-01-01T12:00", "motif": "moi-même"},
        ),
    ]

    assert [r.status_code for r in reponses] == [404] * 5
    candidature.refresh_from_db()
    assert candidature.prolongation_jusqua is None


def test_liste_equipe_montre_les_candidatures_du_cycle_courant(client_equipe, quatre):
    autre_cycle = CycleFactory(statut="preparation")
    CandidatureFactory(cycle=autre_cycle, territoire=TerritoireFactory(nom="Douai"))

    response = client_equipe.get(LISTE)

    assert response.status_code == 200
    assert _noms(response) == [
        "Arras",
        "Lille",
        "Métropole Européenne de Lille",
        "Parc naturel régional Scarpe-Escaut",
    ]
    contenu = response.content.decode()
    assert "Déposée ✓ le 12/03/2021 à 11 h 58" in contenu
    assert response.context["compteurs"] == {
        "total": 4,
        "deposees": 1,
        "brouillons": 3,
        "a_verifier": 1,
    }


def test_liste_equipe_choix_du_cycle_par_slug(client_equipe, quatre):
    autre_cycle = CycleFactory(statut="preparation")
    CandidatureFactory(cycle=autre_cycle, territoire=TerritoireFactory(nom="Douai"))

    response = client_equipe.get(LISTE, {"cycle": autre_cycle.slug})

    assert _noms(response) == ["Douai"]
    assert f'<option value="{autre_cycle.slug}" selected>' in response.content.decode()


def test_liste_equipe_cycle_inconnu_404(client_equipe, quatre):
    assert client_equipe.get(LISTE, {"cycle": "inconnu"}).status_code == 404


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filtres", "attendus"),
    [
        ({"statut": "deposee"}, ["Arras"]),
        (
            {"statut": "brouillon"},
            ["Lille", "Métropole Européenne de Lille", "Parc naturel régional Scarpe-Escaut"],
        ),
        ({"departement": "62"}, ["Arras"]),
        ({"type": "COM"}, ["Arras", "Lille"]),
        ({"type": "epci"}, ["Métropole Européenne de Lille"]),
        ({"type": "METRO"}, ["Métropole Européenne de Lille"]),
        ({"type": "CA"}, []),
        ({"type": "hors_liste"}, ["Parc naturel régional Scarpe-Escaut"]),
        ({"a_verifier": "oui"}, ["Parc naturel régional Scarpe-Escaut"]),
        ({"a_verifier": "non"}, ["Arras", "Lille", "Métropole Européenne de Lille"]),
        ({"recherche": "europeenne"}, ["Métropole Européenne de Lille"]),
        ({"recherche": "Scarpe"}, ["Parc naturel régional Scarpe-Escaut"]),
        ({"recherche": "216 200 412"}, ["Arras"]),
        ({"departement": "59", "type": "COM"}, ["Lille"]),
    ],
)
def test_liste_equipe_filtres(client_equipe, quatre, filtres, attendus):
    response = client_equipe.get(LISTE, filtres)

    assert _noms(response) == attendus


def test_liste_equipe_filtre_invalide_ignore_avec_erreur(client_equipe, quatre):
    response = client_equipe.get(LISTE, {"statut": "inconnu", "type": "COM"})

    assert _noms(response) == ["Arras", "Lille"]
    assert response.context["form"].errors["statut"]


# --- completeness and counts ----------------------------------------------------------------


def test_liste_equipe_completude_memes_regles_que_le_depot(client_equipe, quatre):
    Candidature.objects.filter(pk=quatre["lille"].pk).update(motivations="", besoins="")

    response = client_equipe.get(LISTE)

    completudes = {
        str(ligne.candidature.nom_collectivite): ligne.completude
        for ligne in response.context["lignes"]
    }
    assert completudes == {
        "Arras": "complète",
        "Lille": "3 éléments manquants",
        "Métropole Européenne de Lille": "1 élément manquant",
        "Parc naturel régional Scarpe-Escaut": "1 élément manquant",
    }
    for ligne in response.context["lignes"]:
        candidature = Candidature.objects.get(pk=ligne.candidature.pk)
        assert ligne.manquants == candidature_manquants(candidature)
    contenu = response.content.decode()
    assert "3 éléments manquants" in contenu
    assert "Pièces jointes : ajoutez la lettre de motivation." in contenu


def test_liste_equipe_pieces_et_binome(client_equipe, cycle):
    candidature = _candidature_suivie(cycle)
    ConfirmationReferent.objects.create(
        candidature=candidature,
        role="technique",
        nom="Lucie Bernard",
        email=candidature.technique_email,
        confirme_le=timezone.now(),
    )
    PieceJointeFactory(candidature=candidature, type="autre", nom_original="annexe.pdf")

    response = client_equipe.get(LISTE)

    [ligne] = response.context["lignes"]
    assert (ligne.candidature.nb_pieces, ligne.candidature.nb_confirmes) == (2, 2)
    assert "binôme confirmé 2/2" in response.content.decode()


@pytest.mark.parametrize("url", [LISTE, EXPORT_CSV, EXPORT_XLSX])
def test_equipe_nombre_de_requetes_constant(client_equipe, cycle, django_assert_num_queries, url):
    _candidature_suivie(cycle)
    client_equipe.get(url)  # sessions, content types: whatever a first request caches
    with CaptureQueriesContext(connection) as une:
        assert client_equipe.get(url).status_code == 200
    for _ in range(49):
        _candidature_suivie(cycle)

    with django_assert_num_queries(len(une)):
        response = client_equipe.get(url)

    assert response.status_code == 200
    if url == LISTE:
        assert len(response.context["lignes"]) == 50


# --- exports --------------------------------------------------------------------------------


def _csv(response):
    texte = response.content.decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte.removeprefix("\ufeff")), delimiter=";"))


def test_export_csv_contenu(client_equipe, cycle, quatre):
    arras = quatre["arras"]
    Candidature.objects.filter(pk=arras.pk).update(
        motivations=INJECTION, contact_telephone="+33 3 21 00 00 00", engagements_autre="@moi"
    )
    ConfirmationReferent.objects.create(
        candidature=arras,
        role="politique",
        nom="Jean Dupont",
        email="a@b.fr",
        confirme_le=timezone.now(),
    )

    response = client_equipe.get(EXPORT_CSV, {"cycle": cycle.slug, "departement": "62"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="candidatures-{cycle.slug}-'
    )
    entetes, *lignes = _csv(response)
    assert entetes[:9] == [
        "cycle",
        "collectivité",
        "SIREN",
        "type",
        "département",
        "statut",
        "déposée le (heure de Paris)",
        "éligibilité à vérifier",
        "complétude",
    ]
    assert entetes[-2:] == ["pièces jointes", "référent·es confirmé·es (sur 2)"]
    assert "Référent·e politique – mandat" in entetes
    assert len(lignes) == 1
    ligne = dict(zip(entetes, lignes[0], strict=True))
    assert {cle: ligne[cle] for cle in entetes[:9]} == {
        "cycle": cycle.titre,
        "collectivité": "Arras",
        "SIREN": "216200412",
        "type": "Commune",
        "département": "Pas-de-Calais (62)",
        "statut": "Déposée",
        "déposée le (heure de Paris)": "12/03/2021 11:58",
        "éligibilité à vérifier": "non",
        "complétude": "complète",
    }
    assert ligne["Référent·e politique – mandat"] == "Adjoint à la démocratie locale"
    assert ligne["Démarches de transition engagées – démarches de transition"] == (
        "Plan climat (PCAET)"
    )
    assert ligne["Engagement du binôme – engagement du binôme à suivre toutes les séances"] == "oui"
    assert (ligne["pièces jointes"], ligne["référent·es confirmé·es (sur 2)"]) == ("1", "1")
    # Formula injection: the spreadsheet reads text, never a formula.
    assert ligne["Motivations – motivations"] == "'" + INJECTION
    assert ligne["Collectivité et coordonnées – téléphone"] == "'+33 3 21 00 00 00"
    assert ligne["Démarches de transition engagées – autre démarche"] == "'@moi"


def test_export_csv_hors_liste(client_equipe, cycle, quatre):
    entetes, *lignes = _csv(client_equipe.get(EXPORT_CSV, {"a_verifier": "oui"}))

    ligne = dict(zip(entetes, lignes[0], strict=True))
    assert len(lignes) == 1
    assert (ligne["collectivité"], ligne["SIREN"], ligne["type"], ligne["complétude"]) == (
        "Parc naturel régional Scarpe-Escaut",
        "255902374",
        "Hors liste (syndicat mixte)",
        "1 élément manquant",
    )


def test_export_xlsx_contenu(client_equipe, cycle, quatre):
    Candidature.objects.filter(pk=quatre["arras"].pk).update(motivations=INJECTION)

    response = client_equipe.get(EXPORT_XLSX, {"statut": "deposee"})

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    feuille = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rangees = list(feuille.iter_rows(values_only=True))
    entetes = list(rangees[0])
    assert entetes[:3] == ["cycle", "collectivité", "SIREN"]
    assert len(rangees) == 2
    ligne = dict(zip(entetes, rangees[1], strict=True))
    assert ligne["collectivité"] == "Arras"
    assert ligne["déposée le (heure de Paris)"] == datetime.datetime(2021, 3, 12, 11, 58)
    assert ligne["pièces jointes"] == 1
    assert ligne["Motivations – motivations"] == INJECTION
    cellule = feuille.cell(row=2, column=entetes.index("Motivations – motivations") + 1)
    assert cellule.data_type == "s"
    assert feuille.freeze_panes == "A2"
    assert all(cellule.font.b for cellule in feuille[1])
    assert feuille.column_dimensions["B"].width >= 10


# --- detail page ----------------------------------------------------------------------------


def test_detail_equipe_reponses_pieces_et_historique(client_equipe, cycle, quatre):
    lille = quatre["lille"]
    PieceJointeFactory(candidature=lille, nom_original="lettre-lille.pdf")
    candidature_enregistrer(lille, lille.proprietaire, {"besoins": "Former les agents."})

    response = client_equipe.get(reverse("equipe_candidatures:detail", args=[lille.pk]))

    assert response.status_code == 200
    contenu = response.content.decode()
    for attendu in [
        "Lille",
        "Référent·e politique",
        "Adjoint à la démocratie locale",
        "Associer les habitant·es aux choix du plan climat.",
        "Former les agents.",
        "Plan climat (PCAET)",
        "lettre-lille.pdf",
        "Réponses modifiées",
        "Principaux besoins – principaux besoins",
        lille.proprietaire.nom_affiche,
    ]:
        assert attendu in contenu
    [piece] = lille.pieces_jointes.all()
    lien = reverse("pieces:telecharger", args=[lille.pk, piece.pk])
    assert f'<a href="{lien}">lettre-lille.pdf</a>' in contenu
    telechargement = client_equipe.get(lien)
    assert b"".join(telechargement.streaming_content).startswith(b"%PDF")
    telechargement.close()
    [evenement] = response.context["historique"]
    assert (evenement.qui, evenement.quoi) == (lille.proprietaire.nom_affiche, "Réponses modifiées")
    assert evenement.changements == [
        ("réponses modifiées", "", "Principaux besoins – principaux besoins")
    ]
    assert response.context["manquants"] == []


def test_detail_equipe_inconnue_404(client_equipe):
    assert client_equipe.get(reverse("equipe_candidatures:detail", args=[999])).status_code == 404


def test_detail_equipe_accorder_delai(client_equipe, equipe, cycle, quatre):
    lille = quatre["lille"]
    jusqua = _midi_apres_la_date_limite(cycle, 3)
    url = reverse("equipe_candidatures:detail", args=[lille.pk])

    response = client_equipe.post(
        url, {"jusqua": jusqua.strftime("%Y-%m-%dT%H:%M"), "motif": "Panne informatique"}
    )

    assert response.status_code == 302
    assert response.url == url
    lille.refresh_from_db()
    assert (lille.date_limite, lille.prolongation_motif) == (jusqua, "Panne informatique")
    [entree] = historique_de(lille)
    assert (entree.action, entree.acteur, entree.description) == (
        "delai",
        equipe,
        "Délai individuel accordé : Panne informatique",
    )
    page = client_equipe.get(url)
    date_lisible = date_en_toutes_lettres(jusqua, jour_semaine=False)
    assert [(e.quoi, e.changements) for e in page.context["historique"]] == [
        (
            "Délai individuel accordé : Panne informatique",
            [("délai individuel jusqu'au", "—", date_lisible)],
        )
    ]
    assert f"Délai individuel accordé jusqu&#x27;au {date_lisible}." in page.content.decode()


@pytest.mark.parametrize(
    ("donnees", "erreur"),
    [
        (
            {"jusqua": "AVANT", "motif": "Panne informatique"},
            "Le délai individuel doit dépasser la date limite de l&#x27;appel.",
        ),
        ({"jusqua": "APRES", "motif": "   "}, "Indiquez le motif du délai accordé."),
        ({"jusqua": "", "motif": "Panne"}, "Indiquez la date et l&#x27;heure du délai accordé."),
        (
            {"jusqua": "31/02/2021 12:00", "motif": "Panne"},
            "Indiquez une date et une heure valides.",
        ),
    ],
)
def test_detail_equipe_delai_erreurs(client_equipe, cycle, quatre, donnees, erreur):
    lille = quatre["lille"]
    dates = {
        "AVANT": _midi_apres_la_date_limite(cycle, -1).strftime("%Y-%m-%dT%H:%M"),
        "APRES": _midi_apres_la_date_limite(cycle, 2).strftime("%Y-%m-%dT%H:%M"),
    }
    donnees = {**donnees, "jusqua": dates.get(donnees["jusqua"], donnees["jusqua"])}

    response = client_equipe.post(reverse("equipe_candidatures:detail", args=[lille.pk]), donnees)

    assert response.status_code == 200
    contenu = response.content.decode()
    assert erreur in contenu
    if donnees["jusqua"]:
        assert f'value="{donnees["jusqua"]}"' in contenu  # nothing typed is lost
    lille.refresh_from_db()
    assert (lille.prolongation_jusqua, lille.prolongation_motif) == (None, "")
    assert list(historique_de(lille)) == []


# --- admin ----------------------------------------------------------------------------------


def test_admin_liste_des_candidatures(client_equipe, quatre):
    response = client_equipe.get(
        reverse("admin:candidatures_candidature_changelist"), {"eligibilite_a_verifier__exact": "0"}
    )

    assert response.status_code == 200
    assert sorted(str(c) for c in response.context["cl"].result_list) == [
        "Arras",
        "Lille",
        "Métropole Européenne de Lille",
    ]
    contenu = response.content.decode()
    assert "Métropole" in contenu
    assert "Accorder un délai individuel" in contenu
    arras = next(c for c in response.context["cl"].result_list if str(c) == "Arras")
    assert arras.nb_pieces == 1


def test_admin_recherche(client_equipe, quatre):
    response = client_equipe.get(
        reverse("admin:candidatures_candidature_changelist"), {"q": "Scarpe"}
    )

    assert [str(c) for c in response.context["cl"].result_list] == [
        "Parc naturel régional Scarpe-Escaut"
    ]


def test_admin_fiche_en_lecture_seule(client_equipe, quatre):
    arras = quatre["arras"]
    url = reverse("admin:candidatures_candidature_change", args=[arras.pk])

    response = client_equipe.get(url)

    assert response.status_code == 200
    contenu = response.content.decode()
    for attendu in [
        "Référent·e politique",
        "Adjoint à la démocratie locale",
        "Associer les habitant·es aux choix du plan climat.",
        "Plan climat (PCAET)",
        reverse("equipe_candidatures:detail", args=[arras.pk]),
    ]:
        assert attendu in contenu
    [piece] = arras.pieces_jointes.all()
    lien = reverse("pieces:telecharger", args=[arras.pk, piece.pk])
    assert f'<a href="{lien}">lettre.pdf</a>' in contenu
    assert 'name="motivations"' not in contenu
    assert 'name="_save"' not in contenu


def test_admin_ne_modifie_pas_les_reponses(client_equipe, quatre):
    arras = quatre["arras"]
    url = reverse("admin:candidatures_candidature_change", args=[arras.pk])

    response = client_equipe.post(url, {"motivations": "Réécrit par l'équipe", "_save": "1"})

    assert response.status_code == 403
    arras.refresh_from_db()
    assert arras.motivations == "Associer les habitant·es aux choix du plan climat."
    assert client_equipe.get(reverse("admin:candidatures_candidature_add")).status_code == 403


def test_admin_action_accorder_delai(client_equipe, equipe, cycle, quatre):
    lille, parc = quatre["lille"], quatre["parc"]
    url = reverse("admin:candidatures_candidature_changelist")
    selection = {"action": "accorder_delai", "_selected_action": [lille.pk, parc.pk]}

    page = client_equipe.post(url, {**selection, "index": "0"})
    jusqua = _midi_apres_la_date_limite(cycle, 5)
    response = client_equipe.post(
        url,
        {
            **selection,
            "jusqua": jusqua.strftime("%Y-%m-%dT%H:%M"),
            "motif": "Conseil municipal tardif",
            "appliquer": "1",
        },
    )

    assert page.status_code == 200
    assert "Nouvelle date limite (heure de Paris)" in page.content.decode()
    assert response.status_code == 302
    for candidature in (lille, parc):
        candidature.refresh_from_db()
        assert candidature.date_limite == jusqua
        assert [(e.action, e.acteur) for e in historique_de(candidature)] == [("delai", equipe)]
    assert Candidature.objects.filter(prolongation_jusqua__isnull=False).count() == 2


def test_admin_action_accorder_delai_refuse_une_date_trop_tot(client_equipe, cycle, quatre):
    lille = quatre["lille"]

    response = client_equipe.post(
        reverse("admin:candidatures_candidature_changelist"),
        {
            "action": "accorder_delai",
            "_selected_action": [lille.pk],
            "jusqua": _midi_apres_la_date_limite(cycle, -2).strftime("%Y-%m-%dT%H:%M"),
            "motif": "Trop tôt",
            "appliquer": "1",
        },
    )

    assert response.status_code == 200
    assert "Le délai individuel doit dépasser la date limite" in response.content.decode()
    lille.refresh_from_db()
    assert lille.prolongation_jusqua is None


def test_admin_criteres(client_equipe, cycle):
    Critere.objects.create(cycle=cycle, intitule="Motivation de la collectivité", ordre=1)

    response = client_equipe.get(reverse("admin:candidatures_critere_changelist"))

    assert response.status_code == 200
    assert "Motivation de la collectivité" in response.content.decode()
    assert 'name="form-0-poids"' in response.content.decode()
