"""The day of a session: the roll call on a phone, the QR code of the room and the
participant's check-in, the attendance sheets; then the evaluation results."""

import re
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.pdf import rendre_pdf, reponse_pdf

from .. import assiduite, selectors, services
from ..enums import (
    PRESENCES_EFFECTIVES,
    DemiJournee,
    ReponseConfirmation,
    StatutBinome,
    StatutPresence,
)
from ..forms.jour import MarquerForm
from ..models import Membre, Seance

# The buttons of the roll call, in the order of the phone page, with their Bootstrap colour
# once pressed (the pressed one is also filled, ticked and bold: never colour alone).
BOUTONS_APPEL = (
    (StatutPresence.PRESENT, "btn-primary"),
    (StatutPresence.RETARD, "btn-warning"),
    (StatutPresence.ABSENT, "btn-danger"),
    (StatutPresence.EXCUSE, "btn-secondary"),
    (StatutPresence.REMPLACE, "btn-dark"),
)

BADGES_BINOME = {
    StatutBinome.COMPLET: "text-bg-success",
    StatutBinome.REMPLACE: "text-bg-success",
    StatutBinome.ELU_SEUL: "text-bg-warning",
    StatutBinome.TECHNICIEN_SEUL: "text-bg-warning",
    StatutBinome.EXCUSE: "text-bg-secondary",
    StatutBinome.ABSENT: "text-bg-danger",
    StatutBinome.NON_RENSEIGNE: "text-bg-light border",
}


def _seance(cycle_slug, numero):
    cycle = get_object_or_404(Cycle, slug=cycle_slug)
    return cycle, selectors.seance_du_cycle_ou_404(cycle, numero)


def _demi_journee_par_defaut(seance) -> str:
    maintenant = timezone.now()
    if seance.date == timezone.localdate(maintenant):
        return services.demi_journee_a(seance, maintenant)
    return DemiJournee.MATIN


# --- the roll call --------------------------------------------------------------------------


@dataclass
class Bouton:
    statut: str
    libelle: str
    classe: str
    presse: bool


@dataclass
class PersonneAppel:
    """A person of the roll call as the phone page shows it, for one half-day."""

    membre: Membre
    presence: object  # the Presence of the half-day shown, or None
    autre: object  # the Presence of the other half-day, or None
    indice: str  # what they answered beforehand
    attendu: bool
    boutons: list

    @property
    def statut(self) -> str | None:
        return self.presence.statut if self.presence else None


@dataclass
class BlocAppel:
    binome: object
    personnes: list
    statut: StatutBinome

    @property
    def statut_libelle(self):
        return self.statut.label

    @property
    def statut_classe(self):
        return BADGES_BINOME[self.statut]


def _indice(confirmation, membres) -> str:
    if confirmation is None:
        return _("sans réponse")
    if confirmation.reponse == ReponseConfirmation.EXCUSE:
        return _("excusé·e")
    if confirmation.reponse == ReponseConfirmation.REMPLACE:
        remplacant = membres.get(confirmation.remplacant_id)
        if remplacant is None:
            return _("remplacé·e")
        return _("remplacé·e par %(nom)s") % {"nom": remplacant.user.nom_affiche}
    if confirmation.matin and confirmation.apres_midi:
        return _("a confirmé (journée)")
    if confirmation.matin:
        return _("a confirmé (matin seulement)")
    return _("a confirmé (après-midi seulement)")


def _attendu(ligne, demi_journee) -> bool:
    """Expected in the room: said so for that half-day; a holder who did not answer counts."""
    confirmation = ligne.confirmation
    if confirmation is None:
        return ligne.membre.actif and not ligne.membre.suppleant
    if confirmation.reponse != ReponseConfirmation.PRESENT:
        return False
    return bool(getattr(confirmation, demi_journee))


def _statut_binome(groupe, appel_fait) -> StatutBinome:
    """The pair's status for the day, by the rules of ``assiduite`` on what the roll call
    already read (``selectors.statut_binome_a`` would cost three queries per pair)."""
    personnes = [
        assiduite.Personne(
            role=ligne.membre.role,
            suppleant=ligne.membre.suppleant,
            jour=assiduite.statut_du_jour(p.statut for p in ligne.presences.values()),
            reponse=ligne.confirmation.reponse if ligne.confirmation else None,
        )
        for ligne in groupe.lignes
        if ligne.presences or ligne.confirmation
    ]
    return assiduite.statut_binome(personnes, appel_fait=appel_fait)


