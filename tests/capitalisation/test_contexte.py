"""What the report's context builder puts in, and what it never does.

Shared with the group under a name → in, with the name and the collectivity; shared with the
group anonymously → in, without either; private, pair-only, the free notes, the needs survey,
another cycle's items → never. A constant number of queries whatever the size of the cycle.
"""

import dataclasses
import datetime

import pytest

from capitalisation import selectors
from capitalisation.enums import Section
from journal.models import (
    Diagnostic,
    Experimentation,
    QuestionDiagnostic,
    Relais,
    ReponseDiagnostic,
)
from seances.models import Evaluation, Presence, Question, ReponseBesoins
from tests.factories import (
    CycleFactory,
    DecisionFactory,
    ElementFactory,
    EntreeFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

AUJOURDHUI = datetime.date(2022, 7, 1)
NOMME = "Le porte-à-porte a fait venir des habitant·es jamais vus."
ANONYME = "Je me sens seul·e face aux services techniques."
PRIVE = "Le maire ne lit jamais mes notes : à garder pour moi."
BINOME = "À reprendre à deux avant le conseil de jeudi."
NOTES = "Brouillon : penser à rappeler la préfecture."
BESOINS = "Nos difficultés internes avec la direction générale."
AUTRE_CYCLE = "Un texte partagé dans un autre cycle."


def _tout_le_texte(contexte) -> str:
    """Every string reachable from the context's own shapes (not the model objects)."""
    morceaux = []

    def parcourir(valeur):
        if dataclasses.is_dataclass(valeur) and not isinstance(valeur, type):
            for champ in dataclasses.fields(valeur):
                parcourir(getattr(valeur, champ.name))
        elif isinstance(valeur, dict):
            for cle, element in valeur.items():
                parcourir(cle)
                parcourir(element)
        elif isinstance(valeur, list | tuple | set):
            for element in valeur:
                parcourir(element)
        elif isinstance(valeur, str):
            morceaux.append(valeur)

    for nom in ("chiffres", "carte", "seances", "partages", "diagnostic", "graphiques"):
        parcourir(getattr(contexte, nom))
    return "\n".join(morceaux)


@pytest.fixture
def cycle_complet():
    cycle = CycleFactory()
    s1 = SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2021, 10, 5), theme="Mobiliser")
    s2 = SeanceFactory(cycle=cycle, numero=2, date=datetime.date(2021, 11, 16), theme="Évaluer")
    arras = binome_complet(cycle)
    lens = binome_complet(cycle)
    DecisionFactory(candidature=arras.candidature, statut="retenue")
    DecisionFactory(candidature=lens.candidature, statut="retenue")
    elue = arras.membres.get(role="elu")
    elue.user.first_name, elue.user.last_name = "Hortense", "Zébulon"
    elue.user.save()
    technicien = arras.membres.get(role="technicien")
    entree = EntreeFactory(membre=elue, seance=s1, notes=NOTES)
    ElementFactory(entree=entree, audience="groupe", texte=NOMME, rubrique="points_forts")
    ElementFactory(entree=entree, audience="groupe_anonyme", texte=ANONYME, rubrique="vigilance")
    ElementFactory(entree=entree, audience="prive", texte=PRIVE)
    ElementFactory(entree=entree, audience="binome", texte=BINOME)
    ElementFactory(entree=entree, audience="groupe", texte="", rubrique="idees")
    ReponseBesoins.objects.create(membre=elue, difficultes=BESOINS, attentes=BESOINS)
    # Another cycle's shared item.
    autre = CycleFactory()
    autre_seance = SeanceFactory(cycle=autre, numero=1, date=datetime.date(2021, 10, 6))
    autre_binome = binome_complet(autre)
    ElementFactory(
        entree=EntreeFactory(membre=autre_binome.membres.first(), seance=autre_seance),
        audience="groupe",
        texte=AUTRE_CYCLE,
    )
    # Attendance: Arras complete at S1, Lens only its élu·e.
    for membre in arras.membres.all():
        for demi in ("matin", "apres_midi"):
            Presence.objects.create(seance=s1, membre=membre, demi_journee=demi, statut="present")
    lens_elu = lens.membres.get(role="elu")
    for demi in ("matin", "apres_midi"):
        Presence.objects.create(seance=s1, membre=lens_elu, demi_journee=demi, statut="present")
        Presence.objects.create(
            seance=s1,
            membre=lens.membres.get(role="technicien"),
            demi_journee=demi,
            statut="absent",
        )
    Evaluation.objects.create(seance=s1, membre=elue, note=5, bien="Le rythme", craint="")
    Evaluation.objects.create(seance=s1, membre=technicien, note=4, craint="Trop court")
    principale = Question.objects.create(
        seance=s1, auteur=elue, texte="Comment toucher les jeunes ?"
    )
    Question.objects.create(
        seance=s1, auteur=lens_elu, texte="Et les jeunes ?", doublon_de=principale
    )
    Relais.objects.create(
        binome=arras,
        auteur=elue,
        date=datetime.date(2021, 10, 20),
        public="Bureau municipal",
        quoi="Présentation de la matinée.",
    )
    Experimentation.objects.create(binome=lens, titre="Marche exploratoire", statut="faite")
    question = QuestionDiagnostic.objects.create(
        cycle=cycle, intitule="Nous associons les habitant·es"
    )
    for binome, debut, fin in ((arras, 2, 4), (lens, 1, None)):
        d = Diagnostic.objects.create(binome=binome, temps="debut")
        ReponseDiagnostic.objects.create(diagnostic=d, question=question, valeur=debut)
        if fin:
            d = Diagnostic.objects.create(binome=binome, temps="fin")
            ReponseDiagnostic.objects.create(diagnostic=d, question=question, valeur=fin)
    return {"cycle": cycle, "arras": arras, "lens": lens, "s1": s1, "s2": s2}


