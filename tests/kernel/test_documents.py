import copy
import shutil
import subprocess
from unittest import mock

import pytest
from django.conf import settings
from django.test import override_settings

from cerdd_cycle.documents.pdf import FichiersStatiquesSeulement, rendre_pdf, reponse_pdf

TEMPLATES_TESTS = copy.deepcopy(settings.TEMPLATES)
TEMPLATES_TESTS[0]["DIRS"] = [*TEMPLATES_TESTS[0]["DIRS"], settings.BASE_DIR / "tests/templates"]


def _texte(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) est absent")
    fichier = tmp_path / "doc.pdf"
    fichier.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(fichier), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@override_settings(TEMPLATES=TEMPLATES_TESTS)
def test_rendre_pdf_produit_le_contenu_du_gabarit(tmp_path):
    pdf = rendre_pdf("tests/pdf_essai.html", {"nom": "Annœullin", "texte": "<b>pas de HTML</b>"})

    assert pdf.startswith(b"%PDF-")
    texte = _texte(pdf, tmp_path)
    assert "Reçu pour Annœullin" in texte
    assert "<b>pas de HTML</b>" in texte
    assert "Page 1 / 1" in texte


@override_settings(TEMPLATES=TEMPLATES_TESTS)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/espion.png",
        "https://exemple.invalid/pixel.gif",
        "file:///etc/passwd",
        "/media/prive/piece.pdf",
        "//exemple.invalid/x.png",
    ],
)
def test_rendre_pdf_ne_va_jamais_chercher_une_url_externe(url):
    with mock.patch("urllib.request.OpenerDirector.open") as ouverture:
        pdf = rendre_pdf("tests/pdf_essai.html", {"nom": "x", "image_hostile": url})

    assert pdf.startswith(b"%PDF-")
    ouverture.assert_not_called()


def test_recuperateur_sert_les_fichiers_statiques_seulement():
    recuperateur = FichiersStatiquesSeulement()

    reponse = recuperateur.fetch("file:///static/css/pdf.css")
    assert b"@page" in reponse.read()
    for url in ["file:///etc/passwd", "file:///static/../../etc/passwd", "http://x/static/a.css"]:
        with pytest.raises(ValueError, match="non autorisée"):
            recuperateur.fetch(url)


def test_reponse_pdf_en_pieces_jointe():
    reponse = reponse_pdf(b"%PDF-1.7", "recu.pdf")

    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == 'attachment; filename="recu.pdf"'
    assert reponse.content == b"%PDF-1.7"
