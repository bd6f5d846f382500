import datetime
import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import StatutCandidature, TypePiece
from candidatures.fichiers import FichierVerifie, verifier_fichier
from candidatures.models import Acces, PieceJointe
from candidatures.pieces import piece_ajouter, piece_supprimer
from cerdd_cycle.historique.selectors import historique_de
from tests.factories import CandidatureFactory, PieceJointeFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUS = "Ce fichier n'est pas un document accepté (PDF, DOC, DOCX, ODT ou image) : "
REFUS_INCONNU = REFUS + "son contenu ne correspond à aucun de ces formats, quel que soit son nom."
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_ODT = "application/vnd.oasis.opendocument.text"


# --- small real files, built in memory --------------------------------------------------------


def _pdf():
    return (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _zip(entrees):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        for nom, contenu, compression in entrees:
            archive.writestr(nom, contenu, compress_type=compression)
    return tampon.getvalue()


def _docx():
    return _zip(
        [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>', zipfile.ZIP_DEFLATED),
            ("_rels/.rels", '<?xml version="1.0"?><Relationships/>', zipfile.ZIP_DEFLATED),
            ("word/document.xml", '<?xml version="1.0"?><w:document/>', zipfile.ZIP_DEFLATED),
        ]
    )


def _odt():
    return _zip(
        [
            ("mimetype", MIME_ODT, zipfile.ZIP_STORED),
            ("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>', zipfile.ZIP_DEFLATED),
            (
                "content.xml",
                '<?xml version="1.0"?><office:document-content/>',
                zipfile.ZIP_DEFLATED,
            ),
        ]
    )


def _png():
    def bloc(genre, donnees):
        return (
            struct.pack(">I", len(donnees))
            + genre
            + donnees
            + struct.pack(">I", zlib.crc32(genre + donnees))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + bloc(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + bloc(b"IDAT", zlib.compress(b"\x00\x00"))
        + bloc(b"IEND", b"")
    )


def _jpeg():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _ole2(*flux):
    """An OLE2 container whose directory names the given streams (UTF-16, as on disk)."""
    entete = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    repertoire = b"".join(nom.encode("utf-16-le").ljust(128, b"\x00") for nom in flux)
    return entete + b"\x00" * 70_000 + repertoire  # past the first chunk (64 Ko)


def _fichier(nom, contenu):
    return SimpleUploadedFile(nom, contenu)


def _fichiers_sous(racine):
    return sorted(p for p in Path(racine).rglob("*") if p.is_file())


# --- checking a file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "contenu", "type_mime", "extension"),
    [
        ("lettre.pdf", _pdf(), "application/pdf", "pdf"),
        ("lettre.docx", _docx(), MIME_DOCX, "docx"),
        ("lettre.odt", _odt(), MIME_ODT, "odt"),
        ("plan.png", _png(), "image/png", "png"),
        ("photo.jpeg", _jpeg(), "image/jpeg", "jpeg"),
        ("ancienne.doc", _ole2("Root Entry", "WordDocument"), "application/msword", "doc"),
    ],
)
def test_verifier_fichier_accepte_un_vrai_document(nom, contenu, type_mime, extension):
    verifie = verifier_fichier(_fichier(nom, contenu))

    assert verifie == FichierVerifie(
        nom=nom,
        type_mime=type_mime,
        extension=extension,
        taille=len(contenu),
        sha256=hashlib.sha256(contenu).hexdigest(),
    )


def test_verifier_fichier_extension_en_majuscules_acceptee():
    assert verifier_fichier(_fichier("LETTRE.PDF", _pdf())).nom == "LETTRE.PDF"


def test_verifier_fichier_sans_extension_recoit_celle_de_son_contenu():
    assert verifier_fichier(_fichier("lettre", _pdf())).nom == "lettre.pdf"


def test_verifier_fichier_nom_nettoye_et_raccourci():
    assert verifier_fichier(_fichier("Lettre de motivation <v2>.pdf", _pdf())).nom == (
        "Lettre_de_motivation_v2.pdf"
    )
    long = verifier_fichier(_fichier("a" * 240 + ".pdf", _pdf())).nom
    assert long == "a" * 196 + ".pdf"


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("lettre.pdf", b"Ceci n'est pas un PDF, juste du texte.\n", REFUS_INCONNU),
        (
            "lettre.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
            REFUS + "c'est un programme, quel que soit son nom.",
        ),
        (
            "outil.docx",
            b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
            REFUS + "c'est un programme, quel que soit son nom.",
        ),
        (
            "lettre.pdf",
            b"#!/bin/sh\nrm -rf ~\n",
            REFUS + "c'est un programme, quel que soit son nom.",
        ),
        (
            "logo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script>'
            b"</svg>",
            REFUS_INCONNU,
        ),
        ("page.pdf", b"<!doctype html><html><script>alert(1)</script></html>", REFUS_INCONNU),
        (
            "archive.docx",
            _zip([("notes.txt", "bonjour", zipfile.ZIP_DEFLATED)]),
            REFUS + "son contenu est au format ZIP.",
        ),
        ("tableau.doc", _ole2("Root Entry", "Workbook"), REFUS_INCONNU),
        (
            "anim.png",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            REFUS + "son contenu est au format GIF.",
        ),
        (
            "lettre.docx",
            b"PK\x03\x04" + b"\x00" * 100,
            "Le fichier « lettre.docx » est endommagé : il ne s'ouvre pas comme un document "
            "DOCX ou ODT.",
        ),
        ("vide.pdf", b"", "Le fichier « vide.pdf » est vide."),
    ],
    ids=[
        "texte-nomme-pdf",
        "executable-windows-nomme-pdf",
        "executable-linux",
        "script",
        "svg-avec-script",
        "html",
        "zip-ordinaire",
        "ole2-sans-word",
        "gif",
        "zip-endommage",
        "vide",
    ],
)
def test_verifier_fichier_refuse(nom, contenu, message):
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(_fichier(nom, contenu))

    assert erreur.value.messages == [message]


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        (
            "lettre.docx",
            _pdf(),
            "Le fichier « lettre.docx » est en réalité un PDF : son nom devrait finir par .pdf. "
            "Renommez-le ou choisissez le bon fichier.",
        ),
        (
            "lettre.pdf.exe",
            _pdf(),
            "Le fichier « lettre.pdf.exe » est en réalité un PDF : son nom devrait finir par "
            ".pdf. Renommez-le ou choisissez le bon fichier.",
        ),
        (
            "lettre.odt",
            _docx(),
            "Le fichier « lettre.odt » est en réalité un document Word (DOCX) : son nom devrait "
            "finir par .docx. Renommez-le ou choisissez le bon fichier.",
        ),
        (
            "photo.png",
            _jpeg(),
            "Le fichier « photo.png » est en réalité une image JPEG : son nom devrait finir par "
            ".jpg ou .jpeg. Renommez-le ou choisissez le bon fichier.",
        ),
    ],
)
def test_verifier_fichier_refuse_une_extension_qui_ment(nom, contenu, message):
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(_fichier(nom, contenu))

    assert erreur.value.messages == [message]


