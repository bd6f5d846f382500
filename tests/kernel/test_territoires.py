import ast
import csv
import io
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cerdd_cycle.territoires.admin import TerritoireAdmin
from cerdd_cycle.territoires.models import Departement, Region, Territoire, TypeTerritoire
from cerdd_cycle.territoires.normalisation import normaliser
from cerdd_cycle.territoires.selectors import territoire_par_siren, territoires_rechercher
from cerdd_cycle.territoires.services import territoires_charger
from tests.factories import DepartementFactory, RegionFactory, TerritoireFactory

pytestmark = pytest.mark.django_db

URL_RECHERCHE = "/territoires/recherche/"
DOSSIER_APP = Path(__file__).resolve().parents[2] / "cerdd_cycle" / "territoires"


@pytest.fixture(autouse=True)
def _dossier_statique(settings, tmp_path):
    # WhiteNoise warns, an error under filterwarnings, when STATIC_ROOT does not exist
    # (collectstatic not run): the test client would fail before reaching the view.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def _territoire(nom, **valeurs):
    return TerritoireFactory(nom=nom, nom_recherche=normaliser(nom), **valeurs)


def _pas_de_calais():
    return DepartementFactory(code="62", nom="Pas-de-Calais")


# --- normaliser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Annœullin", "annoeullin"),
        ("ŒUILLY", "oeuilly"),
        ("Lætitia et Æsop", "laetitia et aesop"),
        ("Margny-lès-Compiègne", "margny les compiegne"),
        ("LOOS-EN-GOHELLE", "loos en gohelle"),
        ("L'Abergement-Clémenciat", "l abergement clemenciat"),
        ("L’Île-d’Yeu", "l ile d yeu"),
        ("St-Quentin", "saint quentin"),
        ("Saint-Quentin", "saint quentin"),
        ("ST QUENTIN", "saint quentin"),
        ("Ste  Marie", "sainte marie"),
        ("Stenay", "stenay"),
        ("Pontchâteau St-Gildas-des-Bois", "pontchateau saint gildas des bois"),
        ("CC de l'Est Lyonnais (CCEL)", "cc de l est lyonnais ccel"),
        ("  Île-de-France  ", "ile de france"),
        ("Ajaccio 2A004", "ajaccio 2a004"),
        ("", ""),
        (None, ""),
    ],
)
def test_normaliser_exemples(texte, attendu):
    assert normaliser(texte) == attendu


# --- charger_territoires on a small file --------------------------------------------------

REGIONS = [
    ("region", "11", "Île-de-France", ""),
    ("region", "32", "Hauts-de-France", ""),
    ("region", "975", "Saint-Pierre-et-Miquelon", ""),
    ("departement", "59", "Nord", "32"),
    ("departement", "62", "Pas-de-Calais", "32"),
    ("departement", "75", "Paris", "11"),
    ("departement", "975", "Saint-Pierre-et-Miquelon", "975"),
]

TERRITOIRES = [
    ("COM", "62528", "216205286", "Loos-en-Gohelle", "62", "32", "6799", "246200364"),
    ("COM", "59011", "215900119", "Annœullin", "59", "32", "10847", "200093201"),
    ("CA", "246200364", "246200364", "CA de Lens - Liévin", "62", "32", "242584", ""),
    ("COM", "75056", "217500016", "Paris", "75", "11", "2103778", ""),
    ("COM", "97502", "", "Saint-Pierre", "975", "975", "5194", ""),
]


def _ecrire_csv(chemin, entetes, lignes):
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.writer(fichier)
        ecrivain.writerow(entetes)
        ecrivain.writerows(lignes)
    return chemin


@pytest.fixture
def fichiers(tmp_path):
    regions = _ecrire_csv(tmp_path / "regions.csv", ["niveau", "code", "nom", "region"], REGIONS)
    territoires = _ecrire_csv(
        tmp_path / "territoires.csv",
        ["type", "code", "siren", "nom", "departement", "region", "population", "epci"],
        TERRITOIRES,
    )
    return territoires, regions


def _charger(territoires, regions):
    sortie = io.StringIO()
    call_command("charger_territoires", fichier=territoires, regions=regions, stdout=sortie)
    return sortie.getvalue()


def _contenu_de_la_base():
    return list(
        Territoire.objects.order_by("siren").values_list(
            "siren",
            "code_insee",
            "type",
            "nom",
            "nom_recherche",
            "departement_id",
            "region_id",
            "population",
            "epci__siren",
        )
    )


