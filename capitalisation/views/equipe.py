"""Staff pages of the report: its settings, the generation of versions with their progress,
the versions kept, their download, and the preview of what the report reads.

The button « Enregistrer et générer le PDF » is in the settings form: what is on screen is
saved first, then a version is asked for with it (never a version of settings nobody sees).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.telechargement import reponse_fichier_prive
from seances import selectors as seances_selectors

from .. import selectors, services
from ..enums import ETATS_ACTIFS, Section
from ..forms import RapportForm
from ..models import Version


@equipe_requise
@require_GET
def accueil(request):
    cycle = seances_selectors.cycle_des_seances()
    if cycle is None:
        messages.info(
            request, _("Aucun cycle pour l'instant : créez-le d'abord dans l'administration.")
        )
        return redirect("admin:index")
    return redirect("equipe_capitalisation:rapport", cycle=cycle.slug)


# --- Settings and versions ------------------------------------------------------------------


def _chapitres(version):
    """The chapters a version was asked with, as labels (the settings are a JSON copy)."""
    sections = version.reglages.get("sections", [])
    return [Section(cle).label for cle in Section.values if cle in sections]


def _decorer(version):
    version.chapitres = _chapitres(version)
    version.tous_chapitres = len(version.chapitres) == len(Section.values)
    version.empreinte = _empreinte(version)
    return version


def _versions(cycle):
    versions = [_decorer(version) for version in selectors.versions_du_cycle(cycle)]
    if versions:
        versions[0].plus_recente = True  # only the latest failure offers to generate again
    return versions


def _contexte_versions(cycle, annonce=""):
    versions = _versions(cycle)
    return {
        "cycle": cycle,
        "versions": versions,
        "en_cours": any(version.etat in ETATS_ACTIFS for version in versions),
        "annonce": annonce,
    }


def _page(request, cycle, form, *, statut=200):
    return render(
        request,
        "capitalisation/equipe/rapport.html",
        {
            **_contexte_versions(cycle),
            "form": form,
            "binomes": list(seances_selectors.binomes_du_cycle(cycle)),
        },
        status=statut,
    )


def _message_demande(version, nouvelle):
    if nouvelle:
        return _("Version %(n)s demandée : la génération est en cours.") % {"n": version.numero}
    return _(
        "La version %(n)s est déjà en cours de génération : attendez qu'elle soit prête avant "
        "d'en demander une autre."
    ) % {"n": version.numero}


def _demander(cycle, user):
    """Ask for a version; True when it is a new one (False: one was already under way)."""
    actives = selectors.versions_du_cycle(cycle).filter(etat__in=ETATS_ACTIFS)
    avant = set(actives.values_list("pk", flat=True))
    version = services.version_demander(cycle, user)
    return version, version.pk not in avant


@equipe_requise
@require_http_methods(["GET", "POST"])
def rapport(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    if request.method != "POST":
        return _page(request, cycle, RapportForm.depuis(selectors.rapport_de(cycle)))
    form = RapportForm(request.POST)
    if not form.is_valid():
        return _page(request, cycle, form, statut=422)
    try:
        services.rapport_enregistrer(cycle, par=request.user, **form.cleaned_data)
    except ValidationError as erreur:
        form.add_error(None, erreur.messages)
        return _page(request, cycle, form, statut=422)
    messages.success(request, _("Les réglages du rapport sont enregistrés."))
    if "generer" not in request.POST:
        return redirect("equipe_capitalisation:rapport", cycle=cycle.slug)
    version, nouvelle = _demander(cycle, request.user)
    (messages.success if nouvelle else messages.info)(request, _message_demande(version, nouvelle))
    return redirect(_url_versions(cycle))


def _url_versions(cycle):
    return reverse("equipe_capitalisation:rapport", args=[cycle.slug]) + "#versions"


@equipe_requise
@require_POST
def generer(request, cycle):
    """A new version with the saved settings (after a failure, « Générer à nouveau »)."""
    cycle = get_object_or_404(Cycle, slug=cycle)
    version, nouvelle = _demander(cycle, request.user)
    annonce = _message_demande(version, nouvelle)
    if request.htmx:
        return render(
            request,
            "capitalisation/equipe/_versions.html",
            _contexte_versions(cycle, annonce),
        )
    (messages.success if nouvelle else messages.info)(request, annonce)
    return redirect(_url_versions(cycle))


@equipe_requise
@require_GET
def version_etat(request, cycle, numero):
    """The state of one version, polled every two seconds while it is under way. The poll
    sends what it shows (``vu``): nothing changed answers 204 and htmx leaves the page alone,
    so that a screen reader does not hear the same step again."""
    cycle = get_object_or_404(Cycle, slug=cycle)
    version = selectors.version_du_cycle_ou_404(cycle, numero)
    if request.htmx and request.GET.get("vu") == _empreinte(version):
        return HttpResponse(status=204)
    version = _decorer(version)
    version.plus_recente = not Version.objects.filter(cycle=cycle, numero__gt=numero).exists()
    return render(
        request, "capitalisation/equipe/_version_etat.html", {"cycle": cycle, "version": version}
    )


def _empreinte(version):
    moment = version.etape_le.timestamp() if version.etape_le else ""
    return f"{version.etat}-{version.avancement}-{moment}"


@equipe_requise
@require_GET
def version_telecharger(request, cycle, numero):
    cycle = get_object_or_404(Cycle, slug=cycle)
    version = selectors.version_prete_ou_404(cycle, numero)
    return reponse_fichier_prive(version.fichier, services.nom_fichier(version), "application/pdf")


@equipe_requise
@require_GET
def apercu(request, cycle):
    cycle = get_object_or_404(Cycle, slug=cycle)
    return render(
        request,
        "capitalisation/equipe/apercu.html",
        {
            "contexte": selectors.contexte_rapport(cycle),
            "cycle": cycle,
            "derniere_version": selectors.derniere_version_prete(cycle),
        },
    )
