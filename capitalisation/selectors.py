"""What the capitalisation report says, read once.

The report only ever reads what its readers may read: items a participant shared with the group
(without the author's name when shared anonymously), the pairs' relays and experiments, the
group's evaluations without names, questions for the speakers without names. A private item, an
item shared with the pair only, the free notes and the answers to the needs survey are never
read here: the queries below do not select them.

Every reader costs a constant number of queries whatever the size of the cycle.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures.enums import STATUTS_DEPOSES
from candidatures.models import Candidature
from cerdd_cycle.territoires.models import TypeTerritoire
from journal import selectors as journal_selectors
from journal.enums import AUDIENCES_GROUPE, Audience, Rubrique, Temps
from journal.grille import graphique as graphique_diagnostic
from journal.models import Element
from jury.enums import StatutDecision
from jury.models import Decision
from seances import selectors as seances_selectors
from seances.enums import PRESENCES_EFFECTIVES, StatutBinome
from seances.models import (
    Attestation,
    Evaluation,
    Intervenant,
    PointProgramme,
    Presence,
    Question,
    Ressource,
    Seance,
)

from . import graphiques
from .enums import EtatVersion, Section
from .models import Rapport, Version

# --- The report's settings and versions ------------------------------------------------------


def rapport_de(cycle) -> Rapport:
    """The cycle's report settings (unsaved defaults when staff never edited them)."""
    return Rapport.objects.filter(cycle=cycle).first() or Rapport(cycle=cycle)


def versions_du_cycle(cycle):
    return Version.objects.filter(cycle=cycle).select_related("demandee_par").order_by("-numero")


def version_du_cycle_ou_404(cycle, numero) -> Version:
    version = versions_du_cycle(cycle).filter(numero=numero).first()
    if version is None:
        raise Http404
    return version


def version_prete_ou_404(cycle, numero) -> Version:
    version = version_du_cycle_ou_404(cycle, numero)
    if version.etat != EtatVersion.PRETE or not version.fichier:
        raise Http404
    return version


def derniere_version_prete(cycle) -> Version | None:
    return versions_du_cycle(cycle).filter(etat=EtatVersion.PRETE).first()


# --- Shapes of the report -------------------------------------------------------------------


@dataclass
class Chiffres:
    candidatures: int = 0  # accounts that started one
    deposees: int = 0
    retenues: int = 0
    liste_attente: int = 0
    non_retenues: int = 0
    collectivites: int = 0
    participants: int = 0
    seances: int = 0
    seances_tenues: int = 0
    partages: int = 0
    partages_anonymes: int = 0
    experimentations: int = 0
    relais: int = 0


@dataclass
class LigneCarte:
    """One department of the map-like table: per type of collectivity, the names retained."""

    departement: str
    cases: list  # [list[str]] one per column
    total: int


@dataclass
class Carte:
    colonnes: list  # labels of the types present
    lignes: list  # [LigneCarte]
    totaux: list  # [int] per column


@dataclass
class Postit:
    texte: str
    nombre: int  # how many people wrote it (the same words, give or take case and spaces)


@dataclass
class ResumeEvaluation:
    nombre: int
    moyenne: float | None
    repartition: list  # [(note, count)] 5 → 1
    bien: list  # [Postit]
    craint: list
    demain: list


@dataclass
class QuestionRapport:
    texte: str
    nombre: int  # 1 + the questions merged into it
    groupe: str


@dataclass
class SeanceRapport:
    seance: Seance  # intervenants, points_programme, ressources prefetched
    statuts: dict  # StatutBinome value -> number of collectivities
    personnes: int  # people recorded in the room
    formats: list  # labels of the programme's formats, in order of first appearance
    evaluation: ResumeEvaluation
    questions: list  # [QuestionRapport]
    tenue: bool  # the day has come

    @property
    def completes(self) -> int:
        return self.statuts.get(StatutBinome.COMPLET, 0) + self.statuts.get(
            StatutBinome.REMPLACE, 0
        )

    @property
    def incompletes(self) -> int:
        return self.statuts.get(StatutBinome.ELU_SEUL, 0) + self.statuts.get(
            StatutBinome.TECHNICIEN_SEUL, 0
        )


@dataclass
class Partage:
    """A shared item as the report prints it. ``auteur`` and ``collectivite`` are None when
    the item was shared anonymously."""

    texte: str
    seance_numero: int
    auteur: str | None
    collectivite: str | None