def test_charger_territoires_cree_regions_departements_territoires_et_rattachements(fichiers):
    sortie = _charger(*fichiers)

    assert sortie.splitlines()[0] == (
        "Territoires : 4 créés, 0 mis à jour, 0 inchangés ; régions : 2 ; départements : 3"
    )
    assert "1 lignes ignorées" in sortie
    assert list(Region.objects.order_by("code").values_list("code", "nom")) == [
        ("11", "Île-de-France"),
        ("32", "Hauts-de-France"),
    ]
    assert list(Departement.objects.order_by("code").values_list("code", "region_id")) == [
        ("59", "32"),
        ("62", "32"),
        ("75", "11"),
    ]
    assert _contenu_de_la_base() == [
        (
            "215900119",
            "59011",
            "COM",
            "Annœullin",
            "annoeullin",
            "59",
            "32",
            10847,
            None,  # its EPCI is not in the file
        ),
        ("216205286", "62528", "COM", "Loos-en-Gohelle", "loos en gohelle", "62", "32", 6799,
         "246200364"),
        ("217500016", "75056", "COM", "Paris", "paris", "75", "11", 2103778, None),
        ("246200364", "246200364", "CA", "CA de Lens - Liévin", "ca de lens lievin", "62", "32",
         242584, None),
    ]  # fmt: skip


def test_charger_territoires_deuxieme_passage_ne_modifie_rien(fichiers):
    _charger(*fichiers)
    avant = _contenu_de_la_base()

    with CaptureQueriesContext(connection) as requetes:
        sortie = _charger(*fichiers)

    assert sortie.splitlines()[0] == (
        "Territoires : 0 créés, 0 mis à jour, 4 inchangés ; régions : 2 ; départements : 3"
    )
    ecritures = [
        q["sql"] for q in requetes if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert ecritures == []
    assert _contenu_de_la_base() == avant


def test_charger_territoires_met_a_jour_ce_qui_a_change(tmp_path, fichiers):
    territoires, regions = fichiers
    _charger(territoires, regions)
    loos = Territoire.objects.get(siren="216205286")
    modifies = [list(ligne) for ligne in TERRITOIRES]
    modifies[0][6] = "6900"  # Loos-en-Gohelle: new population
    modifies[1][3] = "Annoeullin-Nouveau"  # Annœullin: renamed
    modifies[3][7] = "246200364"  # Paris joins the CA (for the test)
    nouveau = _ecrire_csv(
        tmp_path / "territoires-2027.csv",
        ["type", "code", "siren", "nom", "departement", "region", "population", "epci"],
        modifies,
    )

    bilan = territoires_charger(chemin_csv=nouveau, chemin_regions=regions)

    assert bilan == {
        "territoires_crees": 0,
        "territoires_mis_a_jour": 3,
        "territoires_inchanges": 1,
        "territoires_ignores": 1,
        "territoires_absents": 0,
        "epcis": 1,
        "communes": 3,
        "communes_rattachees": 2,
        "regions": 2,
        "regions_crees": 0,
        "regions_mis_a_jour": 0,
        "departements": 3,
        "departements_crees": 0,
        "departements_mis_a_jour": 0,
    }
    loos.refresh_from_db()
    assert (loos.population, loos.epci.siren) == (6900, "246200364")
    assert Territoire.objects.get(siren="215900119").nom_recherche == "annoeullin nouveau"
    assert Territoire.objects.get(siren="217500016").epci.siren == "246200364"


def test_charger_territoires_garde_les_territoires_absents_du_fichier(tmp_path, fichiers):
    territoires, regions = fichiers
    _charger(territoires, regions)
    reduit = _ecrire_csv(
        tmp_path / "reduit.csv",
        ["type", "code", "siren", "nom", "departement", "region", "population", "epci"],
        TERRITOIRES[:1],
    )

    sortie = _charger(reduit, regions)

    assert "3 territoires en base sont absents du fichier : ils sont conservés." in sortie
    assert Territoire.objects.count() == 4


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        (("XX", "1", "216205286", "Loos", "62", "32", "1", ""), "type inconnu « XX »"),
        (("COM", "1", "216205286", "Loos", "99", "32", "1", ""), "département inconnu « 99 »"),
        (("COM", "1", "21620528", "Loos", "62", "32", "1", ""), "SIREN invalide « 21620528 »"),
        (("COM", "1", "216205286", "Loos", "62", "32", "beaucoup", ""), "population illisible"),
    ],
)
def test_charger_territoires_fichier_invalide_n_ecrit_rien(tmp_path, fichiers, ligne, message):
    _, regions = fichiers
    invalide = _ecrire_csv(
        tmp_path / "invalide.csv",
        ["type", "code", "siren", "nom", "departement", "region", "population", "epci"],
        [TERRITOIRES[2], ligne],
    )

    with pytest.raises(CommandError, match=f"invalide.csv, ligne 3 : {message}"):
        _charger(invalide, regions)

    assert (Region.objects.count(), Territoire.objects.count()) == (0, 0)


