"""Hostile files through the real upload points: a candidature's attachments (the candidate's
page) and a session's resources (the admin). Each hostile file is refused with a French
message, leaving no row and nothing in the storage; the polyglots that start like a real
document are accepted, and then only ever handed out as a download the browser neither sniffs
nor runs.

The upload points are found from the models (``test_chaque_champ_fichier_est_essaye``), so a
new FileField without its hostile tries here fails."""

import io
import struct
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from candidatures.models import PieceJointe
from cerdd_cycle.historique.models import Historique
from seances.models import Ressource
from tests.factories import CandidatureFactory, CycleFactory, UserFactory, binome_complet
from tests.seances.test_admin import _donnees, _ressource

pytestmark = pytest.mark.django_db

# Every FileField of the project, and where this module tries it. A FileField filled by the
# platform itself (a generated report) has no upload point to try.
CHAMPS_FICHIER = {
    "candidatures.PieceJointe.fichier": "pieces:ajouter (la page de la candidature)",
    "seances.Ressource.fichier": "admin : ressources d'une séance",
    "capitalisation.Version.fichier": None,  # the PDF the platform generates, never uploaded
}

APPLICATIONS = {"candidatures", "jury", "seances", "journal", "capitalisation", "cerdd_cycle"}
REFUS = "Ce fichier n'est pas un document accepté (PDF, DOC, DOCX, ODT ou image) : "
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _reglages_de_test(settings, tmp_path):
    # tests/securite/conftest.py keeps the matrix's media folders; here, each test its own.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "prive"


@pytest.fixture
def equipe():
    return UserFactory(is_staff=True, is_superuser=True, email="equipe@hostile.test")


# --- hostile files, built in memory ----------------------------------------------------------


def _pdf():
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _jpeg():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _zip(entrees, compression=zipfile.ZIP_DEFLATED):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=compression) as archive:
        for nom, contenu in entrees:
            archive.writestr(nom, contenu)
    return tampon.getvalue()


def _docx(*autres):
    return _zip(
        [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"), *autres]
    )


def _ole2(*flux):
    entete = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return entete + b"".join(nom.encode("utf-16-le").ljust(128, b"\x00") for nom in flux)


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
# Valid as a GIF header and as JavaScript (« GIF89a » is a variable, the rest a comment).
GIF_JS = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//" + b"\x00" * 32


def _bombe(taille=200 * 1024 * 1024, *, nom_entree="word/document.xml", mentir=False):
    """A DOCX (or, with ``nom_entree="mimetype"``, an ODT) whose one entry inflates to
    ``taille`` bytes of zeros from a few hundred kilobytes; with ``mentir``, its headers
    declare 46 bytes instead: only a reader that inflates would find out."""
    compresseur = zlib.compressobj(9, zlib.DEFLATED, -15)
    morceau = b"\x00" * (1024 * 1024)
    comprime = b"".join(compresseur.compress(morceau) for _ in range(taille // len(morceau)))
    comprime += compresseur.flush()
    crc = 0
    for _ in range(taille // len(morceau)):
        crc = zlib.crc32(morceau, crc)
    declaree = 46 if mentir else taille
    nom = nom_entree.encode()
    locale = (
        struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(comprime), declaree, len(nom), 0
        )
        + nom
    )
    types = b"[Content_Types].xml"
    locale_types = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, 0, 0, len(types), 0)
    centrale = b"".join(
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            methode,
            0,
            0,
            crc_,
            compressee,
            taille_,
            len(nom_),
            0,
            0,
            0,
            0,
            0,
            decalage,
        )
        + nom_
        for nom_, methode, crc_, compressee, taille_, decalage in (
            (nom, 8, crc, len(comprime), declaree, 0),
            (types, 0, 0, 0, 0, len(locale) + len(comprime)),
        )
    )
    debut_centrale = len(locale) + len(comprime) + len(locale_types) + len(types)
    fin = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(centrale), debut_centrale, 0)
    return locale + comprime + locale_types + types + centrale + fin


