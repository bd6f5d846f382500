"""The assiduity matrix from recorded rows: the selector, the staff page, the XLSX export."""

import datetime
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cerdd_cycle.comptes.models import User
from cerdd_cycle.territoires.models import Territoire
from seances import selectors, services
from seances.enums import StatutBinome
from seances.models import Binome, Confirmation, Membre, Presence
from tests.factories import (
    CandidatureDeposeeFactory,
    CycleFactory,
    DepartementFactory,
    SeanceFactory,
    TerritoireFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

B = StatutBinome
AUJOURDHUI = timezone.localdate()


def _il_y_a(jours):
    return AUJOURDHUI - datetime.timedelta(days=jours)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", titre="Cycle 2021-2022", slug="cycle-2021-2022")


@pytest.fixture
def seances(cycle):
    return [
        SeanceFactory(cycle=cycle, numero=1, date=_il_y_a(30), theme="Mobiliser"),
        SeanceFactory(cycle=cycle, numero=2, date=_il_y_a(10), theme="Évaluer"),
        SeanceFactory(cycle=cycle, numero=3, date=_il_y_a(-20), theme="Coopérer"),
    ]


def _membre(binome, role, suppleant=False):
    return binome.membres.get(role=role, suppleant=suppleant)


def _marquer(seance, membre, statut, equipe, demi_journee="matin"):
    services.presence_marquer(seance, membre, demi_journee, statut, par=equipe)


@pytest.fixture
def binomes(cycle, seances, equipe):
    """A: complete, then complete with a substitute. B: the élu·e alone, then excused
    beforehand. C: nobody, twice. Everyone marked present at the session to come."""
    s1, s2, s3 = seances
    a = binome_complet(cycle, suppleants=("elu",))
    b = binome_complet(cycle)
    c = binome_complet(cycle)
    _marquer(s1, _membre(a, "elu"), "present", equipe)
    _marquer(s1, _membre(a, "technicien"), "absent", equipe)
    _marquer(s1, _membre(a, "technicien"), "retard", equipe, "apres_midi")
    _marquer(s2, _membre(a, "elu"), "remplace", equipe)
    _marquer(s2, _membre(a, "elu", suppleant=True), "present", equipe, "apres_midi")
    _marquer(s2, _membre(a, "technicien"), "present", equipe)
    _marquer(s1, _membre(b, "elu"), "present", equipe)
    _marquer(s1, _membre(b, "technicien"), "absent", equipe)
    Confirmation.objects.create(seance=s2, membre=_membre(b, "technicien"), reponse="excuse")
    for membre in Membre.objects.filter(binome__cycle=cycle):
        _marquer(s3, membre, "present", equipe)
    return a, b, c


def test_matrice_assiduite_depuis_les_presences_relevees(cycle, seances, binomes):
    a, b, c = binomes

    matrice = selectors.matrice_assiduite(cycle)

    assert matrice.seances == seances
    lignes = {ligne.binome: ligne for ligne in matrice.lignes}
    assert len(matrice.lignes) == 3
    # The session to come stays « non relevé » though everyone was marked present.
    assert lignes[a].statuts == [B.COMPLET, B.REMPLACE, B.NON_RENSEIGNE]
    assert lignes[b].statuts == [B.ELU_SEUL, B.EXCUSE, B.NON_RENSEIGNE]
    assert lignes[c].statuts == [B.ABSENT, B.ABSENT, B.NON_RENSEIGNE]
    bilans = {
        binome: (ligne.bilan.seances, ligne.bilan.completes, ligne.bilan.engagees, ligne.alerte)
        for binome, ligne in lignes.items()
    }
    assert bilans == {a: (2, 2, 2, False), b: (2, 0, 2, True), c: (2, 0, 0, True)}
    assert matrice.compte(B.COMPLET) == [1, 0, 0]
    assert matrice.compte(B.ABSENT) == [1, 1, 0]


def test_matrice_seance_passee_sans_appel_reste_non_relevee(cycle, equipe):
    seance = SeanceFactory(cycle=cycle, numero=1, date=_il_y_a(3))
    binome = binome_complet(cycle)

    [ligne] = selectors.matrice_assiduite(cycle).lignes

    assert ligne.binome == binome
    assert ligne.statuts == [B.NON_RENSEIGNE]
    assert ligne.bilan.seances == 0
    # The roll call taken for anyone makes the silent pairs absent.
    _marquer(seance, _membre(binome_complet(cycle), "elu"), "present", equipe)
    statuts = {ligne.binome: ligne.statuts for ligne in selectors.matrice_assiduite(cycle).lignes}
    assert statuts[binome] == [B.ABSENT]


def test_matrice_un_membre_remplace_garde_ses_presences(cycle, seances, equipe):
    binome = binome_complet(cycle)
    ancien = _membre(binome, "elu")
    _marquer(seances[0], ancien, "present", equipe)
    _marquer(seances[0], _membre(binome, "technicien"), "present", equipe)
    services.membre_remplacer(
        binome, role="elu", email="nouvelle.elue@mairie.fr", nom="Nina Caron", par=equipe
    )

    [ligne] = selectors.matrice_assiduite(cycle).lignes

    assert ligne.statuts == [B.COMPLET, B.NON_RENSEIGNE, B.NON_RENSEIGNE]


# --- the page -------------------------------------------------------------------------------


def _texte(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _ligne(html, nom):
    [ligne] = [tr for tr in re.findall(r"<tr[ >].*?</tr>", html, re.S) if f">{nom}<" in tr]
    return _texte(ligne)


def test_page_matrice(client, equipe, cycle, seances, binomes):
    a, b, c = binomes
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_seances:assiduite", args=[cycle.slug]))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert (
        _ligne(html, str(a))
        == f"{a} Nord (59) ✓ complet ✓ complet (suppl.) — Non relevé 2/2 (100 %) 2/2 (100 %)"
    )
    assert _ligne(html, str(b)) == (
        f"{b} Nord (59) ½ élu·e seul·e ○ excusé — Non relevé 0/2 (0 %) 2/2 (100 %) "
        "⚠ 2 incomplètes de suite"
    )
    assert _ligne(html, str(c)) == (
        f"{c} Nord (59) ✗ absent ✗ absent — Non relevé 0/2 (0 %) 0/2 (0 %) ⚠ 2 incomplètes de suite"
    )
    assert _ligne(html, "Binômes complets") == "Binômes complets 1/3 1/3 — non relevé"
    assert "2 collectivités comptent au moins deux séances incomplètes de suite." in _texte(html)
    appel = reverse("equipe_seances:appel", args=[cycle.slug, 2])
    assert f'href="{appel}"' in html
    assert 'title="Évaluer"' in html
    assert reverse("equipe_seances:assiduite_xlsx", args=[cycle.slug]) in html


def test_page_matrice_sans_seance(client, equipe, cycle):
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_seances:assiduite", args=[cycle.slug]))

    assert "Aucune séance n'est encore planifiée pour ce cycle" in _texte(reponse.content.decode())


@pytest.mark.parametrize("nom", ["equipe_seances:assiduite", "equipe_seances:assiduite_xlsx"])
def test_matrice_refusee_aux_participants(client, cycle, seances, binomes, nom):
    a, _b, _c = binomes
    url = reverse(nom, args=[cycle.slug])

    assert client.get(url).url.startswith(reverse("account_login"))
    client.force_login(_membre(a, "elu").user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_matrice_cycle_inconnu(client, equipe):
    client.force_login(equipe)

    assert client.get(reverse("equipe_seances:assiduite", args=["inconnu"])).status_code == 404


# --- the export -----------------------------------------------------------------------------


def test_export_xlsx(client, equipe, cycle, seances, binomes):
    a, b, _c = binomes
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_seances:assiduite_xlsx", args=[cycle.slug]))

    assert reponse["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert reponse["Content-Disposition"] == 'attachment; filename="assiduite-cycle-2021-2022.xlsx"'
    classeur = load_workbook(io.BytesIO(reponse.content))
    assert classeur.sheetnames == ["Assiduité", "Présences"]
    feuille = classeur["Assiduité"]
    lignes = [[cellule.value for cellule in ligne] for ligne in feuille.iter_rows()]
    dates = [f"{seance.date:%d/%m/%Y}" for seance in seances]
    assert lignes[0] == [
        "collectivité",
        "SIREN",
        "département",
        f"S1 – {dates[0]}",
        f"S2 – {dates[1]}",
        f"S3 – {dates[2]}",
        "séances relevées",
        "séances complètes",
        "assiduité",
        "séances présentes ou excusées",
        "engagement",
        "alerte",
    ]
    par_nom = {ligne[0]: ligne for ligne in lignes[1:]}
    assert len(par_nom) == 3
    siren_a = a.candidature.siren
    assert par_nom[str(a)] == [
        str(a),
        siren_a,
        "Nord (59)",
        "Complet",
        "Complet avec suppléant·e",
        "Non relevé",
        2,
        2,
        1,
        2,
        1,
        "non",
    ]
    assert par_nom[str(b)][3:] == ["Élu·e seul·e", "Excusé", "Non relevé", 2, 0, 0, 2, 1, "oui"]
    numero_ligne = [ligne[0] for ligne in lignes].index(str(a)) + 1
    assert feuille.cell(numero_ligne, 9).number_format == "0%"

    presences = [
        [cellule.value for cellule in ligne] for ligne in classeur["Présences"].iter_rows()
    ]
    assert presences[0] == [
        "collectivité",
        "personne",
        "rôle",
        "suppléant·e",
        "séance",
        "date",
        "demi-journée",
        "statut",
        "source",
        "relevé le (heure de Paris)",
        "relevé par",
    ]
    assert len(presences) - 1 == Presence.objects.count()
    suppleant = _membre(a, "elu", suppleant=True)
    assert [
        ligne[1:5] + ligne[6:9] + [ligne[10]]
        for ligne in presences
        if ligne[1] == suppleant.user.nom_affiche
    ] == [
        [
            suppleant.user.nom_affiche,
            "Élu·e",
            "oui",
            2,
            "Après-midi",
            "Présent·e",
            "Relevée par l'équipe",
            equipe.nom_affiche,
        ],
        [
            suppleant.user.nom_affiche,
            "Élu·e",
            "oui",
            3,
            "Matin",
            "Présent·e",
            "Relevée par l'équipe",
            equipe.nom_affiche,
        ],
    ]


# --- query counts: 13 and 100 collectivities -------------------------------------------------


def _binomes_en_masse(cycle, nombre, seances):
    """``nombre`` pairs with their two holders and a recorded morning, in a few queries."""
    departement = DepartementFactory()
    territoires = Territoire.objects.bulk_create(
        TerritoireFactory.build(departement=departement) for _i in range(nombre)
    )
    users = User.objects.bulk_create(UserFactory.build() for _i in range(3 * nombre))
    candidatures = [
        CandidatureDeposeeFactory.build(
            cycle=cycle, territoire=territoire, departement=departement, proprietaire=user
        )
        for territoire, user in zip(territoires, users[:nombre], strict=True)
    ]
    candidatures = type(candidatures[0]).objects.bulk_create(candidatures)
    binomes = Binome.objects.bulk_create(
        Binome(cycle=cycle, candidature=candidature) for candidature in candidatures
    )
    membres = Membre.objects.bulk_create(
        Membre(binome=binome, user=user, role=role)
        for i, binome in enumerate(binomes)
        for role, user in (
            ("elu", users[nombre + 2 * i]),
            ("technicien", users[nombre + 2 * i + 1]),
        )
    )
    Presence.objects.bulk_create(
        Presence(seance=seance, membre=membre, demi_journee="matin", statut=statut)
        for seance in seances[:2]
        for i, membre in enumerate(membres)
        for statut in [("present", "absent", "retard")[i % 3]]
    )


REQUETES_MATRICE = 5
REQUETES_PAGE = 9


def test_matrice_requetes_constantes_de_13_a_100_collectivites(
    client, equipe, cycle, seances, django_assert_max_num_queries
):
    client.force_login(equipe)
    url = reverse("equipe_seances:assiduite", args=[cycle.slug])
    client.get(url)  # session and roles read once
    comptes = {}
    deja = 0
    for nombre in (13, 100):
        _binomes_en_masse(cycle, nombre - deja, seances)
        deja = nombre
        with django_assert_max_num_queries(REQUETES_MATRICE) as selecteur:
            matrice = selectors.matrice_assiduite(cycle)
        with django_assert_max_num_queries(REQUETES_PAGE) as page:
            reponse = client.get(url)
        assert len(matrice.lignes) == nombre
        assert reponse.content.decode().count('<th scope="row">') == nombre + 1
        comptes[nombre] = (len(selecteur), len(page))
    assert comptes[13] == comptes[100]


def test_export_requetes_constantes(client, equipe, cycle, seances):
    client.force_login(equipe)
    url = reverse("equipe_seances:assiduite_xlsx", args=[cycle.slug])
    client.get(url)
    comptes = []
    deja = 0
    for nombre in (13, 40):
        _binomes_en_masse(cycle, nombre - deja, seances)
        deja = nombre
        with CaptureQueriesContext(connection) as requetes:
            client.get(url)
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1]