def test_charger_territoires_colonne_manquante(tmp_path, fichiers):
    _, regions = fichiers
    incomplet = _ecrire_csv(tmp_path / "incomplet.csv", ["type", "code", "nom"], [])

    with pytest.raises(CommandError, match="colonnes manquantes : departement, population"):
        _charger(incomplet, regions)


# --- the shipped file: the whole of France ------------------------------------------------


def test_charger_territoires_fichier_officiel_complet_et_idempotent():
    bilan = territoires_charger()

    assert bilan["territoires_crees"] == Territoire.objects.count() == 36_130
    assert (bilan["regions"], Region.objects.count()) == (18, 18)
    assert (bilan["departements"], Departement.objects.count()) == (101, 101)
    # The 94 communes of the overseas collectivities (975 to 989) have no SIREN.
    assert bilan["territoires_ignores"] == 94
    assert Territoire.objects.filter(type=TypeTerritoire.COMMUNE).count() == 34_875
    assert Territoire.objects.get(code_insee="62528").epci.nom == "CA de Lens - Liévin"
    assert Territoire.objects.get(code_insee="2A004").departement.nom == "Corse-du-Sud"

    deuxieme = territoires_charger()

    assert (
        deuxieme["territoires_crees"],
        deuxieme["territoires_mis_a_jour"],
        deuxieme["territoires_inchanges"],
        deuxieme["regions_mis_a_jour"],
        deuxieme["departements_mis_a_jour"],
    ) == (0, 0, 36_130, 0, 0)


def test_rechercher_dans_le_fichier_officiel_en_hauts_de_france():
    territoires_charger()

    def noms(texte, region="32"):
        return [t.nom for t in territoires_rechercher(texte, region=region)]

    assert noms("annoeullin") == ["Annœullin"]
    assert noms("loos en gohelle") == ["Loos-en-Gohelle"]
    assert noms("LOOS-EN-GOHELLE") == ["Loos-en-Gohelle"]
    assert noms("margny les compiegne") == ["Margny-lès-Compiègne"]
    assert noms("st quentin")[0] == "Saint-Quentin"
    assert "CA du Saint-Quentinois" in noms("st quentin")
    # A commune of another region is left out when the region is given.
    assert "Saint-Quentin-Fallavier" not in noms("st quentin")
    assert noms("saint quentin fallavier") == []
    assert noms("saint quentin fallavier", region=None) == ["Saint-Quentin-Fallavier"]


# --- selectors ----------------------------------------------------------------------------


def test_territoires_rechercher_ordre_debut_puis_epci_puis_population():
    aisne = DepartementFactory(code="02", nom="Aisne")
    ecourt = _territoire("Écourt-Saint-Quentin", population=1706, departement=_pas_de_calais())
    lattre = _territoire("Lattre-Saint-Quentin", population=341, departement=_pas_de_calais())
    pres = _territoire("Saint-Quentin-des-Prés", population=285, departement=aisne)
    ville = _territoire("Saint-Quentin", population=52813, departement=aisne)
    ca = _territoire(
        "CA du Saint-Quentinois", type=TypeTerritoire.CA, population=79327, departement=aisne
    )
    _territoire("Quentin-sur-Mer")

    assert territoires_rechercher("st quentin") == [ville, pres, ca, ecourt, lattre]


