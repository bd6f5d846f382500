"""`manage.py rapport_capitalisation`: a version kept like the staff page's (asked by nobody),
the PDF written where asked, chapters and « today » for this run only, clear French errors."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from capitalisation import services
from capitalisation.enums import EtatVersion, Section
from capitalisation.models import Rapport, Version
from tests.factories import CycleFactory, SeanceFactory, binome_complet

pytestmark = pytest.mark.django_db


@pytest.fixture
def gabarit_casse(settings, tmp_path):
    """A report template that cannot render, searched before the project's."""
    dossier = tmp_path / "gabarits"
    (dossier / "capitalisation" / "pdf").mkdir(parents=True)
    (dossier / "capitalisation" / "pdf" / "rapport.html").write_text(
        '<html><body>{% include "capitalisation/pdf/absent.html" %}</body></html>'
    )
    moteur = dict(settings.TEMPLATES[0])
    moteur["DIRS"] = [dossier, *moteur["DIRS"]]
    settings.TEMPLATES = [moteur]


@pytest.fixture
def cycle():
    cycle = CycleFactory(slug="territoires-2021")
    SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2022, 1, 27))
    binome_complet(cycle)
    return cycle


@pytest.fixture
def contextes(monkeypatch):
    """The contexts the report was laid out with."""
    vus = []
    mettre_en_page = services.mettre_en_page

    def espion(gabarit, contexte):
        vus.append(contexte["contexte"])
        return mettre_en_page(gabarit, contexte)

    monkeypatch.setattr(services, "mettre_en_page", espion)
    return vus


def _lancer(*args):
    sortie = StringIO()
    call_command("rapport_capitalisation", *args, stdout=sortie)
    return sortie.getvalue()


def test_ecrit_le_pdf_et_garde_une_version_demandee_par_personne(cycle, tmp_path):
    fichier = tmp_path / "rapport.pdf"

    sortie = _lancer(cycle.slug, "-o", str(fichier), "--date", "2022-07-01")

    version = Version.objects.get(cycle=cycle)
    assert fichier.read_bytes().startswith(b"%PDF")
    assert version.etat == EtatVersion.PRETE
    assert version.demandee_par is None and version.numero == 1
    assert version.pages >= 1 and version.taille == fichier.stat().st_size
    with version.fichier.open("rb") as gardee:
        assert gardee.read() == fichier.read_bytes()
    assert version.reglages["sections"] == list(Section.values)
    assert "Version 1 : " in sortie and f"{version.pages} pages" in sortie
    assert "Ko" in sortie and str(fichier) in sortie


def test_sans_sortie_le_nom_de_la_version_dans_le_dossier_courant(cycle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _lancer(cycle.slug)
    _lancer(cycle.slug)

    assert Version.objects.filter(cycle=cycle).count() == 2
    for version in Version.objects.filter(cycle=cycle):
        assert (tmp_path / services.nom_fichier(version)).read_bytes().startswith(b"%PDF")
    assert (tmp_path / "rapport-capitalisation-territoires-2021-v2.pdf").exists()


def test_chapitres_pour_cette_version_seulement(cycle, tmp_path, contextes):
    rapport = services.rapport_enregistrer(
        cycle, par=None, introduction="Bonjour", sections=[Section.CYCLE, Section.PARTAGES]
    )

    _lancer(cycle.slug, "-o", str(tmp_path / "r.pdf"), "--sections", " seances, annexes,cycle")

    version = Version.objects.get(cycle=cycle)
    # In the report's order; recorded on the version; the saved settings are left alone.
    assert version.reglages["sections"] == ["cycle", "seances", "annexes"]
    assert version.reglages["introduction"] == "<p>Bonjour</p>"
    assert contextes[0].sections == ["cycle", "seances", "annexes"]
    rapport.refresh_from_db()
    assert rapport.sections == ["cycle", "partages"]


def test_sans_chapitres_donnes_ceux_du_rapport(cycle, tmp_path, contextes):
    services.rapport_enregistrer(cycle, par=None, sections=[Section.RELAIS])

    _lancer(cycle.slug, "-o", str(tmp_path / "r.pdf"))

    assert Version.objects.get(cycle=cycle).reglages["sections"] == ["relais"]
    assert contextes[0].sections == ["relais"]


def test_la_date_est_le_jour_du_rapport(cycle, tmp_path, contextes):
    _lancer(cycle.slug, "-o", str(tmp_path / "a.pdf"), "--date", "2021-12-01")
    _lancer(cycle.slug, "-o", str(tmp_path / "b.pdf"), "--date", "2022-07-01")

    # The only session (27 January 2022) has not been held yet on the first date.
    assert [contexte.chiffres.seances_tenues for contexte in contextes] == [0, 1]


def test_cycle_inconnu_liste_les_cycles(cycle):
    CycleFactory(slug="autre-cycle")

    with pytest.raises(CommandError) as erreur:
        _lancer("inexistant")

    assert "Cycle inconnu : « inexistant »" in str(erreur.value)
    assert "autre-cycle, territoires-2021" in str(erreur.value)
    assert not Version.objects.exists()


def test_aucun_cycle():
    with pytest.raises(CommandError, match="Aucun cycle n'existe encore"):
        _lancer("inexistant")


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ("cycle,journal,seances", "Chapitre inconnu : journal. Chapitres possibles : cycle, "),
        (" , ", "Indiquez au moins un chapitre"),
    ],
)
def test_chapitre_inconnu(cycle, sections, message):
    with pytest.raises(CommandError, match=message):
        _lancer(cycle.slug, "--sections", sections)

    assert not Version.objects.exists()


def test_date_invalide(cycle):
    with pytest.raises(CommandError, match="Date invalide : « 01/07/2022 »"):
        _lancer(cycle.slug, "--date", "01/07/2022")

    assert not Version.objects.exists()


def test_echec_de_la_generation(cycle, gabarit_casse, tmp_path):
    fichier = tmp_path / "r.pdf"

    with pytest.raises(CommandError) as erreur:
        _lancer(cycle.slug, "-o", str(fichier))

    version = Version.objects.get(cycle=cycle)
    assert version.etat == EtatVersion.ECHEC
    assert "La génération de la version 1 a échoué : TemplateDoesNotExist" in str(erreur.value)
    assert not fichier.exists()


def test_sortie_impossible_la_version_reste(cycle, tmp_path):
    fichier = tmp_path / "dossier-absent" / "r.pdf"

    with pytest.raises(CommandError) as erreur:
        _lancer(cycle.slug, "-o", str(fichier))

    assert f"Impossible d'écrire « {fichier} »" in str(erreur.value)
    assert "La version 1 est conservée" in str(erreur.value)
    version = Version.objects.get(cycle=cycle)
    assert version.etat == EtatVersion.PRETE and version.fichier
    assert not Rapport.objects.exists()
