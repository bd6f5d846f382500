"""The report's three charts, drawn on the server as SVG: attendance per session, the sessions'
ratings, the group's self-diagnosis at the start and at the end of the cycle.

The geometry is computed here (dataclasses, absolute coordinates); the markup comes from one
template, ``capitalisation/graphiques/figure.svg``, whose autoescaping covers every text read
from the database. No script, no ``style`` attribute, no external reference.

Printed in black and white the charts still read: series differ by grey shade, hatching and
outline, every value is written beside or inside its bar, and a legend heads every chart.

Each function returns a ``SafeString``:

- one ``<svg>`` 640 px wide (169 mm at 96 px per inch: the report's CSS may scale it to 100 %),
  as tall as its rows need; a chart taller than ``hauteur_max`` is cut into several ``<svg>``
  parts, each with its legend, because WeasyPrint cannot split an image across two pages;
- with nothing to draw, a short French sentence in ``<p class="graphique-vide">`` instead.

``identifiant`` prefixes the ids of the ``<title>``, ``<desc>`` and patterns (the same chart
may appear twice on a page); parts after the first add ``-2``, ``-3``…
"""

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journal.enums import Temps
from seances.enums import StatutBinome

GABARIT = "capitalisation/graphiques/figure.svg"
LARGEUR = 640
POLICE = "Liberation Sans, DejaVu Sans, sans-serif"
# About 228 mm once 640 px are printed 169 mm wide: a part always fits on an A4 page.
HAUTEUR_MAX = 860

ENCRE = "#1a1a1a"
GRIS_TEXTE = "#4d4d4d"
GRIS_TRAIT = "#8c8c8c"
GRIS_CLAIR = "#c8c8c8"
BLANC = "#ffffff"
VERT = "#0b4f3c"

TAILLE = 12  # labels of the rows, values
TAILLE_DETAIL = 10.5  # the line of figures under a bar, tick labels
HAUTEUR_BARRE = 20
MARGE = 10  # between a column of labels and the bars
BAS_LIBRE = 10  # every row ends with at least this much blank space: not needed after the last


