"""The load run's SQL probe: the headers it adds to each response, and the slow queries it
writes down with their parameters for EXPLAIN ANALYZE."""

import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from bench.requetes import CompteRequetesMiddleware
from cerdd_cycle.comptes.models import User

pytestmark = pytest.mark.django_db


def _vue(nombre):
    def vue(request):
        for rang in range(nombre):
            User.objects.filter(email=f"personne{rang}@exemple.fr").exists()
        return HttpResponse("ok")

    return vue


def test_entetes_comptent_les_requetes_de_la_reponse(tmp_path):
    lentes = tmp_path / "lentes.jsonl"
    with override_settings(BENCH_REQUETES_LENTES=str(lentes), BENCH_SEUIL_MS=10_000):
        reponse = CompteRequetesMiddleware(_vue(3))(RequestFactory().get("/page/"))
        sans_requete = CompteRequetesMiddleware(_vue(0))(RequestFactory().get("/vide/"))

    assert reponse["X-Bench-Requetes"] == "3"
    assert 0 < float(reponse["X-Bench-Requete-Max-Ms"]) <= float(reponse["X-Bench-Sql-Ms"])
    assert sans_requete["X-Bench-Requetes"] == "0"
    assert sans_requete["X-Bench-Requete-Max-Ms"] == "0.00"
    # Nothing over the threshold: nothing written.
    assert not lentes.exists()


def test_requetes_lentes_ecrites_avec_leurs_parametres(tmp_path):
    lentes = tmp_path / "lentes.jsonl"
    with override_settings(BENCH_REQUETES_LENTES=str(lentes), BENCH_SEUIL_MS=0):
        CompteRequetesMiddleware(_vue(2))(RequestFactory().get("/lente/"))

    lignes = [json.loads(ligne) for ligne in lentes.read_text().splitlines()]
    assert [ligne["chemin"] for ligne in lignes] == ["/lente/", "/lente/"]
    # The parameters are in the SQL, ready to be explained.
    assert "personne1@exemple.fr" in lignes[1]["sql"]
    assert all(ligne["ms"] >= 0 for ligne in lignes)
