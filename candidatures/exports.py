"""Staff exports of the candidatures of a cycle (CSV for French Excel, XLSX), one row each.

The rows come from ``selectors.candidatures_pour_equipe``, which annotates what the extra
columns need: the number of queries does not depend on the number of rows. The answer
columns follow ``SECTIONS``, so a field added to the form appears here without change.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.documents.tableur import classeur_xlsx

from .completude import completude_libelle, manquants
from .enums import Engagement
from .models import Candidature
from .sections import SECTIONS

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
FORMAT_DATE_CSV = "%d/%m/%Y %H:%M"
SECTION_DU_CHAMP = {champ: section for section in SECTIONS for champ in section.champs}


def valeur_lisible(candidature, champ):
    """An answer as staff read it: « oui »/« non », the labels of the engagements, the text."""
    return lisible(champ, getattr(candidature, champ))


def lisible(champ, valeur):
    """The readable form of one answer, for pages, exports and PDFs alike."""
    if isinstance(valeur, bool):
        return _("oui") if valeur else _("non")
    if champ == "engagements":
        libelles = dict(Engagement.choices)
        return ", ".join(str(libelles.get(cle, cle)) for cle in valeur or [])
    return valeur or ""


def libelle_champ(champ) -> str:
    """« Référent·e politique – nom »: a field's label, prefixed by its section of the form."""
    section = SECTION_DU_CHAMP.get(champ)
    try:
        libelle = Candidature._meta.get_field(champ).verbose_name
    except FieldDoesNotExist:
        return champ
    return f"{section.titre} – {libelle}" if section else str(libelle)


def reponses_par_section(candidature) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every answer, by section of the form: [(section title, [(label, value)])]."""
    return [
        (
            section.titre,
            [
                (
                    Candidature._meta.get_field(champ).verbose_name,
                    valeur_lisible(candidature, champ),
                )
                for champ in section.champs
            ],
        )
        for section in SECTIONS
    ]


def type_collectivite(candidature) -> str:
    if candidature.territoire_id:
        return str(candidature.territoire.get_type_display())
    if candidature.structure_nature:
        return _("Hors liste (%(nature)s)") % {"nature": candidature.structure_nature}
    return _("Hors liste")


@dataclass(frozen=True)
class Colonne:
    entete: str
    valeur: Callable[[Candidature], object]


def _reponse(champ):
    return lambda candidature: valeur_lisible(candidature, champ)


def colonnes() -> list[Colonne]:
    def completude(candidature):
        return completude_libelle(manquants(candidature, a_une_lettre=candidature.a_une_lettre))

    return [
        Colonne(_("cycle"), lambda c: c.cycle.titre),
        Colonne(_("collectivité"), lambda c: str(c.nom_collectivite)),
        Colonne(_("SIREN"), lambda c: c.siren),
        Colonne(_("type"), type_collectivite),
        Colonne(_("département"), lambda c: str(c.departement) if c.departement_id else ""),
        Colonne(_("statut"), lambda c: str(c.get_statut_display())),
        Colonne(_("déposée le (heure de Paris)"), lambda c: c.depose_le),
        Colonne(
            _("éligibilité à vérifier"),
            lambda c: _("oui") if c.eligibilite_a_verifier else _("non"),
        ),
        Colonne(_("complétude"), completude),
        *(
            Colonne(libelle_champ(champ), _reponse(champ))
            for section in SECTIONS
            for champ in section.champs
        ),
        Colonne(_("pièces jointes"), lambda c: c.nb_pieces),
        Colonne(_("référent·es confirmé·es (sur 2)"), lambda c: c.nb_confirmes),
    ]


def tableau(candidatures) -> tuple[list[str], list[list]]:
    """Headers and rows; ``candidatures`` comes from ``candidatures_pour_equipe``."""
    liste = colonnes()
    entetes = [str(colonne.entete) for colonne in liste]
    lignes = [[colonne.valeur(candidature) for colonne in liste] for candidature in candidatures]
    return entetes, lignes


def _heure_de_paris(valeur: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(valeur).replace(tzinfo=None)


def _cellule_csv(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, datetime.datetime):
        return _heure_de_paris(valeur).strftime(FORMAT_DATE_CSV)
    if isinstance(valeur, int):
        return str(valeur)
    texte = str(valeur)
    if texte.startswith(DEBUTS_DE_FORMULE):
        return "'" + texte
    return texte


def export_csv(candidatures) -> str:
    """UTF-8 with a byte order mark and « ; » between cells: French Excel opens it as is."""
    entetes, lignes = tableau(candidatures)
    tampon = io.StringIO()
    tampon.write("\ufeff")
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([_cellule_csv(entete) for entete in entetes])
    for ligne in lignes:
        ecrivain.writerow([_cellule_csv(valeur) for valeur in ligne])
    return tampon.getvalue()


def export_xlsx(candidatures) -> bytes:
    """One sheet « Candidatures », the same columns as the CSV."""
    entetes, lignes = tableau(candidatures)
    return classeur_xlsx([(_("Candidatures"), entetes, lignes)])
