"""The logbook's part of ``manage.py demo``: entries for the sessions held, most items private
and some shared (with the pair, with the group, named or not), relays, experiments, the
self-diagnosis at three moments; built once, no email left in the outbox."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.models import Cycle
from journal import selectors, services
from journal.enums import Audience, StatutExperimentation, Temps
from journal.models import (
    Consigne,
    Diagnostic,
    Element,
    Entree,
    Experimentation,
    QuestionDiagnostic,
    Relais,
    ReponseDiagnostic,
)
from seances.models import Binome, Seance
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db
SLUG_2021 = "territoires-participatifs-2021"
MODELES = [
    Entree,
    Element,
    Consigne,
    Relais,
    Experimentation,
    QuestionDiagnostic,
    Diagnostic,
    ReponseDiagnostic,
]


def _comptes():
    return {modele.__name__: modele.objects.count() for modele in MODELES}


@pytest.fixture
def cycle():
    call_command("charger_territoires", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO())
    return Cycle.objects.get(slug=SLUG_2021)


def test_demo_une_seule_fois_sans_courriel(cycle):
    apres_premier = _comptes()

    call_command("demo", "--force", stdout=StringIO())

    assert _comptes() == apres_premier
    assert all(apres_premier.values())
    assert not Courriel.objects.filter(cle__startswith="journal-").exists()
    # The cycle is over: the logbook's sweep finds nothing to send.
    assert services.journal_balayer() == {"rappels": 0, "digests": 0}


def test_demo_entrees_des_seances_tenues_prive_et_partage(cycle):
    seances = list(Seance.objects.filter(cycle=cycle).order_by("numero"))
    par_seance = dict(
        Entree.objects.filter(seance__cycle=cycle)
        .values_list("seance__numero")
        .annotate(n=Count("pk"))
    )
    audiences = _audiences(cycle)

    # Every session held has entries, from most of the 13 pairs' people.
    assert sorted(par_seance) == [s.numero for s in seances]
    assert all(n >= 15 for n in par_seance.values())
    # Most items stay private; all four audiences are there.
    assert set(audiences) == set(Audience.values)
    assert audiences[Audience.PRIVE] > audiences[Audience.GROUPE] > 0
    assert audiences[Audience.GROUPE_ANONYME] > 0 and audiences[Audience.BINOME] > 0
    assert not Element.objects.filter(texte="").exists()
    assert Entree.objects.exclude(notes="").exists()
    assert Consigne.objects.filter(seance__cycle=cycle).exclude(rubrique="").exists()
    assert Consigne.objects.filter(seance__cycle=cycle, rubrique="").exists()
    # Written after the session, not on the day the demo was built.
    entree = Entree.objects.filter(seance__cycle=cycle).select_related("seance").first()
    assert entree.cree_le.date() > entree.seance.date


def _audiences(cycle):
    return dict(
        Element.objects.filter(entree__seance__cycle=cycle)
        .values_list("audience")
        .annotate(n=Count("pk"))
    )


def test_demo_l_ouverture_de_chaque_journee_a_de_quoi_montrer(cycle):
    for seance in Seance.objects.filter(cycle=cycle, numero__gte=2):
        precedente = Seance.objects.get(cycle=cycle, numero=seance.numero - 1)
        ouverture = selectors.ouverture(precedente, cycle)

        assert ouverture.total >= 4 and ouverture.anonymes >= 1
        assert sum(n for _binome, n in ouverture.par_collectivite) >= 2
        assert len(ouverture.par_collectivite) == 13
        elements = [e for _titre, liste in ouverture.rubriques for e in liste]
        assert {e.audience for e in elements} <= {"groupe", "groupe_anonyme"}
        # A shared text appears once per opening.
        assert len({e.texte for e in elements}) == len(elements)


def test_demo_les_participants_de_vimy_ont_un_journal(cycle):
    vimy = Binome.objects.get(cycle=cycle, candidature__territoire__nom="Vimy")
    elements = Element.objects.filter(entree__membre__binome=vimy, entree__membre__actif=True)

    assert {e.audience for e in elements} >= {Audience.PRIVE, Audience.GROUPE}
    assert Entree.objects.filter(membre__binome=vimy).values("seance").distinct().count() == 6


def test_demo_relais_experimentations_et_autodiagnostics(cycle):
    binomes = Binome.objects.filter(cycle=cycle)
    questions = list(QuestionDiagnostic.objects.filter(cycle=cycle))

    assert binomes.filter(relais__isnull=False).distinct().count() >= 10
    relais = Relais.objects.filter(binome__cycle=cycle).select_related("auteur", "seance")
    assert all(r.auteur.binome_id == r.binome_id and r.date > r.seance.date for r in relais)
    assert binomes.filter(experimentations__isnull=False).distinct().count() >= 10
    statuts = set(
        Experimentation.objects.filter(binome__cycle=cycle).values_list("statut", flat=True)
    )
    assert statuts == set(StatutExperimentation.values)
    assert not Experimentation.objects.filter(statut="faite", resultats="").exists()

    assert len(questions) == 6
    for temps in Temps.values:
        assert Diagnostic.objects.filter(binome__cycle=cycle, temps=temps).count() >= 10
    # Every diagnostic answers the whole grid, on its scale; the chart has data.
    for diagnostic in Diagnostic.objects.filter(binome__cycle=cycle).prefetch_related("reponses"):
        assert len(diagnostic.reponses.all()) == 6
        assert all(1 <= r.valeur <= 5 for r in diagnostic.reponses.all())
    series = selectors.progression(binomes.get(candidature__territoire__nom="Vimy"))
    assert all(None not in serie.valeurs for serie in series)
    assert any(serie.valeurs[2] > serie.valeurs[0] for serie in series)


def test_demo_sans_la_liste_officielle_pas_de_journal():
    RegionFactory()

    call_command("demo", "--force", stdout=StringIO())

    assert not any(_comptes().values())
