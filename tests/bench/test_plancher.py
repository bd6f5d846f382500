"""The load run's floor (``bench/plancher.py``): served through the bench URL conf with the
caller's session, it renders the page's template from the context captured once, without a
single query, and refuses a template that still reads the database."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import path, reverse

from bench import plancher
from bench.urls import urlpatterns as urlpatterns_bench
from tests.factories import CandidatureFactory, CycleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _compte_en_silence():
    # A tag or a property that swallows the error: the attempt must count all the same.
    try:
        return get_user_model().objects.count()
    except Exception:
        return 0


def _vue_qui_lit_la_base(request):
    gabarit = engines["django"].from_string("<title>Comptes</title>{{ compte }}")
    return HttpResponse(gabarit.render({"compte": _compte_en_silence}, request))


# This module is the URL conf of the last test: the bench's, and a page that queries while
# its template renders.
urlpatterns = [
    *urlpatterns_bench,
    path("essai-plancher/lit-la-base/", _vue_qui_lit_la_base, name="essai_lit_la_base"),
]


@pytest.fixture
def pages(settings, tmp_path):
    """Writes the pages file as bench/charge.py does, and empties the workers' captures."""
    settings.ROOT_URLCONF = "bench.urls"
    fichier = tmp_path / "pages.json"
    settings.BENCH_PAGES = str(fichier)

    def ecrire(*liste):
        fichier.write_text(
            json.dumps({"pages": [{"role": "", "post": False, **page} for page in liste]})
        )
        plancher._PAGES = None
        plancher._CAPTURES.clear()

    yield ecrire
    plancher._PAGES = None
    plancher._CAPTURES.clear()


class _Requetes(list):
    """The SQL run meanwhile (an execute wrapper: unlike CaptureQueriesContext, not emptied
    by the request_started signal)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self):
        self._contexte = connection.execute_wrapper(self)
        self._contexte.__enter__()
        return self

    def __exit__(self, *exc):
        return self._contexte.__exit__(*exc)


def _titre(reponse):
    return re.search(r"<title>(.*?)</title>", reponse.content.decode(), re.S).group(1).strip()


def _plancher(rang):
    return reverse("bench_plancher", kwargs={"rang": rang})


def test_plancher_public_rendu_sans_aucune_requete(client, pages):
    cycle = CycleFactory(slug="appel-ouvert")
    url = reverse("ami:appel", kwargs={"slug": cycle.slug})
    pages({"url": url}, {"url": url, "post": True})
    page = client.get(url)

    premiere = client.get(_plancher(0))  # captures the context
    with _Requetes() as requetes:
        reponse = client.get(_plancher(0))

    assert page.status_code == premiere.status_code == reponse.status_code == 200
    assert _titre(reponse) == _titre(page) != ""
    assert cycle.titre in reponse.content.decode()
    # Anonymous: no session, no user, and the template read memory only.
    assert len(requetes) == 0
    assert reponse["X-Bench-Requetes-Rendu"] == "0"
    # The autosave (POST) has no floor, nor has a page that is not in the file.
    assert client.get(_plancher(1)).status_code == 404
    assert client.get(_plancher(2)).status_code == 404


def test_plancher_meme_session_et_celle_de_chacun(client, pages):
    candidature = CandidatureFactory()
    url = reverse("candidatures:formulaire", kwargs={"pk": candidature.pk})
    pages({"url": url, "role": "candidat"})
    client.force_login(candidature.proprietaire)
    with _Requetes() as requetes_page:
        page = client.get(url)

    client.get(_plancher(0))
    with _Requetes() as requetes:
        reponse = client.get(_plancher(0))

    assert page.status_code == reponse.status_code == 200
    assert _titre(reponse) == _titre(page)
    assert candidature.politique_nom in reponse.content.decode()
    # Only what the middleware loads for every page (session, user): nothing of the page's data.
    assert 0 < len(requetes) < len(requetes_page)
    assert not [sql for sql in requetes if "candidatures_" in sql]

    # Another person's session gets their own capture: this draft is not theirs (404), so
    # their floor fails instead of showing the first session's page.
    client.force_login(UserFactory())
    autre = client.get(_plancher(0))
    assert autre.status_code == 500
    assert "404" in autre.content.decode()
    assert candidature.politique_nom not in autre.content.decode()


def test_plancher_refuse_un_gabarit_qui_lit_la_base(client, pages, settings):
    pages({"url": "/essai-plancher/lit-la-base/"})
    settings.ROOT_URLCONF = __name__

    reponse = client.get(_plancher(0))

    assert reponse.status_code == 500
    texte = reponse.content.decode()
    assert "le gabarit interroge la base" in texte
    assert "SELECT" in texte.upper()
    # Asked again, the same refusal (the capture is kept per worker).
    assert client.get(_plancher(0)).status_code == 500
