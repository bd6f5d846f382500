"""Load run of the main journeys against gunicorn and PostgreSQL (``make bench``).

    .venv/bin/python bench/charge.py [--echelle nationale|regionale] [--duree 8] [--garder]

In a throwaway database (``cerdd_charge`` on the PostgreSQL server DATABASE_URL names, by
default postgres://postgres@127.0.0.1:5432/postgres, dropped at the end) it migrates, loads the
territories, builds the data (``bench/national.py``: the demo, plus the national scale's
twenty cycles), makes logged-in sessions for a candidate, a juror, a staff member and a
participant, runs collectstatic and starts gunicorn (sync workers, 2 × cores + 1) on a free
port with the bench settings (``bench/reglages.py``). Then, for each page:

(a) one user, sequential: ``--requetes`` requests → p50 / p95 / p99;
(b) ``--connexions`` concurrent connections for ``--duree`` seconds → requests/s, latencies,
    errors (answers other than 2xx/3xx, or a failure); the autosave is measured while the
    other connections load the pages;
(c) the SQL queries of the page and its slowest query (headers of ``bench/requetes.py``);
    every query over 20 ms is explained (EXPLAIN ANALYZE) and its plan printed;
(d) the floor, through the same gunicorn, middleware, session, client and connections: a
    bench-only URL (``bench/plancher.py``) answers the page's template rendered from the
    context each worker captured once, the database blocked while rendering. Page and floor
    runs alternate (two halves each) so that the machine's noise hits both; the ratio is the
    page's requests/s ÷ the floor's (the issue asks at least ½ on list pages). The template
    alone is also timed in a separate process (« gabarit seul », one core, no HTTP).

It prints a Markdown table checked against the issue's targets and writes it to
``bench/resultats/charge-<date>.md``.
"""

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

RESULTATS = RACINE / "bench" / "resultats"
BASE_CHARGE = "cerdd_charge"
URL_PAR_DEFAUT = "postgres://postgres@127.0.0.1:5432/postgres"
SEUIL_LENTE_MS = 20.0

# The targets (2-core machine, national scale).
CIBLE_REQUETES = 12
CIBLE_P95_UN = 150
CIBLE_P95_CLASSEMENT = 300
CIBLE_P95_CHARGE = 600
CIBLE_RPS_LISTE = 20
CIBLE_RATIO_PLANCHER = 0.5
CIBLE_P95_AUTOSAUVEGARDE = 150


@dataclass
class Page:
    nom: str
    role: str  # key of the session cookie used (None: anonymous)
    vue: str  # URL name
    kwargs: dict
    liste: bool = False  # a list page: queries and throughput targets
    post: bool = False  # the autosave
    url: str = ""

    def cible_p95_un(self):
        return CIBLE_P95_CLASSEMENT if self.vue == "deliberation:classement" else CIBLE_P95_UN


def pages(c: dict) -> list[Page]:
    """The issue's main journeys, from the targets found in the data (``national.cibles``)."""
    return [
        Page("Appel à candidatures (public)", "", "ami:appel", {"slug": c["appel"]}),
        Page(
            "Formulaire de candidature",
            "candidat",
            "candidatures:formulaire",
            {"pk": c["candidature"]},
        ),
        Page(
            "Autosauvegarde (POST)",
            "candidat",
            "candidatures:enregistrer",
            {"pk": c["candidature"]},
            post=True,
        ),
        Page("Juré·e : ses candidatures", "jure", "jury:accueil", {}, liste=True),
        Page(
            "Juré·e : page de notation",
            "jure",
            "jury:evaluation",
            {"cycle": c["evaluation_cycle"], "candidature_pk": c["evaluation_candidature"]},
        ),
        Page(
            f"Équipe : classement ({c['candidatures_classees']} candidatures)",
            "equipe",
            "deliberation:classement",
            {"cycle": c["classement"]},
            liste=True,
        ),
        Page(
            "Équipe : matrice d'assiduité",
            "equipe",
            "equipe_seances:assiduite",
            {"cycle": c["assiduite"]},
            liste=True,
        ),
        Page("Participant·e : journal de bord", "participant", "journal:accueil", {}, liste=True),
        Page(
            "Participant·e : partages d'une séance",
            "participant",
            "journal:partages",
            {"pk": c["seance_partages"]},
            liste=True,
        ),
    ]


# --- Steps run in a child process with Django set up (bench settings) -----------------------


def _django():
    import django

    django.setup()