def test_territoires_rechercher_region_par_code_ou_par_objet():
    dans_la_region = _territoire("Loos-en-Gohelle", departement=_pas_de_calais())
    ailleurs = _territoire(
        "Loos-la-Ville",
        departement=DepartementFactory(
            code="75", nom="Paris", region=RegionFactory(code="11", nom="Île-de-France")
        ),
    )

    assert territoires_rechercher("loos", region="32") == [dans_la_region]
    assert territoires_rechercher("loos", region=Region.objects.get(code="11")) == [ailleurs]
    assert territoires_rechercher("loos") == [dans_la_region, ailleurs]


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("62528", "Loos-en-Gohelle"),
        ("216205286", "Loos-en-Gohelle"),
        ("216 205 286", "Loos-en-Gohelle"),
        ("2a004", "Ajaccio"),
        ("200071892", "CA du Saint-Quentinois"),
    ],
)
def test_territoires_rechercher_par_code(texte, attendu):
    _territoire("Loos-en-Gohelle", code_insee="62528", siren="216205286")
    _territoire("Ajaccio", code_insee="2A004", siren="212000046")
    _territoire(
        "CA du Saint-Quentinois",
        type=TypeTerritoire.CA,
        code_insee="200071892",
        siren="200071892",
    )

    assert [t.nom for t in territoires_rechercher(texte)] == [attendu]


@pytest.mark.parametrize("texte", ["", " ", "l", None, "--", "6252"])
def test_territoires_rechercher_requete_trop_courte_ou_vide(texte):
    _territoire("Loos-en-Gohelle", code_insee="62528")

    assert territoires_rechercher(texte) == []


def test_territoires_rechercher_respecte_la_limite():
    for numero in range(5):
        _territoire(f"Commune {numero}")

    assert len(territoires_rechercher("commune", limite=3)) == 3


@pytest.mark.parametrize("nombre", [1, 3])
def test_territoires_rechercher_une_seule_requete(django_assert_num_queries, nombre):
    for numero in range(nombre):
        _territoire(f"Commune {numero}")

    with django_assert_num_queries(1):
        resultats = territoires_rechercher("commune", region="32")
        departements = [t.departement.nom for t in resultats]

    assert departements == ["Nord"] * nombre


def test_territoire_par_siren():
    loos = _territoire("Loos-en-Gohelle", siren="216205286")

    assert territoire_par_siren("216205286") == loos
    assert territoire_par_siren(" 216 205 286 ") == loos
    assert territoire_par_siren("999999999") is None
    assert territoire_par_siren("abc") is None
    assert territoire_par_siren(None) is None


# --- the search endpoint ------------------------------------------------------------------


def test_url_recherche():
    assert reverse("territoires:recherche") == URL_RECHERCHE


def test_recherche_htmx_renvoie_la_liste_accessible(client):
    loos = _territoire(
        "Loos-en-Gohelle", siren="216205286", population=6799, departement=_pas_de_calais()
    )

    reponse = client.get(URL_RECHERCHE, {"q": "loos en"}, headers={"HX-Request": "true"})

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert '<ul class="list-group territoires-resultats" role="listbox"' in contenu
    assert contenu.count('role="option"') == 1
    assert f'id="territoire-{loos.siren}" data-siren="216205286" data-nom="Loos-en-Gohelle"' in (
        contenu
    )
    assert "Commune · Pas-de-Calais (62) · 6\N{NO-BREAK SPACE}799 habitants" in contenu
    assert "max-age=3600" in reponse["Cache-Control"]
    assert "HX-Request" in reponse["Vary"]


def test_recherche_echappe_les_noms(client):
    _territoire("Loos <b>gras</b>")

    contenu = client.get(URL_RECHERCHE, {"q": "loos"}).content.decode()

    assert "Loos &lt;b&gt;gras&lt;/b&gt;" in contenu
    assert "<b>" not in contenu


def test_recherche_aucun_resultat(client):
    _territoire("Loos-en-Gohelle")

    reponse = client.get(URL_RECHERCHE, {"q": "zzz"}, headers={"HX-Request": "true"})

    assert "Aucune collectivité trouvée." in reponse.content.decode()
    assert "listbox" not in reponse.content.decode()


@pytest.mark.parametrize("q", ["", "l"])
def test_recherche_requete_vide_ne_renvoie_rien(client, q):
    _territoire("Loos-en-Gohelle")

    html = client.get(URL_RECHERCHE, {"q": q}, headers={"HX-Request": "true"})
    json = client.get(URL_RECHERCHE, {"q": q, "format": "json"})

    assert html.content.decode().strip() == ""
    assert json.json() == []


