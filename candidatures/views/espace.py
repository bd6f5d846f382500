"""The candidate's space (/candidatures/): their candidatures, the form that saves itself,
submission, receipts and co-editors. Each view: login, a selector scoped to the user, one
service call, a message, a redirect."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cerdd_cycle.cycles.selectors import cycles_ouverts, cycles_publics
from cerdd_cycle.documents.pdf import reponse_pdf
from cerdd_cycle.formats import date_en_toutes_lettres, delai_restant, heure, quand_court
from cerdd_cycle.territoires.selectors import territoires_rechercher

from ..enums import StatutCandidature
from ..forms import (
    CandidatureForm,
    ChoixTerritoireForm,
    DemandeAccesForm,
    InvitationForm,
    StructureForm,
    donnees_enregistrement,
)
from ..pdf import brouillon_pdf, recu_pdf
from ..selectors import (
    acces_par_jeton,
    candidature_accessible,
    candidature_de,
    candidature_detail,
    candidature_detail_de,
    candidature_existante,
    candidatures_avec_suivi,
    candidatures_de,
    demandes_de,
    invitations_de,
)
from ..services import (
    CandidatureExistante,
    CandidatureIncomplete,
    acces_accepter,
    acces_accorder,
    acces_demander,
    acces_inviter,
    acces_retirer,
    candidature_creer,
    candidature_enregistrer,
    candidature_rouvrir,
    candidature_soumettre,
    destinataires_accuse,
    nom_recu,
)

NB_REFERENTS = 2


# --- dates in words (Europe/Paris, the site's time zone) -------------------------------------


def date_heure(valeur, *, jour_semaine=False) -> str:
    """« 12 mars 2021 à 11 h 58 » (« 1er mars », and « vendredi 12 mars » on request)."""
    return date_en_toutes_lettres(valeur, jour_semaine=jour_semaine)


def statut_en_clair(candidature) -> str:
    """« Brouillon », or « Déposée ✓ le 12 mars 2021 à 11 h 58 », and whether it was reopened."""
    if candidature.statut == StatutCandidature.BROUILLON or candidature.depose_le is None:
        return _("Brouillon")
    texte = _("Déposée ✓ le %(quand)s") % {"quand": date_heure(candidature.depose_le)}
    if candidature.statut == StatutCandidature.EN_MODIFICATION:
        texte += " — " + _("modifications en cours, pas encore redéposées")
    return texte


def masquer_email(email) -> str:
    """« c•••@mairie.fr »: enough to recognise a colleague, not enough to harvest an address."""
    nom, _arobase, domaine = (email or "").partition("@")
    return f"{nom[:1]}•••@{domaine}" if domaine else "•••"


# --- list -------------------------------------------------------------------------------------


@dataclass
class Ligne:
    candidature: object
    statut: str
    date_limite: str
    delai: str
    delai_passe: bool
    confirmes: int


@login_required
@require_safe
def liste(request):
    maintenant = timezone.now()
    candidatures = candidatures_avec_suivi(candidatures_de(request.user)).order_by(
        "-cycle__date_limite", "-modifie_le"
    )
    lignes = [
        Ligne(
            candidature=candidature,
            statut=statut_en_clair(candidature),
            date_limite=date_heure(candidature.date_limite, jour_semaine=True),
            delai=delai_restant(candidature.date_limite, maintenant),
            delai_passe=maintenant >= candidature.date_limite,
            confirmes=candidature.nb_confirmes,
        )
        for candidature in candidatures
    ]
    invitations = invitations_de(request.user)
    demandes = demandes_de(request.user)
    ouverts = cycles_ouverts(maintenant)
    contexte = {
        "lignes": lignes,
        "invitations": list(invitations),
        "demandes": list(demandes),
        "cycles_ouverts": [
            {"cycle": cycle, "date_limite": date_heure(cycle.date_limite, jour_semaine=True)}
            for cycle in ouverts
        ],
        "nb_referents": NB_REFERENTS,
    }
    return render(request, "candidatures/espace/liste.html", contexte)


# --- starting a candidature -----------------------------------------------------------------


def _cycle_public(slug):
    return get_object_or_404(cycles_publics(), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def nouvelle(request, cycle_slug):
    cycle = _cycle_public(cycle_slug)
    choix_form = ChoixTerritoireForm()
    structure_form = StructureForm(region=cycle.region)
    if request.method == "POST" and cycle.ami_ouvert:
        if request.POST.get("mode") == "hors_liste":
            form = structure_form = StructureForm(request.POST, region=cycle.region)
        else:
            form = choix_form = ChoixTerritoireForm(request.POST)
        if form.is_valid():
            try:
                candidature = candidature_creer(cycle=cycle, user=request.user, **form.cleaned_data)
            except CandidatureExistante as exc:
                return _page_nouvelle(request, cycle, existante=exc.candidature)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Votre brouillon pour %(nom)s est créé. Chaque réponse s'enregistre "
                        "au fil de la saisie."
                    )
                    % {"nom": candidature.nom_collectivite},
                )
                return redirect("candidatures:formulaire", pk=candidature.pk)
        return _page_nouvelle(
            request, cycle, choix_form=choix_form, structure_form=structure_form, statut=422
        )
    return _page_nouvelle(request, cycle, choix_form=choix_form, structure_form=structure_form)


def _page_nouvelle(
    request, cycle, *, choix_form=None, structure_form=None, existante=None, statut=200
):
    maintenant = timezone.now()
    requete = request.GET.get("q", "").strip()
    contexte = {
        "cycle": cycle,
        "ouvert": cycle.ami_ouvert,
        "pas_encore": maintenant < cycle.ouverture_ami,
        "ouverture": date_heure(cycle.ouverture_ami, jour_semaine=True),
        "date_limite": date_heure(cycle.date_limite, jour_semaine=True),
        "delai": delai_restant(cycle.date_limite, maintenant),
        "requete": requete,
        # Without JavaScript the search reloads the page with its results.
        "resultats": territoires_rechercher(requete, region=cycle.region_id) if requete else [],
        "choix_form": choix_form or ChoixTerritoireForm(),
        "structure_form": structure_form or StructureForm(region=cycle.region),
        "mes_candidatures": list(candidatures_de(request.user).filter(cycle=cycle)),
    }
    if existante is not None:
        contexte |= {
            "existante": existante,
            "existante_a_moi": candidatures_de(request.user).filter(pk=existante.pk).exists(),
            "existante_contact": masquer_email(existante.proprietaire.email),
            "demande_form": DemandeAccesForm(initial={"siren": existante.siren}),
        }
    return render(request, "candidatures/espace/nouvelle.html", contexte, status=statut)


@login_required
@require_POST
def demander_acces(request, cycle_slug):
    cycle = _cycle_public(cycle_slug)
    form = DemandeAccesForm(request.POST)
    if not form.is_valid():
        raise Http404
    candidature = candidature_existante(cycle, siren=form.cleaned_data["siren"])
    if candidature is None:
        raise Http404
    if candidatures_de(request.user).filter(pk=candidature.pk).exists():
        return redirect("candidatures:formulaire", pk=candidature.pk)
    acces_demander(candidature, demandeur=request.user, message=form.cleaned_data["message"])
    messages.success(
        request,
        _(
            "Votre demande d'accès à la candidature de %(nom)s est envoyée à la personne qui la "
            "rédige. Vous recevrez un courriel dès qu'elle l'aura acceptée."
        )
        % {"nom": candidature.nom_collectivite},
    )
    return redirect("candidatures:liste")


# --- the form ---------------------------------------------------------------------------------


def _page_formulaire(request, detail, *, manquants=None, statut=200):
    """``detail``: the candidature with what the page lists (``candidature_detail``)."""
    maintenant = timezone.now()
    delai_passe = maintenant >= detail.date_limite
    modifiable = detail.modifiable and not delai_passe
    form = CandidatureForm(
        instance=detail,
        lecture_seule=not modifiable,
        url_enregistrer=reverse("candidatures:enregistrer", args=[detail.pk]),
    )
    versions = list(detail.versions.all())
    confirmations = list(detail.confirmations.all())
    acces = list(detail.acces.all())
    est_titulaire = detail.proprietaire_id == request.user.pk
    contexte = {
        "candidature": detail,
        "form": form,
        "sections": form.par_section(manquants),
        "manquants": manquants or [],
        "modifiable": modifiable,
        "delai_passe": delai_passe,
        "peut_rouvrir": detail.statut == StatutCandidature.DEPOSEE and not delai_passe,
        "statut_texte": statut_en_clair(detail),
        "date_limite": date_heure(detail.date_limite, jour_semaine=True),
        "date_limite_iso": timezone.localtime(detail.date_limite).isoformat(timespec="minutes"),
        "delai": delai_restant(detail.date_limite, maintenant),
        "derniere_modification": quand_court(detail.modifie_le, maintenant),
        "versions": [{"version": v, "le": date_heure(v.deposee_le)} for v in versions],
        "confirmations": confirmations,
        "nb_confirmes": sum(1 for c in confirmations if c.confirme_le),
        "nb_referents": NB_REFERENTS,
        "est_titulaire": est_titulaire,
        "coediteurs": [a for a in acces if a.accepte_le],
        "invitations": [a for a in acces if not a.accepte_le and not a.demande],
        "demandes": [a for a in acces if not a.accepte_le and a.demande],
        "invitation_form": InvitationForm(),
        "pieces": list(detail.pieces_jointes.all()),
        "taille_max_mo": settings.CANDIDATURES_TAILLE_MAX_MO,
        "modifie_le_ms": int(detail.modifie_le.timestamp() * 1000),
    }
    return render(request, "candidatures/espace/formulaire.html", contexte, status=statut)


@login_required
@require_safe
def formulaire(request, pk):
    return _page_formulaire(request, candidature_detail_de(request.user, pk))


@login_required
@require_POST
def enregistrer(request, pk):
    """Autosave (htmx: one field, answers a status fragment), a closing tab's last keystrokes
    (``sendBeacon``: 204) or the whole form without JavaScript (redirect with a message)."""
    candidature = candidature_accessible(request.user, pk)
    balise = "_balise" in request.POST
    try:
        candidature = candidature_enregistrer(
            candidature, request.user, donnees_enregistrement(request.POST)
        )
    except ValidationError as exc:
        texte = " ".join(exc.messages)
        if request.htmx or balise:
            return render(
                request,
                "candidatures/espace/_etat_enregistrement.html",
                {"erreur": texte},
                status=422,
            )
        messages.error(request, texte)
        return redirect("candidatures:formulaire", pk=pk)
    if balise:
        return HttpResponse(status=204)
    if request.htmx:
        reponse = render(
            request,
            "candidatures/espace/_etat_enregistrement.html",
            {"heure": heure(candidature.modifie_le)},
        )
        reponse["X-Revision"] = str(candidature.revision)
        return reponse
    messages.success(
        request,
        _("Vos réponses sont enregistrées (%(heure)s).") % {"heure": heure(candidature.modifie_le)},
    )
    return redirect("candidatures:formulaire", pk=pk)


@login_required
@require_POST
def soumettre(request, pk):
    candidature = candidature_de(request.user, pk)
    if "_formulaire_complet" in request.POST and candidature.modifiable:
        # Without JavaScript, "Déposer" sends the whole form: save it first, nothing is lost.
        try:
            candidature = candidature_enregistrer(
                candidature, request.user, donnees_enregistrement(request.POST)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("candidatures:formulaire", pk=pk)
    try:
        candidature_soumettre(candidature, request.user)
    except CandidatureIncomplete as exc:
        return _page_formulaire(
            request, candidature_detail(candidature.pk), manquants=exc.manquants, statut=422
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("candidatures:formulaire", pk=pk)
    messages.success(
        request,
        _(
            "Candidature déposée ✓ — un accusé de réception avec le reçu PDF a été envoyé à "
            "%(adresses)s."
        )
        % {"adresses": ", ".join(destinataires_accuse(candidature))},
    )
    return redirect("candidatures:formulaire", pk=pk)


@login_required
@require_POST
def rouvrir(request, pk):
    candidature = candidature_de(request.user, pk)
    try:
        candidature = candidature_rouvrir(candidature, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "La candidature est rouverte. La version déposée reste celle qui compte tant "
                "que vous ne l'avez pas redéposée, avant le %(limite)s."
            )
            % {"limite": date_heure(candidature.date_limite)},
        )
    return redirect("candidatures:formulaire", pk=pk)


@login_required
@require_safe
def pdf(request, pk):
    candidature = candidature_de(request.user, pk)
    return reponse_pdf(brouillon_pdf(candidature), f"candidature-{candidature.pk}-brouillon.pdf")


@login_required
@require_safe
def recu(request, pk, numero):
    # Staff open receipts too (from their detail page); candidates only their own.
    candidature = candidature_de(request.user, pk, pour_equipe=True)
    version = get_object_or_404(candidature.versions, numero=numero)
    return reponse_pdf(recu_pdf(candidature, version), nom_recu(candidature, version))


# --- co-editors -------------------------------------------------------------------------------


def _candidature_du_titulaire(request, pk):
    """Only the account that started a candidature manages who else may edit it."""
    candidature = candidature_de(request.user, pk)
    if not request.user.has_perm("candidatures.gerer_coedition", candidature):
        raise Http404
    return candidature


def _vers_coedition(pk):
    return redirect(reverse("candidatures:formulaire", args=[pk]) + "#coedition")


@login_required
@require_POST
def inviter(request, pk):
    candidature = _candidature_du_titulaire(request, pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une adresse électronique valide."))
        return _vers_coedition(pk)
    try:
        acces = acces_inviter(candidature, par=request.user, email=form.cleaned_data["email"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Invitation envoyée à %(email)s : le lien reçu lui ouvrira la candidature.")
            % {"email": acces.email},
        )
    return _vers_coedition(pk)


@login_required
@require_POST
def accorder(request, pk, acces_pk):
    candidature = _candidature_du_titulaire(request, pk)
    acces = get_object_or_404(candidature.acces.filter(accepte_le__isnull=True), pk=acces_pk)
    acces_accorder(acces, par=request.user)
    messages.success(
        request,
        _("%(email)s peut maintenant ouvrir et modifier la candidature.") % {"email": acces.email},
    )
    return _vers_coedition(pk)


@login_required
@require_POST
def retirer(request, pk, acces_pk):
    candidature = _candidature_du_titulaire(request, pk)
    acces = get_object_or_404(candidature.acces, pk=acces_pk)
    email, demande = acces.email, acces.demande and not acces.accepte_le
    acces_retirer(acces, par=request.user)
    if demande:
        texte = _("La demande d'accès de %(email)s est refusée.")
    else:
        texte = _("%(email)s n'a plus accès à la candidature.")
    messages.success(request, texte % {"email": email})
    return _vers_coedition(pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, jeton):
    acces = acces_par_jeton(jeton)
    if acces.user_id == request.user.pk and acces.accepte_le:
        return redirect("candidatures:formulaire", pk=acces.candidature_id)
    erreur = None
    if request.method == "POST":
        try:
            acces_accepter(acces, request.user)
        except ValidationError as exc:
            erreur = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Vous co-éditez maintenant la candidature de %(nom)s.")
                % {"nom": acces.candidature.nom_collectivite},
            )
            return redirect("candidatures:formulaire", pk=acces.candidature_id)
    contexte = {
        "acces": acces,
        "candidature": acces.candidature,
        "erreur": erreur,
        "deja_utilisee": bool(acces.user_id and acces.user_id != request.user.pk),
        "en_attente": acces.demande and not acces.accepte_le,
        "autre_adresse": acces.email.lower() != request.user.email.lower(),
    }
    return render(
        request,
        "candidatures/espace/invitation.html",
        contexte,
        status=422 if erreur else 200,
    )
