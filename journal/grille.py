"""The self-diagnosis grid: the default questions staff can start from, the cycle's averages,
and the geometry of the pair's chart (an SVG drawn on the server, no script)."""

import textwrap
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .enums import Temps
from .models import QuestionDiagnostic

# --- Default questions ----------------------------------------------------------------------


def _intitules_par_defaut() -> list[str]:
    return [
        _("Les habitant·es sont associé·es aux décisions qui les concernent."),
        _("Les élu·es et les services travaillent la participation ensemble."),
        _(
            "Notre collectivité dispose d'outils et de méthodes de participation adaptés "
            "à ses projets."
        ),
        _("Nous rendons compte aux habitant·es de ce que sont devenues leurs contributions."),
        _("Nous savons mobiliser au-delà des publics qui participent habituellement."),
        _("La participation citoyenne sert la transition écologique de notre territoire."),
    ]


def grille_par_defaut(cycle) -> list[QuestionDiagnostic]:
    """Six questions on a scale of 1 to 5 for a cycle whose grid is empty (nothing is added
    to a grid staff already started)."""
    with transaction.atomic():
        if QuestionDiagnostic.objects.select_for_update().filter(cycle=cycle).exists():
            return []
        return [
            QuestionDiagnostic.objects.create(
                cycle=cycle,
                ordre=numero,
                intitule=intitule,
                echelle=5,
                libelle_min=_("Pas du tout"),
                libelle_max=_("Tout à fait"),
            )
            for numero, intitule in enumerate(_intitules_par_defaut(), start=1)
        ]


# --- The cycle's averages -------------------------------------------------------------------


@dataclass
class Moyenne:
    question: QuestionDiagnostic
    valeurs: list  # average per Temps (None when no pair answered), in Temps order
    nombres: list  # how many pairs answered, per Temps

    @property
    def cellules(self) -> list[tuple]:
        return list(zip(self.valeurs, self.nombres, strict=True))


def moyennes(diagnostics) -> list[Moyenne]:
    """Per question and moment, the average of the pairs that answered
    (``diagnostics``: ``selectors.diagnostics_du_cycle``)."""
    if not diagnostics:
        return []
    resultats = []
    for rang, serie in enumerate(diagnostics[0][1]):
        colonnes = [
            [series[rang].valeurs[t] for _binome, series in diagnostics]
            for t in range(len(Temps.values))
        ]
        remplies = [[v for v in colonne if v is not None] for colonne in colonnes]
        resultats.append(
            Moyenne(
                question=serie.question,
                valeurs=[sum(r) / len(r) if r else None for r in remplies],
                nombres=[len(r) for r in remplies],
            )
        )
    return resultats


# --- The pair's chart -----------------------------------------------------------------------

LARGEUR = 720
X_BARRES = 130  # the moments' names sit left of the bars
LONGUEUR = 500  # the bar of the scale's maximum (its value is written after it)
HAUTEUR_LIGNE_TITRE = 20
HAUTEUR_BARRE = 18
PAS_BARRE = 26
HAUTEUR_GRADUATIONS = 20
ESPACE_GROUPES = 28
# One colour per moment (all at least 3:1 on white); the moment's name is written beside each
# bar, so colour is never the only way to tell them apart.
COULEURS = {Temps.DEBUT: "#6b7f99", Temps.MILIEU: "#2f6fb0", Temps.FIN: "#0b5d46"}


@dataclass
class Barre:
    libelle: str
    y: int
    valeur: int | None
    largeur: float = 0
    couleur: str = ""
    x_texte: float = 0
    y_texte: float = 0


@dataclass
class Groupe:
    lignes: list  # [(y, text)] the question, wrapped
    barres: list
    graduations: list  # [(x, value)]
    y_haut: int = 0
    y_bas: int = 0
    y_graduations: int = 0
    echelle: int = 5


@dataclass
class Graphique:
    groupes: list = field(default_factory=list)
    largeur: int = LARGEUR
    hauteur: int = 0
    x_barres: int = X_BARRES
    x_libelles: int = X_BARRES - 8
    x_fin: int = X_BARRES + LONGUEUR
    hauteur_barre: int = HAUTEUR_BARRE


def graphique(series) -> Graphique:
    """Grouped horizontal bars: per question, one bar per moment on the question's scale."""
    graphique = Graphique()
    y = 10
    for numero, serie in enumerate(series, start=1):
        question = serie.question
        texte = f"{numero}. {question.intitule}"
        lignes = []
        for ligne in textwrap.wrap(texte, 72) or [texte]:
            y += HAUTEUR_LIGNE_TITRE
            lignes.append((y, ligne))
        y += 10
        y_haut = y
        barres = []
        for (temps, libelle), valeur in zip(Temps.choices, serie.valeurs, strict=True):
            barre = Barre(libelle=str(libelle), y=y, valeur=valeur, couleur=COULEURS[temps])
            barre.y_texte = y + HAUTEUR_BARRE - 4
            if valeur is not None:
                barre.largeur = round(LONGUEUR * valeur / question.echelle, 1)
                barre.x_texte = X_BARRES + barre.largeur + 6
            else:
                barre.x_texte = X_BARRES + 6
            barres.append(barre)
            y += PAS_BARRE
        y_bas = y - (PAS_BARRE - HAUTEUR_BARRE)
        graduations = [
            (round(X_BARRES + LONGUEUR * valeur / question.echelle, 1), valeur)
            for valeur in range(1, question.echelle + 1)
        ]
        y += HAUTEUR_GRADUATIONS - (PAS_BARRE - HAUTEUR_BARRE)
        graphique.groupes.append(
            Groupe(
                lignes=lignes,
                barres=barres,
                graduations=graduations,
                y_haut=y_haut - 4,
                y_bas=y_bas + 4,
                y_graduations=y,
                echelle=question.echelle,
            )
        )
        y += ESPACE_GROUPES
    graphique.hauteur = y
    return graphique
