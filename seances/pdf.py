"""Context of the attestation of participation; rendering is the kernel's ``rendre_pdf``.
Everything it says comes from the frozen ``Attestation`` row, except the cycle's dates."""

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cerdd_cycle.documents.pdf import rendre_pdf
from cerdd_cycle.formats import date_en_toutes_lettres

from . import selectors
from .enums import TypeAttestation


def url_verification(attestation) -> str:
    return f"{settings.SITE_URL}{reverse('attestation_verifier')}?code={attestation.code}"


def qr_svg(texte: str) -> str:
    """A QR code as a ``data:`` URI (WeasyPrint reads those without any request)."""
    image = qrcode.make(
        texte,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    contenu = base64.b64encode(image.to_string()).decode("ascii")
    return f"data:image/svg+xml;base64,{contenu}"


def contexte_attestation(attestation) -> dict:
    cycle = attestation.cycle
    dates = [seance.date for seance in selectors.seances_du_cycle(cycle)]
    url = url_verification(attestation)
    return {
        "attestation": attestation,
        "cycle": cycle,
        "personne": attestation.type == TypeAttestation.PERSONNE,
        "debut": date_en_toutes_lettres(min(dates), jour_semaine=False) if dates else "",
        "fin": date_en_toutes_lettres(max(dates), jour_semaine=False) if dates else "",
        "delivree_le": date_en_toutes_lettres(
            timezone.localdate(attestation.delivree_le), jour_semaine=False
        ),
        "url_verification": url,
        "qr": qr_svg(url),
    }


def attestation_pdf(attestation) -> bytes:
    return rendre_pdf("seances/pdf/attestation.html", contexte_attestation(attestation))


def nom_attestation(attestation) -> str:
    return f"attestation-{slugify(attestation.titulaire)[:60]}-{attestation.cycle.slug}.pdf"