def blocs_appel(groupes, demi_journee) -> list[BlocAppel]:
    autre_demi = DemiJournee.APRES_MIDI if demi_journee == DemiJournee.MATIN else DemiJournee.MATIN
    appel_fait = any(ligne.presences for groupe in groupes for ligne in groupe.lignes)
    blocs = []
    for groupe in groupes:
        membres = {membre.pk: membre for membre in groupe.binome.membres.all()}
        personnes = []
        for ligne in groupe.lignes:
            presence = ligne.presences.get(demi_journee)
            statut = presence.statut if presence else None
            personnes.append(
                PersonneAppel(
                    membre=ligne.membre,
                    presence=presence,
                    autre=ligne.presences.get(autre_demi),
                    indice=_indice(ligne.confirmation, membres),
                    attendu=_attendu(ligne, demi_journee),
                    boutons=[
                        Bouton(valeur, StatutPresence(valeur).label, classe, valeur == statut)
                        for valeur, classe in BOUTONS_APPEL
                    ],
                )
            )
        blocs.append(BlocAppel(groupe.binome, personnes, _statut_binome(groupe, appel_fait)))
    return blocs


def compteur(blocs) -> dict:
    personnes = [personne for bloc in blocs for personne in bloc.personnes]
    return {
        "presents": sum(personne.statut in PRESENCES_EFFECTIVES for personne in personnes),
        "attendus": sum(personne.attendu for personne in personnes),
    }


def _contexte_appel(cycle, seance, demi_journee) -> dict:
    blocs = blocs_appel(selectors.appel(seance), demi_journee)
    return {
        "cycle": cycle,
        "seance": seance,
        "demi_journee": demi_journee,
        "demi_journee_libelle": DemiJournee(demi_journee).label,
        "demi_journees": DemiJournee.choices,
        "blocs": blocs,
        "compteur": compteur(blocs),
        "aujourdhui": seance.date == timezone.localdate(),
    }


@equipe_requise
@require_GET
def appel(request, cycle, numero):
    cycle, seance = _seance(cycle, numero)
    demi_journee = request.GET.get("demi_journee")
    if demi_journee not in DemiJournee.values:
        demi_journee = _demi_journee_par_defaut(seance)
    return render(
        request, "seances/equipe/appel.html", _contexte_appel(cycle, seance, demi_journee)
    )


def _membre_du_cycle_ou_404(cycle, valeur) -> Membre:
    try:
        pk = int(valeur)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        Membre.objects.select_related("binome", "user"), pk=pk, binome__cycle=cycle
    )


@equipe_requise
@require_POST
def marquer(request, cycle, numero):
    """One tap: record (or clear) a person's status for a half-day. htmx swaps the block of
    their collectivity and the counter; without JavaScript, back to that block."""
    cycle, seance = _seance(cycle, numero)
    membre = _membre_du_cycle_ou_404(cycle, request.POST.get("membre"))
    formulaire = MarquerForm(request.POST)
    if not formulaire.is_valid():
        erreurs = [erreur for liste in formulaire.errors.values() for erreur in liste]
        return HttpResponseBadRequest(" ".join(erreurs))
    demi_journee = formulaire.cleaned_data["demi_journee"]
    statut = formulaire.cleaned_data["statut"]
    try:
        if statut:
            services.presence_marquer(seance, membre, demi_journee, statut, par=request.user)
        else:
            services.presence_effacer(seance, membre, demi_journee)
    except ValidationError as erreur:
        return HttpResponseBadRequest(" ".join(erreur.messages))
    if request.htmx:
        contexte = _contexte_appel(cycle, seance, demi_journee)
        [bloc] = [bloc for bloc in contexte["blocs"] if bloc.binome.pk == membre.binome_id]
        return render(
            request,
            "seances/equipe/_appel_binome.html",
            {**contexte, "bloc": bloc, "compteur_oob": True},
        )
    url = reverse("equipe_seances:appel", args=[cycle.slug, seance.numero])
    return redirect(f"{url}?demi_journee={demi_journee}#binome-{membre.binome_id}")


# --- the QR code of the room ----------------------------------------------------------------


