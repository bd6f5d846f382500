"""Back up the platform in one archive: the database, the public and reserved files, a manifest.

The archive (``.tar.gz``) holds ``manifeste.json``, the database (``base.dump``, PostgreSQL's
custom format, or ``base.sqlite3``), ``media/`` (MEDIA_ROOT) and ``prive/``
(PRIVATE_MEDIA_ROOT). The manifest records the date, the engine, the migrations applied per
app, the rows of every table and the dump's sha256; ``manage.py restaurer`` checks the sha256
before touching anything and the counts afterwards.

Everything is read from one consistent state of the database: on PostgreSQL the counts are
taken in a transaction whose snapshot pg_dump then uses (``--snapshot``), on SQLite from the
copy made with SQLite's backup API. The functions take a Django database settings dict
(``connection.settings_dict``), so that the tests can pass their own test database's.
A password only ever travels through ``PGPASSWORD``, never on a command line nor on screen.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

FORMAT = 1
MANIFESTE = "manifeste.json"
FICHIER_BASE = {"postgresql": "base.dump", "sqlite": "base.sqlite3"}
# Shown after a backup and a restore; every table is counted and compared all the same.
TABLES_CLES = [
    "comptes_user",
    "cycles_cycle",
    "candidatures_candidature",
    "candidatures_piecejointe",
    "jury_decision",
    "seances_seance",
    "seances_binome",
    "journal_element",
    "courriels_courriel",
    "historique_historique",
]


def dossiers_du_projet():
    """The folders a backup holds, under their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "prive": Path(settings.PRIVATE_MEDIA_ROOT)}


def chemin_par_defaut():
    horodatage = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "sauvegardes" / f"cerdd-cycle-{horodatage}.tar.gz"


def moteur(base):
    if base["ENGINE"] == "django.db.backends.postgresql":
        return "postgresql"
    if base["ENGINE"] == "django.db.backends.sqlite3":
        if str(base["NAME"]) == ":memory:" or "mode=memory" in str(base["NAME"]):
            raise CommandError("Une base SQLite en mémoire ne se sauvegarde pas.")
        return "sqlite"
    raise CommandError(f"Moteur de base non pris en charge : {base['ENGINE']}.")


def commande_postgresql(executable, base, parametres):
    """Arguments and environment of a PostgreSQL client for this database (Django's own
    translation of the settings: user, host, port, SSL options; the password in the env)."""
    args, env = DatabaseClient.settings_to_cmd_args_env(base, parametres)
    return [executable, *args[1:]], {**os.environ, **(env or {})}


def executer(args, env=None, **kwargs):
    """Run a client program; its error output (never a password) becomes the message."""
    try:
        return subprocess.run(args, env=env, check=True, capture_output=True, **kwargs)  # noqa: S603
    except FileNotFoundError as erreur:
        raise CommandError(
            f"{args[0]} est introuvable : installez le client PostgreSQL "
            "(paquet postgresql-client, de la même version que le serveur)."
        ) from erreur
    except subprocess.CalledProcessError as erreur:
        detail = erreur.stderr.decode(errors="replace").strip()
        raise CommandError(f"{args[0]} a échoué : {detail}") from erreur


def connexion_postgresql(base):
    import psycopg
    from django.db.backends.postgresql.base import DatabaseWrapper

    parametres = DatabaseWrapper(base).get_connection_params()
    parametres.pop("cursor_factory", None)
    try:
        return psycopg.connect(**parametres, autocommit=True)
    except psycopg.OperationalError as erreur:
        raise CommandError(f"Connexion à la base impossible : {erreur}") from erreur


def etat_postgresql(curseur):
    """Row counts of every table and migrations applied, read in the cursor's transaction."""
    from psycopg import sql

    curseur.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [ligne[0] for ligne in curseur.fetchall()]
    comptages = {}
    for table in tables:
        curseur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        comptages[table] = curseur.fetchone()[0]
    return comptages, _migrations(curseur, tables)


def etat_sqlite(chemin):
    with sqlite3.connect(chemin) as sqlite:
        curseur = sqlite.cursor()
        curseur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        tables = [ligne[0] for ligne in curseur.fetchall()]
        comptages = {}
        for table in tables:
            nom = table.replace('"', '""')
            curseur.execute(f'SELECT count(*) FROM "{nom}"')  # noqa: S608 (a table's own name)
            comptages[table] = curseur.fetchone()[0]
        migrations = _migrations(curseur, tables)
    sqlite.close()
    return comptages, migrations


