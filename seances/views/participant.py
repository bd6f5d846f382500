"""The participants' space (/seances/): the calendar of their cycle, each session's page, the
answers before the day (confirmation, questions for the speaker, needs survey), the
evaluation after it, their pair and their private calendar feed.

Every object is fetched through ``seances.selectors``: a session, a file or a pair that is not
the person's answers 404. Staff reach the pages too, without the personal parts."""

import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.telechargement import reponse_fichier_prive

from .. import calendrier as calendrier_ics
from .. import selectors, services
from ..enums import Regime, ThemeBesoin, TypeAttestation
from ..forms.participant import BesoinsForm, ConfirmationForm, EvaluationForm, QuestionForm
from ..models import Confirmation, Evaluation, Intervenant, ReponseBesoins

# --- the calendar of the cycle --------------------------------------------------------------


@dataclass
class LigneSeance:
    seance: object
    confirmation: Confirmation | None = None
    evaluation: Evaluation | None = None
    etat: str = "a_venir"  # passee, aujourdhui, a_venir
    est_prochaine: bool = False
    evaluation_ouverte: bool = False

    @property
    def passee(self) -> bool:
        return self.etat == "passee"

    @property
    def reponse_modifiable(self) -> bool:
        return self.etat == "a_venir"


@dataclass
class EspaceCycle:
    """One cycle as the person sees it (``membre`` is None for staff outside any pair)."""

    cycle: object
    membre: object | None
    lignes: list
    besoins_ouvert: bool = False
    besoins_repondu: bool = False

    @property
    def prochaine(self) -> LigneSeance | None:
        return next((ligne for ligne in self.lignes if ligne.est_prochaine), None)

    @property
    def besoins_a_remplir(self) -> bool:
        return self.membre is not None and self.besoins_ouvert and not self.besoins_repondu


def _etat(seance, aujourdhui) -> str:
    if seance.date < aujourdhui:
        return "passee"
    return "aujourdhui" if seance.date == aujourdhui else "a_venir"


def _lignes(seances, aujourdhui, *, confirmations=None, evaluations=None) -> list[LigneSeance]:
    confirmations = confirmations or {}
    evaluations = evaluations or {}
    lignes = []
    for seance in seances:
        etat = _etat(seance, aujourdhui)
        lignes.append(
            LigneSeance(
                seance=seance,
                confirmation=confirmations.get(seance.pk),
                evaluation=evaluations.get(seance.pk),
                etat=etat,
                evaluation_ouverte=etat != "a_venir" and services.evaluation_ouverte(seance),
            )
        )
    prochaine = next((ligne for ligne in lignes if ligne.etat != "passee"), None)
    if prochaine is not None:
        prochaine.est_prochaine = True
    return lignes


def _espaces_membre(membres, aujourdhui) -> list[EspaceCycle]:
    """The cycles where the person sits in a pair: a constant number of queries whatever
    the number of sessions."""
    confirmations = {
        (c.membre_id, c.seance_id): c
        for c in Confirmation.objects.filter(membre__in=membres).select_related("remplacant__user")
    }
    evaluations = {
        (e.membre_id, e.seance_id): e for e in Evaluation.objects.filter(membre__in=membres)
    }
    repondus = set(
        ReponseBesoins.objects.filter(membre__in=membres).values_list("membre_id", flat=True)
    )
    espaces = []
    for membre in membres:
        seances = list(selectors.seances_du_cycle(membre.binome.cycle))
        lignes = _lignes(
            seances,
            aujourdhui,
            confirmations={s.pk: confirmations.get((membre.pk, s.pk)) for s in seances},
            evaluations={s.pk: evaluations.get((membre.pk, s.pk)) for s in seances},
        )
        espaces.append(
            EspaceCycle(
                cycle=membre.binome.cycle,
                membre=membre,
                lignes=lignes,
                besoins_ouvert=not seances or aujourdhui < seances[0].date,
                besoins_repondu=membre.pk in repondus,
            )
        )
    return espaces


def _espaces_equipe(user, aujourdhui, deja) -> list[EspaceCycle]:
    """Staff outside the pairs: every cycle that has sessions, the latest first."""
    par_cycle = {}
    for seance in (
        selectors.seances_visibles(user)
        .exclude(cycle__in=deja)
        .order_by("-cycle__premiere_seance", "cycle_id", "numero")
    ):
        par_cycle.setdefault(seance.cycle_id, (seance.cycle, []))[1].append(seance)
    return [
        EspaceCycle(cycle=cycle, membre=None, lignes=_lignes(seances, aujourdhui))
        for cycle, seances in par_cycle.values()
    ]


