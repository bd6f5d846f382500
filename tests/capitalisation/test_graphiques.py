"""The report's SVG charts: the geometry follows the data, texts are escaped, French numbers,
nothing to draw says so, and long charts still fit the page.

Inputs are built from the selectors' dataclasses with stand-ins for sessions and unsaved
questions: no database.
"""

import datetime
import html
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.utils import translation

from capitalisation import graphiques
from capitalisation.selectors import (
    LigneDiagnostic,
    ResumeEvaluation,
    SeanceRapport,
    SyntheseDiagnostic,
)
from journal.models import QuestionDiagnostic

SVG = "{http://www.w3.org/2000/svg}"
NOMBRE = re.compile(r"^-?\d+(\.\d+)?$")


# --- Building inputs ----------------------------------------------------------------------


def evaluation(notes=None):
    """``notes``: {note: number of people}."""
    notes = notes or {}
    nombre = sum(notes.values())
    return ResumeEvaluation(
        nombre=nombre,
        moyenne=sum(note * n for note, n in notes.items()) / nombre if nombre else None,
        repartition=[(note, notes.get(note, 0)) for note in range(5, 0, -1)],
        bien=[],
        craint=[],
        demain=[],
    )


def seance(
    numero=1, date=datetime.date(2021, 10, 5), *, statuts=None, personnes=0, notes=None, tenue=True
):
    return SeanceRapport(
        seance=SimpleNamespace(numero=numero, date=date),
        statuts=statuts if statuts is not None else {"non_renseigne": 10},
        personnes=personnes,
        formats=[],
        evaluation=evaluation(notes),
        questions=[],
        tenue=tenue,
    )


def question(intitule="Les habitant·es sont associé·es aux décisions.", echelle=5):
    return QuestionDiagnostic(
        intitule=intitule, echelle=echelle, libelle_min="Pas du tout", libelle_max="Tout à fait"
    )


def synthese(*lignes, binomes=12):
    return SyntheseDiagnostic(
        lignes=list(lignes),
        binomes_par_temps=[
            max((ligne.repondants[t] for ligne in lignes), default=0) for t in range(3)
        ],
        binomes=binomes,
    )


def ligne(moyennes, repondants, **kwargs):
    return LigneDiagnostic(question=question(**kwargs), moyennes=moyennes, repondants=repondants)


# --- Reading the markup -----------------------------------------------------------------------


def figures(markup) -> list[ET.Element]:
    racine = ET.fromstring(f"<racine>{markup}</racine>")  # noqa: S314 — our own markup
    assert all(enfant.tag == f"{SVG}svg" for enfant in racine)
    return list(racine)


def figure(markup) -> ET.Element:
    (svg,) = figures(markup)
    return svg


def rects(svg, classe):
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == classe]


def textes(svg, classe=None):
    return [
        "".join(texte.itertext())
        for texte in svg.iter(f"{SVG}text")
        if classe is None or texte.get("class") == classe
    ]


def largeur(rect) -> float:
    return float(rect.get("width"))


def donnees_presences():
    return [
        seance(
            1,
            datetime.date(2021, 10, 5),
            statuts={
                "complet": 6,
                "remplace": 2,
                "elu_seul": 1,
                "technicien_seul": 1,
                "excuse": 1,
                "absent": 1,
            },
            personnes=19,
        ),
        seance(2, datetime.date(2021, 12, 1), statuts={"complet": 4, "absent": 8}, personnes=8),
        seance(3, datetime.date(2022, 2, 1), tenue=False),
    ]


# --- Attendance -----------------------------------------------------------------------------