def test_verifier_fichier_refuse_un_fichier_trop_gros(settings):
    settings.CANDIDATURES_TAILLE_MAX_MO = 1
    contenu = _pdf() + b"0" * (1024 * 1024)

    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(_fichier("gros.pdf", contenu))

    assert erreur.value.messages == [
        "Le fichier « gros.pdf » pèse 1,1 Mo : la taille maximale est de 1 Mo."
    ]


def test_verifier_fichier_accepte_un_fichier_a_la_limite(settings):
    settings.CANDIDATURES_TAILLE_MAX_MO = 1
    contenu = _pdf().ljust(1024 * 1024, b"0")

    assert verifier_fichier(_fichier("juste.pdf", contenu)).taille == 1024 * 1024


BOMBE = (
    "Le fichier « bombe.docx » est refusé : une fois décompressé, il dépasserait 100 Mo ou "
    "compterait plus de 2000 éléments, ce qu'aucun document normal ne fait."
)


def test_verifier_fichier_refuse_une_bombe_de_decompression():
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entree:
            for _ in range(101):
                entree.write(b"\x00" * (1024 * 1024))
    assert len(tampon.getvalue()) < 1024 * 1024  # small on the wire

    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(_fichier("bombe.docx", tampon.getvalue()))

    assert erreur.value.messages == [BOMBE]


