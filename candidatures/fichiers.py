"""Checks an uploaded attachment by its content, never by its name.

``verifier_fichier`` reads the file once, in chunks: size, type from the bytes (with the
structure of DOCX/ODT archives), agreement between the extension and the content, SHA-256.
Anything it does not recognise is refused: executables, scripts, SVG, HTML, plain archives.
"""

import hashlib
import math
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NOM_LONGUEUR_MAX = 200  # PieceJointe.nom_original
ZIP_TAILLE_DECOMPRESSEE_MAX = 100 * 1024 * 1024
ZIP_ENTREES_MAX = 2000
MIME_ODT = "application/vnd.oasis.opendocument.text"
# Longer than any OpenDocument media type: what is read of an archive's ``mimetype`` entry.
MIMETYPE_LONGUEUR_MAX = 100
# A Word 97-2003 file is an OLE2 container holding a stream named "WordDocument"
# (an .xls or .ppt has the same container without it). Names are stored in UTF-16.
FLUX_WORD = "WordDocument".encode("utf-16-le")
# Programs, whatever their name: Windows (MZ), Linux (ELF), macOS (Mach-O), scripts (#!).
SIGNATURES_PROGRAMMES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


@dataclass(frozen=True)
class Format:
    code: str
    type_mime: str
    extensions: tuple[str, ...]
    description: str  # with its article, for "est en réalité …"


PDF = Format("pdf", "application/pdf", ("pdf",), gettext_lazy("un PDF"))
DOC = Format("doc", "application/msword", ("doc",), gettext_lazy("un document Word 97-2003 (DOC)"))
DOCX = Format(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
    gettext_lazy("un document Word (DOCX)"),
)
ODT = Format("odt", MIME_ODT, ("odt",), gettext_lazy("un document OpenDocument (ODT)"))
PNG = Format("png", "image/png", ("png",), gettext_lazy("une image PNG"))
JPEG = Format("jpeg", "image/jpeg", ("jpg", "jpeg"), gettext_lazy("une image JPEG"))
FORMATS = (PDF, DOC, DOCX, ODT, PNG, JPEG)
EXTENSIONS_ACCEPTEES = tuple(ext for format_ in FORMATS for ext in format_.extensions)


@dataclass(frozen=True)
class FichierVerifie:
    nom: str  # the original name, made safe, for display and download
    type_mime: str
    extension: str
    taille: int
    sha256: str


def _refus(suite):
    return ValidationError(
        _("Ce fichier n'est pas un document accepté (PDF, DOC, DOCX, ODT ou image) : %(suite)s")
        % {"suite": suite},
        code="format",
    )


def _en_mo(octets: int) -> str:
    """Megabytes with one decimal, rounded up so that a file over the limit never shows under
    it, with the French decimal comma: 10 485 761 bytes → "10,1"."""
    return f"{math.ceil(octets * 10 / (1024 * 1024)) / 10:.1f}".replace(".", ",")


def _nom_et_extension(nom_brut: str) -> tuple[str, str]:
    """A safe name (letters, digits, - _ .) as its stem and its extension, "" if none."""
    try:
        nom = get_valid_filename(nom_brut or "")
    except SuspiciousFileOperation:
        nom = ""
    racine, point, extension = nom.rpartition(".")
    if not point:
        racine, extension = nom, ""
    return racine or "document", extension


def verifier_fichier(fichier: UploadedFile) -> FichierVerifie:
    """Accept PDF, DOC, DOCX, ODT, PNG and JPEG, recognised by their content; else
    ``ValidationError`` with a message for the person who chose the file."""
    nom_affiche = fichier.name or _("sans nom")
    taille_max = settings.CANDIDATURES_TAILLE_MAX_MO * 1024 * 1024
    if fichier.size > taille_max:  # declared by the upload: no need to read it
        raise _trop_gros(nom_affiche, fichier.size)

    empreinte = hashlib.sha256()
    taille = 0
    tete = b""
    flux_word = False
    fin_precedente = b""
    for morceau in fichier.chunks():
        empreinte.update(morceau)
        taille += len(morceau)
        if len(tete) < 8192:
            tete += morceau[: 8192 - len(tete)]
        # The OLE2 directory may sit anywhere: look across chunk boundaries too.
        if not flux_word and tete.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            flux_word = FLUX_WORD in fin_precedente + morceau
            fin_precedente = morceau[-(len(FLUX_WORD) - 1) :]
    if taille == 0:
        raise ValidationError(
            _("Le fichier « %(nom)s » est vide.") % {"nom": nom_affiche}, code="vide"
        )
    if taille > taille_max:
        raise _trop_gros(nom_affiche, taille)

    format_ = _format_du_contenu(fichier, tete, flux_word, nom_affiche)
    racine, extension_du_nom = _nom_et_extension(fichier.name)
    extension = extension_du_nom.lower()
    if not extension:
        extension = extension_du_nom = format_.extensions[0]
    elif extension not in format_.extensions:
        raise ValidationError(
            _(
                "Le fichier « %(nom)s » est en réalité %(format)s : son nom devrait finir par "
                "%(extensions)s. Renommez-le ou choisissez le bon fichier."
            )
            % {
                "nom": nom_affiche,
                "format": format_.description,
                "extensions": _(" ou ").join(f".{ext}" for ext in format_.extensions),
            },
            code="extension",
        )
    fichier.seek(0)
    racine = racine[: NOM_LONGUEUR_MAX - len(extension) - 1]
    return FichierVerifie(
        nom=f"{racine}.{extension_du_nom}",
        type_mime=format_.type_mime,
        extension=extension,
        taille=taille,
        sha256=empreinte.hexdigest(),
    )


