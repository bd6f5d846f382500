"""The assiduity workbook: the matrix as staff see it, and every recorded attendance. Both
sheets read through the selectors, so the figures are those of the page."""

from django.utils.translation import gettext as _

from cerdd_cycle.documents.tableur import Pourcentage, classeur_xlsx

from . import selectors
from .enums import StatutBinome


def _pourcentage(part) -> Pourcentage | None:
    return None if part is None else Pourcentage(part)


def lignes_assiduite(matrice) -> tuple[list[str], list[list]]:
    """One row per collectivity, one column per session."""
    entetes = [_("collectivité"), _("SIREN"), _("département")]
    entetes += [
        _("S%(numero)s – %(date)s") % {"numero": seance.numero, "date": f"{seance.date:%d/%m/%Y}"}
        for seance in matrice.seances
    ]
    entetes += [
        _("séances relevées"),
        _("séances complètes"),
        _("assiduité"),
        _("séances présentes ou excusées"),
        _("engagement"),
        _("alerte"),
    ]
    libelles = dict(StatutBinome.choices)
    lignes = []
    for ligne in matrice.lignes:
        candidature = ligne.binome.candidature
        bilan = ligne.bilan
        lignes.append(
            [
                str(ligne.binome),
                candidature.siren,
                str(candidature.departement) if candidature.departement_id else "",
                *(str(libelles[statut]) for statut in ligne.statuts),
                bilan.seances,
                bilan.completes,
                _pourcentage(bilan.assiduite),
                bilan.engagees,
                _pourcentage(bilan.engagement),
                ligne.alerte,
            ]
        )
    return [str(entete) for entete in entetes], lignes


def lignes_presences(cycle) -> tuple[list[str], list[list]]:
    """One row per person × session × half-day recorded."""
    entetes = [
        _("collectivité"),
        _("personne"),
        _("rôle"),
        _("suppléant·e"),
        _("séance"),
        _("date"),
        _("demi-journée"),
        _("statut"),
        _("source"),
        _("relevé le (heure de Paris)"),
        _("relevé par"),
    ]
    lignes = [
        [
            str(presence.membre.binome),
            presence.membre.user.nom_affiche,
            presence.membre.get_role_display(),
            presence.membre.suppleant,
            presence.seance.numero,
            presence.seance.date,
            presence.get_demi_journee_display(),
            presence.get_statut_display(),
            presence.get_source_display(),
            presence.marque_le,
            presence.marque_par.nom_affiche if presence.marque_par_id else "",
        ]
        for presence in selectors.presences_du_cycle(cycle)
    ]
    return [str(entete) for entete in entetes], lignes


def assiduite_xlsx(cycle, matrice=None) -> bytes:
    matrice = matrice or selectors.matrice_assiduite(cycle)
    return classeur_xlsx(
        [
            (_("Assiduité"), *lignes_assiduite(matrice)),
            (_("Présences"), *lignes_presences(cycle)),
        ]
    )
