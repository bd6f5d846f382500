"""Time-based work is a periodic sweep over the database, never a task parked in the broker
for days: no ``apply_async`` with an ``eta``, no ``countdown`` above a few minutes, no retry
delay beyond them (a message held longer than the visibility timeout is delivered twice)."""

import ast
from pathlib import Path

from django.conf import settings

from cerdd_cycle import celery_app

MAX_SECONDES = 5 * 60
IGNORES = {".venv", "node_modules", "var", ".git", "tests"}


def _fichiers_python():
    base = Path(settings.BASE_DIR)
    for chemin in sorted(base.rglob("*.py")):
        if not IGNORES.intersection(chemin.relative_to(base).parts):
            yield chemin


def _nom(appel):
    fonction = appel.func
    return fonction.attr if isinstance(fonction, ast.Attribute) else getattr(fonction, "id", "")


def _constante(noeud):
    try:
        return ast.literal_eval(noeud)
    except ValueError:
        return None


def _fautes(source, nom_fichier):
    fautes = []
    for noeud in ast.walk(ast.parse(source)):
        if not isinstance(noeud, ast.Call):
            continue
        nom = _nom(noeud)
        for argument in noeud.keywords:
            ligne = f"{nom_fichier}:{noeud.lineno} {nom}({argument.arg}=…)"
            valeur = _constante(argument.value)
            if nom in ("apply_async", "retry", "signature", "s") and argument.arg == "eta":
                fautes.append(ligne + " : eta interdit, utilisez un balayage périodique")
            elif argument.arg in ("countdown", "default_retry_delay", "retry_backoff_max") and (
                not isinstance(valeur, int | float) or valeur > MAX_SECONDES
            ):
                fautes.append(ligne + f" : délai {valeur!r} au-delà de {MAX_SECONDES} s")
    return fautes


def test_aucune_tache_planifiee_des_jours_a_l_avance():
    fichiers = list(_fichiers_python())
    assert any(f.name == "tasks.py" for f in fichiers)

    fautes = [f for chemin in fichiers for f in _fautes(chemin.read_text(), chemin.name)]

    assert fautes == []


def test_le_detecteur_voit_les_fautes():
    source = (
        "t.apply_async(args=[1], eta=demain)\n"
        "t.apply_async(countdown=3 * 24 * 3600)\n"
        "t.apply_async(countdown=delai)\n"
        "t.apply_async(countdown=60)\n"
        "@shared_task(retry_backoff_max=3600)\ndef f(): pass\n"
    )

    fautes = _fautes(source, "x.py")

    assert [f.split(" ")[0] for f in fautes] == ["x.py:1", "x.py:2", "x.py:3", "x.py:5"]


def test_les_taches_enregistrees_ne_reessaient_pas_au_dela_de_minutes():
    celery_app.loader.import_default_modules()
    for nom, tache in celery_app.tasks.items():
        if nom.startswith("celery."):
            continue
        assert (tache.default_retry_delay or 0) <= MAX_SECONDES, nom
        assert (getattr(tache, "retry_backoff_max", 0) or 0) <= MAX_SECONDES, nom
