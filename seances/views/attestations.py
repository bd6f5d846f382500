"""Attestations of participation: staff issue them at the end of the cycle, each person
downloads theirs and their collectivity's, and anyone can check a code on a public page."""

from dataclasses import dataclass, field

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.pdf import reponse_pdf

from .. import pdf, selectors, services
from ..enums import TypeAttestation

LONGUEUR_CODE_MAX = 40  # a code is 14 characters; room for spaces a person types

# --- Staff ----------------------------------------------------------------------------------


@dataclass
class ApercuPersonne:
    membre: object
    suivies: int
    obtient: bool
    attestation: object = None


@dataclass
class ApercuBinome:
    binome: object
    suivies: int
    obtient: bool
    attestation: object = None
    personnes: list = field(default_factory=list)


def _apercu(cycle, minimum) -> list[ApercuBinome]:
    """Who reaches the rule today, beside what was already issued (constant queries)."""
    par_membre = selectors.seances_suivies_par_membre(cycle)
    par_binome = selectors.seances_suivies_par_binome(cycle)
    attestations = {
        (attestation.type, attestation.binome_id, attestation.membre_id): attestation
        for attestation in selectors.attestations_du_cycle(cycle)
    }
    apercu = []
    for binome in selectors.binomes_du_cycle(cycle):
        suivies = par_binome.get(binome.pk, 0)
        ligne = ApercuBinome(
            binome=binome,
            suivies=suivies,
            obtient=suivies >= minimum,
            attestation=attestations.get((TypeAttestation.COLLECTIVITE, binome.pk, None)),
        )
        for membre in binome.membres.all():
            suivies = par_membre.get(membre.pk, 0)
            attestation = attestations.get((TypeAttestation.PERSONNE, binome.pk, membre.pk))
            # A person replaced before attending anything has nothing to show.
            if not membre.actif and not suivies and attestation is None:
                continue
            ligne.personnes.append(ApercuPersonne(membre, suivies, suivies >= minimum, attestation))
        apercu.append(ligne)
    return apercu


@equipe_requise
@require_http_methods(["GET", "POST"])
def equipe(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    if request.method == "POST":
        try:
            delivrees = services.attestations_delivrer(cycle, par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(nb)s attestation délivrée ou mise à jour ; chaque personne concernée "
                    "reçoit un courriel.",
                    "%(nb)s attestations délivrées ou mises à jour ; chaque personne concernée "
                    "reçoit un courriel.",
                    len(delivrees),
                )
                % {"nb": len(delivrees)},
            )
        return redirect("equipe_seances:attestations", cycle.slug)
    reglages = services.reglages_obtenir(cycle)
    seances = list(selectors.seances_du_cycle(cycle))
    aujourdhui = timezone.localdate()
    apercu = _apercu(cycle, reglages.attestation_seances_min)
    return render(
        request,
        "seances/equipe/attestations.html",
        {
            "cycle": cycle,
            "reglages": reglages,
            "seances": seances,
            "a_venir": [seance for seance in seances if seance.date >= aujourdhui],
            "apercu": apercu,
            "delivrees": [
                attestation
                for ligne in apercu
                for attestation in [
                    ligne.attestation,
                    *(personne.attestation for personne in ligne.personnes),
                ]
                if attestation is not None
            ],
            "personnes_obtiennent": sum(
                personne.obtient for ligne in apercu for personne in ligne.personnes
            ),
            "binomes_obtiennent": sum(ligne.obtient for ligne in apercu),
        },
    )


# --- Participants ---------------------------------------------------------------------------


@login_required
@require_GET
def mes_attestations(request):
    personnelles = list(selectors.attestations_de(request.user))
    collectivites = {}
    for membre in selectors.membres_de(request.user):
        for attestation in selectors.attestations_du_binome(membre.binome).filter(
            type=TypeAttestation.COLLECTIVITE
        ):
            collectivites[attestation.pk] = attestation
    return render(
        request,
        "seances/participant/attestations.html",
        {"personnelles": personnelles, "collectivites": list(collectivites.values())},
    )


@login_required
@require_GET
def attestation_pdf(request, pk):
    attestation = selectors.attestation_visible(request.user, pk)
    return reponse_pdf(pdf.attestation_pdf(attestation), pdf.nom_attestation(attestation))


# --- Public ---------------------------------------------------------------------------------


def _essai_permis(request) -> bool:
    """One more try of a code from this address, within ATTESTATIONS_VERIFICATION_LIMITE
    (allauth's rate limiting, kept in the cache like the login's; GET counts here)."""
    action = "verifier_attestation"
    return bool(
        ratelimit.consume(
            request,
            app="attestations",
            action=action,
            config={action: settings.ATTESTATIONS_VERIFICATION_LIMITE},
            limit_get=True,
        )
    )


@require_GET
def verifier(request):
    code = request.GET.get("code", "").strip()[:LONGUEUR_CODE_MAX]
    if code and not _essai_permis(request):
        # The form stays, without an answer: nothing tells whether the code exists.
        return render(
            request,
            "seances/verifier.html",
            {
                "code": code,
                "limite": _(
                    "Trop de codes vérifiés depuis votre connexion en peu de temps. "
                    "Patientez quelques minutes avant de réessayer."
                ),
            },
            status=429,
        )
    attestation = selectors.attestation_par_code(code) if code else None
    return render(
        request,
        "seances/verifier.html",
        {"code": code, "attestation": attestation, "cherche": bool(code)},
    )