def _multipart(champs, nom_fichier: bytes, contenu: bytes, type_declare=b"application/pdf"):
    """A multipart body written by hand: the test client would clean the file name itself."""
    frontiere = "FrontiereHostile7MA4YWxkTrZu0gW"
    morceaux = [
        f'--{frontiere}\r\nContent-Disposition: form-data; name="{nom}"\r\n\r\n'
        f"{valeur}\r\n".encode()
        for nom, valeur in champs.items()
    ]
    morceaux.append(
        f"--{frontiere}\r\n".encode()
        + b'Content-Disposition: form-data; name="fichier"; filename="'
        + nom_fichier
        + b'"\r\nContent-Type: '
        + type_declare
        + b"\r\n\r\n"
        + contenu
        + f"\r\n--{frontiere}--\r\n".encode()
    )
    return b"".join(morceaux), f"multipart/form-data; boundary={frontiere}"


def _fichiers_sous(racine):
    return sorted(p for p in Path(racine).rglob("*") if p.is_file())


def _texte(reponse):
    return " ".join(unescape(reponse.content.decode()).split())


# --- the inventory ---------------------------------------------------------------------------


def test_chaque_champ_fichier_est_essaye():
    trouves = {
        f"{modele._meta.label}.{champ.name}"
        for modele in apps.get_models()
        if modele.__module__.split(".")[0] in APPLICATIONS
        for champ in modele._meta.get_fields()
        if isinstance(champ, models.FileField)
    }
    assert trouves == set(CHAMPS_FICHIER), (
        "Un champ fichier est apparu ou a disparu : essayez-le ici avec des fichiers hostiles."
    )


def test_reglages_des_televersements(settings):
    # Beyond 2.5 Mo an upload goes to a temporary file on disk, never into memory; a form
    # without files is limited to 2.5 Mo and 1,000 fields.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert 1 <= settings.CANDIDATURES_TAILLE_MAX_MO <= 20


# --- a candidature's attachments -------------------------------------------------------------


@pytest.fixture
def candidature(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)
    return candidature


def _ajouter(client, candidature, nom, contenu, type_declare="application/pdf"):
    return client.post(
        reverse("pieces:ajouter", args=[candidature.pk]),
        {"fichier": SimpleUploadedFile(nom, contenu, type_declare), "type": "autre"},
        headers={"HX-Request": "true"},
    )


def _rien_d_ecrit(candidature, settings):
    assert not PieceJointe.objects.filter(candidature=candidature).exists()
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []
    assert not Historique.objects.filter(action="piece_ajoutee").exists()


REFUSES = [
    ("page.pdf", HTML, REFUS + "son contenu ne correspond à aucun de ces formats"),
    ("page.html", HTML, REFUS + "son contenu ne correspond à aucun de ces formats"),
    ("logo.svg", SVG, REFUS + "son contenu ne correspond à aucun de ces formats"),
    ("logo.png", SVG, REFUS + "son contenu ne correspond à aucun de ces formats"),
    ("image.gif", GIF_JS, REFUS + "son contenu est au format GIF."),
    ("image.jpg", GIF_JS, REFUS + "son contenu est au format GIF."),
    ("lettre.pdf", b"MZ\x90\x00" + b"\x00" * 64, REFUS + "c'est un programme"),
    ("lettre.pdf", b"#!/bin/sh\nrm -rf /\n", REFUS + "c'est un programme"),
    ("lettre.docx", _zip([("index.html", HTML)]), REFUS + "son contenu est au format ZIP."),
    (
        "lettre.pdf",
        _docx(),
        "Le fichier « lettre.pdf » est en réalité un document Word (DOCX) : son nom devrait finir "
        "par .docx.",
    ),
    ("photo.jpg", _pdf(), "Le fichier « photo.jpg » est en réalité un PDF"),
    ("vide.pdf", b"", "Le fichier « vide.pdf » est vide."),
]


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    REFUSES,
    ids=[
        "html-en-pdf",
        "html",
        "svg-script",
        "svg-en-png",
        "gif-js",
        "gif-js-en-jpg",
        "programme",
        "script",
        "zip-de-html",
        "docx-en-pdf",
        "pdf-en-jpg",
        "vide",
    ],
)
def test_piece_hostile_refusee(client, candidature, settings, nom, contenu, message):
    reponse = _ajouter(client, candidature, nom, contenu)

    assert reponse.status_code == 422
    assert message in _texte(reponse)
    _rien_d_ecrit(candidature, settings)


