"""The capitalisation part of ``manage.py demo``: the 2021 cycle's report written by staff,
with one version generated once, readable at once; what staff edit afterwards stays."""

from io import StringIO

import pytest
from django.core.management import call_command

from capitalisation import services
from capitalisation.demo import TITRE
from capitalisation.enums import EtatVersion, Section
from capitalisation.models import Rapport, Version
from cerdd_cycle.cycles.models import Cycle

pytestmark = pytest.mark.django_db
SLUG_2021 = "territoires-participatifs-2021"


def _demo(capture, *options):
    # The version is generated once the demo's transaction commits.
    with capture(execute=True):
        call_command("demo", "--force", *options, stdout=StringIO())


def test_demo_rapport_et_une_version_prete_une_seule_fois(
    django_capture_on_commit_callbacks, settings
):
    call_command("charger_territoires", stdout=StringIO())
    _demo(django_capture_on_commit_callbacks)
    cycle = Cycle.objects.get(slug=SLUG_2021)

    rapport = Rapport.objects.get(cycle=cycle)
    assert rapport.titre == TITRE
    assert rapport.introduction.startswith("<p>") and "treize collectivités" in rapport.introduction
    assert rapport.conclusion.startswith("<p>")
    assert rapport.sections == list(Section.values)
    version = Version.objects.get(cycle=cycle)
    assert version.etat == EtatVersion.PRETE, version.erreur
    assert version.demandee_par.is_staff and version.pages > 10
    assert version.reglages["titre"] == TITRE
    with version.fichier.open("rb") as fichier:
        assert fichier.read(5) == b"%PDF-"
    # The other cycle of the demo (its call open) has no report yet.
    assert not Version.objects.exclude(cycle=cycle).exists()

    services.rapport_enregistrer(
        cycle, par=None, titre="Titre revu", introduction="Relu par l'équipe.", sections=["cycle"]
    )
    _demo(django_capture_on_commit_callbacks)

    assert Version.objects.filter(cycle=cycle).count() == 1
    rapport.refresh_from_db()
    assert rapport.titre == "Titre revu"
    assert rapport.introduction == "<p>Relu par l'équipe.</p>"
    assert rapport.sections == ["cycle"]


def test_demo_annulee_aucune_version_ni_fichier(django_capture_on_commit_callbacks, settings):
    call_command("charger_territoires", stdout=StringIO())

    # --identifiants builds the demo in a transaction it rolls back.
    _demo(django_capture_on_commit_callbacks, "--identifiants")

    assert not Version.objects.exists() and not Rapport.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "capitalisation").exists()