def test_presences_segments_proportionnels_aux_binomes():
    svg = figure(graphiques.presences(donnees_presences()))

    complets = rects(svg, "segment complet")
    absents = rects(svg, "segment absent")
    # 8 complete pairs (6 + 2 with a substitute) at S1, 4 at S2: a bar twice as long.
    assert len(complets) == 2
    assert largeur(complets[0]) == pytest.approx(2 * largeur(complets[1]), abs=0.2)
    assert largeur(absents[1]) == pytest.approx(8 * largeur(absents[0]), abs=0.5)
    # Every held session's bar spans the 12 pairs of the cycle, from the same start.
    segments = [r for r in svg.iter(f"{SVG}rect") if (r.get("class") or "").startswith("segment")]
    premiere = [r for r in segments if float(r.get("y")) == float(complets[0].get("y"))]
    assert sum(largeur(r) for r in premiere) == pytest.approx(
        sum(largeur(r) for r in segments if r.get("y") == complets[1].get("y")), abs=0.3
    )
    assert [r.get("class").split()[1] for r in premiere] == [
        "complet",
        "incomplet",
        "excuse",
        "absent",
    ]


def test_presences_libelles_et_valeurs_ecrits():
    svg = figure(graphiques.presences(donnees_presences()))

    assert textes(svg, "seance") == [
        "S1 · 5\xa0oct. 2021",
        "S2 · 1er\xa0déc. 2021",
        "S3 · 1er\xa0fév. 2022",
    ]
    assert textes(svg, "valeur")[:2] == ["8", "2"]
    assert textes(svg, "personnes") == ["19 personnes", "8 personnes"]
    assert textes(svg, "detail") == [
        "8 complets · 2 incomplets · 1 excusé · 1 absent",
        "4 complets · 8 absents",
    ]
    assert textes(svg, "etat") == ["séance à venir"]
    assert "Binôme complet (ou avec suppléant·e)" in textes(svg, "legende")


def test_presences_seance_tenue_sans_releve_dit_non_relevee():
    donnees = [
        seance(1, statuts={"complet": 3}),
        seance(2, datetime.date(2021, 11, 9), statuts={"non_renseigne": 3}),
    ]

    svg = figure(graphiques.presences(donnees))

    assert textes(svg, "etat") == ["présences non relevées"]
    assert len(rects(svg, "piste non-releve")) == 1
    assert len(rects(svg, "segment complet")) == 1


def test_presences_releve_partiel_ajoute_non_releve_a_la_legende():
    donnees = [seance(1, statuts={"complet": 3, "non_renseigne": 1})]

    svg = figure(graphiques.presences(donnees))

    assert len(rects(svg, "segment non-releve")) == 1
    assert "Non relevé" in textes(svg, "legende")
    assert textes(svg, "detail") == ["3 complets · 1 non relevé"]


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ([], "Aucune séance n'a encore eu lieu."),
        ([seance(1, tenue=False)], "Aucune séance n'a encore eu lieu."),
        ([seance(1, statuts={"non_renseigne": 4})], "Aucune présence n'a encore été relevée."),
    ],
)
def test_presences_sans_donnees_une_phrase(donnees, message):
    assert (
        html.unescape(graphiques.presences(donnees)) == f'<p class="graphique-vide">{message}</p>'
    )


def test_presences_douze_seances_tiennent_dans_la_largeur():
    donnees = [
        seance(
            numero,
            datetime.date(2021, 1, 1) + datetime.timedelta(days=35 * numero),
            statuts={"complet": 80 - numero, "elu_seul": numero, "excuse": 15, "absent": 5},
            personnes=170,
        )
        for numero in range(1, 13)
    ]

    svg = figure(graphiques.presences(donnees))

    assert svg.get("width") == "640"
    assert svg.get("viewBox") == f"0 0 640 {svg.get('height')}"
    hauteur = float(svg.get("height"))
    assert hauteur <= graphiques.HAUTEUR_MAX
    for rect in svg.iter(f"{SVG}rect"):
        if rect.get("x") is not None:
            assert float(rect.get("x")) >= 0 and float(rect.get("x")) + largeur(rect) <= 640
            assert float(rect.get("y")) + float(rect.get("height")) <= hauteur
    assert len(textes(svg, "seance")) == 12
    debut_barres = min(float(r.get("x")) for r in rects(svg, "segment complet"))
    for texte in svg.iter(f"{SVG}text"):
        contenu = "".join(texte.itertext())
        if texte.get("class") == "seance":
            assert graphiques.largeur_texte(contenu, 12, gras=True) < debut_barres
        if texte.get("text-anchor") is None:
            assert float(texte.get("x")) + graphiques.largeur_texte(contenu, 12) <= 640
        assert float(texte.get("y")) <= hauteur