def etape_donnees(echelle):
    """Build the data, make the sessions, find the targets; answers JSON."""
    _django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_module

    from bench import national
    from cerdd_cycle.comptes.models import User

    debut = time.monotonic()
    national.construire_regionale()
    bilan = None
    if echelle == "nationale":
        bilan = national.construire_nationale()
    cibles = national.cibles(echelle)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for role in ("candidat", "jure", "equipe", "participant"):
        user = User.objects.get(email=getattr(cibles, role))
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.save()
        cookies[role] = session.session_key
    print(
        json.dumps(
            {
                "cibles": cibles.dict(),
                "cookies": cookies,
                "cookie": settings.SESSION_COOKIE_NAME,
                "bilan": bilan.__dict__ if bilan else None,
                "secondes": round(time.monotonic() - debut, 1),
            }
        )
    )


def etape_gabarit(fichier_pages, duree):
    """The template alone: each GET page's template rendered in a loop from its context in
    memory (``bench.plancher.capturer``), database blocked, in this process → ms per render."""
    _django()
    from bench.plancher import BaseBloquee, capturer

    donnees = json.loads(Path(fichier_pages).read_text())
    resultats = {}
    for page in donnees["pages"]:
        if page["post"]:
            continue
        cookies = {}
        if page["role"]:
            cookies[donnees["cookie"]] = donnees["cookies"][page["role"]]
        capture = capturer(page["url"], cookies)
        if capture.erreur:
            resultats[page["nom"]] = {"erreur": capture.erreur}
            continue
        n, debut = 0, time.perf_counter()
        try:
            while time.perf_counter() - debut < duree or n < 5:
                capture.rendre()
                n += 1
        except BaseBloquee as exc:
            resultats[page["nom"]] = {"erreur": f"le gabarit interroge la base : {exc}"}
            continue
        resultats[page["nom"]] = {
            "gabarit": capture.gabarit.origin.template_name,
            "requetes_rendu": capture.requetes_rendu,
            "ms": (time.perf_counter() - debut) / n * 1000,
        }
    print(json.dumps(resultats))


# --- HTTP client: asyncio, HTTP/1.1, few CPU cycles --------------------------------------------


@dataclass
class Mesure:
    latences: list = field(default_factory=list)  # ms
    erreurs: int = 0
    statuts: dict = field(default_factory=dict)
    requetes_sql: set = field(default_factory=set)
    sql_max_ms: float = 0.0
    secondes: float = 0.0  # measured time (the sum of the runs for alternated ones)
    exemple_erreur: str = ""

    def noter(self, statut, entetes, ms):
        self.latences.append(ms)
        self.statuts[statut] = self.statuts.get(statut, 0) + 1
        if not 200 <= statut < 400:
            self.erreurs += 1
        if "x-bench-requetes" in entetes:
            self.requetes_sql.add(int(entetes["x-bench-requetes"]))
            self.sql_max_ms = max(self.sql_max_ms, float(entetes["x-bench-requete-max-ms"]))

    @property
    def rps(self):
        return len(self.latences) / self.secondes if self.secondes > 0 else 0.0


def centile(valeurs, p):
    """Nearest-rank percentile."""
    if not valeurs:
        return float("nan")
    ordonnees = sorted(valeurs)
    rang = max(0, min(len(ordonnees) - 1, round(p / 100 * len(ordonnees) + 0.5) - 1))
    return ordonnees[rang]


class Connexion:
    """One client connection; reopened when the server closes it (gunicorn's sync workers
    answer « Connection: close »)."""

    def __init__(self, hote, port):
        self.hote, self.port = hote, port
        self.lecteur = self.ecrivain = None

    async def fermer(self):
        if self.ecrivain is not None:
            self.ecrivain.close()
            with contextlib.suppress(OSError):
                await self.ecrivain.wait_closed()
        self.lecteur = self.ecrivain = None

    async def requete(self, methode, chemin, entetes, corps=b""):
        if self.ecrivain is None:
            self.lecteur, self.ecrivain = await asyncio.open_connection(self.hote, self.port)
        lignes = [f"{methode} {chemin} HTTP/1.1", f"Host: {self.hote}:{self.port}"]
        lignes += [f"{k}: {v}" for k, v in entetes.items()]
        if corps or methode == "POST":
            lignes.append(f"Content-Length: {len(corps)}")
        self.ecrivain.write(("\r\n".join(lignes) + "\r\n\r\n").encode("latin-1") + corps)
        await self.ecrivain.drain()
        tete = await self.lecteur.readuntil(b"\r\n\r\n")
        premiere, *reste = tete.decode("latin-1").split("\r\n")
        statut = int(premiere.split(" ", 2)[1])
        recus = {}
        cookies = []
        for ligne in reste:
            if ":" in ligne:
                k, v = ligne.split(":", 1)
                recus[k.strip().lower()] = v.strip()
                if k.strip().lower() == "set-cookie":
                    cookies.append(v.strip())
        recus["_cookies"] = cookies
        if "content-length" in recus:
            contenu = await self.lecteur.readexactly(int(recus["content-length"]))
        elif recus.get("transfer-encoding", "").lower() == "chunked":
            contenu = b""
            while True:
                taille = int((await self.lecteur.readuntil(b"\r\n")).strip(), 16)
                contenu += await self.lecteur.readexactly(taille + 2)
                if taille == 0:
                    break
        else:
            contenu = await self.lecteur.read()
        if recus.get("connection", "").lower() == "close" or "content-length" not in recus:
            await self.fermer()
        return statut, recus, contenu