def lien_pointage(seance) -> str:
    return settings.SITE_URL + reverse(
        "seances:pointer", args=[seance.pk, services.pointage_jeton(seance)]
    )


def qr_svg(donnees: str, *, libelle: str) -> str:
    """The QR code as inline SVG, scaled by the page (no fixed size, no style attribute)."""
    image = qrcode.make(donnees, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)
    # Only our own generated markup and an escaped label go into the page.
    return mark_safe(  # noqa: S308
        svg.replace(
            "<svg",
            format_html('<svg class="qr-code w-100 h-auto" role="img" aria-label="{}"', libelle),
            1,
        )
    )


@equipe_requise
@require_GET
def qr(request, cycle, numero):
    cycle, seance = _seance(cycle, numero)
    lien = lien_pointage(seance)
    return render(
        request,
        "seances/equipe/qr.html",
        {
            "cycle": cycle,
            "seance": seance,
            "lien": lien,
            "svg": qr_svg(lien, libelle=_("QR code de pointage de la séance")),
            "aujourdhui": seance.date == timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pointer(request, pk, jeton):
    """The participant who scanned the QR code says « je suis là »; the service checks the
    code (this session, today) and the account (in a pair of the cycle)."""
    seance = Seance.objects.filter(pk=pk).select_related("cycle").first()
    if seance is None:
        raise Http404
    maintenant = timezone.now()
    contexte = {
        "seance": seance,
        "jeton": jeton,
        "demi_journee_libelle": DemiJournee(services.demi_journee_a(seance, maintenant)).label,
    }
    if request.method == "GET":
        return render(request, "seances/participant/pointage.html", contexte)
    try:
        presence = services.pointer(seance, jeton, request.user, maintenant=maintenant)
    except ValidationError as erreur:
        membre = selectors.membre_du_cycle(request.user, seance.cycle)
        return render(
            request,
            "seances/participant/pointage.html",
            {**contexte, "erreur": " ".join(erreur.messages)},
            status=403 if membre is None else 400,
        )
    return render(
        request,
        "seances/participant/pointage.html",
        {**contexte, "presence": presence, "enregistree": True},
    )


# --- the attendance sheets ------------------------------------------------------------------


@equipe_requise
@require_GET
def emargement(request, cycle, numero, demi_journee):
    if demi_journee not in DemiJournee.values:
        raise Http404
    cycle, seance = _seance(cycle, numero)
    contexte = {
        "cycle": cycle,
        "seance": seance,
        "demi_journee": demi_journee,
        "demi_journee_libelle": DemiJournee(demi_journee).label,
        "lignes": selectors.feuille_emargement(seance, demi_journee),
        "intervenants": list(seance.intervenants.all()),
        "lignes_libres": range(3),
        "statuts_notes": (StatutPresence.EXCUSE, StatutPresence.REMPLACE),
    }
    contenu = rendre_pdf("seances/pdf/emargement.html", contexte)
    return reponse_pdf(contenu, f"emargement-seance-{seance.numero}-{demi_journee}.pdf")


# --- after: the evaluation results ----------------------------------------------------------


@dataclass
class NonRepondant:
    membre: Membre
    invitation: object  # Courriel or None
    relance: object


@equipe_requise
@require_GET
def evaluations(request, cycle, numero):
    cycle, seance = _seance(cycle, numero)
    resultats = selectors.resultats_evaluation(seance)
    envois = selectors.envois_evaluation(seance)
    plus_grand = max((nombre for _note, nombre in resultats.repartition), default=0)
    colonnes = [
        (cle, titre, [e for e in resultats.evaluations if getattr(e, cle)])
        for cle, titre in (
            ("bien", _("C'est bien")),
            ("craint", _("Ça craint")),
            ("demain", _("Demain…")),
        )
    ]
    return render(
        request,
        "seances/equipe/evaluations.html",
        {
            "cycle": cycle,
            "seance": seance,
            "resultats": resultats,
            "plus_grand": plus_grand,
            "colonnes": colonnes,
            "non_repondants": [
                NonRepondant(
                    membre,
                    envois.invitations.get(membre.pk),
                    envois.relances.get(membre.pk),
                )
                for membre in resultats.non_repondants
            ],
            "ouverte": services.evaluation_ouverte(seance),
        },
    )
