"""The one way the platform writes a spreadsheet (XLSX): a bold frozen header, filters, column
widths from the content, dates in Paris time, and every text written as text, never a formula
(``=…`` typed by a user stays inert)."""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMAT_DATE = "DD/MM/YYYY HH:MM"
FORMAT_JOUR = "DD/MM/YYYY"
FORMAT_NOMBRE = "0.00"
FORMAT_POURCENT = "0%"
LARGEUR_MIN, LARGEUR_MAX = 8, 60


class Pourcentage(float):
    """A share (0.75) shown as « 75 % »."""


def _remplir(feuille, entetes, lignes) -> None:
    largeurs = [len(str(entete)) for entete in entetes]
    for numero_ligne, ligne in enumerate([entetes, *lignes], start=1):
        for numero_colonne, valeur in enumerate(ligne, start=1):
            if valeur is None or valeur == "":
                continue
            cellule = feuille.cell(row=numero_ligne, column=numero_colonne)
            if isinstance(valeur, datetime.datetime):
                cellule.value = timezone.localtime(valeur).replace(tzinfo=None)
                cellule.number_format = FORMAT_DATE
                texte = "00/00/0000 00:00"
            elif isinstance(valeur, datetime.date):
                cellule.value = valeur
                cellule.number_format = FORMAT_JOUR
                texte = "00/00/0000"
            elif isinstance(valeur, bool):
                cellule.value = str(_("oui") if valeur else _("non"))
                texte = cellule.value
            elif isinstance(valeur, int):
                cellule.value = valeur
                texte = str(valeur)
            elif isinstance(valeur, float):
                cellule.value = float(valeur)
                pourcent = isinstance(valeur, Pourcentage)
                cellule.number_format = FORMAT_POURCENT if pourcent else FORMAT_NOMBRE
                texte = f"{valeur:.2f}"
            else:
                texte = ILLEGAL_CHARACTERS_RE.sub("", str(valeur))
                cellule.value = texte
                cellule.data_type = "s"
            largeur = max((len(morceau) for morceau in texte.splitlines()), default=0)
            largeurs[numero_colonne - 1] = max(largeurs[numero_colonne - 1], largeur)
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
        cellule.alignment = Alignment(wrap_text=True, vertical="top")
    for numero_colonne, largeur in enumerate(largeurs, start=1):
        feuille.column_dimensions[get_column_letter(numero_colonne)].width = min(
            max(largeur + 2, LARGEUR_MIN), LARGEUR_MAX
        )
    feuille.freeze_panes = "A2"
    feuille.auto_filter.ref = feuille.dimensions


def classeur_xlsx(feuilles) -> bytes:
    """``feuilles``: ``[(titre, entetes, lignes), …]``, one sheet each, in that order."""
    classeur = Workbook()
    classeur.remove(classeur.active)
    for titre, entetes, lignes in feuilles:
        # Excel limits a sheet name to 31 characters and forbids a few.
        nom = "".join(c for c in str(titre) if c not in "[]:*?/\\")[:31]
        _remplir(classeur.create_sheet(nom), [str(entete) for entete in entetes], lignes)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