def test_verifier_fichier_refuse_une_archive_aux_milliers_d_entrees():
    entrees = [("[Content_Types].xml", "<Types/>", zipfile.ZIP_STORED)]
    entrees += [(f"word/media/{n}.xml", "", zipfile.ZIP_STORED) for n in range(2000)]

    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(_fichier("bombe.docx", _zip(entrees)))

    assert erreur.value.messages == [BOMBE]


# --- services -------------------------------------------------------------------------------


def test_piece_ajouter_stocke_hors_des_medias_publics(settings):
    candidature = CandidatureFactory()
    contenu = _pdf()

    piece = piece_ajouter(
        candidature, candidature.proprietaire, _fichier("lettre.pdf", contenu), TypePiece.LETTRE
    )

    piece.refresh_from_db()
    assert (piece.nom_original, piece.type, piece.type_mime, piece.taille, piece.sha256) == (
        "lettre.pdf",
        TypePiece.LETTRE,
        "application/pdf",
        len(contenu),
        hashlib.sha256(contenu).hexdigest(),
    )
    assert piece.ajoutee_par == candidature.proprietaire
    chemin = Path(settings.PRIVATE_MEDIA_ROOT) / piece.fichier.name
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == [chemin]
    assert chemin.read_bytes() == contenu
    assert "lettre" not in piece.fichier.name  # the stored name is random
    assert _fichiers_sous(settings.MEDIA_ROOT) == []
    assert [(h.action, h.description) for h in historique_de(candidature)] == [
        ("piece_ajoutee", "Pièce ajoutée (Lettre de motivation) : lettre.pdf")
    ]


def test_piece_ajouter_plusieurs_lettres_sans_remplacement():
    candidature = CandidatureFactory()
    user = candidature.proprietaire

    premiere = piece_ajouter(candidature, user, _fichier("lettre.pdf", _pdf()), "lettre")
    seconde = piece_ajouter(candidature, user, _fichier("lettre-maire.odt", _odt()), "lettre")

    assert list(candidature.pieces_jointes.order_by("pk")) == [premiere, seconde]


def test_piece_ajouter_type_inconnu_refuse(settings):
    candidature = CandidatureFactory()

    with pytest.raises(ValidationError) as erreur:
        piece_ajouter(candidature, candidature.proprietaire, _fichier("a.pdf", _pdf()), "cv")

    assert erreur.value.messages == ["Choisissez le type de la pièce."]
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