@login_required
@require_safe
def calendrier(request):
    aujourdhui = timezone.localdate()
    membres = list(selectors.membres_de(request.user).order_by("-binome__cycle__premiere_seance"))
    # One seat per cycle (a person who is both holder and substitute sees the holder's).
    par_cycle = {}
    for membre in sorted(membres, key=lambda m: (m.suppleant, m.pk)):
        par_cycle.setdefault(membre.binome.cycle_id, membre)
    membres = [membre for membre in membres if par_cycle[membre.binome.cycle_id] is membre]
    espaces = _espaces_membre(membres, aujourdhui) if membres else []
    est_equipe = selectors.est_equipe(request.user)
    if est_equipe:
        espaces += _espaces_equipe(request.user, aujourdhui, deja=list(par_cycle))
    return render(
        request,
        "seances/participant/calendrier.html",
        {
            "espaces": espaces,
            "est_membre": bool(membres),
            "est_equipe_seances": est_equipe,
            "aujourdhui": aujourdhui,
        },
    )


# --- one session ----------------------------------------------------------------------------


def _binome_a_la_seance(seance, membre):
    """The person's pair with the answers of its current members (their collectivity only)."""
    return next(iter(selectors.confirmations_par_binome(seance, membre.binome_id)), None)


def _libelles_regimes(confirmation) -> list[str]:
    if confirmation is None:
        return []
    return [str(libelle) for cle, libelle in Regime.choices if cle in confirmation.regimes]


def _page_seance(request, seance, *, form_question=None, statut=200):
    maintenant = timezone.now()
    aujourdhui = timezone.localdate()
    membre = selectors.membre_du_cycle(request.user, seance.cycle)
    contexte = {
        "seance": seance,
        "membre": membre,
        "est_equipe_seances": selectors.est_equipe(request.user),
        "passee": seance.date < aujourdhui,
        "aujourdhui": seance.date == aujourdhui,
        "reponse_modifiable": seance.date > aujourdhui,
        "evaluation_ouverte": services.evaluation_ouverte(seance, maintenant),
        "questions_ouvertes": maintenant < seance.limite_questions,
    }
    if membre is not None:
        binome = _binome_a_la_seance(seance, membre)
        # The pair read with its members and their answers: the person's own answer is there.
        confirmation = next((c for m, c in binome.membres if m.pk == membre.pk), None)
        if seance.date <= aujourdhui:
            # Once the day has come, the pair is what the roll call says, not what was announced.
            contexte["statut_jour"] = selectors.statut_binome_a(seance, binome.binome)
        contexte.update(
            confirmation=confirmation,
            regimes=_libelles_regimes(confirmation),
            binome=binome,
            questions=list(selectors.questions_de(seance, membre)),
            form_question=form_question or QuestionForm(),
            evaluation=selectors.evaluation_de(seance, membre),
        )
    return render(request, "seances/participant/seance.html", contexte, status=statut)


@login_required
@require_safe
def seance(request, pk):
    return _page_seance(request, selectors.seance_visible(request.user, pk))


def _vers_seance(seance, ancre=""):
    return redirect(reverse("seances:seance", args=[seance.pk]) + (f"#{ancre}" if ancre else ""))


@login_required
@require_http_methods(["GET", "POST"])
def confirmer(request, pk):
    seance = selectors.seance_visible(request.user, pk)
    membre = selectors.membre_ou_404(request.user, seance.cycle)
    confirmation = selectors.confirmation_de(seance, membre)
    # The pair with its members, to offer its substitutes.
    membre.binome = selectors.binome_visible(request.user, membre.binome_id)
    suppleants = selectors.suppleants_possibles(membre)
    donnees = request.POST if request.method == "POST" else None
    form = ConfirmationForm.depuis(confirmation, suppleants=suppleants, data=donnees)
    statut = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.confirmation_enregistrer(seance, membre, **form.cleaned_data)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, _("Votre réponse est enregistrée. Merci !"))
                return _vers_seance(seance, "ma-reponse")
        statut = 422
    return render(
        request,
        "seances/participant/confirmer.html",
        {
            "seance": seance,
            "membre": membre,
            "confirmation": confirmation,
            "form": form,
            "suppleants": suppleants,
            "ouverte": seance.date > timezone.localdate(),
        },
        status=statut,
    )


@login_required
@require_POST
def questions(request, pk):
    seance = selectors.seance_visible(request.user, pk)
    membre = selectors.membre_ou_404(request.user, seance.cycle)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_poser(seance, membre, form.cleaned_data["texte"])
        except ValidationError as erreur:
            form.add_error("texte", erreur)
        else:
            messages.success(request, _("Votre question est transmise à l'équipe du Cerdd."))
            return _vers_seance(seance, "questions")
    return _page_seance(request, seance, form_question=form, statut=422)


@login_required
@require_POST
def question_retirer(request, pk, question):
    seance = selectors.seance_visible(request.user, pk)
    membre = selectors.membre_ou_404(request.user, seance.cycle)
    # Only one's own question is found: anyone else's answers 404.
    question = selectors.questions_de(seance, membre).filter(pk=question).first()
    if question is None:
        raise Http404
    try:
        services.question_retirer(question, membre)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, _("Votre question est retirée."))
    return _vers_seance(seance, "questions")


