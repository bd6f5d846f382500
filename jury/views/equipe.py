"""Staff pages of a cycle's jury: the settings, the jurors and their invitations, the
automatic assignment and the matrix to adjust it by hand."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from candidatures.sections import SECTIONS_PAR_CLE
from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.cycles.selectors import cycle_courant

from .. import selectors, services
from ..forms.equipe import InvitationJureForm, ParametresForm
from ..models import Affectation, Jure
from ..repartition import charge_par_defaut

# --- helpers --------------------------------------------------------------------------------


def _cycle(slug):
    return get_object_or_404(Cycle, slug=slug)


def _est_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _entier(valeur):
    try:
        return int(valeur)
    except (TypeError, ValueError):
        raise Http404 from None


def _erreur(exception: ValidationError) -> str:
    return " ".join(exception.messages)


# --- the dashboard --------------------------------------------------------------------------


@dataclass
class CritereResume:
    critere: object
    sections: list[str]

    @property
    def nb_niveaux(self):
        return len(self.critere.niveaux.all())


def _contexte_tableau(cycle, jury, *, parametres=None, invitation=None):
    jures = list(selectors.jures_du_cycle(cycle))
    actifs = [jure for jure in jures if jure.actif]
    nb_candidatures = selectors.candidatures_a_evaluer(cycle).count()
    affectations = selectors.chiffres_affectations(cycle)
    criteres = [
        CritereResume(
            critere,
            [
                str(SECTIONS_PAR_CLE[cle].titre)
                for cle in critere.sections
                if cle in SECTIONS_PAR_CLE
            ],
        )
        for critere in selectors.grille(cycle)
    ]
    return {
        "cycle": cycle,
        "jury": jury,
        "onglet": "tableau",
        "titre_page": _("Juré·es et répartition"),
        "chiffres": {
            "candidatures": nb_candidatures,
            "actifs": len(actifs),
            "liens_declares": sum(1 for jure in actifs if jure.liens_declares_le),
            "affectations": affectations["faites"],
            "affectations_visees": nb_candidatures * jury.jures_par_candidature,
            "soumises": affectations["soumises"],
        },
        "charge_effective": jury.charge_max
        or charge_par_defaut(nb_candidatures, len(actifs), jury.jures_par_candidature),
        "jures": jures,
        "sans_liens": [jure for jure in actifs if jure.liens_declares_le is None],
        "criteres": criteres,
        "lien_grille": reverse("admin:candidatures_critere_changelist")
        + "?"
        + urlencode({"cycle__id__exact": cycle.pk}),
        "parametres": parametres or ParametresForm.pour(jury),
        "invitation": invitation or InvitationJureForm(),
    }


@equipe_requise
@require_GET
def accueil(request):
    cycle = cycle_courant() or Cycle.objects.order_by("-ouverture_ami").first()
    if cycle is None:
        return render(request, "jury/equipe/tableau.html", {"cycle": None})
    return redirect("equipe_jury:tableau", cycle=cycle.slug)


@equipe_requise
@require_GET
def tableau(request, cycle):
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    return render(request, "jury/equipe/tableau.html", _contexte_tableau(cycle, jury))


@equipe_requise
@require_POST
def parametrer(request, cycle):
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    form = ParametresForm.pour(jury, request.POST)
    if form.is_valid() and form.enregistrer(jury, par=request.user):
        messages.success(request, _("Les réglages du jury sont enregistrés."))
        return redirect("equipe_jury:tableau", cycle=cycle.slug)
    contexte = _contexte_tableau(cycle, jury, parametres=form)
    return render(request, "jury/equipe/tableau.html", contexte, status=422)


@equipe_requise
@require_POST
def inviter(request, cycle):
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    form = InvitationJureForm(request.POST)
    if not form.is_valid():
        contexte = _contexte_tableau(cycle, jury, invitation=form)
        return render(request, "jury/equipe/tableau.html", contexte, status=422)
    donnees = form.cleaned_data
    existant = selectors.jure_par_email(cycle, donnees["email"])
    jure = services.jure_inviter(
        cycle,
        email=donnees["email"],
        prenom=donnees["prenom"],
        nom=donnees["nom"],
        par=request.user,
    )
    personne = jure.user.nom_affiche
    if existant is None:
        messages.success(
            request,
            _("%(personne)s est invité·e au jury : le courriel d'invitation part maintenant.")
            % {"personne": personne},
        )
    elif not existant.actif:
        messages.success(
            request,
            _(
                "%(personne)s avait été retiré·e du jury : la voici à nouveau parmi les juré·es "
                "actif·ves. Son invitation initiale reste valable, aucun nouveau courriel n'est "
                "envoyé."
            )
            % {"personne": personne},
        )
    else:
        messages.info(
            request,
            _("%(personne)s fait déjà partie du jury : rien n'a changé.") % {"personne": personne},
        )
    return redirect("equipe_jury:tableau", cycle=cycle.slug)


@equipe_requise
@require_POST
def retirer(request, cycle, jure):
    cycle = _cycle(cycle)
    jure = get_object_or_404(
        Jure.objects.select_related("user", "cycle"), cycle=cycle, pk=jure, actif=True
    )
    services.jure_retirer(jure, par=request.user)
    messages.success(
        request,
        _(
            "%(personne)s ne fait plus partie du jury. Ses évaluations non soumises sont rendues "
            "à la répartition ; celles qu'elle a soumises sont conservées."
        )
        % {"personne": jure.user.nom_affiche},
    )
    return redirect("equipe_jury:tableau", cycle=cycle.slug)


def _cause_manque(candidature_pk, *, actifs, conflits, par_candidature, charge_max):
    if len(actifs) < par_candidature:
        return _("le jury compte moins de juré·es actif·ves que visé")
    possibles = [pk for pk in actifs if candidature_pk not in conflits.get(pk, ())]
    if not possibles:
        return _("conflits d'intérêts : aucun·e juré·e ne peut la noter")
    if len(possibles) < par_candidature:
        return ngettext(
            "conflits d'intérêts : %(n)s juré·e seulement peut la noter",
            "conflits d'intérêts : %(n)s juré·es seulement peuvent la noter",
            len(possibles),
        ) % {"n": len(possibles)}
    return ngettext(
        "charge maximale atteinte : %(n)s candidature par juré·e",
        "charge maximale atteinte : %(n)s candidatures par juré·e",
        charge_max,
    ) % {"n": charge_max}


def _message_manques(cycle, jury, resultat) -> str:
    candidatures = selectors.candidatures_a_evaluer(cycle).filter(pk__in=list(resultat.manques))
    actifs = [jure.pk for jure in Jure.objects.filter(cycle=cycle, actif=True).only("pk")]
    conflits = selectors.conflits_du_cycle(cycle)
    details = [
        _("%(collectivite)s : %(manque)s à trouver (%(cause)s)")
        % {
            "collectivite": candidature.nom_collectivite,
            "manque": resultat.manques[candidature.pk],
            "cause": _cause_manque(
                candidature.pk,
                actifs=actifs,
                conflits=conflits,
                par_candidature=jury.jures_par_candidature,
                charge_max=resultat.charge_max,
            ),
        }
        for candidature in candidatures
    ]
    return ngettext(
        "Il manque encore des juré·es pour %(n)s candidature. %(details)s.",
        "Il manque encore des juré·es pour %(n)s candidatures. %(details)s.",
        len(details),
    ) % {"n": len(details), "details": " ; ".join(details)}


@equipe_requise
@require_POST
def proposer(request, cycle):
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    resultat = services.affectations_proposer(jury, par=request.user)
    nb = len(resultat.nouvelles)
    if nb:
        messages.success(
            request,
            ngettext(
                "Répartition proposée : %(nb)s affectation ajoutée.",
                "Répartition proposée : %(nb)s affectations ajoutées.",
                nb,
            )
            % {"nb": nb},
        )
    elif not resultat.manques:
        messages.info(
            request, _("Chaque candidature a déjà ses juré·es : aucune affectation ajoutée.")
        )
    if resultat.manques:
        messages.warning(request, _message_manques(cycle, jury, resultat))
    return redirect("equipe_jury:tableau", cycle=cycle.slug)


@equipe_requise
@require_POST
def prevenir(request, cycle):
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    nb = services.jures_prevenir(jury, par=request.user)
    if nb:
        messages.success(
            request,
            ngettext(
                "%(nb)s courriel préparé : il part dans quelques instants.",
                "%(nb)s courriels préparés : ils partent dans quelques instants.",
                nb,
            )
            % {"nb": nb},
        )
    else:
        messages.info(
            request,
            _(
                "Aucun courriel : chaque juré·e a déjà reçu sa liste à jour, ou n'a encore "
                "aucune candidature."
            ),
        )
    return redirect("equipe_jury:tableau", cycle=cycle.slug)


# --- the assignment matrix ------------------------------------------------------------------


@dataclass
class Cellule:
    candidature: object
    jure: object
    affectation: Affectation | None
    conflit: bool

    @property
    def etat(self):
        if self.conflit:
            return "conflit"
        if self.affectation is None:
            return "libre"
        if self.affectation.soumise_le:
            return "soumise"
        return "en_cours" if self.affectation.modifie_le else "a_faire"


@dataclass
class Ligne:
    candidature: object
    cellules: list[Cellule]
    cible: int

    @property
    def nb(self):
        return sum(1 for cellule in self.cellules if cellule.affectation is not None)

    @property
    def incomplete(self):
        return self.nb < self.cible


def _charge_max(jury, nb_candidatures, nb_jures):
    return jury.charge_max or charge_par_defaut(
        nb_candidatures, nb_jures, jury.jures_par_candidature
    )


@equipe_requise
@require_GET
def affectations(request, cycle):
    """Candidatures × active jurors; a fixed number of queries whatever their numbers."""
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    candidatures = list(selectors.candidatures_a_evaluer(cycle))
    jures = list(selectors.jures_du_cycle(cycle).filter(actif=True))
    paires = {(a.candidature_id, a.jure_id): a for a in selectors.affectations_du_cycle(cycle)}
    conflits = selectors.conflits_du_cycle(cycle)
    lignes = [
        Ligne(
            candidature,
            [
                Cellule(
                    candidature,
                    jure,
                    paires.get((candidature.pk, jure.pk)),
                    candidature.pk in conflits.get(jure.pk, ()),
                )
                for jure in jures
            ],
            jury.jures_par_candidature,
        )
        for candidature in candidatures
    ]
    contexte = {
        "cycle": cycle,
        "jury": jury,
        "onglet": "affectations",
        "titre_page": _("Affectations"),
        "jures": jures,
        "lignes": lignes,
        "incompletes": sum(1 for ligne in lignes if ligne.incomplete),
        "charge_max": _charge_max(jury, len(candidatures), len(jures)),
    }
    return render(request, "jury/equipe/affectations.html", contexte)


def _paire(request, cycle):
    """The candidature and the active juror named by the POST, both of this cycle."""
    candidature = get_object_or_404(
        selectors.candidatures_a_evaluer(cycle), pk=_entier(request.POST.get("candidature"))
    )
    jure = get_object_or_404(
        selectors.jures_du_cycle(cycle).filter(actif=True), pk=_entier(request.POST.get("jure"))
    )
    return candidature, jure


def _reponse_cellule(request, cycle, candidature, jure, *, erreur="", succes=""):
    """htmx: the cell, with the row's count and the juror's load out of band; else PRG."""
    if not _est_htmx(request):
        if erreur:
            messages.error(request, erreur)
        else:
            messages.success(request, succes)
        return redirect(
            reverse("equipe_jury:affectations", kwargs={"cycle": cycle.slug})
            + f"#ligne-{candidature.pk}"
        )
    jury = services.jury_obtenir(cycle)
    jure = selectors.jures_du_cycle(cycle).get(pk=jure.pk)
    affectation = Affectation.objects.filter(jure=jure, candidature=candidature).first()
    nb = Affectation.objects.filter(candidature=candidature, jure__actif=True).count()
    nb_candidatures = selectors.candidatures_a_evaluer(cycle).count()
    nb_jures = Jure.objects.filter(cycle=cycle, actif=True).count()
    contexte = {
        "cycle": cycle,
        "cellule": Cellule(candidature, jure, affectation, selectors.en_conflit(jure, candidature)),
        "ligne": {
            "candidature": candidature,
            "nb": nb,
            "cible": jury.jures_par_candidature,
            "incomplete": nb < jury.jures_par_candidature,
        },
        "jure": jure,
        "charge_max": _charge_max(jury, nb_candidatures, nb_jures),
        "erreur": erreur,
        "annonce": succes,
    }
    return render(
        request,
        "jury/equipe/_affectation_reponse.html",
        contexte,
        status=422 if erreur else 200,
    )


@equipe_requise
@require_POST
def affecter(request, cycle):
    cycle = _cycle(cycle)
    candidature, jure = _paire(request, cycle)
    try:
        services.affectation_ajouter(jure, candidature, par=request.user)
    except ValidationError as exception:
        return _reponse_cellule(request, cycle, candidature, jure, erreur=_erreur(exception))
    succes = _("%(collectivite)s est confiée à %(personne)s.") % {
        "collectivite": candidature.nom_collectivite,
        "personne": jure.user.nom_affiche,
    }
    return _reponse_cellule(request, cycle, candidature, jure, succes=succes)


@equipe_requise
@require_POST
def desaffecter(request, cycle):
    cycle = _cycle(cycle)
    candidature, jure = _paire(request, cycle)
    affectation = (
        Affectation.objects.select_related("jure__user", "candidature")
        .filter(jure=jure, candidature=candidature)
        .first()
    )
    if affectation is not None:
        try:
            services.affectation_retirer(affectation, par=request.user)
        except ValidationError as exception:
            return _reponse_cellule(request, cycle, candidature, jure, erreur=_erreur(exception))
    succes = _("%(collectivite)s n'est plus confiée à %(personne)s.") % {
        "collectivite": candidature.nom_collectivite,
        "personne": jure.user.nom_affiche,
    }
    return _reponse_cellule(request, cycle, candidature, jure, succes=succes)


@equipe_requise
@require_POST
def rouvrir(request, cycle):
    cycle = _cycle(cycle)
    candidature, jure = _paire(request, cycle)
    affectation = get_object_or_404(
        Affectation.objects.select_related("jure__user", "candidature__cycle"),
        jure=jure,
        candidature=candidature,
        soumise_le__isnull=False,
    )
    try:
        services.evaluation_rouvrir(affectation, par=request.user)
    except ValidationError as exception:
        return _reponse_cellule(request, cycle, candidature, jure, erreur=_erreur(exception))
    succes = _(
        "L'évaluation de %(collectivite)s par %(personne)s est rouverte : elle peut la corriger "
        "puis la soumettre à nouveau."
    ) % {"collectivite": candidature.nom_collectivite, "personne": jure.user.nom_affiche}
    return _reponse_cellule(request, cycle, candidature, jure, succes=succes)