def test_piece_ajouter_apres_la_date_limite_ne_stocke_rien(settings):
    candidature = CandidatureFactory(
        cycle__date_limite=timezone.now() - datetime.timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as erreur:
        piece_ajouter(
            candidature, candidature.proprietaire, _fichier("lettre.pdf", _pdf()), "lettre"
        )

    assert erreur.value.messages == [
        "La date limite est passée : les pièces jointes ne peuvent plus changer."
    ]
    assert list(PieceJointe.objects.all()) == []
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


def test_piece_ajouter_delai_individuel_permet_d_ajouter():
    candidature = CandidatureFactory(
        cycle__date_limite=timezone.now() - datetime.timedelta(minutes=1),
        prolongation_jusqua=timezone.now() + datetime.timedelta(days=1),
    )

    piece = piece_ajouter(
        candidature, candidature.proprietaire, _fichier("lettre.pdf", _pdf()), "lettre"
    )

    assert list(candidature.pieces_jointes.all()) == [piece]


def test_piece_ajouter_candidature_deposee_refusee(settings):
    candidature = CandidatureFactory(statut=StatutCandidature.DEPOSEE)

    with pytest.raises(ValidationError) as erreur:
        piece_ajouter(
            candidature, candidature.proprietaire, _fichier("lettre.pdf", _pdf()), "lettre"
        )

    assert erreur.value.messages == [
        "La candidature est déposée : rouvrez-la pour changer ses pièces jointes."
    ]
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


def test_piece_ajouter_echec_de_l_insertion_retire_le_fichier(settings, monkeypatch):
    candidature = CandidatureFactory()

    def panne(*args, **kwargs):
        raise DatabaseError("disque plein")

    monkeypatch.setattr(PieceJointe, "save", panne)

    with pytest.raises(DatabaseError):
        piece_ajouter(
            candidature, candidature.proprietaire, _fichier("lettre.pdf", _pdf()), "lettre"
        )

    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []
    assert list(historique_de(candidature)) == []


def test_piece_supprimer_retire_le_fichier_apres_commit(django_capture_on_commit_callbacks):
    candidature = CandidatureFactory()
    piece = PieceJointeFactory(candidature=candidature)
    chemin = Path(piece.fichier.path)

    with django_capture_on_commit_callbacks() as rappels:
        piece_supprimer(piece, candidature.proprietaire)
        assert chemin.exists()  # still there while the transaction may roll back

    assert list(candidature.pieces_jointes.all()) == []
    for rappel in rappels:
        rappel()
    assert not chemin.exists()
    assert [(h.action, h.description) for h in historique_de(candidature)] == [
        ("piece_supprimee", "Pièce retirée (Lettre de motivation) : lettre.pdf")
    ]


def test_piece_supprimer_candidature_deposee_refusee():
    candidature = CandidatureFactory(statut=StatutCandidature.DEPOSEE)
    piece = PieceJointeFactory(candidature=candidature)

    with pytest.raises(ValidationError) as erreur:
        piece_supprimer(piece, candidature.proprietaire)

    assert erreur.value.messages == [
        "La candidature est déposée : rouvrez-la pour changer ses pièces jointes."
    ]
    assert list(candidature.pieces_jointes.all()) == [piece]
    assert Path(piece.fichier.path).exists()


# --- download -------------------------------------------------------------------------------


def _url_telecharger(piece, candidature=None):
    candidature = candidature or piece.candidature
    return reverse("pieces:telecharger", args=[candidature.pk, piece.pk])


def _contenu(reponse):
    return b"".join(reponse.streaming_content)


def test_telecharger_par_le_titulaire(client):
    piece = PieceJointeFactory(nom_original="Lettre_été.pdf")
    client.force_login(piece.candidature.proprietaire)

    reponse = client.get(_url_telecharger(piece))

    assert reponse.status_code == 200
    assert _contenu(reponse) == b"%PDF-1.4\n%%EOF\n"
    assert {
        entete: reponse[entete]
        for entete in (
            "Content-Type",
            "Content-Disposition",
            "X-Content-Type-Options",
            "Content-Security-Policy",
            "Cache-Control",
        )
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=utf-8''Lettre_%C3%A9t%C3%A9.pdf",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
    }


def test_telecharger_par_un_coediteur(client):
    piece = PieceJointeFactory()
    coediteur = UserFactory()
    Acces.objects.create(
        candidature=piece.candidature,
        email=coediteur.email,
        user=coediteur,
        accepte_le=timezone.now(),
    )
    client.force_login(coediteur)

    reponse = client.get(_url_telecharger(piece))

    assert _contenu(reponse) == b"%PDF-1.4\n%%EOF\n"


def test_telecharger_invitation_non_acceptee_404(client):
    piece = PieceJointeFactory()
    invite = UserFactory()
    Acces.objects.create(candidature=piece.candidature, email=invite.email, user=invite)
    client.force_login(invite)

    assert client.get(_url_telecharger(piece)).status_code == 404


def test_telecharger_par_l_equipe(client, equipe):
    piece = PieceJointeFactory()
    client.force_login(equipe)

    reponse = client.get(_url_telecharger(piece))

    assert _contenu(reponse) == b"%PDF-1.4\n%%EOF\n"


def test_telecharger_par_un_autre_candidat_404(client):
    piece = PieceJointeFactory()
    client.force_login(CandidatureFactory().proprietaire)

    assert client.get(_url_telecharger(piece)).status_code == 404


def test_telecharger_anonyme_renvoye_vers_la_connexion(client):
    piece = PieceJointeFactory()
    url = _url_telecharger(piece)

    reponse = client.get(url)

    assert reponse.status_code == 302
    assert reponse.url == f"{reverse('account_login')}?next={url}"


def test_telecharger_piece_d_une_autre_candidature_404(client):
    ma_candidature = CandidatureFactory()
    piece_d_autrui = PieceJointeFactory()
    client.force_login(ma_candidature.proprietaire)

    reponse = client.get(_url_telecharger(piece_d_autrui, candidature=ma_candidature))

    assert reponse.status_code == 404


def test_telecharger_fichier_absent_du_stockage_404(client):
    piece = PieceJointeFactory()
    Path(piece.fichier.path).unlink()
    client.force_login(piece.candidature.proprietaire)

    assert client.get(_url_telecharger(piece)).status_code == 404


# --- upload and removal through the views ------------------------------------------------------


def _url_ajouter(candidature):
    return reverse("pieces:ajouter", args=[candidature.pk])


def _url_supprimer(piece):
    return reverse("pieces:supprimer", args=[piece.candidature_id, piece.pk])


def test_ajouter_htmx_renvoie_la_liste_avec_le_nouveau_fichier(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("lettre.pdf", _pdf()), "type": "lettre"},
        headers={"HX-Request": "true"},
    )

    piece = candidature.pieces_jointes.get()
    assert reponse.status_code == 200
    assert [t.name for t in reponse.templates] == ["candidatures/_pieces.html"]
    html = reponse.content.decode()
    assert html.startswith('<div id="pieces">')
    assert f'href="{_url_telecharger(piece)}"' in html
    assert "« lettre.pdf » a été ajouté aux pièces jointes." in html
    assert f'<code title="{piece.sha256}">' in html