def _entetes(page, session, phase="charge"):
    entetes = {"Accept": "text/html", "Connection": "keep-alive", "X-Bench-Phase": phase}
    cookies = []
    if page.role:
        cookies.append(f"{session['cookie']}={session['cookies'][page.role]}")
    if page.post:
        cookies.append(f"csrftoken={session['csrf_cookie']}")
        entetes.update(
            {
                "HX-Request": "true",
                "X-CSRFToken": session["csrf"],
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{session['port']}/",
            }
        )
    if cookies:
        entetes["Cookie"] = "; ".join(cookies)
    return entetes


def _corps(page, rang):
    if not page.post:
        return b""
    # A new text each time, as a person typing (the server writes only what changed).
    texte = (
        "Notre commune veut associer les habitant·es aux choix d'aménagement du centre-bourg. "
        f"Version {rang} du texte, enregistrée pendant la saisie."
    )
    return urlencode({"motivations": texte}).encode()


async def _boucle(page, session, mesure, fin, compteur):
    connexion = Connexion("127.0.0.1", session["port"])
    entetes = _entetes(page, session)
    try:
        while time.perf_counter() < fin:
            compteur[0] += 1
            debut = time.perf_counter()
            try:
                statut, recus, _c = await connexion.requete(
                    "POST" if page.post else "GET", page.url, entetes, _corps(page, compteur[0])
                )
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                mesure.erreurs += 1
                mesure.exemple_erreur = repr(exc)
                await connexion.fermer()
                continue
            mesure.noter(statut, recus, (time.perf_counter() - debut) * 1000)
            if not 200 <= statut < 400 and not mesure.exemple_erreur:
                mesure.exemple_erreur = f"HTTP {statut} {page.url}"
    finally:
        await connexion.fermer()


async def _sequentiel(page, session, nombre):
    mesure = Mesure()
    connexion = Connexion("127.0.0.1", session["port"])
    entetes = _entetes(page, session, "seul")
    debut_mesure = time.perf_counter()
    for rang in range(nombre):
        debut = time.perf_counter()
        statut, recus, _c = await connexion.requete(
            "POST" if page.post else "GET", page.url, entetes, _corps(page, rang)
        )
        mesure.noter(statut, recus, (time.perf_counter() - debut) * 1000)
        if not 200 <= statut < 400 and not mesure.exemple_erreur:
            mesure.exemple_erreur = f"HTTP {statut} {page.url}"
    mesure.secondes = time.perf_counter() - debut_mesure
    await connexion.fermer()
    return mesure


async def _concurrent(page, session, connexions, duree, mesure=None):
    """``connexions`` connections load the page for ``duree`` seconds (added to ``mesure``)."""
    mesure = Mesure() if mesure is None else mesure
    debut = time.perf_counter()
    fin = debut + duree
    compteur = [0]
    await asyncio.gather(
        *(_boucle(page, session, mesure, fin, compteur) for _i in range(connexions))
    )
    mesure.secondes += time.perf_counter() - debut
    return mesure


def _alterner(page, plancher, session, connexions, duree, tours=2):
    """The page and its floor in turn, ``tours`` times each, ``duree`` seconds in all for
    each: a burst of load from elsewhere on the machine falls on both."""
    charge, charge_plancher = Mesure(), Mesure()
    for _tour in range(tours):
        asyncio.run(_concurrent(page, session, connexions, duree / tours, charge))
        asyncio.run(_concurrent(plancher, session, connexions, duree / tours, charge_plancher))
    return charge, charge_plancher


async def _autosauvegarde_sous_charge(autosave, autres, session, connexions, duree):
    """One connection autosaves while the others load the GET pages in turn."""
    mesure, charge = Mesure(), Mesure()
    debut = time.perf_counter()
    fin = debut + duree
    compteur = [0]
    taches = [_boucle(autosave, session, mesure, fin, compteur)]
    taches += [
        _boucle(autres[i % len(autres)], session, charge, fin, [0]) for i in range(connexions - 1)
    ]
    await asyncio.gather(*taches)
    mesure.secondes = charge.secondes = time.perf_counter() - debut
    return mesure, charge