def test_ce_qui_est_partage_avec_le_groupe_entre_avec_ou_sans_nom(cycle_complet):
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    partages = {
        partage.texte: partage
        for rubrique in contexte.partages
        for groupe in rubrique.groupes
        for partage in groupe.partages
    }
    assert set(partages) == {NOMME, ANONYME}
    assert partages[NOMME].auteur == "Hortense Zébulon"
    assert partages[NOMME].collectivite == str(cycle_complet["arras"])
    assert partages[ANONYME].auteur is None
    assert partages[ANONYME].collectivite is None
    assert contexte.chiffres.partages == 2
    assert contexte.chiffres.partages_anonymes == 1
    rubriques = {rubrique.cle: rubrique.total for rubrique in contexte.partages}
    assert rubriques == {"points_forts": 1, "vigilance": 1, "idees": 0, "progres": 0}


def test_rien_de_prive_ni_d_un_autre_cycle(cycle_complet):
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    texte = _tout_le_texte(contexte)
    for secret in (PRIVE, BINOME, NOTES, BESOINS, AUTRE_CYCLE):
        assert secret not in texte
    # The anonymous item carries nothing that could name its author.
    assert "Zébulon" not in [
        partage.auteur
        for rubrique in contexte.partages
        for groupe in rubrique.groupes
        for partage in groupe.partages
        if partage.texte == ANONYME
    ]


def test_seances_presences_evaluations_questions(cycle_complet):
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    premiere, seconde = contexte.seances
    assert premiere.completes == 1 and premiere.incompletes == 1
    assert premiere.personnes == 3
    assert premiere.evaluation.nombre == 2
    assert premiere.evaluation.moyenne == 4.5
    assert [(p.texte, p.nombre) for p in premiere.evaluation.bien] == [("Le rythme", 1)]
    assert [(p.texte, p.nombre) for p in premiere.evaluation.craint] == [("Trop court", 1)]
    assert [(q.texte, q.nombre) for q in premiere.questions] == [
        ("Comment toucher les jeunes ?", 2)
    ]
    assert seconde.evaluation.nombre == 0 and seconde.evaluation.moyenne is None
    assert seconde.completes == 0


def test_les_memes_mots_ne_sont_imprimes_qu_une_fois(cycle_complet):
    s2, lens = cycle_complet["s2"], cycle_complet["lens"]
    for membre, texte in zip(lens.membres.all(), ("Les ateliers.", "les  ateliers"), strict=True):
        Evaluation.objects.create(seance=s2, membre=membre, note=4, bien=texte, demain="")
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    (postit,) = contexte.seances[1].evaluation.bien
    assert (postit.texte, postit.nombre) == ("Les ateliers.", 2)
    assert contexte.seances[1].evaluation.demain == []


def test_chiffres_carte_engagements_diagnostic(cycle_complet):
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    assert contexte.chiffres.retenues == 2
    assert contexte.chiffres.collectivites == 2
    assert contexte.chiffres.participants == 4
    assert contexte.chiffres.seances == 2
    assert contexte.chiffres.relais == 1 and contexte.chiffres.experimentations == 1
    assert sum(ligne.total for ligne in contexte.carte.lignes) == 2
    assert [binome for binome, _liste in contexte.relais] == [cycle_complet["arras"]]
    assert [binome for binome, _liste in contexte.experimentations] == [cycle_complet["lens"]]
    (ligne,) = contexte.diagnostic.lignes
    assert ligne.moyennes == [1.5, None, 4.0]
    assert ligne.repondants == [2, 0, 1]
    assert contexte.diagnostic.binomes_par_temps == [2, 0, 1]


def test_chapitres_laisses_de_cote(cycle_complet):
    contexte = selectors.contexte_rapport(
        cycle_complet["cycle"], sections=[Section.CYCLE], aujourdhui=AUJOURDHUI
    )
    assert contexte.sections == [Section.CYCLE]
    assert contexte.seances == [] and contexte.partages == [] and contexte.diagnostic is None
    assert contexte.relais == [] and contexte.annexes == []
    # The cover's figures still count what was shared.
    assert contexte.chiffres.partages == 2


