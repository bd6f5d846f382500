"""A throwaway PostgreSQL cluster for one test: initdb in a temporary folder, a free port,
stopped and started at will (the shared server of the machine is never touched)."""

import contextlib
import os
import shutil
import socket
import subprocess
from pathlib import Path


def binaires_postgres() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding pg_ctl and initdb, if any."""
    candidats = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda chemin: int(chemin.parent.name) if chemin.parent.name.isdigit() else 0,
    )
    for dossier in reversed(candidats):
        if (dossier / "pg_ctl").exists() and (dossier / "initdb").exists():
            return dossier
    return None


def port_libre() -> int:
    with socket.socket() as essai:
        essai.bind(("127.0.0.1", 0))
        return essai.getsockname()[1]


class GrappePostgres:
    def __init__(self, binaires: Path, dossier: Path):
        self.binaires = binaires
        self.dossier = dossier
        self.donnees = dossier / "donnees"
        self.port = port_libre()
        # initdb refuses root: as root, the cluster belongs to the « postgres » account.
        self._en_tant_que = (
            ["runuser", "-u", "postgres", "--"]
            if os.geteuid() == 0 and shutil.which("runuser")
            else []
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _lancer(self, programme, *arguments, timeout=60):
        subprocess.run(
            [*self._en_tant_que, str(self.binaires / programme), *arguments],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def creer(self):
        self.dossier.mkdir(parents=True, exist_ok=True)
        if self._en_tant_que:
            shutil.chown(self.dossier, "postgres")
        self._lancer(
            "initdb", "-D", str(self.donnees), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        self.demarrer()

    def demarrer(self):
        options = (
            f"-p {self.port} -k {self.dossier} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._lancer(
            "pg_ctl",
            "-D",
            str(self.donnees),
            "-o",
            options,
            "-l",
            str(self.dossier / "log"),
            "-w",
            "start",
        )

    def arreter(self, mode="fast"):
        self._lancer("pg_ctl", "-D", str(self.donnees), "-m", mode, "-w", "stop")

    def detruire(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.arreter("immediate")  # unless already stopped
        shutil.rmtree(self.dossier, ignore_errors=True)
