"""A person's data: the download, the deletion request; staff process the requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import donnees
from .decorateurs import equipe_requise
from .forms_donnees import DemandeSuppressionForm, RefusForm
from .models import StatutDemande


@require_safe
@login_required
def accueil(request):
    demandes = list(donnees.demandes_de(request.user))
    return render(
        request,
        "comptes/donnees/accueil.html",
        {
            "demandes": demandes,
            "en_attente": next((d for d in demandes if d.statut == StatutDemande.EN_ATTENTE), None),
        },
    )


@require_safe
@login_required
def telecharger(request):
    contenu = donnees.archive_zip(request.user)
    reponse = HttpResponse(contenu, content_type="application/zip")
    nom = f"mes-donnees-cerdd-{timezone.localdate():%Y-%m-%d}.zip"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    reponse["Cache-Control"] = "no-store"
    return reponse


@require_http_methods(["GET", "POST"])
@login_required
def demander(request):
    en_attente = donnees.demandes_de(request.user).filter(statut=StatutDemande.EN_ATTENTE).first()
    if en_attente is not None:
        # A reason typed here would be lost: the pending request is the one that counts.
        messages.info(request, _("Vous avez déjà une demande en attente : la voici."))
        return redirect("donnees:demande", pk=en_attente.pk)
    form = DemandeSuppressionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        demande, creee = donnees.suppression_demander(request.user, form.cleaned_data["motif"])
        if creee:
            messages.success(
                request,
                _("Votre demande est enregistrée. Un accusé de réception vous a été envoyé."),
            )
        else:
            messages.info(request, _("Vous avez déjà une demande en attente : la voici."))
        return redirect("donnees:demande", pk=demande.pk)
    return render(request, "comptes/donnees/demander.html", {"form": form})


@require_safe
@login_required
def demande(request, pk):
    return render(
        request,
        "comptes/donnees/demande.html",
        {"demande": donnees.demande_de(request.user, pk)},
    )


@require_safe
@equipe_requise
def equipe_demandes(request):
    return render(
        request,
        "comptes/donnees/equipe_demandes.html",
        {"demandes": donnees.demandes_pour_equipe()},
    )


@require_http_methods(["GET", "POST"])
@equipe_requise
def equipe_demande(request, pk):
    demande = get_object_or_404(donnees.demandes_pour_equipe(), pk=pk)
    refus = RefusForm(request.POST if request.POST.get("action") == "refuser" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "traiter":
                donnees.suppression_traiter(demande, request.user)
                messages.success(request, _("Les données de la personne sont supprimées."))
                return redirect("equipe_donnees:demande", pk=demande.pk)
            if request.POST.get("action") == "refuser" and refus.is_valid():
                donnees.suppression_refuser(demande, request.user, refus.cleaned_data["reponse"])
                messages.success(request, _("La demande est refusée ; la personne est prévenue."))
                return redirect("equipe_donnees:demande", pk=demande.pk)
        except ValidationError as erreur:
            messages.error(request, erreur.messages[0])
            return redirect("equipe_donnees:demande", pk=demande.pk)
    return render(
        request,
        "comptes/donnees/equipe_demande.html",
        {"demande": demande, "refus": refus},
        status=400 if refus.is_bound and refus.errors else 200,
    )
