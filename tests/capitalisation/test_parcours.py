"""A collectivity's journey, as a page and as a PDF.

Staff reach every pair, the pair's active members their own; anyone else gets a 404. Only what
the pair's people shared with the group under their name appears: private, pair-only and
anonymous items, the free notes and another pair's items never do. The number of queries does
not grow with the sessions and items.
"""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from capitalisation import selectors, services
from cerdd_cycle.comptes.roles import Role, role_attribuer
from journal.models import (
    Diagnostic,
    Experimentation,
    QuestionDiagnostic,
    Relais,
    ReponseDiagnostic,
)
from seances.models import Attestation, Presence
from tests.factories import (
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    JureFactory,
    MembreFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

NOMME = "Le porte-à-porte a fait venir des habitant·es jamais vus."
NOMME_SUPPLEANT = "Un budget participatif réservé aux moins de 25 ans."
ANONYME = "Je me sens seul·e face aux services techniques."
PRIVE = "Le maire ne lit jamais mes notes : à garder pour moi."
BINOME = "À reprendre à deux avant le conseil de jeudi."
NOTES = "Brouillon : penser à rappeler la préfecture."
AUTRE_BINOME = "Chez nous, les conseils de quartier tirés au sort."
AUTRE_RELAIS = "Présentation au conseil communautaire de Lens."
AUTRE_EXPERIMENTATION = "Marche exploratoire à Lens"
SECRETS = (ANONYME, PRIVE, BINOME, NOTES, AUTRE_BINOME, AUTRE_RELAIS, AUTRE_EXPERIMENTATION)


def _presents(seance, *membres):
    for membre in membres:
        for demi in ("matin", "apres_midi"):
            Presence.objects.create(
                seance=seance, membre=membre, demi_journee=demi, statut="present"
            )


def _attestation(binome, titulaire, code, membre=None):
    return Attestation.objects.create(
        cycle=binome.cycle,
        type="personne" if membre else "collectivite",
        membre=membre,
        binome=binome,
        code=code,
        titulaire=titulaire,
        collectivite=str(binome),
        seances_presentes=1,
        seances_total=3,
        seances_min=1,
    )


@pytest.fixture
def cycle_parcours():
    """Arras (its élu·e, technicien, a substitute and a replaced technicienne) and Lens, three
    sessions of which the last is still to come."""
    aujourdhui = timezone.localdate()
    cycle = CycleFactory(titre="Vers des territoires participatifs 2021")
    s1 = SeanceFactory(
        cycle=cycle, numero=1, date=aujourdhui - datetime.timedelta(days=60), theme="Mobiliser"
    )
    s2 = SeanceFactory(
        cycle=cycle, numero=2, date=aujourdhui - datetime.timedelta(days=30), theme="Évaluer"
    )
    s3 = SeanceFactory(
        cycle=cycle, numero=3, date=aujourdhui + datetime.timedelta(days=30), theme="Essaimer"
    )
    arras = binome_complet(cycle, suppleants=("elu",))
    lens = binome_complet(cycle)
    elue = arras.membres.get(role="elu", suppleant=False)
    elue.user.first_name, elue.user.last_name = "Hortense", "Zébulon"
    elue.user.save()
    elue.fonction = "Adjointe à la démocratie locale"
    elue.save()
    technicien = arras.membres.get(role="technicien")
    suppleant = arras.membres.get(suppleant=True)
    suppleant.user.first_name, suppleant.user.last_name = "Gaston", "Yvelin"
    suppleant.user.save()
    ancienne = MembreFactory(
        binome=arras,
        role="technicien",
        actif=False,
        jusqua=timezone.now() - datetime.timedelta(days=90),
        user=UserFactory(first_name="Ophélie", last_name="Xavier"),
    )
    role_attribuer(ancienne.user, Role.PARTICIPANT)

    entree = EntreeFactory(membre=elue, seance=s1, notes=NOTES)
    ElementFactory(entree=entree, audience="groupe", texte=NOMME, rubrique="points_forts")
    ElementFactory(entree=entree, audience="groupe_anonyme", texte=ANONYME, rubrique="vigilance")
    ElementFactory(entree=entree, audience="prive", texte=PRIVE, rubrique="idees")
    ElementFactory(entree=entree, audience="binome", texte=BINOME, rubrique="progres")
    ElementFactory(
        entree=EntreeFactory(membre=suppleant, seance=s2),
        audience="groupe",
        texte=NOMME_SUPPLEANT,
        rubrique="idees",
    )
    ElementFactory(
        entree=EntreeFactory(membre=lens.membres.get(role="elu"), seance=s1),
        audience="groupe",
        texte=AUTRE_BINOME,
    )
    # Arras complete at S1, its élu·e alone at S2.
    _presents(s1, elue, technicien)
    _presents(s2, elue)
    Relais.objects.create(
        binome=arras,
        auteur=elue,
        date=aujourdhui - datetime.timedelta(days=50),
        public="Bureau municipal",
        quoi="Présentation de la matinée.",
    )
    Relais.objects.create(
        binome=lens, auteur=None, date=aujourdhui, public="Conseil", quoi=AUTRE_RELAIS
    )
    Experimentation.objects.create(
        binome=arras,
        titre="Charte de la participation",
        description="Quatre ateliers ouverts.",
        resultats="Une charte votée en conseil.",
        statut="faite",
    )
    Experimentation.objects.create(binome=lens, titre=AUTRE_EXPERIMENTATION, statut="prevue")
    question = QuestionDiagnostic.objects.create(
        cycle=cycle, intitule="Nous associons les habitant·es aux décisions", echelle=5
    )
    debut = Diagnostic.objects.create(binome=arras, temps="debut")
    ReponseDiagnostic.objects.create(diagnostic=debut, question=question, valeur=2)
    fin = Diagnostic.objects.create(binome=arras, temps="fin")
    ReponseDiagnostic.objects.create(diagnostic=fin, question=question, valeur=4)
    _attestation(arras, str(arras), "ARRA-S000-0001")
    _attestation(arras, "Hortense Zébulon", "HORT-ENSE-0002", membre=elue)
    _attestation(lens, str(lens), "LENS-0000-0003")
    return {
        "cycle": cycle,
        "arras": arras,
        "lens": lens,
        "elue": elue,
        "technicien": technicien,
        "suppleant": suppleant,
        "ancienne": ancienne,
        "seances": (s1, s2, s3),
    }


def _page(client, user, binome):
    client.force_login(user)
    return client.get(reverse("capitalisation:parcours", args=[binome.pk]))


def _pdf(client, user, binome):
    client.force_login(user)
    return client.get(reverse("capitalisation:parcours_pdf", args=[binome.pk]))


def _html_du_pdf(binome) -> str:
    return render_to_string(services.GABARIT_PARCOURS, {"parcours": selectors.parcours(binome)})


def _texte(client, user, binome, rendu) -> str:
    """The page's HTML, or the HTML the PDF is laid out from."""
    return _page(client, user, binome).text if rendu == "page" else _html_du_pdf(binome)


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", ["arras", "lens"])
def test_equipe_voit_le_parcours_de_tout_binome(client, equipe, cycle_parcours, pair):
    binome = cycle_parcours[pair]

    page = _page(client, equipe, binome)
    pdf = _pdf(client, equipe, binome)

    assert page.status_code == 200
    assert page.context["parcours"].binome == binome
    assert reverse("equipe_capitalisation:rapport", args=[binome.cycle.slug]) in page.text
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("qui", ["elue", "technicien", "suppleant"])
def test_chaque_membre_actif_voit_le_parcours_de_son_binome(client, cycle_parcours, qui):
    membre = cycle_parcours[qui]
    arras = cycle_parcours["arras"]

    page = _page(client, membre.user, arras)
    pdf = _pdf(client, membre.user, arras)

    assert page.status_code == 200
    assert "Le parcours de " + str(arras) in page.text
    assert reverse("seances:mon_binome") in page.text
    assert reverse("capitalisation:parcours_pdf", args=[arras.pk]) in page.text
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def _candidate_de_la_collectivite(cycle_parcours):
    user = cycle_parcours["arras"].candidature.proprietaire
    role_attribuer(user, Role.CANDIDAT)
    return user


def _jure(cycle_parcours):
    return JureFactory(cycle=cycle_parcours["cycle"]).user


@pytest.mark.parametrize(
    "personne",
    [
        lambda c: c["lens"].membres.get(role="elu").user,
        lambda c: c["ancienne"].user,
        _candidate_de_la_collectivite,
        _jure,
        lambda c: UserFactory(),
    ],
    ids=["autre_binome", "membre_remplace", "candidate", "jure", "sans_role"],
)
def test_les_autres_recoivent_404(client, cycle_parcours, personne):
    user = personne(cycle_parcours)
    arras = cycle_parcours["arras"]

    assert _page(client, user, arras).status_code == 404
    assert _pdf(client, user, arras).status_code == 404


def test_anonyme_renvoye_vers_la_connexion(client, cycle_parcours):
    arras = cycle_parcours["arras"]
    for nom in ("capitalisation:parcours", "capitalisation:parcours_pdf"):
        url = reverse(nom, args=[arras.pk])

        reponse = client.get(url)

        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("account_login"))
        assert "next=" in reponse["Location"]