def _migrations(curseur, tables):
    if "django_migrations" not in tables:
        return {}
    curseur.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    migrations = {}
    for app, nom in curseur.fetchall():
        migrations.setdefault(app, []).append(nom)
    return migrations


def sha256(chemin):
    empreinte = hashlib.sha256()
    with open(chemin, "rb") as fichier:
        for bloc in iter(lambda: fichier.read(1 << 20), b""):
            empreinte.update(bloc)
    return empreinte.hexdigest()


def _exporter_postgresql(base, destination):
    """pg_dump of the snapshot in which the counts are taken: the manifest describes the dump."""
    with connexion_postgresql(base) as sqlpg, sqlpg.cursor() as curseur:
        curseur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        curseur.execute("SELECT pg_export_snapshot()")
        instantane = curseur.fetchone()[0]
        comptages, migrations = etat_postgresql(curseur)
        args, env = commande_postgresql(
            "pg_dump",
            base,
            [
                "--format=custom",
                "--no-owner",
                f"--snapshot={instantane}",
                f"--file={destination}",
            ],
        )
        executer(args, env)
        curseur.execute("ROLLBACK")
    return comptages, migrations


def _exporter_sqlite(base, destination):
    source = sqlite3.connect(base["NAME"])
    copie = sqlite3.connect(destination)
    try:
        source.backup(copie)
    finally:
        copie.close()
        source.close()
    return etat_sqlite(destination)


def _fichiers(dossier):
    fichiers = [chemin for chemin in dossier.rglob("*") if chemin.is_file()] if dossier else []
    return {"nombre": len(fichiers), "octets": sum(chemin.stat().st_size for chemin in fichiers)}


def sauvegarder(archive, base, dossiers):
    """Write the archive; return its manifest."""
    archive = Path(archive)
    genre = moteur(base)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cerdd-sauvegarde-") as temporaire:
        fichier_base = Path(temporaire) / FICHIER_BASE[genre]
        exporter = _exporter_postgresql if genre == "postgresql" else _exporter_sqlite
        comptages, migrations = exporter(base, fichier_base)
        manifeste = {
            "format": FORMAT,
            "date": timezone.localtime().isoformat(timespec="seconds"),
            "moteur": genre,
            "base": fichier_base.name,
            "sha256": sha256(fichier_base),
            "migrations": migrations,
            "comptages": comptages,
            "fichiers": {},
        }
        partielle = archive.with_name(archive.name + ".partielle")
        with tarfile.open(partielle, "w:gz") as tar:
            tar.add(fichier_base, arcname=fichier_base.name)
            for nom, dossier in dossiers.items():
                present = Path(dossier).is_dir()
                manifeste["fichiers"][nom] = _fichiers(Path(dossier) if present else None)
                if present:
                    tar.add(dossier, arcname=nom)
            contenu = json.dumps(manifeste, ensure_ascii=False, indent=2).encode()
            entree = tarfile.TarInfo(MANIFESTE)
            entree.size = len(contenu)
            entree.mtime = int(timezone.now().timestamp())
            tar.addfile(entree, io.BytesIO(contenu))
        partielle.replace(archive)
    return manifeste


def afficher_comptages(sortie, comptages, reference=None):
    for table in TABLES_CLES:
        if table in comptages:
            ligne = f"  {table.ljust(28)} {comptages[table]:>8}"
            if reference is not None:
                ligne += f"   (archive : {reference.get(table, '—')})"
            sortie.write(ligne)
    sortie.write(f"  … {len(comptages)} tables en tout.")


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données (pg_dump ou copie SQLite cohérente) et les fichiers "
        "(MEDIA_ROOT, PRIVATE_MEDIA_ROOT) dans une archive .tar.gz avec son manifeste."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--sortie",
            help="Chemin de l'archive "
            "(par défaut var/sauvegardes/cerdd-cycle-AAAAMMJJ-HHMMSS.tar.gz).",
        )

    def handle(self, *args, sortie=None, **options):
        archive = Path(sortie) if sortie else chemin_par_defaut()
        base = connections["default"].settings_dict
        manifeste = sauvegarder(archive, base, dossiers_du_projet())
        fichiers = manifeste["fichiers"]
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
        self.stdout.write(
            f"  base {manifeste['moteur']} « {Path(str(base['NAME'])).name} », "
            f"sha256 {manifeste['sha256'][:16]}…"
        )
        for nom, quoi in fichiers.items():
            self.stdout.write(f"  {nom} : {quoi['nombre']} fichier(s), {quoi['octets']} octets")
        afficher_comptages(self.stdout, manifeste["comptages"])
