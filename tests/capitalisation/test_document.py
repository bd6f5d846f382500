"""The report's document: the PDF template and the staff page share the chapters' partials."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from capitalisation import selectors, services
from capitalisation.enums import Section
from capitalisation.models import Rapport, Version
from cerdd_cycle.documents.pdf import mettre_en_page
from journal.models import Experimentation, Relais
from seances.assiduite import Bilan
from seances.enums import StatutBinome
from seances.models import Evaluation, Question, Ressource
from seances.selectors import LigneMatrice, Matrice
from tests.factories import (
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    SeanceFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

AUJOURDHUI = datetime.date(2022, 7, 1)
GABARIT = services.GABARIT_RAPPORT


@pytest.fixture
def cycle():
    return CycleFactory(titre="Cycle de test 2021-2022", porteur="Cerdd")


@pytest.fixture
def seance(cycle):
    return SeanceFactory(
        cycle=cycle,
        numero=1,
        date=datetime.date(2021, 10, 5),
        theme="Les défis de la participation",
    )


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle)


def _membre(binome, role="elu"):
    return binome.membres.get(role=role, suppleant=False)


def _rapport(cycle, **champs):
    champs.setdefault("sections", list(Section.values))
    return Rapport(cycle=cycle, **champs)


def _rendre(cycle, *, version=None, **champs):
    contexte = selectors.contexte_rapport(cycle, _rapport(cycle, **champs), aujourdhui=AUJOURDHUI)
    return render_to_string(GABARIT, {"contexte": contexte, "version": version})


def _chapitre(html, section):
    """The HTML of one chapter (up to the next chapter or the end)."""
    debut = html.index(f'id="chapitre-{section}"')
    suite = html.find('class="chapitre', debut)
    return html[debut : suite if suite != -1 else len(html)]


def _liens_sommaire(html):
    sommaire = html[html.index('class="sommaire"') : html.index("</nav>")]
    return re.findall(r'href="#([a-z0-9-]+)"', sommaire)


# --- Cover, contents, introduction and conclusion -------------------------------------------


def test_couverture_titre_editeur_version(cycle):
    version = Version(cycle=cycle, numero=3)

    html = _rendre(cycle, version=version, titre="Ce que le cycle nous a appris")

    couverture = html[html.index('class="couverture"') : html.index('class="sommaire"')]
    assert "Ce que le cycle nous a appris" in couverture
    assert "Cycle de test 2021-2022" in couverture
    assert "Cerdd" in couverture
    assert "Version 3, générée le" in couverture


def test_couverture_sans_titre_ni_version(cycle):
    html = _rendre(cycle)

    couverture = html[html.index('class="couverture"') : html.index('class="sommaire"')]
    assert "<h1>Rapport de capitalisation</h1>" in couverture
    assert "Version" not in couverture
    assert "Document généré le" in couverture


def test_sommaire_et_chapitres_seulement_ceux_choisis_dans_l_ordre(cycle, seance):
    html = _rendre(cycle, sections=[Section.PARTAGES, Section.CYCLE])

    assert _liens_sommaire(html) == ["chapitre-cycle", "chapitre-partages"]
    assert html.index('id="chapitre-cycle"') < html.index('id="chapitre-partages"')
    for absent in (
        "seances",
        "assiduite",
        "experimentations",
        "relais",
        "autodiagnostic",
        "annexes",
    ):
        assert f'id="chapitre-{absent}"' not in html


def test_sommaire_liste_les_seances(cycle, seance):
    SeanceFactory(cycle=cycle, numero=2, date=datetime.date(2021, 12, 1), theme="Les communs")

    html = _rendre(cycle, sections=[Section.SEANCES])

    assert _liens_sommaire(html) == ["chapitre-seances", "seance-1", "seance-2"]
    assert 'id="seance-2"' in html


def test_introduction_et_conclusion_nettoyees(cycle):
    html = _rendre(
        cycle,
        introduction='<p>Bonjour</p><script>alert("intro")</script><p onclick="x()">Suite</p>',
        conclusion="<p>Merci <strong>à tous</strong></p><img src=x onerror=alert(2)>",
    )

    assert _liens_sommaire(html)[0] == "introduction"
    assert _liens_sommaire(html)[-1] == "conclusion"
    assert "<p>Bonjour</p>" in html
    assert "<strong>à tous</strong>" in html
    assert "<script" not in html
    assert "alert" not in html
    assert "onclick" not in html
    assert "<img" not in html


def test_introduction_et_conclusion_vides_absentes(cycle):
    html = _rendre(cycle, introduction="<p> </p>", conclusion="")

    assert 'id="introduction"' not in html
    assert 'id="conclusion"' not in html
    assert "#introduction" not in html


# --- What participants wrote ----------------------------------------------------------------


def test_partage_anonyme_sans_nom_et_partage_nomme_signe(cycle, seance, binome):
    elu = _membre(binome)
    entree = EntreeFactory(membre=elu, seance=seance)
    ElementFactory(entree=entree, audience="groupe_anonyme", texte="Sans mon nom, s'il vous plaît")
    ElementFactory(entree=entree, audience="groupe", texte="Signé de ma main")
    ElementFactory(entree=entree, audience="prive", texte="Mon secret")
    ElementFactory(entree=entree, audience="binome", texte="Entre nous deux")

    html = _rendre(cycle, sections=[Section.PARTAGES])

    chapitre = _chapitre(html, "partages")
    nom = elu.user.nom_affiche
    collectivite = str(binome)
    assert (
        'Sans mon nom, s&#x27;il vous plaît</span> <span class="par">—&nbsp;anonyme</span>'
        in chapitre
    )
    assert (
        f'Signé de ma main</span> <span class="par">—&nbsp;{nom}, {collectivite}</span>' in chapitre
    )
    assert chapitre.count(nom) == 1
    assert "Mon secret" not in html
    assert "Entre nous deux" not in html


def test_textes_des_participants_echappes(cycle, seance, binome):
    entree = EntreeFactory(membre=_membre(binome), seance=seance)
    ElementFactory(entree=entree, audience="groupe", texte="<b>gras</b> et <script>x()</script>")
    Evaluation.objects.create(
        seance=seance, membre=_membre(binome), note=4, bien="<i>super</i>", craint="", demain=""
    )
    Question.objects.create(seance=seance, auteur=_membre(binome), texte="<img src=x>?")

    html = _rendre(cycle, sections=[Section.SEANCES, Section.PARTAGES])

    assert "&lt;b&gt;gras&lt;/b&gt; et &lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;i&gt;super&lt;/i&gt;" in html
    assert "&lt;img src=x&gt;?" in html
    assert "<b>gras" not in html
    assert "<script" not in html


def test_seance_evaluation_et_questions_fusionnees(cycle, seance, binome):
    elu, technicien = _membre(binome), _membre(binome, "technicien")
    Evaluation.objects.create(seance=seance, membre=elu, note=5, bien="Les échanges", craint="")
    Evaluation.objects.create(seance=seance, membre=technicien, note=4, demain="Essayer")
    question = Question.objects.create(seance=seance, auteur=elu, texte="Comment commencer ?")
    Question.objects.create(seance=seance, auteur=technicien, texte="Par où ?", doublon_de=question)
    Question.objects.create(seance=seance, auteur=technicien, texte="Et après ?")

    chapitre = _chapitre(_rendre(cycle, sections=[Section.SEANCES]), "seances")

    assert "<strong>4,5 sur 5</strong>, donnée par 2 participant·es." in chapitre
    assert "Les échanges" in chapitre
    assert "Essayer" in chapitre
    assert 'Comment commencer ? <span class="mention">(posée 2 fois)</span>' in chapitre
    assert "Par où ?" not in chapitre
    assert "Et après ?</li>" in chapitre


def test_seance_a_venir_sans_presences_ni_evaluation(cycle):
    SeanceFactory(cycle=cycle, numero=1, date=AUJOURDHUI + datetime.timedelta(days=10))

    chapitre = _chapitre(_rendre(cycle, sections=[Section.SEANCES]), "seances")

    assert "Cette séance n'a pas encore eu lieu" in chapitre
    assert "Les présences" not in chapitre


def test_etats_vides_en_phrases(cycle):
    html = _rendre(cycle)

    assert "Aucun élément n'a été partagé avec le groupe." in html
    assert "Aucune expérimentation n'a été notée par les collectivités." in html
    assert "Aucun relais n'a été noté par les participant·es." in html
    assert "Aucune ressource n'a été jointe aux séances." in html
    assert "Aucune séance n'est planifiée pour ce cycle." in html
    assert "Aucune collectivité n'a encore été retenue pour ce cycle." in html


def test_experimentations_relais_et_annexes(cycle, seance, binome):
    Experimentation.objects.create(
        binome=binome,
        titre="Budget participatif",
        statut="faite",
        resultats="80 projets",
        seance=seance,
    )
    Relais.objects.create(
        binome=binome, date=datetime.date(2022, 3, 31), public="Conseil municipal", quoi="Le cycle"
    )
    Ressource.objects.create(seance=seance, titre="La revue", url="https://exemple.fr/revue")
    Ressource.objects.create(seance=seance, titre="Le diaporama", fichier="ressources/d.pdf")

    html = _rendre(cycle)

    experimentations = _chapitre(html, "experimentations")
    assert "<h4>Budget participatif</h4>" in experimentations
    assert "Faite · inspirée par la séance 1" in experimentations
    relais = _chapitre(html, "relais")
    assert "31 mars 2022" in relais
    assert "Conseil municipal" in relais
    annexes = _chapitre(html, "annexes")
    assert ">https://exemple.fr/revue</a>" in annexes
    assert 'Le diaporama</span><br><span class="mention">document remis en séance' in annexes


def test_binomes_anciens_membres_notes(cycle, binome):
    ancien = _membre(binome, "technicien")
    ancien.actif = False
    ancien.save(update_fields=["actif"])

    chapitre = _chapitre(_rendre(cycle, sections=[Section.CYCLE]), "cycle")

    assert (
        f'<p class="membre ancien"><span class="nom">{ancien.user.nom_affiche}</span>' in chapitre
    )
    assert "a quitté le binôme en cours de cycle" in chapitre


# --- Long tables are split for WeasyPrint, not on screen ------------------------------------


def _contexte_matrice(cycle, lignes):
    seances = [
        SeanceFactory(cycle=cycle, numero=n, date=datetime.date(2021, 10, n)) for n in (1, 2)
    ]
    contexte = selectors.contexte_rapport(
        cycle, _rapport(cycle, sections=[Section.ASSIDUITE]), aujourdhui=AUJOURDHUI
    )
    contexte.matrice = Matrice(
        seances=seances,
        lignes=[
            LigneMatrice(
                binome=f"Commune {n}",
                statuts=[StatutBinome.COMPLET, StatutBinome.ABSENT],
                bilan=Bilan(seances=2, completes=1, engagees=1, incompletes_de_suite=1),
                alerte=False,
            )
            for n in range(lignes)
        ],
    )
    contexte.seances = []
    return contexte


def test_matrice_en_tableaux_de_25_lignes_dans_le_pdf(cycle):
    contexte = _contexte_matrice(cycle, 60)

    html = render_to_string(GABARIT, {"contexte": contexte, "version": None})

    chapitre = _chapitre(html, "assiduite")
    assert chapitre.count('<table class="matrice') == 3
    assert chapitre.count("<thead>") == 3
    assert chapitre.count('<td class="st-c">C') == 60
    assert chapitre.count('<td class="st-a">Abs') == 60
    assert chapitre.count("50&nbsp;%") == 120


def test_matrice_d_un_seul_tableau_a_l_ecran(cycle, equipe):
    contexte = _contexte_matrice(cycle, 60)

    html = _page(contexte, cycle, equipe)

    chapitre = _chapitre(html, "assiduite")
    assert chapitre.count('<table class="matrice') == 1
    assert chapitre.count("(Complet)</span>") == 60


# --- The staff page -------------------------------------------------------------------------


def _page(contexte, cycle, utilisateur, **extra):
    requete = RequestFactory().get("/")
    requete.user = utilisateur
    return render_to_string(
        "capitalisation/equipe/apercu.html",
        {"contexte": contexte, "cycle": cycle, **extra},
        request=requete,
    )


def test_page_titres_sommaire_et_tableaux_accessibles(cycle, seance, binome, equipe):
    contexte = selectors.contexte_rapport(
        cycle, _rapport(cycle, introduction="<p>Bonjour</p>"), aujourdhui=AUJOURDHUI
    )

    html = _page(contexte, cycle, equipe)

    assert html.count("<h1") == 1
    titres = re.findall(r'<h2 id="titre-([a-z]+)"', html)
    assert titres == ["chiffres", "sommaire", "introduction", *Section.values]
    assert '<h3 id="titre-seance-1" data-signet="Séance 1 : Les défis de la participation">' in html
    assert '<a href="#chapitre-relais">' in html
    assert 'href="/equipe/capitalisation/cycle-' in html  # back to the report's settings
    for tableau in re.findall(r"<table[^>]*>(.*?)</table>", html, flags=re.S):
        assert "<caption" in tableau
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert "Télécharger la dernière version PDF" not in html


def test_page_lien_vers_la_derniere_version(cycle, equipe):
    contexte = selectors.contexte_rapport(cycle, _rapport(cycle), aujourdhui=AUJOURDHUI)
    version = Version(cycle=cycle, numero=4, pages=12)

    html = _page(contexte, cycle, equipe, derniere_version=version)

    assert "Télécharger la dernière version PDF" in html
    assert f"/equipe/capitalisation/{cycle.slug}/versions/4/pdf/" in html
    assert "version 4, 12 pages" in html


# --- A real PDF ------------------------------------------------------------------------------


def test_pdf_reel_pages_et_signets(cycle, seance, binome):
    entree = EntreeFactory(membre=_membre(binome), seance=seance)
    for numero in range(3):
        ElementFactory(entree=entree, audience="groupe", texte=f"Élément partagé {numero}")
    rapport = _rapport(
        cycle,
        sections=[Section.SEANCES, Section.PARTAGES],
        introduction="<p>Introduction du rapport.</p>",
    )
    contexte = selectors.contexte_rapport(cycle, rapport, aujourdhui=AUJOURDHUI)

    document = mettre_en_page(GABARIT, {"contexte": contexte, "version": None})

    assert len(document.pages) > 1
    arbre = document.make_bookmark_tree()
    assert [libelle for libelle, _cible, _enfants, _etat in arbre] == [
        "Sommaire",
        "Introduction",
        "Les séances",
        "Ce que les participant·es ont partagé",
    ]
    seances = arbre[2][2]
    assert [libelle for libelle, *_reste in seances] == ["Séance 1 : Les défis de la participation"]
