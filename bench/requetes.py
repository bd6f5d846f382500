"""The load run's SQL probe: each response says how many queries it made and the slowest.

``CompteRequetesMiddleware`` (bench settings only) wraps the request in
``connection.execute_wrapper``: it counts and times every query, adds the headers
``X-Bench-Requetes`` (count), ``X-Bench-Requete-Max-Ms`` (slowest) and ``X-Bench-Sql-Ms``
(total), and appends each query slower than ``BENCH_SEUIL_MS`` to the JSON-lines file
``BENCH_REQUETES_LENTES`` with its SQL, parameters included, for EXPLAIN ANALYZE, and the
phase the client names in ``X-Bench-Phase`` (under load, a query's time includes waiting for
a CPU: the script explains those of the one-user phase).
"""

import json
import time

from django.conf import settings
from django.db import connection


class Sonde:
    """The execute wrapper: counts, times, keeps the slow ones."""

    def __init__(self, seuil_ms):
        self.seuil_ms = seuil_ms
        self.nombre = 0
        self.total_ms = 0.0
        self.max_ms = 0.0
        self.lentes = []

    def __call__(self, execute, sql, params, many, context):
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - debut) * 1000
            self.nombre += 1
            self.total_ms += ms
            self.max_ms = max(self.max_ms, ms)
            if ms > self.seuil_ms and not many:
                self.lentes.append((ms, _texte(sql, params, context)))


def _texte(sql, params, context):
    """The query with its parameters in it, as the server ran it."""
    try:
        return connection.ops.last_executed_query(context["cursor"], sql, params)
    except Exception:
        return sql


class CompteRequetesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.fichier = getattr(settings, "BENCH_REQUETES_LENTES", "")
        self.seuil_ms = getattr(settings, "BENCH_SEUIL_MS", 20.0)

    def __call__(self, request):
        sonde = Sonde(self.seuil_ms)
        with connection.execute_wrapper(sonde):
            response = self.get_response(request)
        response["X-Bench-Requetes"] = str(sonde.nombre)
        response["X-Bench-Requete-Max-Ms"] = f"{sonde.max_ms:.2f}"
        response["X-Bench-Sql-Ms"] = f"{sonde.total_ms:.2f}"
        if sonde.lentes and self.fichier:
            with open(self.fichier, "a", encoding="utf-8") as fichier:
                for ms, sql in sonde.lentes:
                    ligne = {
                        "chemin": request.path,
                        "phase": request.headers.get("X-Bench-Phase", ""),
                        "ms": round(ms, 2),
                        "sql": sql,
                    }
                    fichier.write(json.dumps(ligne, ensure_ascii=False) + "\n")
        return response
