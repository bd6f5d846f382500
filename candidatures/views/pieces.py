"""Attachments of a candidature: add, download, remove.

Every piece is fetched through its candidature, itself fetched by ``candidature_de``: a piece
of a candidature you may not open answers 404. Files are served by this view only, never by
a URL of the storage.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..pieces import piece_ajouter, piece_reponse, piece_supprimer
from ..selectors import candidature_de


def _partiel(request, candidature, *, status=200, **extra):
    """The partial with the context names of the form page that includes it, plus the
    <div id="pieces"> that htmx swaps (outerHTML) and that the page itself provides."""
    contexte = {
        "candidature": candidature,
        "pieces": candidature.pieces_jointes.order_by("type", "ajoutee_le"),
        "modifiable": candidature.modifiable and timezone.now() < candidature.date_limite,
        "taille_max_mo": settings.CANDIDATURES_TAILLE_MAX_MO,
        "conteneur": True,
        **extra,
    }
    return render(request, "candidatures/_pieces.html", contexte, status=status)


def _retour(candidature):
    """The candidature's form page, where the list of attachments lives."""
    return reverse("candidatures:formulaire", args=[candidature.pk])


@login_required
@require_POST
def ajouter(request, candidature_pk):
    candidature = candidature_de(request.user, candidature_pk)
    type_piece = request.POST.get("type", "")
    fichier = request.FILES.get("fichier")
    try:
        if fichier is None:
            raise ValidationError(_("Choisissez un fichier à joindre."))
        piece = piece_ajouter(candidature, request.user, fichier, type_piece)
    except ValidationError as erreur:
        message = " ".join(erreur.messages)
        if request.htmx:
            # 422: htmx swaps only the list and its form; the rest of the page is untouched.
            return _partiel(
                request, candidature, status=422, erreur=message, type_choisi=type_piece
            )
        messages.error(request, message)
        return redirect(_retour(candidature))
    succes = _("« %(nom)s » a été ajouté aux pièces jointes.") % {"nom": piece.nom_original}
    if request.htmx:
        return _partiel(request, candidature, succes=succes)
    messages.success(request, succes)
    return redirect(_retour(candidature))


@login_required
@require_safe
def telecharger(request, candidature_pk, piece_pk):
    candidature = candidature_de(request.user, candidature_pk, pour_equipe=True)
    piece = get_object_or_404(candidature.pieces_jointes, pk=piece_pk)
    return piece_reponse(piece)


@login_required
@require_POST
def supprimer(request, candidature_pk, piece_pk):
    # Authors only: staff read attachments, they do not edit a candidature here.
    candidature = candidature_de(request.user, candidature_pk)
    piece = get_object_or_404(candidature.pieces_jointes, pk=piece_pk)
    try:
        piece_supprimer(piece, request.user)
    except ValidationError as erreur:
        message = " ".join(erreur.messages)
        if request.htmx:
            return _partiel(request, candidature, status=422, erreur_liste=message)
        messages.error(request, message)
        return redirect(_retour(candidature))
    succes = _("« %(nom)s » a été retiré des pièces jointes.") % {"nom": piece.nom_original}
    if request.htmx:
        return _partiel(request, candidature, succes=succes)
    messages.success(request, succes)
    return redirect(_retour(candidature))