# --- Ratings --------------------------------------------------------------------------------


def donnees_evaluations():
    return [
        seance(1, statuts={"complet": 3}, notes={4: 1, 3: 2, 1: 1}),  # 11 / 4 = 2,75
        seance(2, datetime.date(2021, 11, 9), statuts={"complet": 3}, notes={5: 3, 4: 1}),
        seance(3, datetime.date(2021, 12, 9), statuts={"complet": 3}),
        seance(4, datetime.date(2022, 1, 9), tenue=False),
    ]


def test_evaluations_barre_proportionnelle_a_la_moyenne():
    donnees = [
        seance(1, notes={2: 3}),
        seance(2, datetime.date(2021, 11, 9), notes={4: 5}),
    ]

    svg = figure(graphiques.evaluations(donnees))

    premiere, deuxieme = rects(svg, "barre moyenne")
    assert largeur(deuxieme) == pytest.approx(2 * largeur(premiere), abs=0.1)
    piste = rects(svg, "piste")[0]
    assert largeur(deuxieme) == pytest.approx(largeur(piste) * 4 / 5, abs=0.1)


def test_evaluations_nombres_a_la_francaise_et_repartition():
    svg = figure(graphiques.evaluations(donnees_evaluations()))

    assert textes(svg, "valeur") == ["2,8 sur 5", "4,8 sur 5"]
    assert textes(svg, "detail") == [
        "4 réponses : 1 note de 4, 2 de 3, 1 de 1",
        "4 réponses : 3 notes de 5, 1 de 4",
    ]
    assert textes(svg, "etat") == ["pas d'évaluation", "séance à venir"]
    assert textes(svg, "graduation") == ["0", "1", "2", "3", "4", "5"]
    assert len(rects(svg, "piste vide")) == 2
    assert "S3 · 9\xa0déc. 2021 : pas d'évaluation." in svg.find(f"{SVG}desc").text


def test_evaluations_sans_evaluation_une_phrase():
    donnees = [seance(1, statuts={"complet": 3}), seance(2, tenue=False)]

    assert html.unescape(graphiques.evaluations(donnees)) == (
        '<p class="graphique-vide">Aucune séance n\'a encore été évaluée.</p>'
    )


# --- Self-diagnosis -------------------------------------------------------------------------


def test_autodiagnostic_barres_sur_l_echelle_de_chaque_question():
    donnees = synthese(
        ligne([2.0, None, 4.0], [12, 0, 10]),
        ligne([5.0, None, None], [11, 0, 0], intitule="Sur dix ?", echelle=10),
    )

    svg = figure(graphiques.autodiagnostic(donnees))

    debut, debut_sur_dix = rects(svg, "barre debut")
    (fin,) = rects(svg, "barre fin")
    piste = rects(svg, "piste")[0]
    assert largeur(fin) == pytest.approx(2 * largeur(debut), abs=0.1)
    assert largeur(debut) == pytest.approx(largeur(piste) * 2 / 5, abs=0.1)
    assert largeur(debut_sur_dix) == pytest.approx(largeur(piste) / 2, abs=0.1)
    # Nobody filled mid-course: only two moments per question.
    assert textes(svg, "temps") == ["Début du cycle", "Fin du cycle"] * 2
    assert textes(svg, "valeur") == [
        "2,0 sur 5 (12 binômes)",
        "4,0 sur 5 (10 binômes)",
        "5,0 sur 10 (11 binômes)",
    ]
    assert textes(svg, "etat") == ["non rempli"]
    # Two scales: each question says its own, no common graduations.
    assert textes(svg, "echelle") == [
        "Échelle de 1 (Pas du tout) à 5 (Tout à fait)",
        "Échelle de 1 (Pas du tout) à 10 (Tout à fait)",
    ]
    assert textes(svg, "graduation") == []


