"""Staff page of the results (/equipe/jury/<cycle>/resultats/): what is missing before the
announcement, the editable decision templates with their preview on a real candidature, and
the sending — validated for the answer date (the periodic sweep sends it) or sent at once."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.courriels.models import EtatCourriel
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.pdf import reponse_pdf
from cerdd_cycle.formats import date_en_toutes_lettres

from .. import selectors, services
from ..enums import StatutDecision
from ..forms.resultats import ConfirmationEnvoiForm, ModeleForm
from ..pdf import lettre_decision_pdf, nom_lettre

GABARIT = "jury/equipe/resultats.html"


@dataclass
class Bloc:
    """One kind of decision on the page: its template form and its preview."""

    statut: str
    libelle: str
    decisions: list
    form: ModeleForm
    exemple: object  # a Decision of this kind, or None
    apercu_sujet: str
    apercu_corps: str

    @property
    def nombre(self):
        return len(self.decisions)


def _cycle(slug):
    return get_object_or_404(Cycle.objects.select_related("region"), slug=slug)


def _envoi_par_defaut(cycle) -> datetime.datetime:
    return datetime.datetime.combine(
        cycle.date_reponse, services.HEURE_ENVOI_RESULTATS, tzinfo=services.PARIS
    )


def _blocs(cycle, groupes, formulaires) -> list[Bloc]:
    modeles = services.modeles_par_defaut(cycle)
    blocs = []
    for statut, libelle in StatutDecision.choices:
        modele = modeles[statut]
        decisions = groupes[statut]
        exemple = decisions[0] if decisions else None
        blocs.append(
            Bloc(
                statut=statut,
                libelle=libelle,
                decisions=decisions,
                form=formulaires.get(statut) or ModeleForm(modele=modele),
                exemple=exemple,
                apercu_sujet=services.modele_rendre(modele.sujet, exemple) if exemple else "",
                apercu_corps=services.modele_rendre(modele.corps, exemple) if exemple else "",
            )
        )
    return blocs


def _page(request, cycle, *, formulaires=None, erreurs_envoi=(), statut=200):
    jury = services.jury_obtenir(cycle)
    envoi_par_defaut = _envoi_par_defaut(cycle)
    publie = cycle.resultats_publies_le is not None
    courriels = selectors.courriels_decision(cycle) if publie else []
    # The decisions and the count without one are read once for the whole page.
    groupes = selectors.decisions_par_statut(
        cycle, [ligne.decision for ligne in courriels] if publie else None
    )
    sans_decision = selectors.candidatures_sans_decision(cycle).count()
    contexte = {
        "cycle": cycle,
        "jury": jury,
        "onglet": "resultats",
        "titre_page": _("Résultats"),
        "blocs": _blocs(cycle, groupes, formulaires or {}),
        "sans_decision": sans_decision,
        "problemes": services.resultats_problemes(cycle, sans_decision=sans_decision),
        "variables": [(f"{{{nom}}}", sens) for nom, sens in services.VARIABLES_MODELE.items()],
        "publie_le": date_en_toutes_lettres(cycle.resultats_publies_le) if publie else "",
        "envoi_prevu": date_en_toutes_lettres(jury.envoi_prevu_le) if jury.envoi_prevu_le else "",
        "envoi_par_defaut": date_en_toutes_lettres(envoi_par_defaut),
        "envoi_par_defaut_passe": envoi_par_defaut <= timezone.now(),
        "erreurs_envoi": list(erreurs_envoi),
        "courriels": courriels,
        "courriels_en_echec": sum(
            1 for ligne in courriels if ligne.courriel and ligne.courriel.etat == EtatCourriel.ECHEC
        ),
        "EtatCourriel": EtatCourriel,
    }
    return render(request, GABARIT, contexte, status=statut)


def _vers_la_page(cycle, ancre=""):
    url = reverse("resultats:resultats", args=[cycle.slug])
    return redirect(f"{url}#{ancre}" if ancre else url)


@equipe_requise
@require_GET
def resultats(request, cycle):
    return _page(request, _cycle(cycle))


@equipe_requise
@require_POST
def modele(request, cycle, statut):
    cycle = _cycle(cycle)
    if statut not in StatutDecision.values:
        raise Http404
    form = ModeleForm(request.POST, modele=services.modeles_par_defaut(cycle)[statut])
    if form.is_valid() and form.enregistrer(request.user):
        messages.success(
            request,
            _("Modèle « %(statut)s » enregistré.") % {"statut": StatutDecision(statut).label},
        )
        return _vers_la_page(cycle, f"modele-{statut}")
    return _page(request, cycle, formulaires={statut: form}, statut=422)


@equipe_requise
@require_POST
def programmer(request, cycle):
    cycle = _cycle(cycle)
    try:
        jury = services.resultats_programmer(services.jury_obtenir(cycle), par=request.user)
    except ValidationError as erreur:
        return _page(request, cycle, erreurs_envoi=erreur.messages, statut=422)
    messages.success(
        request,
        _(
            "Décisions validées : les courriels partiront le %(date)s. Jusque-là, vous pouvez "
            "encore annuler."
        )
        % {"date": date_en_toutes_lettres(jury.envoi_prevu_le)},
    )
    return _vers_la_page(cycle, "envoi")


@equipe_requise
@require_POST
def deprogrammer(request, cycle):
    cycle = _cycle(cycle)
    try:
        services.resultats_deprogrammer(services.jury_obtenir(cycle), par=request.user)
    except ValidationError as erreur:
        return _page(request, cycle, erreurs_envoi=erreur.messages, statut=422)
    messages.success(request, _("Envoi annulé : rien ne partira sans une nouvelle validation."))
    return _vers_la_page(cycle, "envoi")


@equipe_requise
@require_http_methods(["GET", "POST"])
def envoyer(request, cycle):
    """Send now, after a confirmation step (a box to tick)."""
    cycle = _cycle(cycle)
    if cycle.resultats_publies_le is not None:
        messages.info(request, _("Les résultats sont déjà publiés."))
        return _vers_la_page(cycle, "envoi")
    form = ConfirmationEnvoiForm(request.POST if request.method == "POST" else None)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            nb = services.resultats_publier(services.jury_obtenir(cycle), par=request.user)
        except ValidationError as erreur:
            erreurs = erreur.messages
        else:
            messages.success(
                request,
                _(
                    "Résultats publiés : %(nb)s courriel(s) de décision partent maintenant, "
                    "et chaque collectivité voit sa réponse dans son espace."
                )
                % {"nb": nb},
            )
            return _vers_la_page(cycle, "envoi")
    groupes = selectors.decisions_par_statut(cycle)
    contexte = {
        "cycle": cycle,
        "onglet": "resultats",
        "titre_page": _("Envoyer les résultats"),
        "form": form,
        "erreurs": erreurs,
        "problemes": services.resultats_problemes(cycle),
        "comptes": [(libelle, len(groupes[statut])) for statut, libelle in StatutDecision.choices],
        "total": sum(len(decisions) for decisions in groupes.values()),
    }
    statut = 422 if request.method == "POST" else 200
    return render(request, "jury/equipe/resultats_envoyer.html", contexte, status=statut)


@equipe_requise
@require_GET
def lettre(request, candidature_pk):
    """The decision letter of a candidature, as it leaves (or left) with the email."""
    decision = selectors.decision_pour_equipe(candidature_pk)
    modele = services.modeles_par_defaut(decision.candidature.cycle)[decision.statut]
    return reponse_pdf(
        lettre_decision_pdf(decision, modele), nom_lettre(decision), telecharger=False
    )
