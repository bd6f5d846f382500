"""Reads. Every view fetches a candidature through one of these, scoped to the user."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from cerdd_cycle.comptes.roles import Role, a_le_role

from .enums import STATUTS_DEPOSES
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


def candidatures_avec_suivi(queryset):
    """Adds what lists show: attachments, confirmed referents (no query per row)."""
    return queryset.annotate(
        nb_pieces=Count("pieces_jointes", distinct=True),
        nb_confirmes=Count(
            "confirmations", filter=Q(confirmations__confirme_le__isnull=False), distinct=True
        ),
    )


def candidature_detail(candidature_id):
    return (
        _base()
        .prefetch_related(
            Prefetch("pieces_jointes", queryset=PieceJointe.objects.order_by("type", "ajoutee_le")),
            Prefetch("confirmations", queryset=ConfirmationReferent.objects.order_by("role")),
            Prefetch("acces", queryset=Acces.objects.select_related("user").order_by("cree_le")),
            "versions",
        )
        .get(pk=candidature_id)
    )


def candidature_existante(cycle, *, territoire=None, siren=""):
    qs = Candidature.objects.filter(cycle=cycle).select_related("proprietaire", "territoire")
    if territoire is not None:
        return qs.filter(territoire=territoire).first()
    if siren:
        return qs.filter(Q(structure_siren=siren) | Q(territoire__siren=siren)).first()
    return None


def candidatures_deposees(cycle):
    return _base().filter(cycle=cycle, statut__in=STATUTS_DEPOSES)