def _peupler(cycle, seances, binomes, elements):
    nouvelles = [
        SeanceFactory(
            cycle=cycle, numero=100 + i, date=datetime.date(2021, 9, 1) + datetime.timedelta(days=i)
        )
        for i in range(seances)
    ]
    for _i in range(binomes):
        binome = binome_complet(cycle)
        membre = binome.membres.first()
        Relais.objects.create(
            binome=binome, auteur=membre, date=AUJOURDHUI, public="Conseil", quoi="…"
        )
        Experimentation.objects.create(binome=binome, titre="Essai")
        for seance in nouvelles:
            entree = EntreeFactory(membre=membre, seance=seance)
            for _j in range(elements):
                ElementFactory(entree=entree, audience="groupe")
            Presence.objects.create(
                seance=seance, membre=membre, demi_journee="matin", statut="present"
            )
            Evaluation.objects.create(seance=seance, membre=membre, note=3)
            Question.objects.create(seance=seance, auteur=membre, texte="?")


def test_nombre_de_requetes_constant(cycle_complet, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cycle = cycle_complet["cycle"]
    with CaptureQueriesContext(connection) as petit:
        selectors.contexte_rapport(cycle, aujourdhui=AUJOURDHUI)
    _peupler(cycle, seances=3, binomes=4, elements=3)
    with django_assert_num_queries(len(petit.captured_queries)):
        contexte = selectors.contexte_rapport(cycle, aujourdhui=AUJOURDHUI)
    assert len(contexte.seances) == 5
    assert contexte.chiffres.collectivites == 6


def test_parcours_ne_garde_que_le_nomme_de_la_collectivite(cycle_complet):
    arras = cycle_complet["arras"]
    parcours = selectors.parcours(arras, aujourdhui=AUJOURDHUI)
    textes = [partage.texte for _rubrique, partages in parcours.partages for partage in partages]
    assert textes == [NOMME]
    assert [statut for _s, _libelle, statut in parcours.presences] == ["complet", "non_renseigne"]
    assert [relais.public for relais in parcours.relais] == ["Bureau municipal"]
    assert parcours.series[0].valeurs == [2, None, 4]
    lens = selectors.parcours(cycle_complet["lens"], aujourdhui=AUJOURDHUI)
    assert lens.partages == []
    assert [e.titre for e in lens.experimentations] == ["Marche exploratoire"]


def test_un_utilisateur_sans_nom_n_est_jamais_cite_par_son_courriel(cycle_complet):
    lens = cycle_complet["lens"]
    membre = lens.membres.get(role="technicien")
    membre.user = UserFactory(first_name="", last_name="", email="secret@exemple.fr")
    membre.save()
    ElementFactory(
        entree=EntreeFactory(membre=membre, seance=cycle_complet["s1"]),
        audience="groupe",
        texte="Sans nom",
    )
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    (partage,) = [
        p for r in contexte.partages for g in r.groupes for p in g.partages if p.texte == "Sans nom"
    ]
    assert partage.auteur is None
    assert partage.collectivite == str(lens)
    assert "secret@exemple.fr" not in _tout_le_texte(contexte)


def _texte_pose(document) -> str:
    """The words WeasyPrint actually laid out on the pages of the PDF."""
    morceaux = []

    def parcourir(boite):
        if getattr(boite, "text", None):
            morceaux.append(boite.text)
        for enfant in getattr(boite, "children", ()):
            parcourir(enfant)

    for page in document.pages:
        parcourir(page._page_box)
    return " ".join(morceaux)


def test_le_pdf_lui_meme_ne_contient_rien_de_prive(cycle_complet):
    from capitalisation import services
    from cerdd_cycle.documents.pdf import mettre_en_page

    s1, elue = cycle_complet["s1"], cycle_complet["arras"].membres.get(role="elu")
    entree = elue.entrees_journal.get(seance=s1)
    for audience, mot in (
        ("groupe", "Zorglubnomme"),
        ("groupe_anonyme", "Zorglubanonyme"),
        ("prive", "Zorglubprive"),
        ("binome", "Zorglubbinome"),
    ):
        ElementFactory(entree=entree, audience=audience, texte=f"Essai {mot} ici.")
    entree.notes = "Zorglubnotes"
    entree.save()
    contexte = selectors.contexte_rapport(cycle_complet["cycle"], aujourdhui=AUJOURDHUI)
    document = mettre_en_page(services.GABARIT_RAPPORT, {"contexte": contexte, "version": None})
    texte = _texte_pose(document)
    assert "Zorglubnomme" in texte and "Zorglubanonyme" in texte
    assert "Zébulon" in texte  # the named item is signed…
    for secret in ("Zorglubprive", "Zorglubbinome", "Zorglubnotes", "préfecture"):
        assert secret not in texte
