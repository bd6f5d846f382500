"""The load run's data at a tiny scale, so that it cannot rot: the counts asked for, a jury
whose work the pages can show (every candidature scored on every criterion, nobody judging a
collectivity they are tied to), the same data for the same seed, and the pages' targets."""

import pytest

from bench import national
from candidatures.enums import StatutCandidature
from candidatures.models import Candidature, Critere
from cerdd_cycle.comptes.roles import Role, a_le_role
from cerdd_cycle.territoires.models import TypeTerritoire
from journal.models import Element
from jury import selectors as jury_selectors
from jury.models import Affectation, Decision, Jure, Jury, Lien, NoteJury
from seances.models import Membre
from tests.factories import (
    CandidatureFactory,
    CycleFactory,
    DepartementFactory,
    TerritoireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PETIT = {
    "cycles": 3,
    "candidatures": 12,
    "retenues": 3,
    "seances": 2,
    "partages": 6,
    "jures": 4,
    "jures_par_cycle": 4,
}


@pytest.fixture
def territoires():
    """A few territories of one region, instead of the official list (quicker)."""
    for code, nom in [("59", "Nord"), ("62", "Pas-de-Calais")]:
        departement = DepartementFactory(code=code, nom=nom)
        TerritoireFactory.create_batch(12, departement=departement)
        TerritoireFactory.create_batch(
            2, departement=departement, type=TypeTerritoire.CC, nom=f"CC {nom}"
        )


def _construire(**options):
    return national.construire_nationale(**PETIT, regions=["32"], graine=11, **options)


def test_comptes_et_jury_complet(territoires):
    bilan = _construire()

    assert (bilan.cycles, bilan.candidatures, bilan.retenues) == (3, 36, 9)
    assert bilan.participants == 18
    assert Membre.objects.filter(actif=True, suppleant=False).count() == 18
    assert Element.objects.count() == bilan.elements == 3 * 15  # 6 shared = 40 %
    # Every candidature of a finished cycle is submitted and decided: the ranking lists all.
    assert not Candidature.objects.filter(statut=StatutCandidature.BROUILLON).exists()
    assert Decision.objects.count() == 36
    assert Jury.objects.filter(jures_par_candidature=3).count() == 3
    # Four jurors, each on three cycles, all with the juror's role and their ties declared.
    assert bilan.jures == 4 and bilan.sieges == Jure.objects.count() == 12
    jures = Jure.objects.select_related("user")
    assert all(a_le_role(j.user, Role.JURE) for j in jures)
    assert not jures.filter(liens_declares_le__isnull=True).exists()
    assert Lien.objects.count() == bilan.liens
    # Three jurors per candidature (fewer only where a tie leaves fewer free), all submitted,
    # a note on every criterion of the cycle's grid.
    assert bilan.affectations == Affectation.objects.count() == bilan.soumises
    assert not Affectation.objects.filter(soumise_le__isnull=True).exists()
    assert 36 * 2 <= bilan.affectations <= 36 * 3
    assert NoteJury.objects.count() == bilan.notes == 4 * bilan.affectations
    assert Critere.objects.count() == 3 * 4
    for jury in Jury.objects.select_related("cycle"):
        conflits = jury_selectors.conflits_du_cycle(jury.cycle)
        for affectation in Affectation.objects.filter(jure__cycle=jury.cycle):
            assert affectation.candidature_id not in conflits.get(affectation.jure_id, set())


def test_meme_graine_memes_donnees(territoires):
    def empreinte(prefixe):
        notes = NoteJury.objects.filter(affectation__jure__cycle__slug__startswith=prefixe)
        return sorted(
            (
                n.affectation.candidature.cycle.slug.removeprefix(prefixe),
                n.affectation.candidature.territoire.siren
                if n.affectation.candidature.territoire
                else "",
                n.affectation.jure.user.email.split("@")[0],
                n.critere.ordre,
                n.valeur,
                n.porte,
            )
            for n in notes.select_related(
                "affectation__candidature__cycle",
                "affectation__candidature__territoire",
                "affectation__jure__user",
                "critere",
            )
        )

    _construire(prefixe="a")
    _construire(prefixe="b")

    assert empreinte("a") == empreinte("b") != []


def test_jures_en_nombre_coherent(territoires):
    with pytest.raises(ValueError, match="trois cycles"):
        national.construire_nationale(
            cycles=2, jures=4, jures_par_cycle=4, regions=["32"], graine=1
        )


def test_cibles_les_plus_grandes_pages(territoires):
    _construire()
    # The demo's part: staff, an open call and a draft.
    equipe = UserFactory(is_staff=True)
    ouvert = CycleFactory(slug="appel-ouvert")
    brouillon = CandidatureFactory(cycle=ouvert)

    cibles = national.cibles("nationale")

    assert (cibles.equipe, cibles.appel, cibles.candidature) == (
        equipe.email,
        "appel-ouvert",
        brouillon.pk,
    )
    assert cibles.candidat == brouillon.proprietaire.email
    # The juror with the most assignments, on one they may open.
    jure = Jure.objects.filter(user__email=cibles.jure).first().user
    plus = max(
        Affectation.objects.filter(jure__user=u).count()
        for u in {j.user for j in Jure.objects.select_related("user")}
    )
    assert Affectation.objects.filter(jure__user=jure).count() == plus
    affectation = jury_selectors.affectation_de(
        jure, cibles.evaluation_candidature, cibles.evaluation_cycle
    )
    assert affectation.soumise
    assert cibles.candidatures_classees == 12
    assert cibles.classement.startswith("national-")
    # A seat holder of the latest cycle and a session of theirs with shared items.
    membre = Membre.objects.get(user__email=cibles.participant)
    assert membre.binome.cycle.slug == "national-03"
    assert Element.objects.filter(entree__seance_id=cibles.seance_partages).exists()
