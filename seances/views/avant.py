"""Staff pages before a session: the board of the cycle's sessions, the confirmations and the
caterer's figures, the questions for the speaker (and their printable list), the needs survey."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.pdf import rendre_pdf, reponse_pdf

from .. import selectors, services
from ..enums import Regime, ReponseConfirmation, RoleMembre

# --- helpers --------------------------------------------------------------------------------


def _cycle(slug):
    return get_object_or_404(Cycle, slug=slug)


def _entier(valeur):
    try:
        return int(valeur)
    except (TypeError, ValueError):
        return None


def _erreur(exception: ValidationError) -> str:
    return " ".join(exception.messages)


# --- the board of the cycle -----------------------------------------------------------------


@dataclass
class LigneTableau:
    seance: object
    a_venir: bool
    note: selectors.EnvoiNote
    note_prevue_le: datetime.date
    binomes_complets: int = 0
    binomes: int = 0
    repas: int = 0


@equipe_requise
@require_GET
def tableau(request, cycle):
    cycle = _cycle(cycle)
    reglages = services.reglages_obtenir(cycle)
    aujourdhui = timezone.localdate()
    seances = list(selectors.seances_du_cycle(cycle))
    envois = selectors.notes_contexte_envoyees(seances)
    lignes = []
    for seance in seances:
        ligne = LigneTableau(
            seance=seance,
            a_venir=seance.date >= aujourdhui,
            note=envois[seance.pk],
            note_prevue_le=seance.date - datetime.timedelta(days=reglages.note_contexte_jours),
        )
        # Confirmations only matter for what is still to come.
        if ligne.a_venir:
            confirmations = selectors.confirmations_par_binome(seance)
            ligne.binomes = len(confirmations)
            ligne.binomes_complets = sum(c.complet for c in confirmations)
            ligne.repas = selectors.resume_traiteur(seance).total
        lignes.append(ligne)
    return render(
        request,
        "seances/equipe/tableau.html",
        {
            "cycle": cycle,
            "reglages": reglages,
            "lignes": lignes,
            "aujourdhui": aujourdhui,
            "envois_actifs": cycle.statut == StatutCycle.EN_COURS,
            "statut_en_cours": StatutCycle.EN_COURS.label,
            "lien_ajouter": reverse("admin:seances_seance_add")
            + "?"
            + urlencode({"cycle": cycle.pk}),
            "lien_liste": reverse("admin:seances_seance_changelist")
            + "?"
            + urlencode({"cycle__id__exact": cycle.pk}),
        },
    )


# --- confirmations and caterer ---------------------------------------------------------------


@dataclass
class EtatSiege:
    role: str
    libelle: str
    classe: str  # badge colour; the text says the same


def _etat_siege(siege) -> EtatSiege:
    role = RoleMembre(siege.role).label
    if siege.couvert and siege.par_suppleant:
        return EtatSiege(role, _("par suppléant·e"), "text-bg-info")
    if siege.couvert:
        return EtatSiege(role, _("confirmé"), "text-bg-success")
    if siege.repondu:
        return EtatSiege(role, _("excusé·e"), "text-bg-secondary")
    return EtatSiege(role, _("pas de réponse"), "text-bg-warning")


@equipe_requise
@require_GET
def seance(request, cycle, numero):
    cycle = _cycle(cycle)
    seance = selectors.seance_du_cycle_ou_404(cycle, numero)
    lignes = selectors.confirmations_par_binome(seance)
    libelles_regimes = dict(Regime.choices)
    for ligne in lignes:
        ligne.etats = [_etat_siege(siege) for siege in ligne.sieges]
        for _membre, confirmation in ligne.membres:
            if confirmation is not None:
                confirmation.regimes_lus = [
                    libelles_regimes.get(r, r) for r in confirmation.regimes
                ]
    incomplets = [ligne for ligne in lignes if not ligne.complet]
    seuls_incomplets = request.GET.get("incomplets") == "1"
    # The pairs to chase first; « sorted » keeps the collectivities' order within each part.
    affichees = incomplets if seuls_incomplets else sorted(lignes, key=lambda ligne: ligne.complet)
    return render(
        request,
        "seances/equipe/seance.html",
        {
            "cycle": cycle,
            "seance": seance,
            "lignes": affichees,
            "nombre_binomes": len(lignes),
            "nombre_incomplets": len(incomplets),
            "seuls_incomplets": seuls_incomplets,
            "resume": selectors.resume_traiteur(seance),
            "reponses": ReponseConfirmation,
        },
    )


# --- questions for the speaker --------------------------------------------------------------


def _fusionner(seance, donnees) -> str:
    principale = seance.questions.filter(pk=_entier(donnees.get("principale"))).first()
    if principale is None:
        raise ValidationError(_("Choisissez la question principale, celle qui restera."))
    ids = {_entier(valeur) for valeur in donnees.getlist("questions")} - {None, principale.pk}
    if not ids:
        raise ValidationError(
            _("Cochez au moins une autre question à fusionner dans la question principale.")
        )
    doublons = list(seance.questions.filter(pk__in=ids))
    if len(doublons) != len(ids):
        raise ValidationError(_("Les questions à fusionner doivent être de la même séance."))
    nombre = services.questions_fusionner(principale, doublons)
    return ngettext(
        "%(nb)s question fusionnée dans « %(texte)s ».",
        "%(nb)s questions fusionnées dans « %(texte)s ».",
        nombre,
    ) % {"nb": nombre, "texte": str(principale)}


def _separer(seance, donnees) -> str:
    question = seance.questions.filter(
        pk=_entier(donnees.get("question")), doublon_de__isnull=False
    ).first()
    if question is None:
        raise ValidationError(_("Cette question n'est fusionnée dans aucune autre."))
    services.question_separer(question)
    return _("La question « %(texte)s » est de nouveau séparée.") % {"texte": str(question)}


def _grouper(seance, donnees) -> str:
    question = seance.questions.filter(
        pk=_entier(donnees.get("question")), doublon_de__isnull=True
    ).first()
    if question is None:
        raise ValidationError(_("Cette question n'existe pas ou a été fusionnée dans une autre."))
    services.question_grouper(question, donnees.get("groupe", ""))
    question.refresh_from_db(fields=["groupe"])
    if not question.groupe:
        return _("La question « %(texte)s » n'est plus dans un groupe.") % {"texte": str(question)}
    return _("La question « %(texte)s » est classée dans « %(groupe)s ».") % {
        "texte": str(question),
        "groupe": question.groupe,
    }


ACTIONS_QUESTIONS = {"fusionner": _fusionner, "separer": _separer, "grouper": _grouper}


@equipe_requise
@require_http_methods(["GET", "POST"])
def questions(request, cycle, numero):
    cycle = _cycle(cycle)
    seance = selectors.seance_du_cycle_ou_404(cycle, numero)
    if request.method == "POST":
        action = ACTIONS_QUESTIONS.get(request.POST.get("action"))
        try:
            if action is None:
                raise ValidationError(_("Action inconnue : rechargez la page et recommencez."))
            messages.success(request, action(seance, request.POST))
        except ValidationError as erreur:
            messages.error(request, _erreur(erreur))
        return redirect("equipe_seances:questions", cycle.slug, seance.numero)
    groupes = selectors.questions_groupees(seance)
    return render(
        request,
        "seances/equipe/questions.html",
        {
            "cycle": cycle,
            "seance": seance,
            "groupes": groupes,
            "noms_groupes": [groupe.groupe for groupe in groupes if groupe.groupe],
            "nombre": sum(question.nombre for g in groupes for question in g.questions),
            "principales": sum(len(groupe.questions) for groupe in groupes),
        },
    )


def contexte_questions_pdf(seance) -> dict:
    """What the speaker receives. Collectivities, not people: the name of the commune or the
    EPCI is enough to situate a question and to turn to its pair in the room, while the
    participants' names are personal data a speaker from outside the cycle does not need."""
    groupes = selectors.questions_groupees(seance)
    plusieurs = len(groupes) > 1
    return {
        "cycle": seance.cycle,
        "seance": seance,
        "intervenants": [intervenant.nom for intervenant in seance.intervenants.all()],
        "groupes": [
            {
                "titre": groupe.groupe or (_("Autres questions") if plusieurs else ""),
                "questions": [
                    {
                        "texte": question.texte,
                        "nombre": question.nombre,
                        "collectivites": sorted(
                            {str(q.auteur.binome) for q in [question, *question.doublons_lus]}
                        ),
                    }
                    for question in groupe.questions
                ],
            }
            for groupe in groupes
        ],
        "genere_le": timezone.localtime(),
    }


@equipe_requise
@require_GET
def questions_pdf(request, cycle, numero):
    cycle = _cycle(cycle)
    seance = selectors.seance_du_cycle_ou_404(cycle, numero)
    contenu = rendre_pdf("seances/pdf/questions.html", contexte_questions_pdf(seance))
    nom = f"questions-seance-{seance.numero}-{cycle.slug}.pdf"
    return reponse_pdf(contenu, nom, telecharger=False)


# --- the needs survey -----------------------------------------------------------------------


@equipe_requise
@require_GET
def besoins(request, cycle):
    cycle = _cycle(cycle)
    synthese = selectors.besoins_du_cycle(cycle)
    questions_libres = (
        ("attentes", _("Attentes")),
        ("projet", _("Projet de participation en cours")),
        ("difficultes", _("Difficultés rencontrées")),
    )
    return render(
        request,
        "seances/equipe/besoins.html",
        {
            "cycle": cycle,
            "synthese": synthese,
            "reponses_libres": [
                (
                    champ,
                    libelle,
                    [
                        (reponse.membre, getattr(reponse, champ))
                        for reponse in synthese.reponses
                        if getattr(reponse, champ)
                    ],
                )
                for champ, libelle in questions_libres
            ],
        },
    )