@dataclass
class GroupePartages:
    seance: Seance
    partages: list  # [Partage]


@dataclass
class RubriquePartages:
    cle: str
    libelle: str
    groupes: list  # [GroupePartages] in session order
    total: int


@dataclass
class LigneDiagnostic:
    question: object  # QuestionDiagnostic
    moyennes: list  # per Temps, None when nobody answered
    repondants: list  # per Temps


@dataclass
class SyntheseDiagnostic:
    lignes: list  # [LigneDiagnostic]
    binomes_par_temps: list  # per Temps: pairs that filled that moment
    binomes: int


@dataclass
class Contexte:
    cycle: object
    rapport: Rapport
    sections: list  # Section values included, in Section order
    genere_le: object
    chiffres: Chiffres
    binomes: list = field(default_factory=list)
    carte: Carte | None = None
    seances: list = field(default_factory=list)  # [SeanceRapport]
    matrice: object = None  # seances.selectors.Matrice
    partages: list = field(default_factory=list)  # [RubriquePartages]
    experimentations: list = field(default_factory=list)  # [(Binome, [Experimentation])]
    relais: list = field(default_factory=list)  # [(Binome, [Relais])]
    diagnostic: SyntheseDiagnostic | None = None
    annexes: list = field(default_factory=list)  # [(Seance, [Ressource])]
    graphiques: dict = field(default_factory=dict)  # name -> SVG markup

    def inclut(self, section) -> bool:
        return section in self.sections


# --- Readers --------------------------------------------------------------------------------


def _nom(prenom, nom) -> str:
    return f"{prenom} {nom}".strip()


def _nom_collectivite(territoire_nom, structure_nom) -> str:
    return territoire_nom or structure_nom or _("(sans nom)")


def _chiffres(cycle, binomes, seances, aujourdhui) -> Chiffres:
    par_statut = dict(
        Candidature.objects.filter(cycle=cycle)
        .values_list("statut")
        .annotate(n=Count("pk"))
        .values_list("statut", "n")
    )
    decisions = dict(
        Decision.objects.filter(candidature__cycle=cycle)
        .values_list("statut")
        .annotate(n=Count("pk"))
        .values_list("statut", "n")
    )
    participants = {membre.user_id for binome in binomes for membre in binome.membres.all()}
    return Chiffres(
        candidatures=sum(par_statut.values()),
        deposees=sum(par_statut.get(statut, 0) for statut in STATUTS_DEPOSES),
        retenues=decisions.get(StatutDecision.RETENUE, 0),
        liste_attente=decisions.get(StatutDecision.ATTENTE, 0),
        non_retenues=decisions.get(StatutDecision.NON_RETENUE, 0),
        collectivites=len(binomes),
        participants=len(participants),
        seances=len(seances),
        seances_tenues=sum(seance.date <= aujourdhui for seance in seances),
    )


def _carte(binomes) -> Carte:
    """Department × type of collectivity, with the names: the shape of the territory without
    drawing a map."""
    libelles = dict(TypeTerritoire.choices)
    autre = _("Autre structure")
    par_departement = defaultdict(lambda: defaultdict(list))
    departements = {}
    for binome in binomes:
        candidature = binome.candidature
        territoire = candidature.territoire
        if territoire is not None:
            colonne = libelles.get(territoire.type, autre)
            departement = territoire.departement
        else:
            colonne = autre
            departement = candidature.departement
        cle = departement.code if departement else ""
        departements[cle] = (
            f"{departement.nom} ({departement.code})" if departement else _("Hors département")
        )
        par_departement[cle][colonne].append(str(candidature.nom_collectivite))
    ordre_types = [str(libelle) for _cle, libelle in TypeTerritoire.choices] + [str(autre)]
    presentes = {colonne for cases in par_departement.values() for colonne in cases}
    colonnes = [colonne for colonne in ordre_types if colonne in presentes]
    lignes = []
    for cle in sorted(departements, key=lambda code: (code == "", code)):
        cases = [sorted(par_departement[cle].get(colonne, [])) for colonne in colonnes]
        lignes.append(
            LigneCarte(
                departement=departements[cle],
                cases=cases,
                total=sum(len(noms) for noms in cases),
            )
        )
    totaux = [sum(len(ligne.cases[i]) for ligne in lignes) for i in range(len(colonnes))]
    return Carte(colonnes=colonnes, lignes=lignes, totaux=totaux)


