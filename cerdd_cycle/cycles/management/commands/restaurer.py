"""Restore an archive written by ``manage.py sauvegarder``: the database, then the files.

Nothing is touched before the whole archive has been read and the dump's sha256 matches the
manifest. PostgreSQL: in one transaction (psql ``--single-transaction``), the schema is dropped
and recreated, then pg_restore's script replays the dump; a failure leaves the database as it
was, and nothing the archive does not hold survives (a table of a later migration, say).
SQLite: SQLite's backup API writes the archive's database into the file, which is safe even
when another process has it open. MEDIA_ROOT and PRIVATE_MEDIA_ROOT are then emptied and
filled with the archive's files. Finally every table is counted and compared to the manifest.

Stop the web server, the worker and beat first: a restore replaces everything they write.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from .sauvegarder import (
    FORMAT,
    MANIFESTE,
    afficher_comptages,
    commande_postgresql,
    connexion_postgresql,
    dossiers_du_projet,
    etat_postgresql,
    etat_sqlite,
    executer,
    moteur,
    sha256,
)

# The dump's objects are recreated in a clean schema, inside psql's single transaction.
SCHEMA_NEUF = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"


def lire_archive(archive, dossier):
    """Extract the archive into ``dossier`` and check it; return its manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise CommandError(f"Archive introuvable : {archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            try:
                contenu = tar.extractfile(MANIFESTE).read()
            except KeyError as erreur:
                raise CommandError(
                    f"{archive} n'a pas de {MANIFESTE} : ce n'est pas une sauvegarde."
                ) from erreur
            manifeste = json.loads(contenu)
            if manifeste.get("format") != FORMAT:
                raise CommandError(f"Format de sauvegarde inconnu : {manifeste.get('format')}.")
            attendus = {manifeste["base"], *manifeste["fichiers"]}
            membres = [m for m in tar.getmembers() if m.name.split("/")[0] in attendus]
            tar.extractall(dossier, members=membres, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as erreur:
        raise CommandError(f"Archive illisible ({archive}) : {erreur}") from erreur

    fichier_base = Path(dossier) / manifeste["base"]
    if not fichier_base.is_file() or sha256(fichier_base) != manifeste["sha256"]:
        raise CommandError(
            "La somme de contrôle de la base ne correspond pas au manifeste : archive abîmée "
            "ou modifiée, rien n'a été restauré."
        )
    for nom, quoi in manifeste["fichiers"].items():
        fichiers = [c for c in (Path(dossier) / nom).rglob("*") if c.is_file()]
        if len(fichiers) != quoi["nombre"]:
            raise CommandError(
                f"L'archive contient {len(fichiers)} fichier(s) dans {nom}/ au lieu de "
                f"{quoi['nombre']} : rien n'a été restauré."
            )
    return manifeste


def _restaurer_postgresql(base, dump):
    with tempfile.TemporaryFile() as erreurs:
        lecture = subprocess.Popen(  # noqa: S603
            ["pg_restore", "--no-owner", "--file=-", str(dump)],  # noqa: S607
            stdout=subprocess.PIPE,
            stderr=erreurs,
        )
        args, env = commande_postgresql(
            "psql",
            base,
            [
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--command={SCHEMA_NEUF}",
                "--file=-",
            ],
        )
        try:
            executer(args, env, stdin=lecture.stdout)
        finally:
            lecture.stdout.close()
            code = lecture.wait()
        if code:
            erreurs.seek(0)
            detail = erreurs.read().decode(errors="replace").strip()
            raise CommandError(f"pg_restore a échoué : {detail}")
    with connexion_postgresql(base) as sqlpg, sqlpg.cursor() as curseur:
        return etat_postgresql(curseur)[0]


def _restaurer_sqlite(base, copie):
    source = sqlite3.connect(copie)
    cible = sqlite3.connect(base["NAME"], timeout=20)
    try:
        source.backup(cible)
    finally:
        cible.close()
        source.close()
    return etat_sqlite(base["NAME"])[0]


def _remplacer_dossier(source, cible):
    cible = Path(cible).resolve()
    projet = Path(settings.BASE_DIR).resolve()
    # A misconfigured MEDIA_ROOT must not empty the project, or the disk.
    if cible == projet or cible in projet.parents or cible == Path(cible.anchor):
        raise CommandError(f"Dossier de fichiers suspect, non remplacé : {cible}")
    cible.mkdir(parents=True, exist_ok=True)
    # The folder itself stays (it may be a mount point); its content is replaced.
    for entree in cible.iterdir():
        if entree.is_dir() and not entree.is_symlink():
            shutil.rmtree(entree)
        else:
            entree.unlink()
    if source.is_dir():
        for entree in source.iterdir():
            shutil.move(entree, cible / entree.name)


def migrations_absentes(manifeste):
    """Migrations of the code that the archive's database has not applied (run migrate)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    appliquees = {(app, nom) for app, noms in manifeste["migrations"].items() for nom in noms}
    return sorted(set(loader.disk_migrations) - appliquees)


def restaurer(archive, base, dossiers):
    """Restore the archive into this database and these folders; return (manifest, counts)."""
    genre = moteur(base)
    with tempfile.TemporaryDirectory(prefix="cerdd-restauration-") as temporaire:
        manifeste = lire_archive(archive, temporaire)
        if manifeste["moteur"] != genre:
            raise CommandError(
                f"Cette sauvegarde vient d'une base {manifeste['moteur']} ; la base configurée "
                f"est {genre}. Rien n'a été restauré."
            )
        fichier_base = Path(temporaire) / manifeste["base"]
        if genre == "postgresql":
            comptages = _restaurer_postgresql(base, fichier_base)
        else:
            comptages = _restaurer_sqlite(base, fichier_base)
        for nom, dossier in dossiers.items():
            _remplacer_dossier(Path(temporaire) / nom, dossier)
    if comptages != manifeste["comptages"]:
        ecarts = sorted(
            table
            for table in set(comptages) | set(manifeste["comptages"])
            if comptages.get(table) != manifeste["comptages"].get(table)
        )
        raise CommandError(
            "Base restaurée, mais ses lignes ne correspondent pas au manifeste : "
            + ", ".join(
                f"{t} {comptages.get(t, '—')} au lieu de {manifeste['comptages'].get(t, '—')}"
                for t in ecarts
            )
        )
    return manifeste, comptages


class Command(BaseCommand):
    help = (
        "Restaure une archive de « manage.py sauvegarder » : la base de données (remplacée) "
        "et les fichiers (MEDIA_ROOT, PRIVATE_MEDIA_ROOT). Arrêtez d'abord web, worker et beat."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="L'archive .tar.gz à restaurer.")

    def handle(self, *args, archive=None, **options):
        if not archive:
            raise CommandError(
                "Indiquez l'archive à restaurer : make restore "
                "SAUVEGARDE=var/sauvegardes/cerdd-cycle-AAAAMMJJ-HHMMSS.tar.gz "
                "(ou manage.py restaurer CHEMIN)."
            )
        base = connections["default"].settings_dict
        connections.close_all()
        manifeste, comptages = restaurer(archive, base, dossiers_du_projet())
        self.stdout.write(
            self.style.SUCCESS(f"Restauré : {archive} (sauvegarde du {manifeste['date']}).")
        )
        afficher_comptages(self.stdout, comptages, manifeste["comptages"])
        self.stdout.write("  Lignes de chaque table identiques au manifeste.")
        for nom, quoi in manifeste["fichiers"].items():
            self.stdout.write(f"  {nom} : {quoi['nombre']} fichier(s) remis en place")
        absentes = migrations_absentes(manifeste)
        if absentes:
            self.stdout.write(
                self.style.WARNING(
                    f"  {len(absentes)} migration(s) du code ne sont pas appliquées dans cette "
                    "sauvegarde : lancez python manage.py migrate."
                )
            )