def test_recherche_format_json(client):
    _territoire("Loos-en-Gohelle", siren="216205286", population=6799, departement=_pas_de_calais())
    _territoire(
        "CA de Lens - Liévin",
        siren="246200364",
        type=TypeTerritoire.CA,
        population=242584,
        departement=_pas_de_calais(),
    )

    reponse = client.get(URL_RECHERCHE, {"q": "l", "format": "json"})
    assert reponse.json() == []

    reponse = client.get(URL_RECHERCHE, {"q": "lens", "format": "json"})

    assert reponse["Content-Type"] == "application/json"
    assert "max-age=3600" in reponse["Cache-Control"]
    assert reponse.json() == [
        {
            "siren": "246200364",
            "nom": "CA de Lens - Liévin",
            "type": "CA",
            "departement": "62",
            "population": 242584,
        }
    ]


def test_recherche_htmx_ignore_le_format_json(client):
    _territoire("Loos-en-Gohelle")

    reponse = client.get(
        URL_RECHERCHE, {"q": "loos", "format": "json"}, headers={"HX-Request": "true"}
    )

    assert reponse["Content-Type"].startswith("text/html")
    assert "Loos-en-Gohelle" in reponse.content.decode()


def test_recherche_filtre_par_region(client):
    _territoire("Loos-en-Gohelle")
    _territoire(
        "Loos-la-Ville",
        departement=DepartementFactory(
            code="75", nom="Paris", region=RegionFactory(code="11", nom="Île-de-France")
        ),
    )

    reponse = client.get(URL_RECHERCHE, {"q": "loos", "region": "32", "format": "json"})

    assert [r["nom"] for r in reponse.json()] == ["Loos-en-Gohelle"]


def test_recherche_vingt_resultats_au_plus(client):
    for numero in range(25):
        _territoire(f"Commune {numero:02d}", population=1000 + numero)

    html = client.get(URL_RECHERCHE, {"q": "commune"}, headers={"HX-Request": "true"})
    json = client.get(URL_RECHERCHE, {"q": "commune", "format": "json"})

    assert html.content.decode().count('role="option"') == 20
    assert [r["nom"] for r in json.json()] == [f"Commune {n:02d}" for n in range(24, 4, -1)]


@pytest.mark.parametrize("nombre", [1, 3])
def test_recherche_nombre_de_requetes_constant(client, django_assert_num_queries, nombre):
    for numero in range(nombre):
        _territoire(f"Commune {numero}")

    with django_assert_num_queries(1):
        reponse = client.get(URL_RECHERCHE, {"q": "commune"}, headers={"HX-Request": "true"})

    assert reponse.content.decode().count("Nord (59)") == nombre


def test_recherche_publique_et_get_seulement(client):
    _territoire("Loos-en-Gohelle")

    assert "Loos-en-Gohelle" in client.get(URL_RECHERCHE, {"q": "loos"}).content.decode()
    reponse = client.post(URL_RECHERCHE, {"q": "loos"})
    assert reponse.status_code == 405
    assert reponse["Allow"] == "GET"


# --- admin --------------------------------------------------------------------------------


def test_admin_territoire_recherche_par_nom_normalise(client, equipe):
    _territoire("Saint-Quentin")
    _territoire("Margny-lès-Compiègne")
    client.force_login(equipe)

    reponse = client.get(reverse("admin:territoires_territoire_changelist"), {"q": "st quentin"})

    contenu = reponse.content.decode()
    assert "Saint-Quentin" in contenu
    assert "Margny" not in contenu


def test_admin_territoire_lecture_seule_sauf_population_et_epci(rf, equipe):
    admin = TerritoireAdmin(Territoire, site)
    requete = rf.get("/")
    requete.user = equipe

    assert admin.has_add_permission(requete) is False
    assert admin.has_delete_permission(requete) is False
    modifiables = set(admin.get_fields(requete)) - set(admin.get_readonly_fields(requete))
    assert modifiables == {"population", "epci"}


# --- layering -----------------------------------------------------------------------------


def test_territoires_n_importe_que_django_et_la_bibliotheque_standard():
    importes = set()
    for fichier in DOSSIER_APP.rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if isinstance(noeud, ast.Import):
                importes.update(alias.name for alias in noeud.names)
            elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0:
                importes.add(noeud.module)

    projet = {
        module
        for module in importes
        if module.split(".")[0] in {"cerdd_cycle", "candidatures", "seances", "journal"}
        and not module.startswith("cerdd_cycle.territoires")
    }
    assert projet == set()