def _seances(cycle):
    return list(
        Seance.objects.filter(cycle=cycle)
        .select_related("hote__candidature__territoire")
        .prefetch_related(
            Prefetch("intervenants", queryset=Intervenant.objects.order_by("ordre", "pk")),
            Prefetch(
                "programme",
                queryset=PointProgramme.objects.select_related("intervenant").order_by(
                    "heure_debut", "pk"
                ),
            ),
            Prefetch("ressources", queryset=Ressource.objects.order_by("ordre", "titre")),
        )
        .order_by("numero")
    )


def _postits(textes) -> list[Postit]:
    """The same words written by several people are printed once, with their count."""
    postits = {}
    for texte in textes:
        if texte:
            cle = " ".join(texte.casefold().split()).rstrip(" .!")
            if cle in postits:
                postits[cle].nombre += 1
            else:
                postits[cle] = Postit(texte=texte, nombre=1)
    return list(postits.values())


def _evaluations(cycle) -> dict[int, ResumeEvaluation]:
    par_seance = defaultdict(list)
    for seance_id, note, bien, craint, demain in (
        Evaluation.objects.filter(seance__cycle=cycle)
        .order_by("soumise_le", "pk")
        .values_list("seance_id", "note", "bien", "craint", "demain")
    ):
        par_seance[seance_id].append((note, bien.strip(), craint.strip(), demain.strip()))
    resumes = {}
    for seance_id, lignes in par_seance.items():
        notes = Counter(note for note, *_textes in lignes)
        resumes[seance_id] = ResumeEvaluation(
            nombre=len(lignes),
            moyenne=sum(note for note, *_textes in lignes) / len(lignes),
            repartition=[(note, notes[note]) for note in range(5, 0, -1)],
            bien=_postits(bien for _n, bien, _c, _d in lignes),
            craint=_postits(craint for _n, _b, craint, _d in lignes),
            demain=_postits(demain for _n, _b, _c, demain in lignes),
        )
    return resumes


def _questions(cycle) -> dict[int, list[QuestionRapport]]:
    """Per session, the questions sent to the speaker, duplicates folded, without names."""
    lignes = list(
        Question.objects.filter(seance__cycle=cycle)
        .order_by("cree_le", "pk")
        .values_list("pk", "seance_id", "texte", "groupe", "doublon_de_id")
    )
    fusionnees = Counter(doublon_de for *_debut, doublon_de in lignes if doublon_de)
    par_seance = defaultdict(list)
    for pk, seance_id, texte, groupe, doublon_de in lignes:
        if doublon_de is None:
            par_seance[seance_id].append(
                QuestionRapport(texte=texte, nombre=1 + fusionnees.get(pk, 0), groupe=groupe)
            )
    for questions in par_seance.values():
        questions.sort(key=lambda question: (question.groupe == "", question.groupe.lower()))
    return par_seance


def _personnes_presentes(cycle) -> dict[int, int]:
    personnes = defaultdict(set)
    for seance_id, membre_id in Presence.objects.filter(
        seance__cycle=cycle, statut__in=PRESENCES_EFFECTIVES
    ).values_list("seance_id", "membre_id"):
        personnes[seance_id].add(membre_id)
    return {seance_id: len(membres) for seance_id, membres in personnes.items()}


def _formats(seance) -> list[str]:
    vus = []
    for point in seance.programme.all():
        libelle = point.get_format_display()
        if libelle not in vus:
            vus.append(libelle)
    return vus


def _seances_rapport(cycle, seances, matrice, aujourdhui) -> list[SeanceRapport]:
    evaluations = _evaluations(cycle)
    questions = _questions(cycle)
    personnes = _personnes_presentes(cycle)
    vide = ResumeEvaluation(
        nombre=0,
        moyenne=None,
        repartition=[(note, 0) for note in range(5, 0, -1)],
        bien=[],
        craint=[],
        demain=[],
    )
    resultat = []
    for index, seance in enumerate(seances):
        statuts = Counter(ligne.statuts[index] for ligne in matrice.lignes)
        resultat.append(
            SeanceRapport(
                seance=seance,
                statuts={str(statut): nombre for statut, nombre in statuts.items()},
                personnes=personnes.get(seance.pk, 0),
                formats=_formats(seance),
                evaluation=evaluations.get(seance.pk, vide),
                questions=questions.get(seance.pk, []),
                tenue=seance.date <= aujourdhui,
            )
        )
    return resultat


