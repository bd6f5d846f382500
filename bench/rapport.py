"""Benchmark of the capitalisation report: time, pages, peak memory and SQL queries.

    .venv/bin/python bench/rapport.py [--echelle demo|grande] [--base sqlite|postgres]

It works in a throwaway database (a temporary SQLite file, or the database ``cerdd_bench``
created next to the one DATABASE_URL names, dropped at the end) and a temporary media folder.
``demo`` measures the demo cycle's report; ``grande`` (the default) measures it too, then a
cycle of about 100 pages and the issue's large cycle (100 collectivities, 12 sessions, 200
participants) at 2,500, 5,000 and 10,000 items shared with the group, to show that the cost
follows the pages and that the queries stay the same. Each report is generated in a fresh
process, so that its peak memory (``ru_maxrss``: WeasyPrint's memory is mostly C, out of
tracemalloc's sight) is the generation's.

It prints a Markdown table and writes it to ``bench/resultats/rapport-<date>.md``. Options:
``--chapitres`` adds each chapter's cost on the largest cycle, ``--profil`` writes a cProfile
of each generation (run apart), ``--garder`` keeps the database and the PDFs.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RACINE = Path(__file__).resolve().parent.parent
RESULTATS = RACINE / "bench" / "resultats"
BASE_BENCH = "cerdd_bench"
SLUG_DEMO = "territoires-participatifs-2021"
# The large cycles measured: (collectivities, sessions, shared items). The first makes about
# 100 pages (the target); the last is the large cycle.
SERIE_GRANDE = (
    (30, 6, 700),
    (100, 12, 2_500),
    (100, 12, 5_000),
    (100, 12, 10_000),
)
# The targets.
CIBLE_DEMO_S = 10
CIBLE_100_PAGES_S = 10
CIBLE_MEMOIRE_MO = 400


# --- The parent: builds the databases and runs each step in its own process -----------------


def _environnement(dossier: Path, base_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cerdd_cycle.settings.dev",
        DEBUG="False",  # cached templates, no query log: as in production
        DATABASE_URL=base_url,
        MEDIA_ROOT=str(dossier / "media"),
        PRIVATE_MEDIA_ROOT=str(dossier / "prive"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(RACINE),
    )
    return env


def _lancer(env, *args, json_attendu=False):
    """Run one step; its last line of output is its JSON answer when one is expected."""
    resultat = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, *args],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if resultat.returncode != 0:
        sys.stderr.write(resultat.stdout[-4000:] + resultat.stderr[-4000:])
        raise SystemExit(f"Échec de l'étape : {' '.join(str(a) for a in args)}")
    if json_attendu:
        return json.loads(resultat.stdout.strip().splitlines()[-1])
    return None


def _etape(env, *args):
    return _lancer(env, str(Path(__file__).resolve()), *args, json_attendu=True)


def _manage(env, *args):
    debut = time.monotonic()
    _lancer(env, str(RACINE / "manage.py"), *args)
    print(f"  manage.py {args[0]} : {_nombre(time.monotonic() - debut)} s", flush=True)


class _Postgres:
    """The database ``cerdd_bench`` on the server DATABASE_URL names."""

    def __init__(self, url):
        self.url = urlsplit(url)

    def _executer(self, sql):
        import psycopg

        with psycopg.connect(
            host=self.url.hostname or None,
            port=self.url.port or 5432,
            user=self.url.username or None,
            password=self.url.password or None,
            dbname="postgres",
            autocommit=True,
        ) as connexion:
            connexion.execute(sql)

    def creer(self) -> str:
        self.supprimer()
        self._executer(f"CREATE DATABASE {BASE_BENCH}")
        return urlunsplit(self.url._replace(path=f"/{BASE_BENCH}"))

    def supprimer(self):
        self._executer(f"DROP DATABASE IF EXISTS {BASE_BENCH} WITH (FORCE)")


def _machine() -> str:
    processeur = platform.processor() or platform.machine()
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                processeur = ligne.split(":", 1)[1].strip()
                break
        memoire = next(
            int(ligne.split()[1]) // 1024
            for ligne in Path("/proc/meminfo").read_text().splitlines()
            if ligne.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memoire = None
    texte = f"{processeur}, {os.cpu_count()} cœurs"
    if memoire:
        texte += f", {memoire / 1024:.0f} Go de mémoire"
    return f"{texte} ; Python {platform.python_version()}, {platform.system()}"


def _nombre(valeur, decimales=1) -> str:
    return f"{valeur:,.{decimales}f}".replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")


def _tableau(mesures) -> str:
    entetes = [
        "Données",
        "Partages",
        "Construction (s)",
        "Requêtes contexte",
        "Requêtes gabarit",
        "Contexte (s)",
        "Gabarit (s)",
        "Mise en page (s)",
        "Écriture (s)",
        "Total (s)",
        "Pages",
        "Taille (Mo)",
        "Pic mémoire (Mo)",
        "s / page",
    ]
    lignes = [
        "| " + " | ".join(entetes) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(entetes))) + "|",
    ]
    for m in mesures:
        lignes.append(
            "| "
            + " | ".join(
                [
                    m["donnees"],
                    _nombre(m["partages"], 0),
                    _nombre(m["construction"]),
                    str(m["requetes_contexte"]),
                    str(m["requetes_gabarit"]),
                    _nombre(m["contexte"], 2),
                    _nombre(m["gabarit"], 2),
                    _nombre(m["mise_en_page"], 2),
                    _nombre(m["ecriture"], 2),
                    _nombre(m["total"]),
                    str(m["pages"]),
                    _nombre(m["taille"] / 1024 / 1024),
                    _nombre(m["memoire"], 0),
                    _nombre(m["total"] / max(m["pages"], 1), 3),
                ]
            )
            + " |"
        )
    return "\n".join(lignes)


def _droite(points) -> tuple[float, float, float]:
    """Least squares: slope, intercept and R² of y = a + b·x."""
    n = len(points)
    mx = sum(x for x, _y in points) / n
    my = sum(y for _x, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _y in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    pente = sxy / sxx if sxx else 0.0
    origine = my - pente * mx
    residus = sum((y - origine - pente * x) ** 2 for x, y in points)
    total = sum((y - my) ** 2 for _x, y in points)
    return pente, origine, 1 - residus / total if total else 1.0


def _tableau_chapitres(chapitres) -> str:
    lignes = [
        "| Chapitre seul | Pages | Mise en page (s) | Écriture (s) | s / page |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in chapitres:
        lignes.append(
            f"| {c['chapitre']} | {c['pages']} | {_nombre(c['mise_en_page'], 2)} | "
            f"{_nombre(c['ecriture'], 2)} | "
            f"{_nombre((c['mise_en_page'] + c['ecriture']) / max(c['pages'], 1), 3)} |"
        )
    return "\n".join(lignes)


def _cibles(mesures) -> list[str]:
    """The issue's targets, each met or not."""

    def marque(ok):
        return "✅" if ok else "❌"

    lignes = []
    demo = next((m for m in mesures if m["donnees"] == "démo"), None)
    if demo:
        lignes.append(
            f"- {marque(demo['total'] < CIBLE_DEMO_S)} rapport de la démo en moins de "
            f"{CIBLE_DEMO_S} s : {_nombre(demo['total'])} s ({demo['pages']} pages)."
        )
    grandes = [m for m in mesures if m["donnees"] != "démo"]
    if grandes:
        # 100 pages: the seconds per page of the run nearest to 100 pages, times 100.
        proche = min(grandes, key=lambda m: abs(m["pages"] - 100))
        cent = proche["total"] / proche["pages"] * 100
        lignes.append(
            f"- {marque(cent < CIBLE_100_PAGES_S)} 100 pages en moins de {CIBLE_100_PAGES_S} s : "
            f"{_nombre(cent)} s (d'après {proche['pages']} pages en {_nombre(proche['total'])} s)."
        )
        pic = max(grandes, key=lambda m: m["memoire"])
        lignes.append(
            f"- {marque(proche['memoire'] < CIBLE_MEMOIRE_MO)} pic mémoire sous "
            f"{CIBLE_MEMOIRE_MO} Mo : {_nombre(proche['memoire'], 0)} Mo à {proche['pages']} "
            f"pages (au plus {_nombre(pic['memoire'], 0)} Mo, à {pic['pages']} pages)."
        )
        if len(grandes) >= 3:
            pente, origine, r2 = _droite([(m["pages"], m["total"]) for m in grandes])
            lignes.append(
                f"- {marque(r2 >= 0.97)} coût linéaire en pages : total ≈ {_nombre(origine)} s "
                f"+ {_nombre(pente, 3)} s × pages (R² = {_nombre(r2, 3)})."
            )
    requetes = {m["requetes_contexte"] + m["requetes_gabarit"] for m in mesures}
    lignes.append(
        f"- {marque(len(requetes) == 1)} nombre de requêtes constant : "
        + ", ".join(str(m["requetes_contexte"] + m["requetes_gabarit"]) for m in mesures)
        + "."
    )
    return lignes