@pytest.mark.parametrize(
    ("nom", "bombe"),
    [
        ("bombe.docx", lambda: _bombe()),
        ("bombe.odt", lambda: _bombe(nom_entree="mimetype")),
        ("menteuse.docx", lambda: _bombe(mentir=True)),
        ("menteuse.odt", lambda: _bombe(nom_entree="mimetype", mentir=True)),
        ("entrees.docx", lambda: _docx(*((f"word/media/{n}.xml", "") for n in range(2001)))),
    ],
    ids=["200-mo", "200-mo-odt", "tailles-mensongeres", "mimetype-mensonger", "2001-entrees"],
)
def test_bombe_de_decompression_refusee_sans_la_gonfler(client, candidature, settings, nom, bombe):
    contenu = bombe()
    assert len(contenu) < 2 * 1024 * 1024  # what is sent: a few hundred kilobytes

    tracemalloc.start()
    debut = time.perf_counter()
    reponse = _ajouter(client, candidature, nom, contenu)
    duree = time.perf_counter() - debut
    _courante, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert reponse.status_code == 422
    texte = _texte(reponse)
    assert f"Le fichier « {nom} »" in texte or REFUS in texte
    assert "décompressé" in texte or "est endommagé" in texte
    # Read from its table of contents only: 200 Mo are never inflated.
    assert pic < 30 * 1024 * 1024, pic
    assert duree < 5, duree
    _rien_d_ecrit(candidature, settings)


def test_fichier_trop_gros_refuse(client, candidature, settings):
    settings.CANDIDATURES_TAILLE_MAX_MO = 1
    contenu = _pdf() + b"0" * (1024 * 1024)

    reponse = _ajouter(client, candidature, "annexe.pdf", contenu)

    assert reponse.status_code == 422
    assert "Le fichier « annexe.pdf » pèse 1,1 Mo : la taille maximale est de 1 Mo." in _texte(
        reponse
    )
    _rien_d_ecrit(candidature, settings)


POLYGLOTTES = [
    ("rapport.pdf", _pdf() + _zip([("index.html", HTML)]), "application/pdf"),
    ("rapport.pdf", b"%PDF-1.4\n" + HTML, "application/pdf"),
    ("photo.jpg", _jpeg() + HTML, "image/jpeg"),
    ("lettre.docx", _docx(("word/page.html", HTML)), MIME_DOCX),
]


@pytest.mark.parametrize(
    ("nom", "contenu", "type_mime"),
    POLYGLOTTES,
    ids=["pdf-plus-zip", "pdf-plus-html", "jpeg-plus-html", "docx-avec-html"],
)
def test_polyglotte_acceptee_n_est_que_telechargee(client, candidature, nom, contenu, type_mime):
    # The browser says it is a page: only the content decides the type.
    reponse = _ajouter(client, candidature, nom, contenu, type_declare="text/html")

    assert reponse.status_code == 200
    piece = candidature.pieces_jointes.get()
    assert piece.type_mime == type_mime
    url = reverse("pieces:telecharger", args=[candidature.pk, piece.pk])
    page = client.get(reverse("candidatures:formulaire", args=[candidature.pk])).content.decode()
    assert f'href="{url}"' in page
    assert f'src="{url}"' not in page  # never shown inline, not even an image

    telechargement = client.get(url)

    assert telechargement["Content-Type"] == type_mime
    assert telechargement["Content-Disposition"].startswith("attachment;")
    assert telechargement["X-Content-Type-Options"] == "nosniff"
    assert telechargement["Content-Security-Policy"] == "sandbox"
    assert b"".join(telechargement.streaming_content) == contenu


NOMS_HOSTILES = [
    (b"../../../../../../tmp/hostile-evasion.pdf", "hostile-evasion.pdf"),
    (b"..\\..\\..\\hostile-evasion.pdf", "hostile-evasion.pdf"),
    (b"/etc/cron.d/hostile.pdf", "hostile.pdf"),
    (b"lettre\x00.html.pdf", "lettre.html.pdf"),
    # Right-to-left override: « fdp.exe » would show as « exe.pdf ».
    ("\u202efdp.exe".encode(), "Le fichier « fdp.exe » est en réalité un PDF"),
    (b"<img src=x onerror=alert(1)>.pdf", "img_srcx_onerroralert1.pdf"),
    (b"a" * 300 + b".pdf", "a" * 196 + ".pdf"),
    # Headers of a part over Django's limit: the whole request is refused (400).
    (b"a" * 5000 + b".pdf", 400),
    ("é".encode() * 300 + b".pdf", "é" * 196 + ".pdf"),
    (b".pdf", "document.pdf"),
    (b"..", "Choisissez un fichier à joindre."),
]