def test_autodiagnostic_mi_parcours_montre_quand_rempli():
    donnees = synthese(ligne([2.5, 3.25, None], [12, 1, 0]))

    svg = figure(graphiques.autodiagnostic(donnees))

    assert textes(svg, "temps") == ["Début du cycle", "Mi-parcours", "Fin du cycle"]
    assert textes(svg, "valeur") == ["2,5 sur 5 (12 binômes)", "3,2 sur 5 (1 binôme)"]
    assert len(rects(svg, "barre milieu")) == 1
    assert textes(svg, "etat") == ["non rempli"]
    assert textes(svg, "echelle") == ["Échelle de 1 (Pas du tout) à 5 (Tout à fait)"]
    assert textes(svg, "graduation") == ["1", "2", "3", "4", "5"]


def test_autodiagnostic_question_hostile_echappee():
    hostile = "<script>alert('x')</script> & <b>gras</b>"
    donnees = synthese(ligne([2.0, None, 3.0], [4, 0, 4], intitule=hostile))

    markup = graphiques.autodiagnostic(donnees)

    assert "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup
    svg = figure(markup)
    assert [e.tag for e in svg.iter() if e.tag in (f"{SVG}script", "script", f"{SVG}b")] == []
    assert " ".join(textes(svg, "question")) == f"1. {hostile}"
    assert hostile in svg.find(f"{SVG}desc").text


def test_autodiagnostic_questions_longues_coupees_dans_la_largeur():
    longue = "Notre collectivité dispose d'outils et de méthodes de participation " * 4
    donnees = synthese(ligne([2.0, None, 3.0], [4, 0, 4], intitule=longue.strip()))

    svg = figure(graphiques.autodiagnostic(donnees))

    lignes = textes(svg, "question")
    assert len(lignes) >= 3
    assert " ".join(lignes) == f"1. {longue.strip()}"
    for texte in lignes:
        assert graphiques.largeur_texte(texte, 12, gras=True) <= 640


def test_autodiagnostic_quinze_questions_en_parties_qui_tiennent_sur_une_page():
    longue = (
        "Notre collectivité dispose d'outils et de méthodes de participation adaptés à ses "
        "projets, qu'il s'agisse de concertation réglementaire ou de budgets participatifs."
    )
    donnees = synthese(
        *(ligne([2.0, 2.5, 3.0], [12, 8, 11], intitule=f"{longue} ({n})") for n in range(15))
    )

    parties = figures(graphiques.autodiagnostic(donnees))

    assert len(parties) >= 2
    hauteurs = [float(svg.get("height")) for svg in parties]
    assert max(hauteurs) <= graphiques.HAUTEUR_MAX
    assert max(hauteurs) - min(hauteurs) < 200  # cut evenly, not a full part and a stub
    numeros = [
        int(texte.split(".")[0])
        for svg in parties
        for texte in textes(svg, "question")
        if texte[0].isdigit() and texte.split(".")[0].isdigit()
    ]
    assert numeros == list(range(1, 16))
    identifiants = [svg.find(f"{SVG}title").get("id") for svg in parties]
    assert identifiants[:2] == ["rapport-autodiagnostic-titre", "rapport-autodiagnostic-2-titre"]
    assert len(set(identifiants)) == len(parties)
    assert all("Début du cycle" in textes(svg, "legende") for svg in parties)
    assert parties[1].find(f"{SVG}title").text.endswith(f"(partie 2 sur {len(parties)})")


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        (synthese(), "La grille d'autodiagnostic de ce cycle n'a aucune question."),
        (
            synthese(ligne([None] * 3, [0] * 3)),
            "Aucun binôme n'a encore rempli l'autodiagnostic.",
        ),
    ],
)
def test_autodiagnostic_sans_donnees_une_phrase(donnees, message):
    assert html.unescape(graphiques.autodiagnostic(donnees)) == (
        f'<p class="graphique-vide">{message}</p>'
    )


# --- What every chart must be ----------------------------------------------------------------