def test_ajouter_un_gros_fichier_passe_par_le_disque(client, settings):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE the upload is a temporary file, moved into the storage.
    candidature = CandidatureFactory()
    contenu = _pdf() + b"0" * (3 * 1024 * 1024)
    client.force_login(candidature.proprietaire)

    client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("annexe.pdf", contenu), "type": "autre"},
        headers={"HX-Request": "true"},
    )

    piece = candidature.pieces_jointes.get()
    assert piece.sha256 == hashlib.sha256(contenu).hexdigest()
    assert Path(piece.fichier.path).read_bytes() == contenu


def test_ajouter_htmx_erreur_a_cote_du_champ_en_422(client, settings):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("lettre.pdf", b"MZ\x90\x00" + b"\x00" * 64), "type": "autre"},
        headers={"HX-Request": "true"},
    )

    assert reponse.status_code == 422
    html = reponse.content.decode()
    assert 'aria-describedby="piece-fichier-erreur piece-fichier-aide"' in html
    assert (
        '<div class="invalid-feedback" id="piece-fichier-erreur">Ce fichier n&#x27;est pas un '
        "document accepté (PDF, DOC, DOCX, ODT ou image) : c&#x27;est un programme, quel que "
        "soit son nom.</div>"
    ) in html
    assert '<option value="autre" selected>' in html
    assert list(candidature.pieces_jointes.all()) == []
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


def test_ajouter_htmx_candidature_deposee_refusee(client):
    candidature = CandidatureFactory(statut=StatutCandidature.DEPOSEE)
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("lettre.pdf", _pdf()), "type": "lettre"},
        headers={"HX-Request": "true"},
    )

    assert reponse.status_code == 422
    assert "rouvrez-la pour changer ses pièces jointes." in reponse.content.decode()
    assert list(candidature.pieces_jointes.all()) == []


def test_ajouter_htmx_apres_la_date_limite_sans_formulaire(client):
    candidature = CandidatureFactory(
        cycle__date_limite=timezone.now() - datetime.timedelta(minutes=1)
    )
    PieceJointeFactory(candidature=candidature)
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("lettre.pdf", _pdf()), "type": "lettre"},
        headers={"HX-Request": "true"},
    )

    html = reponse.content.decode()
    assert reponse.status_code == 422
    assert (
        '<div class="alert alert-danger" role="alert">La date limite est passée : les pièces '
        "jointes ne peuvent plus changer.</div>"
    ) in html
    assert 'name="fichier"' not in html
    assert "Retirer" not in html
    assert candidature.pieces_jointes.count() == 1