@pytest.mark.parametrize(("nom", "attendu"), NOMS_HOSTILES)
def test_nom_de_fichier_hostile(client, candidature, settings, tmp_path, nom, attendu):
    corps, type_contenu = _multipart({"type": "autre"}, nom, _pdf())

    reponse = client.post(
        reverse("pieces:ajouter", args=[candidature.pk]),
        corps,
        content_type=type_contenu,
        headers={"HX-Request": "true"},
    )

    if attendu == 400:
        assert reponse.status_code == 400
        _rien_d_ecrit(candidature, settings)
        return
    if not attendu.endswith(".pdf"):  # refused, in French
        assert reponse.status_code == 422
        assert attendu in _texte(reponse)
        _rien_d_ecrit(candidature, settings)
        return
    assert reponse.status_code == 200
    piece = candidature.pieces_jointes.get()
    for interdit in ("/", "\\", "\x00", "\u202e", "<", ">", ".."):
        assert interdit not in piece.nom_original
    assert len(piece.nom_original) <= 200
    assert piece.nom_original == attendu
    # Stored under a random name inside the private storage, nowhere else.
    [stocke] = _fichiers_sous(settings.PRIVATE_MEDIA_ROOT)
    assert stocke.name == Path(piece.fichier.name).name
    assert piece.nom_original not in piece.fichier.name
    assert not list(tmp_path.parent.glob("**/hostile-evasion.pdf"))
    assert not (Path(tempfile.gettempdir()) / "hostile-evasion.pdf").exists()
    telechargement = client.get(reverse("pieces:telecharger", args=[candidature.pk, piece.pk]))
    assert telechargement["Content-Disposition"].startswith("attachment;")
    assert "\n" not in telechargement["Content-Disposition"]
    telechargement.close()


def test_piece_d_une_autre_candidature_introuvable(client, candidature):
    autre = CandidatureFactory()
    _ajouter(client, candidature, "lettre.pdf", _pdf())
    piece = candidature.pieces_jointes.get()

    client.force_login(autre.proprietaire)

    assert (
        client.get(reverse("pieces:telecharger", args=[candidature.pk, piece.pk])).status_code
        == 404
    )
    assert _ajouter(client, candidature, "lettre.pdf", _pdf()).status_code == 404
    assert candidature.pieces_jointes.count() == 1


# --- a session's resources (the admin) -------------------------------------------------------


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours")


def _ajouter_ressource(client_equipe, cycle, fichier):
    return client_equipe.post(
        reverse("admin:seances_seance_add"), _donnees(cycle, **_ressource(fichier=fichier))
    )


def _pptx(*autres):
    return _zip([("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p/>"), *autres])


RESSOURCES_REFUSEES = [
    ("page.pdf", HTML, REFUS + "son contenu ne correspond à aucun de ces formats"),
    ("logo.svg", SVG, "Le fichier « logo.svg » n'est pas d'un format accepté."),
    ("logo.png", SVG, REFUS + "son contenu ne correspond à aucun de ces formats"),
    ("page.html", HTML, "Le fichier « page.html » n'est pas d'un format accepté."),
    ("image.jpg", GIF_JS, REFUS + "son contenu est au format GIF."),
    ("site.pptx", _zip([("index.html", HTML)]), "ne correspond pas à un document PPTX"),
    ("lettre.pptx", _docx(), "ne correspond pas à un document PPTX"),
    ("tableau.xlsx", _pptx(), "ne correspond pas à un document XLSX"),
    ("diaporama.odp", _zip([("mimetype", "text/html")]), "ne correspond pas à un document ODP"),
    ("calcul.ods", _docx(), "ne correspond pas à un document ODS"),
    ("ancien.ppt", _ole2("Root Entry", "WordDocument"), "ne correspond pas à un document PPT"),
    (
        "ancien.xls",
        _ole2("Root Entry", "PowerPoint Document"),
        "ne correspond pas à un document XLS",
    ),
    ("bombe.pptx", lambda: _bombe(nom_entree="ppt/slides/slide1.xml"), "une fois décompressé"),
    ("menteuse.pptx", lambda: _bombe(nom_entree="ppt/a.xml", mentir=True), "est endommagé"),
    ("bombe.docx", lambda: _bombe(), "une fois décompressé"),
    ("casse.pptx", b"PK\x03\x04" + b"\x00" * 64, "est endommagé"),
]