def tous_les_graphiques(**kwargs):
    return [
        graphiques.presences(donnees_presences(), **kwargs.get("presences", {})),
        graphiques.evaluations(donnees_evaluations(), **kwargs.get("evaluations", {})),
        graphiques.autodiagnostic(
            synthese(ligne([2.0, 3.0, 4.0], [3, 2, 3])), **kwargs.get("autodiagnostic", {})
        ),
    ]


def test_graphiques_accessibles_sans_script_ni_style_ni_reference_externe():
    for markup in tous_les_graphiques():
        svg = figure(markup)
        identifiant = svg.find(f"{SVG}title").get("id").removesuffix("-titre")
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{identifiant}-titre {identifiant}-desc"
        assert svg.find(f"{SVG}desc").get("id") == f"{identifiant}-desc"
        assert svg.find(f"{SVG}title").text
        assert svg.get("font-family") == "Liberation Sans, DejaVu Sans, sans-serif"
        for element in svg.iter():
            assert element.tag not in (f"{SVG}script", f"{SVG}image", f"{SVG}use", f"{SVG}style")
            assert "style" not in element.attrib
            assert not any(nom.endswith("href") for nom in element.attrib)
            assert not any(nom.startswith("on") for nom in element.attrib)
            for valeur in element.attrib.values():
                if "url(" in valeur:
                    assert re.fullmatch(rf"url\(#{identifiant}-(hachures|points)\)", valeur)


def test_graphiques_identifiant_choisi_pour_figurer_deux_fois():
    premiers = tous_les_graphiques()
    seconds = tous_les_graphiques(
        presences={"identifiant": "annexe-presences"},
        evaluations={"identifiant": "annexe-evaluations"},
        autodiagnostic={"identifiant": "annexe-diagnostic"},
    )

    ids = [
        element.get("id")
        for markup in premiers + seconds
        for element in figure(markup).iter()
        if element.get("id")
    ]
    assert len(ids) == len(set(ids))
    assert "annexe-presences-titre" in ids and "annexe-diagnostic-hachures" in ids


def test_graphiques_identifiant_invalide_refuse():
    with pytest.raises(ValueError, match="Identifiant de graphique invalide"):
        graphiques.presences(donnees_presences(), identifiant='x" onload="alert(1)')


@pytest.mark.parametrize("langue", ["fr", "en"])
def test_graphiques_coordonnees_avec_un_point_et_valeurs_avec_une_virgule(langue):
    with translation.override(langue):
        markups = tous_les_graphiques()

    for markup in markups:
        svg = figure(markup)
        for element in svg.iter():
            for nom in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
                if element.get(nom) is not None:
                    assert NOMBRE.match(element.get(nom)), (nom, element.get(nom))
    assert "3,0 sur 5" in "".join(textes(figure(markups[2]), "valeur"))


# --- Helpers --------------------------------------------------------------------------------


def test_couper_respecte_la_largeur_et_coupe_les_mots_trop_longs():
    lignes = graphiques.couper("a " * 10 + "x" * 200, 100, 12)

    assert all(graphiques.largeur_texte(ligne, 12) <= 100 for ligne in lignes)
    assert "".join(lignes).replace(" ", "") == "a" * 10 + "x" * 200


def test_decimal_fr():
    assert graphiques.decimal_fr(3.75) == "3,8"
    assert graphiques.decimal_fr(4) == "4,0"


# --- Printed --------------------------------------------------------------------------------


def test_graphiques_rendus_par_weasyprint_sur_une_page_chacun():
    from weasyprint import HTML

    douze = [
        seance(
            numero,
            datetime.date(2021, 1, 1) + datetime.timedelta(days=35 * numero),
            statuts={"complet": 10, "elu_seul": 2, "absent": 1},
            personnes=22,
            notes={5: 3, 4: 2},
        )
        for numero in range(1, 13)
    ]
    for markup in (graphiques.presences(douze), graphiques.evaluations(douze)):
        page = (
            "<html lang='fr'><head><style>@page { size: A4; margin: 22mm 20mm 20mm } "
            "svg { max-width: 100%; height: auto; }</style></head>"
            f"<body><h2>Titre du chapitre</h2>{markup}</body></html>"
        )

        document = HTML(string=page).render()

        assert len(document.pages) == 1
