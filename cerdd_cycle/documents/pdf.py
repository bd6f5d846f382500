"""The one way the platform makes a PDF: a Django template rendered by WeasyPrint.

WeasyPrint only ever reads our own static files (and ``data:`` URIs): any other URL,
including one a user typed into a text that ends up in a PDF, is refused without a request.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in a PDF template resolve against this fictitious root, never a real host.
BASE_URL = "file:///"


class FichiersStatiquesSeulement(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        chemin = _chemin_statique(unquote(parts.path)) if parts.scheme == "file" else None
        if chemin is None:
            logger.warning("PDF : ressource refusée %s", url[:200])
            raise ValueError(f"Ressource non autorisée dans un PDF : {url[:200]}")
        type_mime = mimetypes.guess_type(chemin.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, chemin.read_bytes(), headers={"Content-Type": type_mime})


def _chemin_statique(chemin_url: str) -> Path | None:
    prefixe = settings.STATIC_URL
    if not chemin_url.startswith(prefixe):
        return None
    relatif = chemin_url[len(prefixe) :]
    try:
        trouve = finders.find(relatif)
    except SuspiciousFileOperation:
        return None
    if trouve is None and settings.STATIC_ROOT:
        candidat = (Path(settings.STATIC_ROOT) / relatif).resolve()
        if candidat.is_file() and Path(settings.STATIC_ROOT).resolve() in candidat.parents:
            trouve = str(candidat)
    return Path(trouve) if trouve else None


def mettre_en_page(template_name: str, context: dict):
    """Render and lay out ``template_name``: the WeasyPrint document, whose ``pages`` can be
    counted before ``write_pdf()`` writes it (long reports report their progress in between)."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=FichiersStatiquesSeulement()).render()


def rendre_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` into PDF bytes."""
    return mettre_en_page(template_name, context).write_pdf()


def reponse_pdf(contenu: bytes, nom_fichier: str, *, telecharger=True) -> HttpResponse:
    reponse = HttpResponse(contenu, content_type="application/pdf")
    disposition = "attachment" if telecharger else "inline"
    reponse["Content-Disposition"] = f'{disposition}; filename="{nom_fichier}"'
    return reponse
