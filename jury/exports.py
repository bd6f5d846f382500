"""Records of the deliberation: the XLSX of every score and comment, and the PDF summary
(ranking, decisions and reasons, jury). Both read through the selectors of the ranking page,
so the figures are the ones staff saw."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from candidatures.exports import type_collectivite
from cerdd_cycle.documents.pdf import rendre_pdf
from cerdd_cycle.documents.tableur import classeur_xlsx

from . import selectors
from .enums import Porte, StatutDecision

# --- XLSX -----------------------------------------------------------------------------------


def _departement(candidature) -> str:
    return str(candidature.departement) if candidature.departement_id else ""


def _nombre(valeur) -> str:
    """« 16,67 »: a figure written inside a text cell, the French way."""
    return number_format(valeur, decimal_pos=2)


def lignes_notes(cycle) -> tuple[list[str], list[list]]:
    """One row per juror × candidature × criterion, then the juror's overall comment."""
    criteres = selectors.grille(cycle)
    entetes = [
        _("collectivité"),
        _("SIREN"),
        _("département"),
        _("juré·e"),
        _("évaluation soumise le (heure de Paris)"),
        _("n° du critère"),
        _("critère"),
        _("type"),
        _("poids"),
        _("note"),
        _("condition"),
        _("commentaire"),
    ]
    porte_libelles = dict(Porte.choices)
    lignes = []
    for affectation in selectors.evaluations_du_cycle(cycle):
        candidature = affectation.candidature
        debut = [
            str(candidature.nom_collectivite),
            candidature.siren,
            _departement(candidature),
            affectation.jure.user.nom_affiche,
            affectation.soumise_le or _("non soumise"),
        ]
        notes = {note.critere_id: note for note in affectation.notes.all()}
        for critere in criteres:
            note = notes.get(critere.pk)
            lignes.append(
                [
                    *debut,
                    critere.ordre,
                    critere.intitule,
                    _("condition") if critere.est_porte else _("échelle"),
                    None if critere.est_porte else float(critere.poids),
                    note.valeur if note is not None and not critere.est_porte else None,
                    str(porte_libelles.get(note.porte, ""))
                    if note is not None and critere.est_porte
                    else None,
                    note.commentaire if note is not None else "",
                ]
            )
        lignes.append(
            [
                *debut,
                None,
                _("Appréciation générale"),
                "",
                None,
                None,
                None,
                affectation.commentaire,
            ]
        )
    return [str(entete) for entete in entetes], lignes


def lignes_classement(classement) -> tuple[list[str], list[list]]:
    """The ranking page as a sheet: one row per candidature."""
    jures = {jure.pk: jure.user.nom_affiche for jure in classement.jures}
    porte_libelles = dict(Porte.choices)
    entetes = [_("rang"), _("collectivité"), _("SIREN"), _("département"), _("type")]
    entetes.append(_("score /20"))
    for critere in classement.criteres:
        if critere.est_porte:
            entetes.append(_("%(critere)s – condition") % {"critere": critere.intitule})
        else:
            entetes.append(_("%(critere)s – moyenne") % {"critere": critere.intitule})
            entetes.append(_("%(critere)s – écart") % {"critere": critere.intitule})
    entetes += [
        _("écart entre les totaux des juré·es"),
        _("désaccord"),
        _("évaluations soumises"),
        _("évaluations manquantes"),
        _("total de chaque juré·e (/20)"),
        _("décision"),
        _("rang sur la liste d'attente"),
        _("motif"),
        _("décidée par"),
        _("décidée le (heure de Paris)"),
    ]
    lignes = []
    for ligne in classement.lignes:
        calcul, candidature, decision = ligne.calcul, ligne.candidature, ligne.decision
        valeurs = [
            calcul.rang or (_("écartée") if calcul.ecartee else _("non classée")),
            str(candidature.nom_collectivite),
            candidature.siren,
            _departement(candidature),
            type_collectivite(candidature),
            calcul.score,
        ]
        for detail in calcul.criteres:
            if detail.critere.porte:
                valeurs.append(str(porte_libelles.get(detail.porte, "")) if detail.porte else "")
            else:
                valeurs += [detail.moyenne, detail.ecart]
        valeurs += [
            calcul.ecart_total,
            _("oui") if calcul.desaccord else _("non"),
            calcul.nb_soumises,
            calcul.manquantes,
            " ; ".join(
                f"{jures.get(jure_id, jure_id)} : {_nombre(total)}"
                for jure_id, total in calcul.totaux.items()
            ),
            decision.get_statut_display() if decision else "",
            decision.rang_attente if decision else None,
            decision.motif if decision else "",
            decision.decide_par.nom_affiche if decision and decision.decide_par else "",
            decision.decide_le if decision else None,
        ]
        lignes.append(valeurs)
    return [str(entete) for entete in entetes], lignes


def notes_xlsx(cycle) -> bytes:
    """Sheets « Notes » (every score and comment) and « Classement » (the ranking page)."""
    return classeur_xlsx(
        [
            (_("Notes"), *lignes_notes(cycle)),
            (_("Classement"), *lignes_classement(selectors.classement_du_cycle(cycle))),
        ]
    )


# --- PDF summary ----------------------------------------------------------------------------


@dataclass
class LigneSynthese:
    rang: int | None
    collectivite: str
    departement: str
    type: str
    score: float | None
    ecart_total: float | None
    desaccord: bool
    manquantes: int
    portes_non: list
    portes_a_verifier: list
    decision: object  # Decision or None


def contexte_synthese(cycle, jury) -> dict:
    """What the summary shows; a separate step so that it can be tested without a PDF."""
    classement = selectors.classement_du_cycle(cycle)
    lignes = [
        LigneSynthese(
            rang=ligne.calcul.rang,
            collectivite=str(ligne.candidature.nom_collectivite),
            departement=_departement(ligne.candidature),
            type=type_collectivite(ligne.candidature),
            score=ligne.calcul.score,
            ecart_total=ligne.calcul.ecart_total,
            desaccord=ligne.calcul.desaccord,
            manquantes=ligne.calcul.manquantes,
            portes_non=[critere.intitule for critere in ligne.calcul.portes_non],
            portes_a_verifier=[critere.intitule for critere in ligne.calcul.portes_a_verifier],
            decision=ligne.decision,
        )
        for ligne in classement.lignes
    ]

    def avec(statut):
        return [ligne for ligne in lignes if ligne.decision and ligne.decision.statut == statut]

    attente = sorted(
        avec(StatutDecision.ATTENTE),
        key=lambda ligne: (ligne.decision.rang_attente is None, ligne.decision.rang_attente or 0),
    )
    jures = [jure for jure in selectors.jures_du_cycle(cycle) if jure.actif or jure.nb_soumises]
    return {
        "cycle": cycle,
        "jury": jury,
        "criteres": classement.criteres,
        "lignes": lignes,
        "retenues": avec(StatutDecision.RETENUE),
        "attente": attente,
        "non_retenues": avec(StatutDecision.NON_RETENUE),
        "sans_decision": [ligne for ligne in lignes if ligne.decision is None],
        "jures": jures,
        "genere_le": timezone.now(),
    }


def synthese_pdf(cycle, jury) -> bytes:
    return rendre_pdf("jury/pdf/synthese.html", contexte_synthese(cycle, jury))