# --- Drawing primitives ---------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How a series is painted. ``motif`` names a pattern of the template (``hachures``,
    ``points``) painted instead of ``remplissage``."""

    remplissage: str
    motif: str = ""
    texte: str = ENCRE  # a value written inside the bar
    pastille: bool = False  # a value written inside sits on a white patch (over hatching)
    pointille: bool = False


PLEIN = Style(VERT, texte=BLANC)
HACHURE = Style(BLANC, motif="hachures", pastille=True)
CLAIR = Style(GRIS_CLAIR)
VIDE = Style(BLANC)
POINTS = Style(BLANC, motif="points", pastille=True, pointille=True)
PISTE = Style(BLANC, pointille=True)


@dataclass
class Rect:
    x: float
    y: float
    largeur: float
    hauteur: float
    style: Style = VIDE
    contour: str = ENCRE
    epaisseur: float = 0.8
    classe: str = ""
    genre: str = field(default="rect", init=False)


@dataclass
class Ligne:
    x1: float
    y1: float
    x2: float
    y2: float
    couleur: str = GRIS_TRAIT
    epaisseur: float = 0.8
    classe: str = ""
    genre: str = field(default="ligne", init=False)


@dataclass
class Texte:
    x: float
    y: float  # baseline
    contenu: str
    taille: float = TAILLE
    ancre: str = "start"  # text-anchor: start, middle, end
    gras: bool = False
    italique: bool = False
    couleur: str = ENCRE
    suite: str = ""  # written after ``contenu`` in the regular weight (a tspan)
    classe: str = ""
    genre: str = field(default="texte", init=False)


@dataclass
class Bloc:
    """A row of a chart: its height, its drawing once placed at ``y``, and its figures in
    words for the ``<desc>``."""

    hauteur: float
    dessiner: Callable[[float], list]
    resume: str


@dataclass
class Figure:
    """One ``<svg>``."""

    nom: str
    identifiant: str
    titre: str
    description: str
    hauteur: float
    elements: list
    largeur: int = LARGEUR
    police: str = POLICE


# --- Text helpers ---------------------------------------------------------------------------

# Advance widths of Liberation Sans (metric twin of Arial), in em: enough to lay out labels
# and wrap questions without measuring with a font engine.
_CHASSES = {
    **dict.fromkeys("ijl'|’", 0.222),
    **dict.fromkeys(" ,.:;!fIt/·\u00a0\u202f[]", 0.278),
    **dict.fromkeys('r-()«»"', 0.333),
    **dict.fromkeys("ckszvxyJ", 0.5),
    **dict.fromkeys("FTZ", 0.611),
    **dict.fromkeys("ABEKPSVXY", 0.667),
    **dict.fromkeys("CDHNRUw", 0.722),
    **dict.fromkeys("GOQ", 0.778),
    **dict.fromkeys("mM", 0.833),
    **dict.fromkeys("W", 0.944),
    "L": 0.556,
}


def largeur_texte(texte: str, taille: float, *, gras: bool = False) -> float:
    """Estimated width in px of ``texte`` at ``taille`` px (bold runs about 10 % wider)."""
    total = 0.0
    for caractere in texte:
        base = unicodedata.normalize("NFD", caractere)[:1] or caractere
        total += _CHASSES.get(base, 0.556)
    return total * taille * (1.1 if gras else 1)


def couper(texte: str, largeur: float, taille: float, *, gras: bool = False) -> list[str]:
    """``texte`` wrapped on words into lines no wider than ``largeur``; a word longer than a
    line is cut."""
    lignes, courante = [], ""
    for mot in texte.split():
        essai = f"{courante} {mot}" if courante else mot
        if largeur_texte(essai, taille, gras=gras) <= largeur:
            courante = essai
            continue
        if courante:
            lignes.append(courante)
        courante = ""
        while largeur_texte(mot, taille, gras=gras) > largeur:
            coupe = len(mot) - 1
            while coupe > 1 and largeur_texte(mot[:coupe], taille, gras=gras) > largeur:
                coupe -= 1
            lignes.append(mot[:coupe])
            mot = mot[coupe:]
        courante = mot
    if courante:
        lignes.append(courante)
    return lignes or [""]


def decimal_fr(valeur: float, chiffres: int = 1) -> str:
    """« 3,8 »: the decimal comma of the report, whatever language is active."""
    return f"{valeur:.{chiffres}f}".replace(".", ",")


def _c(valeur: float) -> float:
    """A coordinate, rounded (the template writes it with a dot)."""
    return round(valeur, 1)


def libelle_seance(seance) -> str:
    """« S1 · 5 oct. 2021 », « S3 · 1er déc. 2021 »."""
    jour = _("1er") if seance.date.day == 1 else str(seance.date.day)
    return _("S%(numero)s · %(date)s") % {
        "numero": seance.numero,
        "date": f"{jour}\u00a0{dateformat.format(seance.date, 'N Y')}",
    }


# --- Assembling ---------------------------------------------------------------------------

_IDENTIFIANT = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _texte_etat(x: float, y: float, texte: str, *taille) -> "Texte":
    """The italic grey words that stand where a bar is missing (« séance à venir »…)."""
    return Texte(_c(x + 8), y, texte, *taille, italique=True, couleur=GRIS_TEXTE, classe="etat")


def _verifier_identifiant(identifiant: str) -> str:
    if not _IDENTIFIANT.match(identifiant):
        raise ValueError(f"Identifiant de graphique invalide : {identifiant!r}")
    return identifiant


def _vide(message: str) -> SafeString:
    return format_html('<p class="graphique-vide">{}</p>', message)


def legende(items: list[tuple[Style, str]], y: float) -> tuple[list, float]:
    """Swatches and their labels flowing on as many lines as needed; returns the elements and
    the y under the legend."""
    elements, x, ligne = [], 0.0, 0
    for style, libelle in items:
        largeur = 20 + largeur_texte(libelle, TAILLE_DETAIL + 0.5) + 16
        if x > 0 and x + largeur > LARGEUR:
            x, ligne = 0.0, ligne + 1
        haut = y + ligne * 20
        elements.append(Rect(_c(x), _c(haut), 14, 14, style, classe="legende-pastille"))
        elements.append(
            Texte(_c(x + 20), _c(haut + 11.5), libelle, TAILLE_DETAIL + 0.5, classe="legende")
        )
        x += largeur
    return elements, y + (ligne + 1) * 20 + 6


def _graduations(x: float, longueur: float, echelle: int, y: float, *, zero: bool) -> list:
    """The values of the scale written above the first row of bars."""
    debut = 0 if zero else 1
    return [
        Texte(
            _c(x + longueur * valeur / echelle),
            _c(y),
            str(valeur),
            TAILLE_DETAIL,
            ancre="middle",
            couleur=GRIS_TEXTE,
            classe="graduation",
        )
        for valeur in range(debut, echelle + 1)
    ]


def _decoupage(blocs: list[Bloc], hauteur_entete: float, limite: float) -> list[list[Bloc]]:
    parts, courante, hauteur = [], [], hauteur_entete
    for bloc in blocs:
        if courante and hauteur + bloc.hauteur > limite:
            parts.append(courante)
            courante, hauteur = [], hauteur_entete
        courante.append(bloc)
        hauteur += bloc.hauteur
    parts.append(courante)
    return parts


def _decouper(blocs: list[Bloc], hauteur_entete: float, hauteur_max: float) -> list[list[Bloc]]:
    """The fewest parts under ``hauteur_max``, then the lowest limit that still needs no more
    parts: 15 questions make two halves rather than a full part and a stub."""
    parts = _decoupage(blocs, hauteur_entete, hauteur_max)
    if len(parts) == 1:
        return parts
    bas, haut = hauteur_entete + max(bloc.hauteur for bloc in blocs), hauteur_max
    while haut - bas > 1:
        milieu = (bas + haut) / 2
        if len(_decoupage(blocs, hauteur_entete, milieu)) <= len(parts):
            haut = milieu
        else:
            bas = milieu
    return _decoupage(blocs, hauteur_entete, haut)


def _piste(x: float, y: float, longueur: float, hauteur: float, echelle: int, *, vide: bool):
    """The whole scale behind a bar, a light mark at each value; dashed and bare when there
    is no bar to draw."""
    if vide:
        return [Rect(x, y, longueur, hauteur, PISTE, contour=GRIS_TRAIT, classe="piste vide")]
    return [
        Rect(x, y, longueur, hauteur, VIDE, contour=GRIS_TRAIT, classe="piste"),
        *(
            Ligne(
                _c(x + longueur * valeur / echelle),
                y,
                _c(x + longueur * valeur / echelle),
                _c(y + hauteur),
                GRIS_CLAIR,
                classe="repere",
            )
            for valeur in range(1, echelle)
        ),
    ]


def _assembler(
    nom: str,
    identifiant: str,
    titre: str,
    explication: str,
    entete: Callable[[], tuple[list, float]],
    blocs: list[Bloc],
    hauteur_max: float,
) -> SafeString:
    """Lay the rows under the header, cut into parts no taller than ``hauteur_max`` (as even
    as possible), render each part."""
    _elements, hauteur_entete = entete()
    parts = _decouper(blocs, hauteur_entete, hauteur_max)
    rendus = []
    for rang, part in enumerate(parts, start=1):
        elements, y = entete()
        resumes = []
        for bloc in part:
            elements.extend(bloc.dessiner(y))
            y += bloc.hauteur
            resumes.append(bloc.resume)
        titre_part = titre
        if len(parts) > 1:
            titre_part = _("%(titre)s (partie %(rang)s sur %(total)s)") % {
                "titre": titre,
                "rang": rang,
                "total": len(parts),
            }
        figure = Figure(
            nom=nom,
            identifiant=identifiant if rang == 1 else f"{identifiant}-{rang}",
            titre=titre_part,
            description=" ".join([explication, *resumes]),
            hauteur=math.ceil(y - BAS_LIBRE),
            elements=elements,
        )
        rendus.append(render_to_string(GABARIT, {"figure": figure}))
    return mark_safe("\n".join(rendus))  # noqa: S308 — rendered by the autoescaping template


# --- Attendance -----------------------------------------------------------------------------


def _series_presence():
    return [
        ("complet", PLEIN, _("Binôme complet (ou avec suppléant·e)")),
        ("incomplet", HACHURE, _("Incomplet (élu·e ou technicien·ne seul·e)")),
        ("excuse", CLAIR, _("Excusé")),
        ("absent", VIDE, _("Absent")),
        ("non-releve", POINTS, _("Non relevé")),
    ]


def _comptes_presence(seance_rapport) -> list[int]:
    """Per series of ``_series_presence``: complete, incomplete, excused, absent, unknown."""
    statuts = seance_rapport.statuts
    return [
        seance_rapport.completes,
        seance_rapport.incompletes,
        statuts.get(StatutBinome.EXCUSE, 0),
        statuts.get(StatutBinome.ABSENT, 0),
        statuts.get(StatutBinome.NON_RENSEIGNE, 0),
    ]


def _etat_seance(seance_rapport) -> str:
    if not seance_rapport.tenue:
        return "a_venir"
    if not any(_comptes_presence(seance_rapport)[:4]):
        return "non_releve"
    return "relevee"


def _detail_presence(comptes: list[int]) -> list[str]:
    """« 8 complets · 3 incomplets · 1 absent »: the statuses nobody had are left out."""
    complets, incomplets, excuses, absents, inconnus = comptes
    morceaux = [
        (complets, ngettext("%(n)s complet", "%(n)s complets", complets)),
        (incomplets, ngettext("%(n)s incomplet", "%(n)s incomplets", incomplets)),
        (excuses, ngettext("%(n)s excusé", "%(n)s excusés", excuses)),
        (absents, ngettext("%(n)s absent", "%(n)s absents", absents)),
        (inconnus, ngettext("%(n)s non relevé", "%(n)s non relevés", inconnus)),
    ]
    return [forme % {"n": n} for n, forme in morceaux if n]


def _personnes(n: int) -> str:
    return ngettext("%(n)s personne", "%(n)s personnes", n) % {"n": n}


def presences(
    seances, *, identifiant: str = "rapport-presences", hauteur_max: float = HAUTEUR_MAX
) -> SafeString:
    """Attendance per session: a horizontal bar per session, cut by the status of the cycle's
    pairs (complete, incomplete, excused, absent; "non relevé" when a pair's presence was not
    recorded), the figures written inside the bar and under it, the people present on the
    right. A session still to come, or held with nothing recorded, says so instead of a bar.

    ``seances``: ``[SeanceRapport]``. Without any session held, or with no presence recorded
    at all, a ``<p>`` says so."""
    _verifier_identifiant(identifiant)
    if not any(seance.tenue for seance in seances):
        return _vide(_("Aucune séance n'a encore eu lieu."))
    if all(_etat_seance(seance) != "relevee" for seance in seances):
        return _vide(_("Aucune présence n'a encore été relevée."))

    series = _series_presence()
    total = max(sum(_comptes_presence(seance)) for seance in seances)
    libelles = [libelle_seance(seance.seance) for seance in seances]
    x = _c(min(max(largeur_texte(t, TAILLE, gras=True) for t in libelles) + MARGE, 200))
    colonne = max(largeur_texte(_personnes(s.personnes), TAILLE) for s in seances) + MARGE
    longueur = _c(LARGEUR - x - colonne)
    inconnus = any(
        _etat_seance(seance) == "relevee" and _comptes_presence(seance)[4] for seance in seances
    )

    def entete():
        items = [(style, libelle) for _cle, style, libelle in series[: 5 if inconnus else 4]]
        return legende(items, 4)

    def bloc(seance_rapport, libelle):
        etat = _etat_seance(seance_rapport)
        comptes = _comptes_presence(seance_rapport)
        if etat == "a_venir":
            resume = _("%(seance)s : séance à venir.") % {"seance": libelle}
        elif etat == "non_releve":
            resume = _("%(seance)s : présences non relevées.") % {"seance": libelle}
        else:
            personnes = seance_rapport.personnes
            resume = _("%(seance)s : %(detail)s ; %(personnes)s.") % {
                "seance": libelle,
                "detail": ", ".join(_detail_presence(comptes)),
                "personnes": ngettext(
                    "%(n)s personne présente", "%(n)s personnes présentes", personnes
                )
                % {"n": personnes},
            }

        def dessiner(y):
            milieu = y + HAUTEUR_BARRE / 2 + TAILLE * 0.35
            elements = [Texte(0, _c(milieu), libelle, gras=True, classe="seance")]
            if etat != "relevee":
                texte = _("séance à venir") if etat == "a_venir" else _("présences non relevées")
                elements += [
                    Rect(
                        x,
                        y,
                        longueur,
                        HAUTEUR_BARRE,
                        PISTE,
                        contour=GRIS_TRAIT,
                        classe=f"piste {etat.replace('_', '-')}",
                    ),
                    _texte_etat(x, _c(milieu), texte),
                ]
                return elements
            cumul = 0
            for (cle, style, _libelle), nombre in zip(series, comptes, strict=True):
                if not nombre:
                    continue
                debut = _c(x + longueur * cumul / total)
                cumul += nombre
                fin = _c(x + longueur * cumul / total)
                elements.append(
                    Rect(debut, y, _c(fin - debut), HAUTEUR_BARRE, style, classe=f"segment {cle}")
                )
                texte = str(nombre)
                largeur = largeur_texte(texte, TAILLE - 1, gras=True)
                if fin - debut >= largeur + 8:
                    centre = (debut + fin) / 2
                    if style.pastille:
                        elements.append(
                            Rect(
                                _c(centre - largeur / 2 - 3),
                                y + 3,
                                _c(largeur + 6),
                                HAUTEUR_BARRE - 6,
                                VIDE,
                                contour="none",
                                epaisseur=0,
                                classe="pastille",
                            )
                        )
                    elements.append(
                        Texte(
                            _c(centre),
                            _c(milieu),
                            texte,
                            TAILLE - 1,
                            ancre="middle",
                            gras=True,
                            couleur=style.texte,
                            classe="valeur",
                        )
                    )
            elements += [
                Texte(
                    _c(x + longueur + MARGE),
                    _c(milieu),
                    _personnes(seance_rapport.personnes),
                    classe="personnes",
                ),
                Texte(
                    x,
                    _c(y + HAUTEUR_BARRE + 13),
                    " · ".join(_detail_presence(comptes)),
                    TAILLE_DETAIL,
                    couleur=GRIS_TEXTE,
                    classe="detail",
                ),
            ]
            return elements

        hauteur = HAUTEUR_BARRE + (30 if etat == "relevee" else 14)
        return Bloc(hauteur, dessiner, resume)

    blocs = [bloc(seance, libelle) for seance, libelle in zip(seances, libelles, strict=True)]
    return _assembler(
        "presences",
        identifiant,
        _("Présence des collectivités à chaque séance"),
        ngettext(
            "Pour chaque séance, une barre découpée selon la présence du binôme de la "
            "collectivité : complet (ou complété par un·e suppléant·e), incomplet (élu·e ou "
            "technicien·ne seul·e), excusé ou absent. Le nombre de personnes présentes est "
            "écrit à droite.",
            "Pour chaque séance, une barre découpée selon la présence des binômes des "
            "%(n)s collectivités : complet (ou complété par un·e suppléant·e), incomplet "
            "(élu·e ou technicien·ne seul·e), excusé ou absent. Le nombre de personnes "
            "présentes est écrit à droite.",
            total,
        )
        % {"n": total},
        entete,
        blocs,
        hauteur_max,
    )


# --- Ratings --------------------------------------------------------------------------------

NOTE_MAX = 5


def _note(moyenne: float) -> str:
    return _("%(moyenne)s sur %(max)s") % {"moyenne": decimal_fr(moyenne), "max": NOTE_MAX}


def _repartition(evaluation) -> str:
    """« 12 réponses : 6 notes de 5, 4 de 4, 2 de 3 » (ratings nobody gave left out)."""
    reponses = ngettext("%(n)s réponse", "%(n)s réponses", evaluation.nombre) % {
        "n": evaluation.nombre
    }
    donnees = [(note, n) for note, n in evaluation.repartition if n]
    if not donnees:
        return reponses
    morceaux = [
        ngettext("%(n)s note de %(note)s", "%(n)s notes de %(note)s", donnees[0][1])
        % {"n": donnees[0][1], "note": donnees[0][0]}
    ]
    morceaux += [_("%(n)s de %(note)s") % {"n": n, "note": note} for note, n in donnees[1:]]
    return _("%(reponses)s : %(notes)s") % {"reponses": reponses, "notes": ", ".join(morceaux)}


def evaluations(
    seances, *, identifiant: str = "rapport-evaluations", hauteur_max: float = HAUTEUR_MAX
) -> SafeString:
    """The rating the participants gave each session: a bar of the average on 5 (on a track
    of the whole scale), the average written on the right, the number of answers and their
    distribution under the bar. A session without evaluation says « pas d'évaluation » (« séance
    à venir » before its day).

    ``seances``: ``[SeanceRapport]``. When no session was rated at all, a ``<p>`` says so."""
    _verifier_identifiant(identifiant)
    notees = [s for s in seances if s.evaluation.nombre and s.evaluation.moyenne is not None]
    if not notees:
        return _vide(_("Aucune séance n'a encore été évaluée."))

    libelles = [libelle_seance(seance.seance) for seance in seances]
    x = _c(min(max(largeur_texte(t, TAILLE, gras=True) for t in libelles) + MARGE, 200))
    colonne = max(largeur_texte(_note(s.evaluation.moyenne), TAILLE, gras=True) for s in notees)
    longueur = _c(LARGEUR - x - colonne - MARGE)

    def entete():
        elements, y = legende([(PLEIN, _("Note moyenne des participant·es, sur 5"))], 4)
        elements += _graduations(x, longueur, NOTE_MAX, y + 8, zero=True)
        return elements, y + 14

    def bloc(seance_rapport, libelle):
        evaluation = seance_rapport.evaluation
        notee = evaluation.nombre > 0 and evaluation.moyenne is not None
        if notee:
            resume = _("%(seance)s : %(note)s (%(detail)s).") % {
                "seance": libelle,
                "note": _note(evaluation.moyenne),
                "detail": _repartition(evaluation),
            }
        elif seance_rapport.tenue:
            resume = _("%(seance)s : pas d'évaluation.") % {"seance": libelle}
        else:
            resume = _("%(seance)s : séance à venir.") % {"seance": libelle}

        def dessiner(y):
            milieu = y + HAUTEUR_BARRE / 2 + TAILLE * 0.35
            elements = [
                Texte(0, _c(milieu), libelle, gras=True, classe="seance"),
                *_piste(x, y, longueur, HAUTEUR_BARRE, NOTE_MAX, vide=not notee),
            ]
            if not notee:
                texte = _("pas d'évaluation") if seance_rapport.tenue else _("séance à venir")
                elements.append(_texte_etat(x, _c(milieu), texte))
                return elements
            elements += [
                Rect(
                    x,
                    y,
                    _c(longueur * evaluation.moyenne / NOTE_MAX),
                    HAUTEUR_BARRE,
                    PLEIN,
                    classe="barre moyenne",
                ),
                Texte(
                    _c(x + longueur + MARGE),
                    _c(milieu),
                    _note(evaluation.moyenne),
                    gras=True,
                    classe="valeur",
                ),
                Texte(
                    x,
                    _c(y + HAUTEUR_BARRE + 13),
                    _repartition(evaluation),
                    TAILLE_DETAIL,
                    couleur=GRIS_TEXTE,
                    classe="detail",
                ),
            ]
            return elements

        return Bloc(HAUTEUR_BARRE + (30 if notee else 14), dessiner, resume)

    blocs = [bloc(seance, libelle) for seance, libelle in zip(seances, libelles, strict=True)]
    return _assembler(
        "evaluations",
        identifiant,
        _("Évaluation des séances par les participant·es"),
        _(
            "Pour chaque séance, la note moyenne donnée par les participant·es, sur 5, avec le "
            "nombre de réponses et leur répartition."
        ),
        entete,
        blocs,
        hauteur_max,
    )


# --- Self-diagnosis -------------------------------------------------------------------------

HAUTEUR_BARRE_DIAGNOSTIC = 16
PAS_DIAGNOSTIC = 21
INTERLIGNE_QUESTION = 15


def _styles_temps():
    return {Temps.DEBUT: CLAIR, Temps.MILIEU: HACHURE, Temps.FIN: PLEIN}


def _echelle(question) -> str:
    return _("Échelle de 1 (%(min)s) à %(max)s (%(libelle_max)s)") % {
        "min": question.libelle_min,
        "max": question.echelle,
        "libelle_max": question.libelle_max,
    }


def _valeur_diagnostic(moyenne, repondants, echelle) -> tuple[str, str]:
    return (
        _("%(moyenne)s sur %(echelle)s") % {"moyenne": decimal_fr(moyenne), "echelle": echelle},
        " " + ngettext("(%(n)s binôme)", "(%(n)s binômes)", repondants) % {"n": repondants},
    )


def autodiagnostic(
    synthese, *, identifiant: str = "rapport-autodiagnostic", hauteur_max: float = HAUTEUR_MAX
) -> SafeString:
    """Per question of the grid, the group's average at the start and at the end of the cycle
    (and at mid-course when some pair filled it), one bar per moment on the question's scale,
    the average and the number of pairs that answered written on the right; a moment nobody
    filled reads « non rempli ». Questions are wrapped over the whole width above their bars.

    ``synthese``: ``SyntheseDiagnostic``. Without questions, or when no pair filled anything,
    a ``<p>`` says so."""
    _verifier_identifiant(identifiant)
    if synthese is None or not synthese.lignes:
        return _vide(_("La grille d'autodiagnostic de ce cycle n'a aucune question."))
    if not any(sum(ligne.repondants) for ligne in synthese.lignes):
        return _vide(_("Aucun binôme n'a encore rempli l'autodiagnostic."))

    rangs = [0, 1, 2] if any(ligne.repondants[1] for ligne in synthese.lignes) else [0, 2]
    temps = [Temps.values[rang] for rang in rangs]
    libelles_temps = [str(Temps(valeur).label) for valeur in temps]
    styles = _styles_temps()
    echelles = {
        (ligne.question.echelle, ligne.question.libelle_min, ligne.question.libelle_max)
        for ligne in synthese.lignes
    }
    commune = len(echelles) == 1
    x = _c(max(largeur_texte(t, TAILLE - 0.5) for t in libelles_temps) + MARGE)
    valeurs = [
        _valeur_diagnostic(ligne.moyennes[rang], ligne.repondants[rang], ligne.question.echelle)
        for ligne in synthese.lignes
        for rang in rangs
        if ligne.moyennes[rang] is not None
    ]
    colonne = max(
        (
            largeur_texte(valeur, TAILLE - 0.5, gras=True) + largeur_texte(suite, TAILLE - 0.5)
            for valeur, suite in valeurs
        ),
        default=0,
    )
    longueur = _c(LARGEUR - x - colonne - MARGE)

    def entete():
        items = [(styles[t], libelle) for t, libelle in zip(temps, libelles_temps, strict=True)]
        elements, y = legende(items, 4)
        if commune:
            question = synthese.lignes[0].question
            elements.append(
                Texte(
                    0,
                    _c(y + 8),
                    _echelle(question),
                    TAILLE_DETAIL,
                    couleur=GRIS_TEXTE,
                    classe="echelle",
                )
            )
            y += 16
            elements += _graduations(x, longueur, question.echelle, y + 8, zero=False)
            y += 14
        return elements, y

    def bloc(numero, ligne):
        question = ligne.question
        lignes_titre = couper(f"{numero}. {question.intitule}", LARGEUR - 8, TAILLE, gras=True)
        sous_titre = "" if commune else _echelle(question)
        haut_barres = len(lignes_titre) * INTERLIGNE_QUESTION + (14 if sous_titre else 0) + 6
        hauteur = haut_barres + len(rangs) * PAS_DIAGNOSTIC + 14
        morceaux = []
        for rang, libelle in zip(rangs, libelles_temps, strict=True):
            if ligne.moyennes[rang] is None:
                morceaux.append(_("%(temps)s : non rempli") % {"temps": libelle})
            else:
                valeur, suite = _valeur_diagnostic(
                    ligne.moyennes[rang], ligne.repondants[rang], question.echelle
                )
                morceaux.append(f"{libelle} : {valeur}{suite}")
        resume = f"{numero}. {question.intitule} — {' ; '.join(morceaux)}."

        def dessiner(y):
            elements = []
            for rang_ligne, texte in enumerate(lignes_titre, start=1):
                elements.append(
                    Texte(
                        0,
                        _c(y + rang_ligne * INTERLIGNE_QUESTION - 3),
                        texte,
                        gras=True,
                        classe="question",
                    )
                )
            if sous_titre:
                elements.append(
                    Texte(
                        0,
                        _c(y + len(lignes_titre) * INTERLIGNE_QUESTION + 10),
                        sous_titre,
                        TAILLE_DETAIL,
                        couleur=GRIS_TEXTE,
                        classe="echelle",
                    )
                )
            haut = y + haut_barres
            for rang, t, libelle in zip(rangs, temps, libelles_temps, strict=True):
                milieu = _c(haut + HAUTEUR_BARRE_DIAGNOSTIC / 2 + (TAILLE - 0.5) * 0.35)
                elements += [
                    Texte(
                        _c(x - MARGE), milieu, libelle, TAILLE - 0.5, ancre="end", classe="temps"
                    ),
                    *_piste(
                        x,
                        _c(haut),
                        longueur,
                        HAUTEUR_BARRE_DIAGNOSTIC,
                        question.echelle,
                        vide=ligne.moyennes[rang] is None,
                    ),
                ]
                moyenne = ligne.moyennes[rang]
                if moyenne is None:
                    elements.append(_texte_etat(x, milieu, _("non rempli"), TAILLE - 0.5))
                else:
                    valeur, suite = _valeur_diagnostic(
                        moyenne, ligne.repondants[rang], question.echelle
                    )
                    elements += [
                        Rect(
                            x,
                            _c(haut),
                            _c(longueur * moyenne / question.echelle),
                            HAUTEUR_BARRE_DIAGNOSTIC,
                            styles[t],
                            classe=f"barre {t}",
                        ),
                        Texte(
                            _c(x + longueur + MARGE),
                            milieu,
                            valeur,
                            TAILLE - 0.5,
                            gras=True,
                            suite=suite,
                            classe="valeur",
                        ),
                    ]
                haut += PAS_DIAGNOSTIC
            return elements

        return Bloc(hauteur, dessiner, resume)

    blocs = [bloc(numero, ligne) for numero, ligne in enumerate(synthese.lignes, start=1)]
    repondants = ", ".join(
        _("%(temps)s : %(n)s sur %(total)s")
        % {"temps": libelle, "n": synthese.binomes_par_temps[rang], "total": synthese.binomes}
        for rang, libelle in zip(rangs, libelles_temps, strict=True)
    )
    return _assembler(
        "autodiagnostic",
        identifiant,
        _("Autodiagnostic du groupe, du début à la fin du cycle"),
        _(
            "Pour chaque question de la grille, la moyenne des binômes qui ont répondu, à "
            "chaque moment du cycle, sur l'échelle de la question ; un moment que personne "
            "n'a rempli est signalé comme tel. Binômes ayant rempli l'autodiagnostic : "
            "%(repondants)s."
        )
        % {"repondants": repondants},
        entete,
        blocs,
        hauteur_max,
    )