def test_formulaire_propose_les_types_de_piece(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature), {"type": "autre"}, headers={"HX-Request": "true"}
    )

    options = re.findall(
        r'<option value="(\w+)"( selected)?>([^<]+)</option>', reponse.content.decode()
    )
    assert options == [
        (TypePiece.LETTRE.value, "", TypePiece.LETTRE.label),
        (TypePiece.AUTRE.value, " selected", TypePiece.AUTRE.label),
    ]


def test_ajouter_sans_fichier(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature), {"type": "lettre"}, headers={"HX-Request": "true"}
    )

    assert reponse.status_code == 422
    assert "Choisissez un fichier à joindre." in reponse.content.decode()


def test_ajouter_sans_javascript_redirige_avec_un_message(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("lettre.pdf", _pdf()), "type": "lettre"},
    )

    assert reponse.status_code == 302
    assert reponse.url == reverse("candidatures:formulaire", args=[candidature.pk])
    assert [str(m) for m in get_messages(reponse.wsgi_request)] == [
        "« lettre.pdf » a été ajouté aux pièces jointes."
    ]
    assert candidature.pieces_jointes.count() == 1


def test_ajouter_sans_javascript_erreur_en_message(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature),
        {"fichier": _fichier("vide.pdf", b""), "type": "lettre"},
    )

    assert reponse.url == reverse("candidatures:formulaire", args=[candidature.pk])
    assert [(m.level_tag, str(m)) for m in get_messages(reponse.wsgi_request)] == [
        ("error", "Le fichier « vide.pdf » est vide.")
    ]


def test_ajouter_sur_la_candidature_d_autrui_404(client, settings):
    candidature = CandidatureFactory()
    client.force_login(UserFactory())

    reponse = client.post(
        _url_ajouter(candidature), {"fichier": _fichier("lettre.pdf", _pdf()), "type": "lettre"}
    )

    assert reponse.status_code == 404
    assert _fichiers_sous(settings.PRIVATE_MEDIA_ROOT) == []


def test_ajouter_en_get_refuse(client):
    candidature = CandidatureFactory()
    client.force_login(candidature.proprietaire)

    assert client.get(_url_ajouter(candidature)).status_code == 405


def test_supprimer_htmx_par_le_titulaire(client, django_capture_on_commit_callbacks):
    piece = PieceJointeFactory()
    chemin = Path(piece.fichier.path)
    client.force_login(piece.candidature.proprietaire)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_url_supprimer(piece), headers={"HX-Request": "true"})

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "« lettre.pdf » a été retiré des pièces jointes." in html
    assert "Aucune pièce jointe pour l'instant." in html
    assert list(PieceJointe.objects.all()) == []
    assert not chemin.exists()


def test_supprimer_par_l_equipe_404(client, equipe):
    piece = PieceJointeFactory()
    client.force_login(equipe)

    reponse = client.post(_url_supprimer(piece))

    assert reponse.status_code == 404
    assert list(PieceJointe.objects.all()) == [piece]


def test_liste_nombre_de_requetes_constant(client):
    def requetes(nombre):
        candidature = CandidatureFactory()
        PieceJointeFactory.create_batch(nombre, candidature=candidature)
        client.force_login(candidature.proprietaire)
        with CaptureQueriesContext(connection) as capture:
            reponse = client.post(
                _url_ajouter(candidature),
                {"fichier": _fichier("vide.pdf", b""), "type": "lettre"},
                headers={"HX-Request": "true"},
            )
        assert reponse.content.decode().count('class="list-group-item') == nombre
        return len(capture)

    assert requetes(1) == requetes(3)


def test_liste_numerote_plusieurs_lettres(client):
    candidature = CandidatureFactory()
    PieceJointeFactory.create_batch(2, candidature=candidature, type=TypePiece.LETTRE)
    PieceJointeFactory(candidature=candidature, type=TypePiece.AUTRE, nom_original="budget.pdf")
    client.force_login(candidature.proprietaire)

    reponse = client.post(
        _url_ajouter(candidature), {"type": "lettre"}, headers={"HX-Request": "true"}
    )

    html = reponse.content.decode()
    assert "Lettre de motivation · 1 sur 2" in html
    assert "Lettre de motivation · 2 sur 2" in html
    assert "Autre document</span>" in html
