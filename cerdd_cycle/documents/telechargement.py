"""The one way a reserved file (stored under PRIVATE_MEDIA_ROOT) is handed to a browser, once
the caller has checked access with the same selector as the page."""

import logging
import mimetypes

from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def reponse_fichier_prive(fichier, nom: str, type_mime: str | None = None) -> FileResponse:
    """Always as an attachment, never sniffed nor run, never cached; a file missing from the
    storage answers 404 and is logged."""
    try:
        contenu = fichier.open("rb")
    except FileNotFoundError:
        logger.error("Fichier absent du stockage : %s", fichier.name)
        raise Http404 from None
    reponse = FileResponse(
        contenu,
        as_attachment=True,
        filename=nom,
        content_type=type_mime or mimetypes.guess_type(nom)[0] or "application/octet-stream",
    )
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Content-Security-Policy"] = "sandbox"
    reponse["Cache-Control"] = "private, no-store"
    return reponse