@login_required
@require_http_methods(["GET", "POST"])
def evaluer(request, pk):
    seance = selectors.seance_visible(request.user, pk)
    membre = selectors.membre_du_cycle(request.user, seance.cycle)
    if membre is None:
        if selectors.est_equipe(request.user):
            return redirect("equipe_seances:evaluations", seance.cycle.slug, seance.numero)
        raise Http404
    evaluation = selectors.evaluation_de(seance, membre)
    ouverte = services.evaluation_ouverte(seance)
    form = EvaluationForm.depuis(
        evaluation, data=request.POST if request.method == "POST" else None
    )
    statut = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.evaluation_enregistrer(seance, membre, **form.cleaned_data)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, _("Merci ! Votre évaluation est enregistrée."))
                return _vers_seance(seance, "evaluation")
        statut = 422
    return render(
        request,
        "seances/participant/evaluer.html",
        {
            "seance": seance,
            "membre": membre,
            "evaluation": evaluation,
            "form": form,
            "ouverte": ouverte,
            "a_venir": timezone.now() < seance.fin,
        },
        status=statut,
    )


@login_required
@require_safe
def ressource(request, pk):
    ressource = selectors.ressource_visible(request.user, pk)
    if not ressource.fichier:
        raise Http404  # a link is shown as a link on the page
    return reponse_fichier_prive(ressource.fichier, os.path.basename(ressource.fichier.name))


# --- before the first session ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def besoins(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    membre = selectors.membre_du_cycle(request.user, cycle)
    if membre is None:
        if selectors.est_equipe(request.user):
            return redirect("equipe_seances:besoins", cycle.slug)
        raise Http404
    premiere = selectors.seances_du_cycle(cycle).first()
    ouvert = premiere is None or timezone.localdate() < premiere.date
    reponse = getattr(membre, "besoins", None)
    if request.method == "POST" and not ouvert:
        messages.error(request, _("Le questionnaire est clos : la première séance a commencé."))
        return redirect("seances:besoins", cycle.slug)
    form = BesoinsForm.depuis(reponse, data=request.POST if request.method == "POST" else None)
    statut = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.besoins_enregistrer(membre, **form.cleaned_data)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(
                    request,
                    _(
                        "Merci ! Vos réponses sont enregistrées ; vous pouvez les modifier "
                        "jusqu'à la première séance."
                    ),
                )
                return redirect("seances:calendrier")
        statut = 422
    return render(
        request,
        "seances/participant/besoins.html",
        {
            "cycle": cycle,
            "membre": membre,
            "reponse": reponse,
            "themes": [libelle for cle, libelle in ThemeBesoin.choices if cle in reponse.themes]
            if reponse
            else [],
            "form": form,
            "ouvert": ouvert,
            "premiere": premiere,
        },
        status=statut,
    )


# --- the pair -------------------------------------------------------------------------------


@login_required
@require_safe
def binome(request, pk):
    binome = selectors.binome_visible(request.user, pk)
    membres = list(binome.membres.all())
    attestation = next(
        (
            attestation
            for attestation in selectors.attestations_du_binome(binome)
            if attestation.type == TypeAttestation.COLLECTIVITE
        ),
        None,
    )
    return render(
        request,
        "seances/participant/binome.html",
        {
            "binome": binome,
            "cycle": binome.cycle,
            "titulaires": [m for m in membres if m.actif and not m.suppleant],
            "suppleants": [m for m in membres if m.actif and m.suppleant],
            "anciens": [m for m in membres if not m.actif],
            "attestation": attestation,
            "moi": request.user,
        },
    )


# --- the private calendar feed --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agenda(request):
    if request.method == "POST":
        services.agenda_renouveler(request.user)
        messages.success(
            request,
            _(
                "Votre agenda a une nouvelle adresse : l'ancienne ne fonctionne plus. "
                "Abonnez vos applications à celle-ci."
            ),
        )
        return redirect("seances:agenda")
    adresse = settings.SITE_URL + reverse(
        "seances:agenda_ics", args=[services.agenda_jeton(request.user)]
    )
    return render(
        request,
        "seances/participant/agenda.html",
        {
            "adresse": adresse,
            "adresse_webcal": "webcal://" + adresse.split("://", 1)[-1],
            "nombre": selectors.seances_visibles(request.user).count(),
        },
    )


@require_safe
def agenda_ics(request, jeton):
    """The feed a calendar application polls: no session, the secret address is the key."""
    user = services.agenda_par_jeton(jeton)
    if user is None:
        raise Http404
    seances = (
        selectors.seances_visibles(user)
        .prefetch_related(
            Prefetch("intervenants", queryset=Intervenant.objects.order_by("ordre", "nom"))
        )
        .order_by("date", "heure_debut")
    )
    contenu = calendrier_ics.ics(seances, nom=_("Cerdd – mes séances du cycle"))
    reponse = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = 'inline; filename="seances.ics"'
    reponse["Cache-Control"] = "private, no-store"
    return reponse
