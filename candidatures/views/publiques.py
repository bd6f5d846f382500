"""Public pages: the call itself and the referents' confirmation link (no account needed)."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.selectors import cycles_publics

from ..models import ConfirmationReferent, Critere
from ..services import referent_confirmer


def _etat_appel(cycle, maintenant):
    """What the call page says about time: not yet open, open with N days left, or closed."""
    if maintenant < cycle.ouverture_ami:
        return {"etat": "a_venir"}
    if maintenant >= cycle.date_limite:
        return {"etat": "clos"}
    restant = cycle.date_limite - maintenant
    return {
        "etat": "ouvert",
        "jours_restants": restant.days,
        "heures_restantes": restant.seconds // 3600,
    }


def _cycle_public(slug):
    return get_object_or_404(cycles_publics().exclude(statut=StatutCycle.ARCHIVE), slug=slug)


@require_GET
def appel(request, slug):
    cycle = _cycle_public(slug)
    contexte = {
        "cycle": cycle,
        "criteres": Critere.objects.filter(cycle=cycle).order_by("ordre", "pk"),
        **_etat_appel(cycle, timezone.now()),
    }
    return render(request, "candidatures/publiques/appel.html", contexte)


@require_GET
def compte_a_rebours(request, slug):
    """Refreshed by htmx every minute: the server's clock decides, not the visitor's."""
    cycle = _cycle_public(slug)
    return render(
        request,
        "candidatures/publiques/_compte_a_rebours.html",
        {"cycle": cycle, **_etat_appel(cycle, timezone.now())},
    )


class ConfirmationForm(forms.Form):
    disponible = forms.TypedChoiceField(
        label=_("Serez-vous disponible pour les journées du cycle ?"),
        choices=[
            ("oui", _("Oui, je confirme mon rôle et ma disponibilité")),
            ("non", _("Non, ou pas à toutes les dates")),
        ],
        coerce=lambda valeur: valeur == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une réponse.")},
    )
    commentaire = forms.CharField(
        label=_("Un mot pour l'équipe (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
def confirmer_referent(request, jeton):
    confirmation = get_object_or_404(
        ConfirmationReferent.objects.select_related(
            "candidature__cycle", "candidature__territoire"
        ),
        jeton=jeton,
    )
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referent_confirmer(
            confirmation,
            disponible=form.cleaned_data["disponible"],
            commentaire=form.cleaned_data["commentaire"],
        )
        return render(
            request, "candidatures/publiques/referent_merci.html", {"confirmation": confirmation}
        )
    return render(
        request,
        "candidatures/publiques/referent.html",
        {"confirmation": confirmation, "candidature": confirmation.candidature, "form": form},
        status=422 if form.is_bound else 200,
    )
