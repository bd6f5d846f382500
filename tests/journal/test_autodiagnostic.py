"""The self-diagnosis: the chart's data (the pair's progression, every pair's answers and the
cycle's averages), filling and revising the grid, and who sees what."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from journal import grille, selectors
from journal.models import Diagnostic, QuestionDiagnostic, ReponseDiagnostic
from tests.factories import (
    BinomeFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    SeanceFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

AUJOURDHUI = timezone.localdate()


@pytest.fixture
def cycle():
    """A cycle at mid-course: two sessions held, the last one to come."""
    cycle = CycleFactory(statut="en_cours")
    for numero, jours in [(1, -90), (2, -30), (3, 60)]:
        SeanceFactory(cycle=cycle, numero=numero, date=AUJOURDHUI + datetime.timedelta(days=jours))
    return cycle


@pytest.fixture
def questions(cycle):
    return [
        QuestionDiagnostic.objects.create(
            cycle=cycle, ordre=1, intitule="Les habitant·es décident avec nous"
        ),
        QuestionDiagnostic.objects.create(
            cycle=cycle,
            ordre=2,
            intitule="Élu·es et services avancent ensemble",
            echelle=4,
            libelle_min="Jamais",
            libelle_max="Toujours",
        ),
    ]


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle)


@pytest.fixture
def autre_binome(cycle):
    return binome_complet(cycle)


def _remplir(binome, temps, valeurs, par=None):
    diagnostic = Diagnostic.objects.create(binome=binome, temps=temps, rempli_par=par)
    for question, valeur in valeurs.items():
        ReponseDiagnostic.objects.create(diagnostic=diagnostic, question=question, valeur=valeur)
    return diagnostic


def _client(client, binome, role="elu"):
    client.force_login(binome.membres.get(role=role).user)
    return client


def _reponses(binome):
    return sorted(
        ReponseDiagnostic.objects.filter(diagnostic__binome=binome).values_list(
            "diagnostic__temps", "question__ordre", "valeur"
        )
    )


# --- The chart's data -----------------------------------------------------------------------


def test_progression_valeurs_par_moment_none_si_non_rempli(binome, autre_binome, questions):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 2, q2: 1})
    _remplir(binome, "fin", {q1: 5})  # a question added after the moment stays empty
    _remplir(autre_binome, "milieu", {q1: 4, q2: 4})

    series = selectors.progression(binome)

    assert [(s.question, s.valeurs) for s in series] == [
        (q1, [2, None, 5]),
        (q2, [1, None, None]),
    ]


def test_progression_sans_aucune_reponse(binome, questions):
    assert [s.valeurs for s in selectors.progression(binome)] == [[None] * 3, [None] * 3]


def test_diagnostics_du_cycle_et_moyennes(cycle, questions):
    q1, q2 = questions
    a, b, c = (BinomeFactory(candidature=CandidatureDeposeeFactory(cycle=cycle)) for _ in "abc")
    _remplir(a, "debut", {q1: 2, q2: 1})
    _remplir(a, "milieu", {q1: 3, q2: 2})
    _remplir(b, "debut", {q1: 3, q2: 4})
    # c filled nothing; a pair of another cycle does not count.
    ailleurs = BinomeFactory(candidature=CandidatureDeposeeFactory(cycle=CycleFactory()))
    _remplir(ailleurs, "debut", {q1: 5})

    diagnostics = selectors.diagnostics_du_cycle(cycle)
    moyennes = grille.moyennes(diagnostics)

    assert {binome: [s.valeurs for s in series] for binome, series in diagnostics} == {
        a: [[2, 3, None], [1, 2, None]],
        b: [[3, None, None], [4, None, None]],
        c: [[None] * 3, [None] * 3],
    }
    assert [(m.question, m.valeurs, m.nombres) for m in moyennes] == [
        (q1, [2.5, 3.0, None], [2, 1, 0]),
        (q2, [2.5, 2.0, None], [2, 1, 0]),
    ]


def test_moyennes_sans_binome():
    assert grille.moyennes([]) == []


def test_graphique_barres_a_l_echelle_de_chaque_question(binome, questions):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 5, q2: 2})

    dessin = grille.graphique(selectors.progression(binome))

    barres = [[(b.libelle, b.valeur, b.largeur) for b in g.barres] for g in dessin.groupes]
    assert barres == [
        [
            ("Début du cycle", 5, grille.LONGUEUR),
            ("Mi-parcours", None, 0),
            ("Fin du cycle", None, 0),
        ],
        [
            ("Début du cycle", 2, grille.LONGUEUR / 2),
            ("Mi-parcours", None, 0),
            ("Fin du cycle", None, 0),
        ],
    ]
    assert [valeur for _x, valeur in dessin.groupes[1].graduations] == [1, 2, 3, 4]
    # The groups are stacked, never overlapping.
    assert dessin.groupes[0].y_graduations < dessin.groupes[1].lignes[0][0] < dessin.hauteur


# --- The pair's page ------------------------------------------------------------------------


def test_page_svg_accessible_et_tableau(client, binome, questions):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 2, q2: 3})

    reponse = _client(client, binome).get(reverse("journal:autodiagnostic"))

    assert reponse.status_code == 200
    texte = reponse.content.decode()
    svg = re.search(r"<svg\b[^>]*>.*?</svg>", texte, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="graphique-autodiagnostic-titre graphique-autodiagnostic-desc"' in svg
    assert re.search(
        r'<title id="graphique-autodiagnostic-titre">Progression de l\'autodiagnostic du '
        r"binôme de " + re.escape(str(binome)),
        svg,
    )
    assert '<desc id="graphique-autodiagnostic-desc">' in svg
    # Two bars drawn (the answers of the start), the width on the question's scale.
    assert len(re.findall(r"<rect\b", svg)) == 2
    assert f'width="{grille.LONGUEUR * 2 / 5}"' in svg
    assert "2 sur 5" in svg and "3 sur 4" in svg
    assert not re.search(r"\sstyle=", texte)
    assert "<script" not in svg
    tableau = re.search(r"<details>.*?</details>", texte, re.S).group(0)
    assert "<table" in tableau and "Les habitant·es décident avec nous" in tableau


def test_page_liens_remplir_le_moment_et_reviser(client, binome, questions):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 2, q2: 3})

    texte = _client(client, binome).get(reverse("journal:autodiagnostic")).content.decode()

    assert reverse("journal:autodiagnostic_remplir", args=["milieu"]) in texte
    assert "Remplir la grille « Mi-parcours »" in texte
    assert "Réviser « Début du cycle »" in texte
    assert reverse("journal:autodiagnostic_remplir", args=["fin"]) not in texte


def test_page_ne_montre_jamais_les_reponses_d_un_autre_binome(
    client, binome, autre_binome, questions
):
    q1, q2 = questions
    _remplir(autre_binome, "debut", {q1: 4, q2: 1})

    reponse = _client(client, binome).get(reverse("journal:autodiagnostic"))

    assert [s.valeurs for s in reponse.context["series"]] == [[None] * 3, [None] * 3]
    assert "<rect" not in reponse.content.decode()
    assert "4 sur 5" not in reponse.content.decode()


def test_page_grille_vide(client, binome):
    reponse = _client(client, binome).get(reverse("journal:autodiagnostic"))

    assert "La grille d'autodiagnostic de votre cycle n'est pas encore prête" in (
        reponse.content.decode()
    )
    assert "<svg" not in reponse.content.decode()


def test_page_sans_binome_404_anonyme_connexion(client, equipe):
    anonyme = client.get(reverse("journal:autodiagnostic"))
    client.force_login(equipe)

    assert anonyme.status_code == 302
    assert anonyme["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("journal:autodiagnostic")).status_code == 404


# --- Filling and revising -------------------------------------------------------------------


def _donnees(questions, *valeurs):
    return {f"question_{q.pk}": str(v) for q, v in zip(questions, valeurs, strict=True) if v}


def test_remplir_enregistre_la_grille(client, binome, questions):
    url = reverse("journal:autodiagnostic_remplir", args=["milieu"])
    client = _client(client, binome, "technicien")

    formulaire = client.get(url)
    reponse = client.post(url, _donnees(questions, 3, 4))

    assert formulaire.status_code == 200
    assert "1 – Jamais" in formulaire.content.decode()
    assert "4 – Toujours" in formulaire.content.decode()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("journal:autodiagnostic")
    assert _reponses(binome) == [("milieu", 1, 3), ("milieu", 2, 4)]
    assert Diagnostic.objects.get().rempli_par == binome.membres.get(role="technicien").user


def test_reviser_un_moment_met_a_jour_sans_doublon(client, binome, questions):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 1, q2: 1}, par=binome.membres.get(role="elu").user)
    url = reverse("journal:autodiagnostic_remplir", args=["debut"])
    # The other member revises what the first filled.
    client = _client(client, binome, "technicien")

    formulaire = client.get(url).content.decode()
    reponse = client.post(url, _donnees(questions, 2, 3))

    assert re.search(rf'name="question_{q1.pk}" [^>]*value="1" checked', formulaire)
    assert reponse.status_code == 302
    assert Diagnostic.objects.count() == 1
    assert ReponseDiagnostic.objects.count() == 2
    assert _reponses(binome) == [("debut", 1, 2), ("debut", 2, 3)]
    assert [s.valeurs for s in selectors.progression(binome)] == [
        [2, None, None],
        [3, None, None],
    ]


@pytest.mark.parametrize(
    ("valeurs", "message"),
    [
        ((3, None), "Répondez à cette question (de 1 à 4)."),
        ((6, 2), "Répondez à cette question (de 1 à 5)."),
        ((0, 2), "Répondez à cette question (de 1 à 5)."),
        (("beaucoup", 2), "Répondez à cette question (de 1 à 5)."),
    ],
)
def test_remplir_reponse_manquante_ou_hors_echelle_refusee(
    client, binome, questions, valeurs, message
):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 1, q2: 1})
    avant = _reponses(binome)
    url = reverse("journal:autodiagnostic_remplir", args=["debut"])
    donnees = {f"question_{q.pk}": str(v) for q, v in zip(questions, valeurs, strict=True) if v}

    reponse = _client(client, binome).post(url, donnees)

    assert reponse.status_code == 422
    texte = reponse.content.decode()
    assert message in texte
    assert "La grille n'est pas enregistrée" in texte
    assert _reponses(binome) == avant


def test_remplir_un_moment_a_venir_refuse(client, binome, questions):
    reponse = _client(client, binome).post(
        reverse("journal:autodiagnostic_remplir", args=["fin"]), _donnees(questions, 3, 3)
    )

    assert reponse.status_code == 302
    assert not Diagnostic.objects.exists()


def test_remplir_moment_inconnu_404(client, binome, questions):
    reponse = _client(client, binome).get(
        reverse("journal:autodiagnostic_remplir", args=["demain"])
    )

    assert reponse.status_code == 404


def test_remplir_ne_touche_que_son_binome(client, binome, autre_binome, questions):
    q1, q2 = questions
    _remplir(autre_binome, "debut", {q1: 5, q2: 4})

    formulaire = _client(client, binome).get(
        reverse("journal:autodiagnostic_remplir", args=["debut"])
    )
    client.post(
        reverse("journal:autodiagnostic_remplir", args=["debut"]), _donnees(questions, 1, 1)
    )

    assert " checked" not in formulaire.content.decode()
    assert _reponses(autre_binome) == [("debut", 1, 5), ("debut", 2, 4)]
    assert _reponses(binome) == [("debut", 1, 1), ("debut", 2, 1)]


# --- Staff ----------------------------------------------------------------------------------


def _url_equipe(cycle):
    return reverse("equipe_journal:autodiagnostics", args=[cycle.slug])


def test_page_equipe_tableau_et_moyennes(client, equipe, cycle, binome, autre_binome, questions):
    q1, q2 = questions
    _remplir(binome, "debut", {q1: 2, q2: 1})
    _remplir(autre_binome, "debut", {q1: 3, q2: 2})
    client.force_login(equipe)

    reponse = client.get(_url_equipe(cycle))

    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert str(binome) in texte and str(autre_binome) in texte
    assert "2,5" in texte and "1,5" in texte
    assert reponse.context["remplis"] == [
        ("Début du cycle", 2),
        ("Mi-parcours", 0),
        ("Fin du cycle", 0),
    ]


def test_page_equipe_refusee_aux_participants(client, cycle, binome, questions):
    assert _client(client, binome).get(_url_equipe(cycle)).status_code == 404


def _binomes_remplis(cycle, questions, n):
    binomes = [BinomeFactory(candidature=CandidatureDeposeeFactory(cycle=cycle)) for _ in range(n)]
    diagnostics = Diagnostic.objects.bulk_create(
        Diagnostic(binome=binome, temps=temps)
        for binome in binomes
        for temps in ("debut", "milieu")
    )
    ReponseDiagnostic.objects.bulk_create(
        ReponseDiagnostic(diagnostic=diagnostic, question=question, valeur=2)
        for diagnostic in diagnostics
        for question in questions
    )


def test_page_equipe_nombre_de_requetes_constant_de_13_a_100_binomes(
    client, equipe, cycle, questions, django_assert_max_num_queries
):
    client.force_login(equipe)
    _binomes_remplis(cycle, questions, 13)
    with django_assert_max_num_queries(9) as treize:
        client.get(_url_equipe(cycle))

    _binomes_remplis(cycle, questions, 87)
    with django_assert_max_num_queries(len(treize.captured_queries)):
        reponse = client.get(_url_equipe(cycle))

    assert reponse.context["binomes_total"] == 100
    assert [m.valeurs for m in reponse.context["moyennes"]] == [[2.0, 2.0, None]] * 2


# --- The default grid -----------------------------------------------------------------------


def test_grille_par_defaut_six_questions_une_seule_fois():
    cycle = CycleFactory()

    creees = grille.grille_par_defaut(cycle)
    encore = grille.grille_par_defaut(cycle)

    assert len(creees) == 6
    assert encore == []
    assert list(QuestionDiagnostic.objects.filter(cycle=cycle).values_list("ordre", "echelle")) == [
        (n, 5) for n in range(1, 7)
    ]
