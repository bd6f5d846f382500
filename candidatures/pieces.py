"""Writes on attachments: add and remove, while the candidature may still change.

The file is checked by ``fichiers.verifier_fichier`` before anything is written. It is stored
inside the transaction that inserts its row, and removed if that transaction fails, so a row
never points to a missing file and no stored file is left without a row.
"""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.documents.telechargement import reponse_fichier_prive
from cerdd_cycle.historique.services import historique_ajouter

from .enums import TypePiece
from .fichiers import verifier_fichier
from .models import Candidature, PieceJointe

logger = logging.getLogger(__name__)


def _verifier_pieces_modifiables(candidature, maintenant):
    if not candidature.modifiable:
        raise ValidationError(
            _("La candidature est déposée : rouvrez-la pour changer ses pièces jointes.")
        )
    if maintenant >= candidature.date_limite:
        raise ValidationError(
            _("La date limite est passée : les pièces jointes ne peuvent plus changer.")
        )


def _verrouiller(candidature):
    return (
        Candidature.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=candidature.pk)
    )


def piece_ajouter(candidature, user, fichier, type, *, maintenant=None) -> PieceJointe:
    """Attach a checked file. Several letters may be attached: none replaces another."""
    maintenant = maintenant or timezone.now()
    if type not in TypePiece.values:
        raise ValidationError(_("Choisissez le type de la pièce."))
    # Answer at once, before reading the file; checked again below under the lock.
    _verifier_pieces_modifiables(candidature, maintenant)
    verifie = verifier_fichier(fichier)
    piece = PieceJointe(
        type=type,
        nom_original=verifie.nom,
        type_mime=verifie.type_mime,
        taille=verifie.taille,
        sha256=verifie.sha256,
        ajoutee_par=user,
    )
    nom_stocke = None
    try:
        with transaction.atomic():
            candidature = _verrouiller(candidature)
            _verifier_pieces_modifiables(candidature, maintenant)
            piece.candidature = candidature
            # The stored name is random (upload_to); the original name is only displayed.
            piece.fichier.save(verifie.nom, fichier, save=False)
            nom_stocke = piece.fichier.name
            piece.save()
            historique_ajouter(
                candidature,
                acteur=user,
                action="piece_ajoutee",
                description=_("Pièce ajoutée (%(type)s) : %(nom)s")
                % {"type": piece.get_type_display(), "nom": piece.nom_original},
                apres={"piece": piece.pk, "nom": piece.nom_original, "sha256": piece.sha256},
            )
    except BaseException:
        if nom_stocke:
            piece.fichier.storage.delete(nom_stocke)
        raise
    return piece


def piece_supprimer(piece, user, *, maintenant=None) -> None:
    """Remove an attachment; its file leaves the storage once the removal is committed."""
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        candidature = _verrouiller(piece.candidature)
        _verifier_pieces_modifiables(candidature, maintenant)
        piece = PieceJointe.objects.filter(pk=piece.pk, candidature=candidature).first()
        if piece is None:
            return  # already removed (a second click): nothing left to do
        historique_ajouter(
            candidature,
            acteur=user,
            action="piece_supprimee",
            description=_("Pièce retirée (%(type)s) : %(nom)s")
            % {"type": piece.get_type_display(), "nom": piece.nom_original},
            avant={"piece": piece.pk, "nom": piece.nom_original, "sha256": piece.sha256},
        )
        piece.delete()
        transaction.on_commit(partial(piece.fichier.storage.delete, piece.fichier.name))


def piece_reponse(piece):
    """Serve an attachment the caller has already checked access to; never inline."""
    return reponse_fichier_prive(piece.fichier, piece.nom_original, piece.type_mime)
