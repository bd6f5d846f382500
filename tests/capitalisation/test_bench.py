"""The benchmark's data generator at a tiny scale, so that it cannot rot: the counts asked
for, as the report counts them, consistent rows, the same cycle for the same seed."""

import pytest

from bench.donnees import construire_grand_cycle
from capitalisation.selectors import contexte_rapport
from cerdd_cycle.territoires.models import Territoire, TypeTerritoire
from journal.enums import Audience
from journal.models import Element
from seances.models import Membre
from tests.factories import DepartementFactory, TerritoireFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territoires():
    """A few territories of the region, instead of the official list (quicker)."""
    for code, nom in [("02", "Aisne"), ("59", "Nord"), ("60", "Oise"), ("80", "Somme")]:
        departement = DepartementFactory(code=code, nom=nom)
        TerritoireFactory.create_batch(5, departement=departement)
        TerritoireFactory(departement=departement, type=TypeTerritoire.CC, nom=f"CC {nom}")


def _textes_partages(contexte):
    return [
        (partage.texte, partage.auteur)
        for rubrique in contexte.partages
        for groupe in rubrique.groupes
        for partage in groupe.partages
    ]


def test_petit_cycle_compte_comme_le_rapport():
    # The official list is loaded when the table is empty.
    assert not Territoire.objects.exists()

    bilan = construire_grand_cycle(
        collectivites=3, seances=2, partages=20, suppleants=1, remplacements=1, graine=5
    )
    cycle = bilan.cycle

    contexte = contexte_rapport(cycle)

    chiffres = contexte.chiffres
    assert chiffres.collectivites == bilan.retenues == 3
    assert chiffres.partages == bilan.partages == 20
    assert sum(rubrique.total for rubrique in contexte.partages) == 20
    assert chiffres.partages_anonymes == bilan.partages_anonymes > 0
    assert chiffres.seances == chiffres.seances_tenues == bilan.seances == 2
    assert (chiffres.candidatures, chiffres.deposees) == (bilan.candidatures, bilan.deposees)
    assert chiffres.candidatures > chiffres.retenues
    assert (chiffres.liste_attente, chiffres.non_retenues) == (
        bilan.liste_attente,
        bilan.non_retenues,
    )
    assert (chiffres.relais, chiffres.experimentations) == (bilan.relais, bilan.experimentations)
    # 6 seat holders; the report counts everyone who sat in a pair (substitute, replaced).
    assert bilan.participants == 6
    assert chiffres.participants == bilan.personnes == 8
    membres = Membre.objects.filter(binome__cycle=cycle)
    assert membres.filter(suppleant=True).count() == 1
    assert membres.filter(actif=False).count() == 1

    # Around the shared items, others stay private or within the pair.
    elements = Element.objects.filter(entree__seance__cycle=cycle)
    assert elements.count() == bilan.elements > 20
    assert elements.filter(audience=Audience.PRIVE).exists()
    assert not elements.filter(texte="").exists()
    # Every part of the report has something to show.
    assert len(contexte.matrice.lignes) == 3
    assert all(seance.evaluation.nombre for seance in contexte.seances)
    assert all(seance.seance.intervenants.all() for seance in contexte.seances)
    assert contexte.carte.lignes and contexte.annexes
    assert contexte.diagnostic.binomes == 3
    assert Territoire.objects.filter(region_id="32").count() > 3000


def test_meme_graine_meme_cycle_et_structure_hors_liste(territoires):
    premier = construire_grand_cycle(collectivites=10, seances=1, partages=15, graine=8)
    second = construire_grand_cycle(collectivites=10, seances=1, partages=15, graine=8, slug="b")

    textes = _textes_partages(contexte_rapport(premier.cycle))
    assert len(textes) == 15
    assert textes == _textes_partages(contexte_rapport(second.cycle))
    # From ten collectivities on, a natural park (outside the official list) is retained.
    carte = contexte_rapport(premier.cycle).carte
    assert "Autre structure" in carte.colonnes and sum(carte.totaux) == 10


def test_un_binome_deux_titulaires():
    with pytest.raises(ValueError, match="participants = 2 × collectivités"):
        construire_grand_cycle(collectivites=3, participants=5, seances=1, partages=1)