def test_binome_inexistant_404(client, equipe):
    client.force_login(equipe)

    assert client.get(reverse("capitalisation:parcours", args=[999_999])).status_code == 404


def test_get_seulement(client, equipe, cycle_parcours):
    client.force_login(equipe)
    arras = cycle_parcours["arras"]
    for nom in ("capitalisation:parcours", "capitalisation:parcours_pdf"):
        assert client.post(reverse(nom, args=[arras.pk])).status_code == 405


# --- Content --------------------------------------------------------------------------------


def test_pdf_nomme_d_apres_la_collectivite_et_le_cycle(client, equipe, cycle_parcours):
    arras = cycle_parcours["arras"]
    arras.candidature.territoire.nom = "Saint-Laurent-Blangy"
    arras.candidature.territoire.save()

    reponse = _pdf(client, equipe, arras)

    assert reponse["Content-Type"] == "application/pdf"
    attendu = f"parcours-saint-laurent-blangy-{arras.cycle.slug}.pdf"
    assert reponse["Content-Disposition"] == f'attachment; filename="{attendu}"'
    assert reponse["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("rendu", ["page", "pdf"])
def test_le_parcours_raconte_le_binome(client, equipe, cycle_parcours, rendu):
    arras = cycle_parcours["arras"]
    texte = _texte(client, equipe, arras, rendu)

    # Header, pair (current members with role and post; the replaced one noted).
    assert "Vers des territoires participatifs 2021" in texte
    assert "Hortense Zébulon" in texte
    assert "Adjointe à la démocratie locale" in texte
    assert "Gaston Yvelin" in texte and "suppléant·e" in texte
    assert "Ont aussi fait partie du binôme" in texte and "Ophélie Xavier" in texte
    # Attendance in words, the session to come said so, and the record.
    for theme in ("Mobiliser", "Évaluer", "Essaimer"):
        assert theme in texte
    assert "Complet" in texte and "Élu·e seul·e" in texte and "à venir" in texte
    assert "1 sur 2" in texte  # complete at one of the two sessions recorded
    assert "2 sur 2" in texte  # came to both
    # Experiments, relays, named items by heading, the anonymous ones said to be left out.
    assert "Charte de la participation" in texte and "(faite)" in texte
    assert "Quatre ateliers ouverts." in texte and "Une charte votée en conseil." in texte
    assert "Bureau municipal" in texte and "Présentation de la matinée." in texte
    assert "Points forts retenus" in texte and "Idées" in texte
    assert "Le porte-à-porte a fait venir des habitant·es jamais vus." in texte
    assert "Hortense Zébulon, séance 1" in texte
    assert NOMME_SUPPLEANT in texte and "Gaston Yvelin, séance 2" in texte
    assert "Ceux partagés sans nom restent anonymes et ne figurent donc pas ici." in texte
    # Self-diagnosis: the chart, then the same values in a table.
    assert "graphique-autodiagnostic" in texte
    assert "Nous associons les habitant·es aux décisions" in texte
    assert "non rempli" in texte  # mid-way not filled
    # Attestations and the footer line.
    assert "ARRA-S000-0001" in texte and "HORT-ENSE-0002" in texte and "1 sur 3" in texte
    assert "Document établi le" in texte
    assert "à partir de la plateforme du cycle" in texte


@pytest.mark.parametrize("rendu", ["page", "pdf"])
def test_rien_de_prive_d_anonyme_ni_d_un_autre_binome(client, cycle_parcours, rendu):
    arras = cycle_parcours["arras"]
    texte = _texte(client, cycle_parcours["elue"].user, arras, rendu)

    for secret in SECRETS:
        assert secret not in texte
    assert "LENS-0000-0003" not in texte
    # The named items are there: the test would pass on an empty page otherwise.
    assert NOMME in texte


def test_le_texte_mis_en_page_ne_contient_rien_de_prive(cycle_parcours):
    """The text WeasyPrint laid out on the PDF's pages, read back from its boxes."""
    from cerdd_cycle.documents.pdf import mettre_en_page

    arras = cycle_parcours["arras"]
    document = mettre_en_page(services.GABARIT_PARCOURS, {"parcours": selectors.parcours(arras)})
    textes = []

    def lire(boite):
        if hasattr(boite, "text"):
            textes.append(boite.text)
        for enfant in getattr(boite, "children", ()):
            lire(enfant)

    for page in document.pages:
        lire(page._page_box)
    texte = " ".join(textes)

    assert "Zébulon" in texte
    for secret in SECRETS:
        assert secret not in texte


def test_sans_rien_encore(client, equipe):
    cycle = CycleFactory()
    binome = binome_complet(cycle)

    texte = _page(client, equipe, binome).text

    assert "Aucune séance n'est encore programmée." in texte
    assert "Aucune expérimentation notée." in texte
    assert "Aucun relais noté." in texte
    assert "Rien n'a été partagé avec le groupe sous un nom." in texte
    assert "Aucune attestation délivrée pour l'instant." in texte
    assert _pdf(client, equipe, binome).content.startswith(b"%PDF")


def test_lien_depuis_la_page_du_binome(client, cycle_parcours):
    arras = cycle_parcours["arras"]
    client.force_login(cycle_parcours["technicien"].user)

    texte = client.get(reverse("seances:mon_binome"), follow=True).text

    assert reverse("capitalisation:parcours", args=[arras.pk]) in texte
    assert reverse("capitalisation:parcours_pdf", args=[arras.pk]) in texte


# --- Queries --------------------------------------------------------------------------------

REQUETES_MAX = 17  # session, user and roles, the pair, then the journey (see selectors.parcours)


def _grossir(cycle_parcours, fois):
    """More sessions, items, relays, experiments, members and attestations for Arras."""
    arras = cycle_parcours["arras"]
    elue, technicien = cycle_parcours["elue"], cycle_parcours["technicien"]
    for n in range(fois):
        seance = SeanceFactory(
            cycle=arras.cycle,
            numero=10 + n,
            date=timezone.localdate() - datetime.timedelta(days=20 - n),
            theme=f"Séance ajoutée {n}",
        )
        _presents(seance, elue, technicien)
        entree = EntreeFactory(membre=technicien, seance=seance)
        for rubrique in ("points_forts", "vigilance", "idees", "progres"):
            ElementFactory(entree=entree, audience="groupe", rubrique=rubrique)
        Relais.objects.create(
            binome=arras, auteur=technicien, date=seance.date, public=f"Public {n}", quoi="Relais"
        )
        Experimentation.objects.create(binome=arras, titre=f"Essai {n}", seance=seance)
        membre = MembreFactory(binome=arras, role="technicien", suppleant=True)
        _attestation(arras, f"Personne {n}", f"CODE-{n:04d}-PARC", membre=membre)


def _requetes(client, url) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


@pytest.mark.parametrize("nom", ["capitalisation:parcours", "capitalisation:parcours_pdf"])
def test_requetes_bornees_quelle_que_soit_la_taille(
    client, equipe, cycle_parcours, django_assert_max_num_queries, nom
):
    arras = cycle_parcours["arras"]
    client.force_login(equipe)
    url = reverse(nom, args=[arras.pk])
    avant = _requetes(client, url)

    _grossir(cycle_parcours, 5)

    with django_assert_max_num_queries(REQUETES_MAX):
        reponse = client.get(url)
    assert reponse.status_code == 200
    assert _requetes(client, url) == avant, avant