def _trop_gros(nom, taille):
    return ValidationError(
        _("Le fichier « %(nom)s » pèse %(taille)s Mo : la taille maximale est de %(max)s Mo.")
        % {"nom": nom, "taille": _en_mo(taille), "max": settings.CANDIDATURES_TAILLE_MAX_MO},
        code="taille",
    )


def _format_du_contenu(fichier, tete: bytes, flux_word: bool, nom_affiche: str) -> Format:
    if tete.startswith(b"%PDF-"):
        return PDF
    if tete.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if tete.startswith(b"\xff\xd8\xff"):
        return JPEG
    if tete.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and flux_word:
        return DOC
    if tete.startswith(b"PK\x03\x04"):
        format_ = _format_de_l_archive(fichier, nom_affiche)
        if format_ is not None:
            return format_
    if tete.startswith(SIGNATURES_PROGRAMMES):
        raise _refus(_("c'est un programme, quel que soit son nom."))
    genre = filetype.guess(tete)
    if genre is not None and genre.extension not in EXTENSIONS_ACCEPTEES:
        raise _refus(
            _("son contenu est au format %(format)s.") % {"format": genre.extension.upper()}
        )
    raise _refus(_("son contenu ne correspond à aucun de ces formats, quel que soit son nom."))


def _format_de_l_archive(fichier, nom_affiche: str) -> Format | None:
    """DOCX or ODT after a look at the archive's table of contents; None for any other ZIP."""
    noms, mimetype = sommaire_archive(fichier, nom_affiche, _("DOCX ou ODT"))
    if mimetype == MIME_ODT.encode():
        return ODT
    if "[Content_Types].xml" in noms and any(nom.startswith("word/") for nom in noms):
        return DOCX
    return None


def sommaire_archive(fichier, nom_affiche: str, formats: str) -> tuple[frozenset[str], bytes]:
    """The names in a ZIP archive's table of contents and the start of its ``mimetype`` entry
    (OpenDocument), refusing an archive that would inflate too much. Nothing is extracted but
    those few bytes: a « zip bomb » costs no more memory nor time than its table of contents."""
    fichier.seek(0)
    try:
        with zipfile.ZipFile(fichier) as archive:
            entrees = archive.infolist()
            if (
                len(entrees) > ZIP_ENTREES_MAX
                or sum(entree.file_size for entree in entrees) > ZIP_TAILLE_DECOMPRESSEE_MAX
            ):
                raise ValidationError(
                    _(
                        "Le fichier « %(nom)s » est refusé : une fois décompressé, il dépasserait "
                        "%(taille)s Mo ou compterait plus de %(entrees)s éléments, ce qu'aucun "
                        "document normal ne fait."
                    )
                    % {
                        "nom": nom_affiche,
                        "taille": ZIP_TAILLE_DECOMPRESSEE_MAX // (1024 * 1024),
                        "entrees": ZIP_ENTREES_MAX,
                    },
                    code="archive",
                )
            if any(_taille_mensongere(entree) for entree in entrees):
                raise zipfile.BadZipFile  # sizes that lie: only a reader that inflates would see
            noms = frozenset(entree.filename for entree in entrees)
            mimetype = b""
            if "mimetype" in noms:
                with archive.open("mimetype") as entree:
                    # Read with a bound: the declared sizes of an entry may lie.
                    mimetype = entree.read(MIMETYPE_LONGUEUR_MAX).strip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ):
        raise ValidationError(
            _(
                "Le fichier « %(nom)s » est endommagé : il ne s'ouvre pas comme un document "
                "%(formats)s."
            )
            % {"nom": nom_affiche, "formats": formats},
            code="endommage",
        ) from None
    finally:
        fichier.seek(0)
    return noms, mimetype


def _taille_mensongere(entree: zipfile.ZipInfo) -> bool:
    """Deflate never grows data by more than a few bytes per 16 KiB: an entry stored bigger
    than its declared inflated size hides its real size (a « zip bomb » that lies)."""
    return entree.compress_size > entree.file_size + entree.file_size // 100 + 1024


def flux_ole2(fichier, *noms: str) -> frozenset[str]:
    """Which of the given stream names an OLE2 container (Office 97-2003) holds, read in
    chunks (its directory may sit anywhere in the file)."""
    cherches = {nom: nom.encode("utf-16-le") for nom in noms}
    longueur = max(len(code) for code in cherches.values())
    trouves = set()
    fin_precedente = b""
    fichier.seek(0)
    for morceau in fichier.chunks():
        fenetre = fin_precedente + morceau
        trouves.update(nom for nom, code in cherches.items() if code in fenetre)
        fin_precedente = morceau[-(longueur - 1) :]
    fichier.seek(0)
    return frozenset(trouves)