def principal(arguments):
    url = os.environ.get("DATABASE_URL", "")
    base = arguments.base or ("postgres" if url.startswith("postgres") else "sqlite")
    if base == "postgres" and not url.startswith("postgres"):
        raise SystemExit(
            "--base postgres : indiquez le serveur par DATABASE_URL "
            "(par exemple postgres://postgres@127.0.0.1:5432/postgres)."
        )
    charge = os.getloadavg()[0]
    dossier = Path(tempfile.mkdtemp(prefix="cerdd-bench-"))
    postgres = _Postgres(url) if base == "postgres" else None
    debut = time.monotonic()
    try:
        base_url = postgres.creer() if postgres else f"sqlite:///{dossier / 'bench.sqlite3'}"
        env = _environnement(dossier, base_url)
        print(f"Base de mesure : {base} ; dossier {dossier}", flush=True)
        # As in production (DEBUG off): static files collected, their names hashed.
        _manage(env, "collectstatic", "--noinput", "-v", "0")
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "charger_territoires", "-v", "0")
        mesures, chapitres = [], []

        debut_demo = time.monotonic()
        _manage(env, "demo", "--force")
        construction = time.monotonic() - debut_demo
        print("Démo construite ; mesure du rapport de la démo…", flush=True)
        mesure = _mesurer(env, arguments, dossier, SLUG_DEMO)
        mesures.append({**mesure, "donnees": "démo", "construction": construction})

        if arguments.echelle == "grande":
            for collectivites, seances, partages in SERIE_GRANDE:
                slug = f"bench-{collectivites}-{seances}-{partages}"
                print(f"Cycle {slug} : construction…", flush=True)
                bilan = _etape(
                    env, "--construire", slug, str(collectivites), str(seances), str(partages)
                )
                print("  … mesure du rapport…", flush=True)
                mesure = _mesurer(env, arguments, dossier, slug)
                mesures.append(
                    {
                        **mesure,
                        "slug": slug,
                        "donnees": f"{bilan['retenues']} collectivités, {bilan['seances']} "
                        f"séances, {bilan['participants']} participant·es",
                        "construction": bilan["secondes"],
                    }
                )
            if arguments.chapitres:
                print("Chapitre par chapitre, sur le plus grand cycle…", flush=True)
                chapitres = _etape(env, "--chapitres", "--mesurer", mesures[-1]["slug"])
    finally:
        if arguments.garder or arguments.profil:
            print(f"Données gardées : {dossier}" + (f", base {BASE_BENCH}" if postgres else ""))
        else:
            shutil.rmtree(dossier, ignore_errors=True)
            if postgres:
                postgres.supprimer()

    aujourdhui = datetime.date.today().isoformat()
    texte = "\n".join(
        [
            f"# Rapport de capitalisation : mesures du {aujourdhui}",
            "",
            f"Machine : {_machine()} ; charge au départ {_nombre(charge, 2)}. Base : {base}. "
            f"Commande : `.venv/bin/python bench/rapport.py --echelle {arguments.echelle}"
            f" --base {base}` ({_nombre((time.monotonic() - debut) / 60)} min en tout).",
            "",
            _tableau(mesures),
            "",
            "Partages : éléments du journal partagés avec le groupe (nommés ou anonymes), "
            "comptés comme le rapport les compte. Requêtes : celles du sélecteur "
            "`contexte_rapport`, puis celles du rendu du gabarit (0 attendu). Total : contexte, "
            "gabarit, mise en page et écriture, dans un processus neuf (polices déjà chargées). "
            "Pic mémoire : `ru_maxrss` de ce processus, Django compris.",
            "",
            "Cibles de l'issue :",
            "",
            *_cibles(mesures),
            "",
        ]
    )
    if chapitres:
        texte += "\n".join(
            [
                "",
                f"Chaque chapitre seul, sur le cycle de {mesures[-1]['donnees']} "
                f"({_nombre(mesures[-1]['partages'], 0)} partages) ; « (aucun) » : "
                "couverture, sommaire, introduction et conclusion.",
                "",
                _tableau_chapitres(chapitres),
                "",
            ]
        )
    print()
    print(texte)
    RESULTATS.mkdir(exist_ok=True)
    # The default run (both scales, the database of the machine) gives the file its plain name.
    suffixe = ("-demo" if arguments.echelle == "demo" else "") + (
        "-postgres" if base == "postgres" else ""
    )
    fichier = RESULTATS / f"rapport-{aujourdhui}{suffixe}.md"
    fichier.write_text(texte)
    print(f"Écrit : {fichier.relative_to(RACINE)}")