def _elements_partages(filtre) -> list[tuple]:
    """Only the item's text, heading, audience and session, and — for named items only, decided
    below — the author's name and collectivity. Never the entry's notes."""
    return list(
        Element.objects.filter(audience__in=AUDIENCES_GROUPE, **filtre)
        .exclude(texte="")
        .order_by("entree__seance__numero", "cree_le", "pk")
        .values_list(
            "texte",
            "rubrique",
            "audience",
            "entree__seance_id",
            "entree__seance__numero",
            "entree__membre__user__first_name",
            "entree__membre__user__last_name",
            "entree__membre__binome__candidature__territoire__nom",
            "entree__membre__binome__candidature__structure_nom",
        )
    )


def _partage(ligne) -> Partage:
    texte, _rubrique, audience, _seance_id, numero, prenom, nom, territoire, structure = ligne
    if audience == Audience.GROUPE_ANONYME:
        return Partage(texte=texte, seance_numero=numero, auteur=None, collectivite=None)
    return Partage(
        texte=texte,
        seance_numero=numero,
        auteur=_nom(prenom, nom) or None,
        collectivite=_nom_collectivite(territoire, structure),
    )


def _partages(cycle, seances) -> tuple[list[RubriquePartages], int, int]:
    lignes = _elements_partages({"entree__seance__cycle": cycle})
    par_seance = {seance.pk: seance for seance in seances}
    par_rubrique = defaultdict(lambda: defaultdict(list))
    for ligne in lignes:
        par_rubrique[ligne[1]][ligne[3]].append(_partage(ligne))
    rubriques = []
    for cle, libelle in Rubrique.choices:
        groupes = [
            GroupePartages(seance=par_seance[seance_id], partages=partages)
            for seance_id, partages in sorted(
                par_rubrique[cle].items(), key=lambda paire: par_seance[paire[0]].numero
            )
        ]
        rubriques.append(
            RubriquePartages(
                cle=cle,
                libelle=str(libelle),
                groupes=groupes,
                total=sum(len(groupe.partages) for groupe in groupes),
            )
        )
    anonymes = sum(ligne[2] == Audience.GROUPE_ANONYME for ligne in lignes)
    return rubriques, len(lignes), anonymes


def _par_binome(objets) -> list[tuple]:
    groupes = defaultdict(list)
    binomes = {}
    for objet in objets:
        groupes[objet.binome_id].append(objet)
        binomes[objet.binome_id] = objet.binome
    return sorted(
        ((binomes[pk], liste) for pk, liste in groupes.items()),
        key=lambda paire: str(paire[0]).lower(),
    )


def synthese_diagnostic(cycle) -> SyntheseDiagnostic:
    """The group's average per question and moment (three queries)."""
    series = journal_selectors.diagnostics_du_cycle(cycle)
    questions = list(journal_selectors.questions_diagnostic(cycle))
    temps = list(Temps.values)
    lignes = []
    for index, question in enumerate(questions):
        valeurs = [[] for _t in temps]
        for _binome, series_binome in series:
            for rang, valeur in enumerate(series_binome[index].valeurs):
                if valeur is not None:
                    valeurs[rang].append(valeur)
        lignes.append(
            LigneDiagnostic(
                question=question,
                moyennes=[sum(v) / len(v) if v else None for v in valeurs],
                repondants=[len(v) for v in valeurs],
            )
        )
    binomes_par_temps = [
        sum(
            any(serie.valeurs[rang] is not None for serie in series_binome)
            for _binome, series_binome in series
        )
        for rang in range(len(temps))
    ]
    return SyntheseDiagnostic(
        lignes=lignes, binomes_par_temps=binomes_par_temps, binomes=len(series)
    )


