"""A tiny SMTP server for the tests: keeps every accepted message, counts connections.

Written with ``socketserver`` (the stdlib ``smtpd`` is gone from recent Pythons). A message
counts as received when the server answers 250 to its final dot, as a real relay would:
from then on the relay delivers it even if the client vanishes.
"""

import email
import email.policy
import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Recu:
    message_id: str
    cle: str
    expediteur: str
    destinataires: tuple[str, ...]
    sujet: str


@dataclass
class _Etat:
    delai: float
    retenir: int | None
    recus: list[Recu] = field(default_factory=list)
    connexions: int = 0
    verrou: threading.Lock = field(default_factory=threading.Lock)
    retenue: threading.Event = field(default_factory=threading.Event)
    liberer: threading.Event = field(default_factory=threading.Event)


class _Session(socketserver.StreamRequestHandler):
    timeout = 30

    def _dire(self, ligne):
        self.wfile.write(ligne.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        etat = self.server.etat
        with etat.verrou:
            etat.connexions += 1
            numero = etat.connexions
        # A slow relay: the pause before the greeting is where a killed client usually is.
        time.sleep(etat.delai)
        if numero == etat.retenir:
            etat.retenue.set()
            etat.liberer.wait(60)
        try:
            self._converser(etat)
        except OSError:
            return  # the client died mid-conversation: nothing was accepted

    def _converser(self, etat):
        self._dire("220 puits ESMTP")
        expediteur, destinataires = "", []
        while ligne := self.rfile.readline():
            commande = ligne.decode("ascii", "replace").strip()
            verbe = commande[:4].upper()
            if verbe in ("EHLO", "HELO"):
                self._dire("250 puits")
            elif verbe == "MAIL":
                expediteur, destinataires = commande.partition(":")[2].strip(" <>"), []
                self._dire("250 OK")
            elif verbe == "RCPT":
                destinataires.append(commande.partition(":")[2].strip(" <>").lower())
                self._dire("250 OK")
            elif verbe == "DATA":
                self._dire("354 Fin par <CRLF>.<CRLF>")
                brut = self._lire_donnees()
                if brut is None:
                    return  # connection lost before the final dot: not accepted
                self._garder(etat, brut, expediteur, destinataires)
                self._dire("250 OK accepte")
            elif verbe == "RSET":
                expediteur, destinataires = "", []
                self._dire("250 OK")
            elif verbe == "NOOP":
                self._dire("250 OK")
            elif verbe == "QUIT":
                self._dire("221 Au revoir")
                return
            else:
                self._dire("502 Commande inconnue")

    def _lire_donnees(self):
        lignes = []
        while ligne := self.rfile.readline():
            if ligne in (b".\r\n", b".\n"):
                return b"".join(lignes)
            lignes.append(ligne[1:] if ligne.startswith(b"..") else ligne)
        return None

    def _garder(self, etat, brut, expediteur, destinataires):
        message = email.message_from_bytes(brut, policy=email.policy.compat32)
        recu = Recu(
            message_id=str(message.get("Message-ID", "")).strip(),
            cle=str(message.get("X-Cerdd-Cle", "")),
            expediteur=expediteur,
            destinataires=tuple(destinataires),
            sujet=str(message.get("Subject", "")),
        )
        with etat.verrou:
            etat.recus.append(recu)


class _Serveur(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class PuitsSMTP:
    """``with PuitsSMTP(delai=0.05, retenir=14) as puits:`` listens on 127.0.0.1:<puits.port>.

    ``retenir``: the connection of that number waits (after ``retenue`` is set) until
    ``liberer()``, so a test can kill its client at a known point.
    """

    def __init__(self, *, delai=0.0, retenir=None):
        self._serveur = _Serveur(("127.0.0.1", 0), _Session)
        self._serveur.etat = _Etat(delai=delai, retenir=retenir)
        self.port = self._serveur.server_address[1]
        self._fil = threading.Thread(target=self._serveur.serve_forever, daemon=True)

    @property
    def etat(self):
        return self._serveur.etat

    @property
    def recus(self) -> list[Recu]:
        with self.etat.verrou:
            return list(self.etat.recus)

    @property
    def connexions(self) -> int:
        with self.etat.verrou:
            return self.etat.connexions

    def attendre_retenue(self, delai) -> bool:
        return self.etat.retenue.wait(delai)

    def liberer(self):
        self.etat.liberer.set()

    def __enter__(self):
        self._fil.start()
        return self

    def __exit__(self, *exc):
        self.liberer()
        self._serveur.shutdown()
        self._serveur.server_close()
        self._fil.join(5)
