"""Reads. Every view fetches a candidature through one of these, scoped to the user."""

import re

from django.db.models import CharField, Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404

from cerdd_cycle.comptes.roles import Role, a_le_role
from cerdd_cycle.historique.models import Historique
from cerdd_cycle.territoires.models import TYPES_EPCI
from cerdd_cycle.territoires.normalisation import normaliser

from .enums import STATUTS_DEPOSES, StatutCandidature, TypePiece
from .models import Acces, Candidature, ConfirmationReferent, PieceJointe


def _base():
    return Candidature.objects.select_related(
        "cycle",
        "cycle__region",
        "territoire",
        "territoire__departement",
        "departement",
        "proprietaire",
    )


def candidatures_de(user):
    """The candidatures a candidate may open: their own and those they co-edit."""
    if not user.is_authenticated:
        return Candidature.objects.none()
    coedite = Acces.objects.filter(candidature=OuterRef("pk"), user=user, accepte_le__isnull=False)
    return _base().filter(Q(proprietaire=user) | Exists(coedite))


def candidature_de(user, pk, *, pour_equipe=False):
    """One candidature the user may open, else 404 (an object that is not yours answers 404)."""
    if pour_equipe and a_le_role(user, Role.EQUIPE):
        return get_object_or_404(_base(), pk=pk)
    return get_object_or_404(candidatures_de(user), pk=pk)


def candidature_accessible(user, pk):
    """``candidature_de`` for a write that fetches the row again itself (the autosave): the
    access check only, without the joins."""
    return get_object_or_404(candidatures_de(user).select_related(None).only("pk"), pk=pk)


def candidatures_avec_suivi(queryset):
    """Adds what lists show: attachments, confirmed referents (no query per row)."""
    return queryset.annotate(
        nb_pieces=Count("pieces_jointes", distinct=True),
        nb_confirmes=Count(
            "confirmations", filter=Q(confirmations__confirme_le__isnull=False), distinct=True
        ),
    )


def _avec_detail(queryset):
    return queryset.prefetch_related(
        Prefetch("pieces_jointes", queryset=PieceJointe.objects.order_by("type", "ajoutee_le")),
        Prefetch("confirmations", queryset=ConfirmationReferent.objects.order_by("role")),
        Prefetch("acces", queryset=Acces.objects.select_related("user").order_by("cree_le")),
        "versions",
    )


def candidature_detail(candidature_id):
    return _avec_detail(_base()).get(pk=candidature_id)


def candidature_detail_de(user, pk):
    """``candidature_de`` and ``candidature_detail`` in one fetch (the form page's)."""
    return get_object_or_404(_avec_detail(candidatures_de(user)), pk=pk)


def candidature_existante(cycle, *, territoire=None, siren=""):
    qs = Candidature.objects.filter(cycle=cycle).select_related("proprietaire", "territoire")
    if territoire is not None:
        return qs.filter(territoire=territoire).first()
    if siren:
        return qs.filter(Q(structure_siren=siren) | Q(territoire__siren=siren)).first()
    return None


def candidatures_deposees(cycle):
    return _base().filter(cycle=cycle, statut__in=STATUTS_DEPOSES)


# --- staff ----------------------------------------------------------------------------------

TYPE_EPCI = "epci"
TYPE_HORS_LISTE = "hors_liste"


def candidatures_pour_equipe(cycle, filtres=None):
    """The candidatures of ``cycle`` for staff lists and exports, narrowed by ``filtres``.

    ``filtres`` may hold ``statut``, ``departement``, ``type`` (a territory type,
    ``TYPE_EPCI`` or ``TYPE_HORS_LISTE``), ``a_verifier`` (True, False or None) and
    ``recherche``. Each row carries what lists show — ``a_une_lettre`` for the completeness
    check, ``nb_pieces``, ``nb_confirmes``, ``derniere_modification`` — so the number of
    queries never grows with the number of rows.
    """
    filtres = filtres or {}
    lettre = PieceJointe.objects.filter(candidature=OuterRef("pk"), type=TypePiece.LETTRE)
    dernier_evenement = (
        Historique.objects.filter(
            content_type__app_label=Candidature._meta.app_label,
            content_type__model=Candidature._meta.model_name,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by("-le")
        .values("le")[:1]
    )
    qs = candidatures_avec_suivi(_base().filter(cycle=cycle)).annotate(
        a_une_lettre=Exists(lettre),
        # Typing is recorded once per half hour in the history, the answers' date is exact.
        derniere_modification=Greatest(
            Coalesce(Subquery(dernier_evenement), F("modifie_le")), F("modifie_le")
        ),
        nom_tri=Lower(Coalesce("territoire__nom", "structure_nom")),
    )
    if filtres.get("statut"):
        qs = qs.filter(statut=filtres["statut"])
    if filtres.get("departement"):
        qs = qs.filter(departement=filtres["departement"])
    type_ = filtres.get("type")
    if type_ == TYPE_HORS_LISTE:
        qs = qs.filter(territoire__isnull=True)
    elif type_ == TYPE_EPCI:
        qs = qs.filter(territoire__type__in=TYPES_EPCI)
    elif type_:
        qs = qs.filter(territoire__type=type_)
    if filtres.get("a_verifier") is not None:
        qs = qs.filter(eligibilite_a_verifier=filtres["a_verifier"])
    recherche = (filtres.get("recherche") or "").strip()
    if recherche:
        qs = qs.filter(_recherche(recherche))
    return qs.order_by("nom_tri", "pk")


def _recherche(texte):
    """Name (accents and hyphens optional), SIREN, a person's name or email."""
    condition = Q(structure_nom__icontains=texte)
    if normaliser(texte):
        condition |= Q(territoire__nom_recherche__contains=normaliser(texte))
    siren = re.sub(r"\s", "", texte)
    if siren.isdigit():
        condition |= Q(territoire__siren=siren) | Q(structure_siren=siren)
    for champ in (
        "proprietaire__email",
        "contact_nom",
        "contact_email",
        "politique_nom",
        "politique_email",
        "technique_nom",
        "technique_email",
        "point_contact_email",
    ):
        condition |= Q(**{f"{champ}__icontains": texte})
    return condition


def candidatures_compteurs(cycle) -> dict:
    """Figures above the staff list: total, submitted, drafts, eligibility to check."""
    return Candidature.objects.filter(cycle=cycle).aggregate(
        total=Count("pk"),
        deposees=Count("pk", filter=Q(statut__in=STATUTS_DEPOSES)),
        brouillons=Count("pk", filter=Q(statut=StatutCandidature.BROUILLON)),
        a_verifier=Count("pk", filter=Q(eligibilite_a_verifier=True)),
    )


def candidature_pour_equipe(pk):
    """One candidature with everything its staff page shows, else 404."""
    try:
        return candidature_detail(pk)
    except Candidature.DoesNotExist:
        raise Http404 from None


def invitations_de(user):
    """Co-edition invitations sent to the user's address and not yet accepted."""
    return Acces.objects.filter(
        email__iexact=user.email, demande=False, accepte_le__isnull=True
    ).select_related("candidature__territoire", "candidature__cycle")


def demandes_de(user):
    """Access the user asked for and the owner has not granted yet."""
    return Acces.objects.filter(user=user, demande=True, accepte_le__isnull=True).select_related(
        "candidature__territoire", "candidature__cycle"
    )


def acces_par_jeton(jeton):
    return get_object_or_404(
        Acces.objects.select_related(
            "candidature__territoire", "candidature__cycle", "candidature__proprietaire"
        ),
        jeton=jeton,
    )