def _mesurer(env, arguments, dossier, slug) -> dict:
    mesure = _etape(env, "--mesurer", slug)
    if arguments.profil:
        # Apart: cProfile slows the generation down, the figures above are without it.
        _etape(env, "--mesurer", slug, "--profil-fichier", str(dossier / f"profil-{slug}.txt"))
    return mesure


# --- The children: one step each, its answer as JSON on the last line ------------------------


def _django():
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()


def construire(slug, collectivites, seances, partages):
    _django()
    from bench.donnees import construire_grand_cycle

    bilan = construire_grand_cycle(
        collectivites=collectivites, seances=seances, partages=partages, slug=slug
    )
    resultat = {cle: valeur for cle, valeur in vars(bilan).items() if cle != "cycle"}
    print(json.dumps(resultat))


def mesurer(slug, profil=None):
    """One generation, step by step, as ``capitalisation.services.version_generer`` does it."""
    _django()
    import resource

    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from capitalisation import selectors, services
    from cerdd_cycle.cycles.models import Cycle
    from cerdd_cycle.documents.pdf import BASE_URL, FichiersStatiquesSeulement

    cycle = Cycle.objects.get(slug=slug)
    version = services.version_demander(cycle, None, lancer=False)
    HTML(string="<p>Polices</p>").render()  # a worker has its fonts loaded already

    profileur = None
    if profil:
        import cProfile

        profileur = cProfile.Profile()
        profileur.enable()
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as requetes_contexte:
        contexte = selectors.contexte_rapport(cycle, services.rapport_des_reglages(version))
    t1 = time.perf_counter()
    with CaptureQueriesContext(connection) as requetes_gabarit:
        html = render_to_string(
            services.GABARIT_RAPPORT, {"contexte": contexte, "version": version}
        )
    t2 = time.perf_counter()
    document = HTML(
        string=html, base_url=BASE_URL, url_fetcher=FichiersStatiquesSeulement()
    ).render()
    t3 = time.perf_counter()
    contenu = document.write_pdf()
    t4 = time.perf_counter()
    if profileur:
        import pstats

        profileur.disable()
        with open(profil, "w") as sortie:
            for tri in ("cumulative", "tottime"):
                pstats.Stats(profileur, stream=sortie).sort_stats(tri).print_stats(40)
    pdf = Path(os.environ["PRIVATE_MEDIA_ROOT"], f"{slug}.pdf")  # kept with --garder
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(contenu)
    print(
        json.dumps(
            {
                "partages": contexte.chiffres.partages,
                "requetes_contexte": len(requetes_contexte.captured_queries),
                "requetes_gabarit": len(requetes_gabarit.captured_queries),
                "contexte": t1 - t0,
                "gabarit": t2 - t1,
                "mise_en_page": t3 - t2,
                "ecriture": t4 - t3,
                "total": t4 - t0,
                "pages": len(document.pages),
                "taille": len(contenu),
                "html": len(html),
                # Kilobytes on Linux.
                "memoire": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def chapitres(slug):
    """Each chapter alone (and none: the cover, contents, introduction and conclusion)."""
    _django()
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from capitalisation import selectors, services
    from capitalisation.enums import Section
    from cerdd_cycle.cycles.models import Cycle
    from cerdd_cycle.documents.pdf import BASE_URL, FichiersStatiquesSeulement

    cycle = Cycle.objects.get(slug=slug)
    HTML(string="<p>Polices</p>").render()
    lignes = []
    for sections in [[], *([section] for section in Section.values)]:
        contexte = selectors.contexte_rapport(cycle, sections=sections)
        html = render_to_string(services.GABARIT_RAPPORT, {"contexte": contexte, "version": None})
        t0 = time.perf_counter()
        document = HTML(
            string=html, base_url=BASE_URL, url_fetcher=FichiersStatiquesSeulement()
        ).render()
        t1 = time.perf_counter()
        document.write_pdf()
        t2 = time.perf_counter()
        lignes.append(
            {
                "chapitre": ", ".join(str(Section(s).label) for s in sections) or "(aucun)",
                "pages": len(document.pages),
                "mise_en_page": t1 - t0,
                "ecriture": t2 - t1,
            }
        )
    print(json.dumps(lignes))


def _arguments(args=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--echelle", choices=["demo", "grande"], default="grande")
    parser.add_argument("--base", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--garder", action="store_true", help="garde la base et les PDF (pour les regarder)"
    )
    parser.add_argument(
        "--profil",
        action="store_true",
        help="profil cProfile de chaque génération, écrit avec les données gardées",
    )
    # Internal: one step in a child process.
    parser.add_argument(
        "--chapitres",
        action="store_true",
        help="mesure aussi chaque chapitre seul, sur le plus grand cycle",
    )
    parser.add_argument("--construire", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--mesurer", metavar="SLUG", help=argparse.SUPPRESS)
    parser.add_argument("--profil-fichier", dest="profil_fichier", help=argparse.SUPPRESS)
    return parser.parse_args(args)


if __name__ == "__main__":
    arguments = _arguments()
    if arguments.construire:
        slug, *nombres = arguments.construire
        construire(slug, *(int(nombre) for nombre in nombres))
    elif arguments.chapitres and arguments.mesurer:
        chapitres(arguments.mesurer)
    elif arguments.mesurer:
        mesurer(arguments.mesurer, arguments.profil_fichier)
    else:
        principal(arguments)
