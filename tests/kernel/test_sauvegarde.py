"""`make backup` / `make restore`: a real round trip through the test database (SQLite, or
PostgreSQL with pg_dump / pg_restore when DATABASE_URL names one)."""

import hashlib
import io
import json
import re
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from candidatures.models import Candidature, PieceJointe
from cerdd_cycle.cycles.management.commands.restaurer import restaurer
from cerdd_cycle.cycles.management.commands.sauvegarder import (
    FORMAT,
    dossiers_du_projet,
    moteur,
    sauvegarder,
)
from cerdd_cycle.cycles.models import Cycle
from journal.models import Element
from seances.models import Binome, Membre
from tests.factories import (
    CandidatureFactory,
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    PieceJointeFactory,
    SeanceFactory,
    binome_complet,
)

CONTENU_PIECE = b"%PDF-1.4\n% lettre de candidature\n%%EOF\n"


def _page(client, url):
    """The page's HTML, without its CSRF tokens (masked anew on every request)."""
    reponse = client.get(url)
    assert reponse.status_code == 200
    return re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]+', "", reponse.content.decode()
    )


def _telechargement(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200
    return b"".join(reponse.streaming_content)


def _lignes():
    return {
        modele.__name__: list(modele.objects.order_by("pk").values_list("pk", flat=True))
        for modele in (Cycle, Candidature, PieceJointe, Binome, Membre, Element)
    }


def _archive(chemin, manifeste, fichiers):
    with tarfile.open(chemin, "w:gz") as tar:
        for nom, contenu in {**fichiers, "manifeste.json": json.dumps(manifeste).encode()}.items():
            entree = tarfile.TarInfo(nom)
            entree.size = len(contenu)
            tar.addfile(entree, io.BytesIO(contenu))


@pytest.mark.django_db(transaction=True)
def test_sauvegarde_restauration_remet_lignes_fichiers_et_pages(client, tmp_path):
    candidature = CandidatureFactory()
    piece = PieceJointeFactory(
        candidature=candidature,
        fichier__data=CONTENU_PIECE,
        taille=len(CONTENU_PIECE),
        sha256=hashlib.sha256(CONTENU_PIECE).hexdigest(),
    )
    binome = binome_complet(CycleFactory())
    membre = binome.membres.order_by("pk").first()
    element = ElementFactory(
        entree=EntreeFactory(membre=membre, seance=SeanceFactory(cycle=binome.cycle))
    )
    client.force_login(candidature.proprietaire)
    url_page = reverse("candidatures:formulaire", args=[candidature.pk])
    url_piece = reverse("pieces:telecharger", args=[candidature.pk, piece.pk])
    page_avant = _page(client, url_page)
    lignes_avant = _lignes()
    base = connection.settings_dict
    archive = tmp_path / "sauvegardes" / "cerdd-cycle.tar.gz"

    manifeste = sauvegarder(archive, base, dossiers_du_projet())
    fichier_piece = Path(piece.fichier.path)
    fichier_piece.unlink()
    piece.delete()
    element.delete()
    binome.delete()
    CycleFactory(titre="Créé après la sauvegarde")
    assert _lignes() != lignes_avant
    restaure, comptages = restaurer(archive, base, dossiers_du_projet())

    assert restaure == manifeste
    assert comptages == manifeste["comptages"]
    assert _lignes() == lignes_avant
    assert Element.objects.get().texte == element.texte
    assert fichier_piece.read_bytes() == CONTENU_PIECE
    assert _telechargement(client, url_piece) == CONTENU_PIECE
    assert _page(client, url_page) == page_avant


@pytest.mark.django_db(transaction=True)
def test_sauvegarde_manifeste_decrit_la_base_et_les_fichiers(tmp_path):
    PieceJointeFactory(fichier__data=CONTENU_PIECE)
    archive = tmp_path / "cerdd-cycle.tar.gz"

    manifeste = sauvegarder(archive, connection.settings_dict, dossiers_du_projet())

    with tarfile.open(archive) as tar:
        noms = sorted(n for n in tar.getnames() if "/" not in n)
        dump = tar.extractfile(manifeste["base"]).read()
        lu = json.loads(tar.extractfile("manifeste.json").read())
    assert lu == manifeste
    assert noms == sorted(["manifeste.json", manifeste["base"], "prive"])
    assert manifeste["moteur"] == moteur(connection.settings_dict)
    assert manifeste["sha256"] == hashlib.sha256(dump).hexdigest()
    assert manifeste["fichiers"] == {
        "media": {"nombre": 0, "octets": 0},
        "prive": {"nombre": 1, "octets": len(CONTENU_PIECE)},
    }
    assert {
        table: manifeste["comptages"][table]
        for table in ("candidatures_candidature", "candidatures_piecejointe", "cycles_cycle")
    } == {"candidatures_candidature": 1, "candidatures_piecejointe": 1, "cycles_cycle": 1}
    assert "0001_initial" in manifeste["migrations"]["candidatures"]


@pytest.mark.django_db
def test_restauration_refusee_si_la_somme_de_controle_ne_correspond_pas(tmp_path):
    genre = moteur(connection.settings_dict)
    base = "base.dump" if genre == "postgresql" else "base.sqlite3"
    archive = tmp_path / "abimee.tar.gz"
    manifeste = {
        "format": FORMAT,
        "moteur": genre,
        "base": base,
        "sha256": hashlib.sha256(b"la base d'origine").hexdigest(),
        "fichiers": {},
        "comptages": {},
        "migrations": {},
    }
    _archive(archive, manifeste, {base: b"une base modifiee"})
    cycle = CycleFactory()

    with pytest.raises(CommandError, match="somme de contrôle"):
        restaurer(archive, connection.settings_dict, dossiers_du_projet())

    assert list(Cycle.objects.all()) == [cycle]


@pytest.mark.django_db
def test_restauration_refusee_depuis_un_autre_moteur(tmp_path):
    genre = moteur(connection.settings_dict)
    autre = "sqlite" if genre == "postgresql" else "postgresql"
    archive = tmp_path / "autre.tar.gz"
    contenu = b"une base"
    manifeste = {
        "format": FORMAT,
        "moteur": autre,
        "base": "base",
        "sha256": hashlib.sha256(contenu).hexdigest(),
        "fichiers": {},
        "comptages": {},
        "migrations": {},
    }
    _archive(archive, manifeste, {"base": contenu})

    with pytest.raises(CommandError, match=f"base {autre}.*Rien n'a été restauré"):
        restaurer(archive, connection.settings_dict, dossiers_du_projet())


def test_restaurer_sans_archive_explique_quoi_faire():
    with pytest.raises(CommandError, match="Indiquez l'archive à restaurer : make restore"):
        call_command("restaurer")


def test_restaurer_archive_introuvable(tmp_path):
    with pytest.raises(CommandError, match="Archive introuvable"):
        call_command("restaurer", str(tmp_path / "absente.tar.gz"))