def _titre(contenu: bytes) -> str:
    trouve = re.search(rb"<title>(.*?)</title>", contenu, re.S)
    return trouve.group(1).decode("utf-8", "replace").strip() if trouve else ""


async def _comparer_titres(page, plancher, session):
    """The floor answers the page's own document: the same <title> (else its error)."""
    connexion = Connexion("127.0.0.1", session["port"])
    try:
        _s, _e, contenu_page = await connexion.requete("GET", page.url, _entetes(page, session))
        statut, _e, contenu = await connexion.requete(
            "GET", plancher.url, _entetes(plancher, session)
        )
    finally:
        await connexion.fermer()
    if statut != 200:
        return f"HTTP {statut} : {contenu.decode('utf-8', 'replace')[:120]}"
    if _titre(contenu) != _titre(contenu_page):
        return f"titre « {_titre(contenu)} » au lieu de « {_titre(contenu_page)} »"
    return ""


async def _jeton_csrf(page_formulaire, session):
    """The form page gives the CSRF cookie and token the autosave sends back."""
    connexion = Connexion("127.0.0.1", session["port"])
    statut, recus, contenu = await connexion.requete(
        "GET", page_formulaire.url, _entetes(page_formulaire, session)
    )
    await connexion.fermer()
    if statut != 200:
        raise SystemExit(f"Le formulaire de candidature répond {statut}.")
    cookie = next(
        (
            c.split(";", 1)[0].split("=", 1)[1]
            for c in recus["_cookies"]
            if c.startswith("csrftoken=")
        ),
        None,
    )
    html = contenu.decode("utf-8", "replace")
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": ?"([^"]+)"', html
    )
    if cookie is None or jeton is None:
        raise SystemExit("Pas de jeton CSRF dans le formulaire de candidature.")
    return cookie, jeton.group(1)


# --- The parent: database, server, measures, table -------------------------------------------


class _Postgres:
    """The database ``cerdd_charge`` on the server DATABASE_URL names."""

    def __init__(self, url):
        self.url = urlsplit(url)

    def _connecter(self, dbname):
        import psycopg

        return psycopg.connect(
            host=self.url.hostname or None,
            port=self.url.port or 5432,
            user=self.url.username or None,
            password=self.url.password or None,
            dbname=dbname,
            autocommit=True,
        )

    def creer(self, random_page_cost) -> str:
        self.supprimer()
        with self._connecter("postgres") as c:
            c.execute(f"CREATE DATABASE {BASE_CHARGE}")
            if random_page_cost:
                # The planner's cost of a random read: 4 (the default) assumes spinning disks
                # and prefers scanning a whole table (the 36,000 territories) to 250 lookups.
                c.execute(
                    f"ALTER DATABASE {BASE_CHARGE} SET random_page_cost = {float(random_page_cost)}"
                )
        return urlunsplit(self.url._replace(path=f"/{BASE_CHARGE}"))

    def supprimer(self):
        with self._connecter("postgres") as c:
            c.execute(f"DROP DATABASE IF EXISTS {BASE_CHARGE} WITH (FORCE)")

    def version(self) -> str:
        with self._connecter(BASE_CHARGE) as c:
            return c.execute("SHOW server_version").fetchone()[0]

    def expliquer(self, sql) -> str:
        with self._connecter(BASE_CHARGE) as c:
            lignes = c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
        return "\n".join(ligne[0] for ligne in lignes)

    def analyser(self):
        with self._connecter(BASE_CHARGE) as c:
            c.execute("VACUUM ANALYZE")


def _lancer(env, *args, json_attendu=False):
    resultat = subprocess.run(  # noqa: S603 (our own interpreter and scripts)
        [sys.executable, *args], cwd=RACINE, env=env, capture_output=True, text=True, check=False
    )
    if resultat.returncode != 0:
        sys.stderr.write(resultat.stdout[-4000:] + resultat.stderr[-6000:])
        raise SystemExit(f"Échec de l'étape : {' '.join(str(a) for a in args)}")
    if json_attendu:
        return json.loads(resultat.stdout.strip().splitlines()[-1])
    return None


def _manage(env, *args):
    debut = time.monotonic()
    _lancer(env, str(RACINE / "manage.py"), *args)
    print(f"  manage.py {args[0]} : {time.monotonic() - debut:.1f} s", flush=True)


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _demarrer_gunicorn(env, port, workers, journal):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    processus = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "cerdd_cycle.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--error-logfile",
            str(journal),
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
    )
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if processus.poll() is not None:
            raise SystemExit(f"gunicorn s'est arrêté :\n{Path(journal).read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return processus
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn ne répond pas.")


def _machine() -> str:
    processeur = platform.machine()
    memoire = ""
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                processeur = ligne.split(":", 1)[1].strip()
                break
        for ligne in Path("/proc/meminfo").read_text().splitlines():
            if ligne.startswith("MemTotal"):
                memoire = f", {int(ligne.split()[1]) / 1024 / 1024:.0f} Go de mémoire"
    except OSError:
        pass
    return f"{processeur}, {os.cpu_count()} cœurs{memoire} ; Python {platform.python_version()}"


def _charge_moyenne() -> str:
    un, cinq, quinze = os.getloadavg()
    return f"{un:.2f} / {cinq:.2f} / {quinze:.2f}"


def _n(valeur, decimales=0) -> str:
    if valeur is None or valeur != valeur:
        return "—"
    return f"{valeur:,.{decimales}f}".replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")


def _verdict(verifs) -> str:
    """« ✓ » when every target of the page is met, else « ✗ » and the ones missed."""
    manquees = [libelle for libelle, ok in verifs if not ok]
    return "✓" if not manquees else "✗ " + " ; ".join(manquees)


def _plage(valeurs) -> str:
    """« 7 », or « 7–9 » when the count varied, « — » when unknown."""
    valeurs = sorted(valeurs)
    if not valeurs:
        return "—"
    return str(valeurs[0]) if valeurs[0] == valeurs[-1] else f"{valeurs[0]}–{valeurs[-1]}"


def _tableau(lignes_mesures, connexions, execution) -> tuple[str, list[str]]:
    entetes = [
        "Page",
        "Requêtes SQL",
        "Requête max (ms) mesurée / EXPLAIN",
        "1 util. p50 / p95 / p99 (ms)",
        "Charge req/s",
        "Charge p50 / p95 / p99 (ms)",
        "Erreurs",
        f"Plancher req/s ({connexions} conn.)",
        "Ratio",
        "Gabarit seul (ms)",
        "Cibles",
    ]
    lignes = [
        "| " + " | ".join(entetes) + " |",
        "|---|" + "|".join("---:" for _e in entetes[1:-1]) + "|---|",
    ]
    echecs = []
    for page, seq, charge, plancher, gabarit in lignes_mesures:
        requetes = sorted(seq.requetes_sql | charge.requetes_sql)
        texte_requetes = _plage(requetes)
        # The one-user figure (under load a query's time includes waiting for a CPU); the
        # target is checked on the server's execution time of the slow ones (EXPLAIN ANALYZE).
        sql_max = seq.sql_max_ms
        sql_explique = execution.get(page.url)
        sql_verifie = sql_max if sql_explique is None else sql_explique
        p95_un = centile(seq.latences, 95)
        p95_charge = centile(charge.latences, 95)
        # A floor that failed (its template queried the database) gives no ratio.
        plancher_valable = plancher is not None and not plancher.erreurs and plancher.rps > 0
        ratio = charge.rps / plancher.rps if plancher_valable else None
        verifs = []
        if page.post:
            verifs.append(
                ("autosauvegarde p95 ≤ 150 ms sous charge", p95_charge <= CIBLE_P95_AUTOSAUVEGARDE)
            )
        else:
            cible = page.cible_p95_un()
            verifs.append((f"p95 ≤ {cible} ms", p95_un <= cible))
            verifs.append(
                (f"p95 sous charge ≤ {CIBLE_P95_CHARGE} ms", p95_charge <= CIBLE_P95_CHARGE)
            )
        verifs.append(("aucune erreur", seq.erreurs + charge.erreurs == 0))
        verifs.append((f"requête ≤ {SEUIL_LENTE_MS:.0f} ms", sql_verifie <= SEUIL_LENTE_MS))
        if page.liste:
            verifs.append(
                (f"≤ {CIBLE_REQUETES} requêtes", bool(requetes) and requetes[-1] <= CIBLE_REQUETES)
            )
            verifs.append((f"≥ {CIBLE_RPS_LISTE} req/s", charge.rps >= CIBLE_RPS_LISTE))
            verifs.append(("≥ ½ plancher", ratio is not None and ratio >= CIBLE_RATIO_PLANCHER))
        for libelle, ok in verifs:
            if not ok:
                echecs.append(f"{page.nom} : {libelle}")
        if plancher is None:
            texte_plancher = "—"
        elif plancher_valable:
            # With the floor's own SQL queries: the session and the user, as on every page.
            texte_plancher = f"{_n(plancher.rps, 1)} ({_plage(plancher.requetes_sql)} SQL)"
        else:
            texte_plancher = f"{plancher.erreurs} erreurs : {plancher.exemple_erreur}"[:60]
            texte_plancher = texte_plancher.replace("|", "/")  # a table cell
        if gabarit and "ms" in gabarit:
            texte_gabarit = _n(gabarit["ms"], 1)
        else:
            texte_gabarit = (gabarit or {}).get("erreur", "—")[:40].replace("|", "/")
        lignes.append(
            "| "
            + " | ".join(
                [
                    page.nom,
                    texte_requetes,
                    _n(sql_max, 1) + (f" / {_n(sql_explique, 1)}" if sql_explique else ""),
                    " / ".join(_n(centile(seq.latences, p)) for p in (50, 95, 99)),
                    _n(charge.rps, 1),
                    " / ".join(_n(centile(charge.latences, p)) for p in (50, 95, 99)),
                    str(seq.erreurs + charge.erreurs),
                    texte_plancher,
                    _n(ratio, 2) if ratio is not None else "—",
                    texte_gabarit,
                    _verdict(verifs),
                ]
            )
            + " |"
        )
    return "\n".join(lignes), echecs


def _lentes(fichier) -> list[dict]:
    """The slow queries logged by the middleware, the slowest of each distinct statement."""
    if not Path(fichier).exists():
        return []
    par_forme = {}
    for ligne in Path(fichier).read_text().splitlines():
        entree = json.loads(ligne)
        # EXPLAIN ANALYZE runs the statement: reads only.
        if entree.get("phase") != "seul" or not entree["sql"].lstrip().upper().startswith("SELECT"):
            continue
        forme = re.sub(r"'[^']*'|\b\d+\b", "?", entree["sql"])
        entree["fois"] = par_forme.get(forme, {}).get("fois", 0) + 1
        if forme not in par_forme or entree["ms"] > par_forme[forme]["ms"]:
            par_forme[forme] = entree
        else:
            par_forme[forme]["fois"] = entree["fois"]
    return sorted(par_forme.values(), key=lambda e: -e["ms"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--echelle", choices=["nationale", "regionale"], default="nationale")
    parser.add_argument("--duree", type=float, default=8.0, help="secondes de charge par page")
    parser.add_argument("--requetes", type=int, default=60, help="requêtes par page, un·e util.")
    parser.add_argument("--connexions", type=int, default=10)
    parser.add_argument("--garder", action="store_true", help="garde la base et le serveur")
    parser.add_argument(
        "--random-page-cost",
        type=float,
        default=1.1,
        help="réglage du planificateur PostgreSQL pour la base jetable (SSD : 1.1 ; 0 : "
        "celui du serveur)",
    )
    parser.add_argument("--etape", help=argparse.SUPPRESS)
    parser.add_argument("--fichier", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.etape == "donnees":
        return etape_donnees(args.echelle)
    if args.etape == "gabarit":
        return etape_gabarit(args.fichier, args.duree)

    url = os.environ.get("DATABASE_URL") or URL_PAR_DEFAUT
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("La mesure de charge se fait sur PostgreSQL : DATABASE_URL=postgres://…")
    debut_total = time.monotonic()
    date = datetime.datetime.now().astimezone()
    coeurs = os.cpu_count() or 1
    workers = 2 * coeurs + 1
    base = _Postgres(url)
    dossier = Path(tempfile.mkdtemp(prefix="cerdd-charge-"))
    lentes = dossier / "requetes-lentes.jsonl"
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.reglages",
        DATABASE_URL=base.creer(args.random_page_cost),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(dossier / "media"),
        PRIVATE_MEDIA_ROOT=str(dossier / "prive"),
        BENCH_REQUETES_LENTES=str(lentes),
        BENCH_SEUIL_MS=str(SEUIL_LENTE_MS),
        BENCH_STATIC_ROOT=str(dossier / "static"),
        # The pages whose floor the server answers (bench/plancher.py), written before it starts.
        BENCH_PAGES=str(dossier / "pages.json"),
        PYTHONPATH=str(RACINE),
    )
    serveur = None
    print(f"Base jetable {BASE_CHARGE} ; échelle {args.echelle}.", flush=True)
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "charger_territoires")
        # The manifest first: the demo renders documents that name static files.
        _manage(env, "collectstatic", "--noinput")
        debut = time.monotonic()
        donnees = _lancer(
            env,
            str(Path(__file__).resolve()),
            "--etape",
            "donnees",
            "--echelle",
            args.echelle,
            json_attendu=True,
        )
        print(f"  données : {time.monotonic() - debut:.1f} s", flush=True)
        if donnees["bilan"]:
            b = donnees["bilan"]
            print(
                f"  {b['cycles']} cycles, {b['candidatures']} candidatures, {b['retenues']} "
                f"collectivités retenues, {b['participants']} participant·es, {b['elements']} "
                f"éléments de journal ; {b['jures']} juré·es ({b['sieges']} sièges), "
                f"{b['affectations']} évaluations soumises, {b['notes']} notes, {b['liens']} "
                f"liens déclarés, {b['conflits']} conflits ({b['secondes']} s)",
                flush=True,
            )
        base.analyser()  # the statistics a live database would have
        from django.urls import reverse

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.reglages")
        for cle in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
            os.environ[cle] = env[cle]
        import django

        django.setup()
        liste = pages(donnees["cibles"])
        for page in liste:
            page.url = reverse(page.vue, kwargs=page.kwargs)
        # Page N's floor: the same session, a URL of the bench's URL conf (bench/urls.py).
        planchers = {
            page.nom: Page(
                f"Plancher : {page.nom}",
                page.role,
                "bench_plancher",
                {"rang": rang},
                url=reverse("bench_plancher", kwargs={"rang": rang}),
            )
            for rang, page in enumerate(liste)
            if not page.post
        }
        fichier_pages = Path(env["BENCH_PAGES"])
        fichier_pages.write_text(
            json.dumps(
                {
                    "cibles": donnees["cibles"],
                    "cookie": donnees["cookie"],
                    "cookies": donnees["cookies"],
                    "pages": [p.__dict__ for p in liste],
                },
                ensure_ascii=False,
            )
        )

        port = _port_libre()
        serveur = _demarrer_gunicorn(env, port, workers, dossier / "gunicorn.log")
        print(f"  gunicorn : {workers} workers sync sur 127.0.0.1:{port}", flush=True)
        session = {"port": port, "cookie": donnees["cookie"], "cookies": donnees["cookies"]}
        formulaire = next(p for p in liste if p.vue == "candidatures:formulaire")
        session["csrf_cookie"], session["csrf"] = asyncio.run(_jeton_csrf(formulaire, session))

        # Warm-up: every worker loads its code and templates, and captures each floor.
        for page in liste:
            asyncio.run(_concurrent(page, session, workers, 0.5))
        for plancher in planchers.values():
            asyncio.run(_concurrent(plancher, session, workers, 1.0))
        ecarts = {}
        for page in liste:
            if page.nom in planchers:
                ecart = asyncio.run(_comparer_titres(page, planchers[page.nom], session))
                if ecart:
                    ecarts[page.nom] = ecart
                    print(f"  plancher de « {page.nom} » : {ecart}", flush=True)
        mesures = []
        for page in liste:
            seq = asyncio.run(_sequentiel(page, session, args.requetes))
            charge_plancher = None
            if page.post:
                autres = [p for p in liste if not p.post]
                charge, _autres = asyncio.run(
                    _autosauvegarde_sous_charge(page, autres, session, args.connexions, args.duree)
                )
            else:
                charge, charge_plancher = _alterner(
                    page, planchers[page.nom], session, args.connexions, args.duree
                )
                if page.nom in ecarts:
                    # Not the page's document: counted as a failed floor, no ratio.
                    charge_plancher.erreurs += 1
                    charge_plancher.exemple_erreur = ecarts[page.nom]
            print(
                f"  {page.nom} : p95 {centile(seq.latences, 95):.0f} ms seul, {charge.rps:.1f} "
                f"req/s à {args.connexions}, p95 {centile(charge.latences, 95):.0f} ms, "
                f"{seq.erreurs + charge.erreurs} erreurs "
                f"{seq.exemple_erreur or charge.exemple_erreur}"
                + (
                    f" ; plancher {charge_plancher.rps:.1f} req/s, "
                    f"{charge_plancher.erreurs} erreurs {charge_plancher.exemple_erreur}"
                    if charge_plancher
                    else ""
                ),
                flush=True,
            )
            mesures.append([page, seq, charge, charge_plancher, None])
        charge_pendant = _charge_moyenne()

        print("  gabarit seul (rendu sans base, dans un processus à part)…", flush=True)
        gabarits = _lancer(
            env,
            str(Path(__file__).resolve()),
            "--etape",
            "gabarit",
            "--fichier",
            str(fichier_pages),
            "--duree",
            "1",
            json_attendu=True,
        )
        for ligne in mesures:
            ligne[4] = gabarits.get(ligne[0].nom)

        # Every slow statement is explained; the server's execution time is the query's own
        # cost, without the wait for a CPU that the measured time includes on a busy machine.
        plans, execution = [], {}
        for entree in _lentes(lentes)[:40]:
            try:
                plan = base.expliquer(entree["sql"])
            except Exception as exc:
                plan = f"(EXPLAIN impossible : {exc})"
            temps = re.search(r"Execution Time: ([\d.]+) ms", plan)
            if temps:
                ms = float(temps.group(1))
                execution[entree["chemin"]] = max(execution.get(entree["chemin"], 0.0), ms)
                entree["execution"] = ms
            plans.append((entree, plan))

        tableau, echecs = _tableau(mesures, args.connexions, execution)
        version_pg = base.version()
    finally:
        if serveur is not None and not args.garder:
            os.killpg(serveur.pid, signal.SIGTERM)
            serveur.wait(timeout=30)
        if not args.garder:
            base.supprimer()
            shutil.rmtree(dossier, ignore_errors=True)
        elif serveur is not None:
            print(
                f"Serveur gardé : http://127.0.0.1:{port}/ (pid {serveur.pid}), base {BASE_CHARGE}"
            )

    texte = _rapport(
        args,
        date,
        donnees,
        tableau,
        echecs,
        plans,
        version_pg,
        coeurs,
        workers,
        charge_pendant,
        time.monotonic() - debut_total,
    )
    print()
    print(texte)
    RESULTATS.mkdir(exist_ok=True)
    suffixe = "" if args.echelle == "nationale" else f"-{args.echelle}"
    chemin = RESULTATS / f"charge-{date:%Y-%m-%d}{suffixe}.md"
    chemin.write_text(texte + "\n", encoding="utf-8")
    print(f"\nÉcrit dans {chemin.relative_to(RACINE)}")
    return None


def _rapport(
    args, date, donnees, tableau, echecs, plans, version_pg, coeurs, workers, charge, secondes
):
    b = donnees["bilan"]
    echelle = (
        f"nationale : la démo et {b['cycles']} cycles, {b['candidatures']} candidatures, "
        f"{b['jures']} juré·es, {b['retenues']} collectivités retenues, {b['participants']} "
        f"participant·es, {b['elements']} éléments de journal, {b['notes']} notes"
        if b
        else "régionale (la démo)"
    )
    lignes = [
        f"# Mesure de charge – {date:%Y-%m-%d %H:%M %Z}",
        "",
        f"- Machine : {_machine()} ; charge moyenne 1 / 5 / 15 min pendant la mesure : {charge}",
        f"- PostgreSQL {version_pg}"
        + (
            f", random_page_cost = {args.random_page_cost:g} (disque SSD)"
            if args.random_page_cost
            else ""
        )
        + f" ; gunicorn, {workers} workers sync (2 × {coeurs} cœurs + 1)",
        f"- Données : échelle {echelle}",
        f"- Un·e util. : {args.requetes} requêtes à la suite ; charge : {args.connexions} "
        f"connexions pendant {_n(args.duree, 1)} s par page (l'autosauvegarde : 1 connexion "
        f"qui enregistre pendant que {args.connexions - 1} autres chargent les pages)",
        f"- Plancher : par le même gunicorn, le même middleware, la même session et les mêmes "
        f"{args.connexions} connexions, en alternance avec la page, une adresse réservée à la "
        f"mesure sert le gabarit de la page rendu depuis son contexte capturé une fois par "
        f"worker et gardé en mémoire, toute requête SQL refusée pendant le rendu (restent "
        f"celles de la session et de l'utilisateur·rice, comptées entre parenthèses). Ratio = "
        f"req/s de la page ÷ req/s du plancher, ce que coûte l'accès aux données (cible ≥ ½ "
        f"sur les listes) ; « gabarit seul » : le temps du seul rendu, dans un processus à "
        f"part, sans HTTP.",
        f"- Durée totale : {secondes / 60:.1f} min",
        "",
        tableau,
        "",
        "Cibles : p95 un·e util. ≤ 150 ms (classement ≤ 300 ms) ; p95 sous "
        "charge ≤ 600 ms ; aucune erreur ; aucune requête > 20 ms (à l'exécution, EXPLAIN "
        "ANALYZE) ; listes : ≤ 12 requêtes, "
        "≥ 20 req/s, ≥ ½ du plancher ; autosauvegarde p95 ≤ 150 ms sous charge.",
        "",
    ]
    if echecs:
        lignes += ["Cibles manquées :", ""] + [f"- {e}" for e in echecs] + [""]
    else:
        lignes += ["Toutes les cibles sont tenues.", ""]
    if plans:
        lignes += ["## Requêtes de plus de 20 ms (EXPLAIN ANALYZE)", ""]
        lignes += [
            f"{len(plans)} requêtes distinctes ont pris plus de 20 ms (temps mesuré dans Django, "
            "attente d'un processeur comprise) ; voici les plans des plus lentes, avec le temps "
            "d'exécution du serveur.",
            "",
        ]
        for entree, plan in plans[:12]:
            lignes += [
                f"### {entree['chemin']} – {entree['ms']} ms mesurées, "
                f"{_n(entree.get('execution'), 1)} ms à l'exécution ({entree['fois']} fois)",
                "",
                "```sql",
                entree["sql"][:3000],
                "```",
                "",
                "```",
                plan,
                "```",
                "",
            ]
    else:
        lignes += ["Aucune requête de plus de 20 ms.", ""]
    return "\n".join(lignes)


if __name__ == "__main__":
    main()