@pytest.mark.parametrize(("nom", "contenu", "message"), RESSOURCES_REFUSEES)
def test_ressource_hostile_refusee(client_equipe, cycle, settings, nom, contenu, message):
    contenu = contenu() if callable(contenu) else contenu
    reponse = _ajouter_ressource(client_equipe, cycle, SimpleUploadedFile(nom, contenu))

    assert reponse.status_code == 200
    assert message in _texte(reponse)
    assert not Ressource.objects.exists()
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


def test_ressource_trop_grosse_refusee(client_equipe, cycle, settings):
    settings.CANDIDATURES_TAILLE_MAX_MO = 1
    contenu = _zip(
        [("[Content_Types].xml", "<Types/>"), ("ppt/media/film.bin", b"0" * (1024 * 1024))],
        zipfile.ZIP_STORED,
    )

    reponse = _ajouter_ressource(client_equipe, cycle, SimpleUploadedFile("gros.pptx", contenu))

    assert "dépasse la taille maximale de 1 Mo" in _texte(reponse)
    assert not Ressource.objects.exists()
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [
        ("diaporama.pptx", _pptx()),
        ("tableau.xlsx", _zip([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<w/>")])),
        (
            "diaporama.odp",
            _zip(
                [("mimetype", "application/vnd.oasis.opendocument.presentation")],
                zipfile.ZIP_STORED,
            ),
        ),
        (
            "calcul.ods",
            _zip(
                [("mimetype", "application/vnd.oasis.opendocument.spreadsheet")],
                zipfile.ZIP_STORED,
            ),
        ),
        ("ancien.ppt", _ole2("Root Entry", "PowerPoint Document")),
        ("ancien.xls", _ole2("Root Entry", "Workbook")),
        ("photo.jpg", _jpeg() + HTML),
    ],
)
def test_ressource_acceptee_n_est_que_telechargee(client_equipe, cycle, nom, contenu):
    reponse = _ajouter_ressource(client_equipe, cycle, SimpleUploadedFile(nom, contenu))

    assert reponse.status_code == 302, _texte(reponse)[-600:]
    ressource = Ressource.objects.get()
    telechargement = client_equipe.get(reverse("seances:ressource", args=[ressource.pk]))
    assert telechargement.status_code == 200
    assert telechargement["Content-Disposition"].startswith("attachment;")
    assert telechargement["X-Content-Type-Options"] == "nosniff"
    assert telechargement["Content-Security-Policy"] == "sandbox"
    assert "html" not in telechargement["Content-Type"]
    assert b"".join(telechargement.streaming_content) == contenu


@pytest.mark.parametrize(
    "nom",
    ["é" * 300 + ".pdf", "a" * 280 + ".pdf", "<img src=x onerror=alert(1)>.pdf", "\u202efdp.pdf"],
    ids=["long-accentue", "long", "balises", "rtl"],
)
def test_ressource_nom_hostile(client_equipe, cycle, settings, nom):
    reponse = _ajouter_ressource(client_equipe, cycle, SimpleUploadedFile(nom, _pdf()))

    if reponse.status_code == 200:  # refused: said in French, nothing kept
        assert "Le nom du fichier" in _texte(reponse) or "caractères" in _texte(reponse)
        assert not Ressource.objects.exists()
        assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []
        return
    assert reponse.status_code == 302
    ressource = Ressource.objects.get()
    [stocke] = _fichiers_sous(settings.PRIVATE_MEDIA_ROOT)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in stocke.parents
    assert len(stocke.name.encode()) <= 255
    for interdit in ("<", ">", "\u202e"):
        assert interdit not in ressource.fichier.name
    page = client_equipe.get(reverse("admin:seances_seance_change", args=[ressource.seance_id]))
    assert "<img src=x" not in page.content.decode()


def test_ressource_d_une_autre_personne_introuvable(client, client_equipe, cycle):
    _ajouter_ressource(client_equipe, cycle, SimpleUploadedFile("plan.pdf", _pdf()))
    ressource = Ressource.objects.get()
    autre_cycle = CycleFactory(statut="en_cours")
    etranger = binome_complet(autre_cycle).membres.get(role="elu").user

    client.force_login(etranger)

    assert client.get(reverse("seances:ressource", args=[ressource.pk])).status_code == 404