def contexte_rapport(cycle, rapport=None, *, sections=None, aujourdhui=None) -> Contexte:
    """Everything the report prints, for the chapters in ``sections`` (default: the report's
    settings). A constant number of queries whatever the size of the cycle."""
    rapport = rapport if rapport is not None else rapport_de(cycle)
    choisies = set(sections if sections is not None else rapport.sections)
    sections = [section for section in Section.values if section in choisies]
    aujourdhui = aujourdhui or timezone.localdate()
    binomes = list(
        seances_selectors.binomes_du_cycle(cycle).select_related(
            "candidature__territoire__departement"
        )
    )
    seances = _seances(cycle)
    contexte = Contexte(
        cycle=cycle,
        rapport=rapport,
        sections=sections,
        genere_le=timezone.now(),
        chiffres=_chiffres(cycle, binomes, seances, aujourdhui),
        binomes=binomes,
    )
    if Section.CYCLE in sections:
        contexte.carte = _carte(binomes)
    if Section.SEANCES in sections or Section.ASSIDUITE in sections:
        contexte.matrice = seances_selectors.matrice_assiduite(cycle, aujourdhui)
        contexte.seances = _seances_rapport(cycle, seances, contexte.matrice, aujourdhui)
        contexte.graphiques["presences"] = graphiques.presences(contexte.seances)
        contexte.graphiques["evaluations"] = graphiques.evaluations(contexte.seances)
    # The figures of the cover page count shared items even when the chapter is left out.
    contexte.partages, contexte.chiffres.partages, contexte.chiffres.partages_anonymes = (
        _partages(cycle, seances) if Section.PARTAGES in sections else ([], 0, 0)
    )
    if Section.PARTAGES not in sections:
        contexte.chiffres.partages = (
            Element.objects.filter(entree__seance__cycle=cycle, audience__in=AUDIENCES_GROUPE)
            .exclude(texte="")
            .count()
        )
    experimentations = list(journal_selectors.experimentations_du_cycle(cycle))
    relais = list(journal_selectors.relais_du_cycle(cycle))
    contexte.chiffres.experimentations = len(experimentations)
    contexte.chiffres.relais = len(relais)
    if Section.EXPERIMENTATIONS in sections:
        contexte.experimentations = _par_binome(experimentations)
    if Section.RELAIS in sections:
        contexte.relais = _par_binome(relais)
    if Section.AUTODIAGNOSTIC in sections:
        contexte.diagnostic = synthese_diagnostic(cycle)
        contexte.graphiques["autodiagnostic"] = graphiques.autodiagnostic(contexte.diagnostic)
    if Section.ANNEXES in sections:
        contexte.annexes = [
            (seance, list(seance.ressources.all())) for seance in seances if seance.ressources.all()
        ]
    return contexte


# --- A collectivity's journey ---------------------------------------------------------------


@dataclass
class Parcours:
    cycle: object
    binome: object  # membres prefetched
    genere_le: object
    presences: list  # [(Seance, StatutBinome label, StatutBinome value)]
    bilan: object  # seances.assiduite.Bilan
    partages: list  # [(rubrique label, [Partage])] named group items of its members
    experimentations: list
    relais: list
    series: list  # journal_selectors.Serie
    graphique: object  # journal.grille.Graphique
    attestations: list


def parcours(binome, aujourdhui=None) -> Parcours:
    """What one collectivity did in the cycle, for its council. Only what the group could
    read, and only what its people signed: an item shared anonymously stays anonymous, so it
    is left out here."""
    cycle = binome.cycle
    aujourdhui = aujourdhui or timezone.localdate()
    # The pair's line only (the roll call of the others still says which calls were made).
    matrice = seances_selectors.matrice_assiduite(cycle, aujourdhui, binomes=[binome])
    ligne = next((ligne for ligne in matrice.lignes if ligne.binome.pk == binome.pk), None)
    presences = []
    if ligne is not None:
        presences = [
            (seance, StatutBinome(statut).label, statut)
            for seance, statut in zip(matrice.seances, ligne.statuts, strict=True)
        ]
    lignes = [
        ligne_element
        for ligne_element in _elements_partages(
            {"entree__seance__cycle": cycle, "entree__membre__binome": binome}
        )
        if ligne_element[2] == Audience.GROUPE
    ]
    par_rubrique = defaultdict(list)
    for ligne_element in lignes:
        par_rubrique[ligne_element[1]].append(_partage(ligne_element))
    series = journal_selectors.progression(binome)
    return Parcours(
        cycle=cycle,
        binome=binome,
        genere_le=timezone.now(),
        presences=presences,
        bilan=ligne.bilan if ligne is not None else None,
        partages=[
            (str(libelle), par_rubrique[cle])
            for cle, libelle in Rubrique.choices
            if par_rubrique[cle]
        ],
        experimentations=list(journal_selectors.experimentations_du_binome(binome)),
        relais=list(journal_selectors.relais_du_binome(binome)),
        series=series,
        graphique=graphique_diagnostic(series),
        attestations=list(Attestation.objects.filter(binome=binome).order_by("type", "titulaire")),
    )
