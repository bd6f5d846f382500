"""The load run's floor: a page's template rendered from its context held in memory.

``vue_plancher`` (URL conf ``bench.urls``, bench settings only) answers, for page N of the
file ``BENCH_PAGES`` that ``bench/charge.py`` writes, the page's template rendered from the
context captured once per worker process and per session: the page is asked once through
Django's test client with the caller's session cookie, its top-level template and context are
kept (``template_rendered``), the querysets of the context evaluated, then every request
renders them again with every database query refused. So a floor request pays what the page
pays besides its data access: gunicorn, WSGI, the middleware, the session and the user, the
template and HTTP.
"""

import json
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.middleware.csrf import get_token
from django.template import RequestContext
from django.template.base import Template
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext, instrumented_test_render


class BaseBloquee(Exception):
    pass


class Bloqueur:
    """Execute wrapper that refuses every query and counts the attempts (a template tag
    catching the exception would not hide it)."""

    def __init__(self):
        self.tentatives = []

    def __call__(self, execute, sql, params, many, context):
        self.tentatives.append(sql[:200])
        raise BaseBloquee(sql[:200])


def materialiser(valeur, vus=None, profondeur=0):
    """Evaluate every queryset reachable from the context, in place (their result cache),
    so that rendering reads memory only."""
    from django.db.models import Model, QuerySet

    vus = set() if vus is None else vus
    if profondeur > 6 or id(valeur) in vus:
        return
    if isinstance(valeur, str | bytes | int | float | bool | type(None)):
        return
    vus.add(id(valeur))
    if isinstance(valeur, QuerySet):
        valeur._fetch_all()
        for objet in valeur._result_cache:
            materialiser(objet, vus, profondeur + 1)
    elif isinstance(valeur, dict):
        for v in list(valeur.values()):
            materialiser(v, vus, profondeur + 1)
    elif isinstance(valeur, list | tuple | set | frozenset):
        for v in list(valeur):
            materialiser(v, vus, profondeur + 1)
    elif isinstance(valeur, Model):
        for v in getattr(valeur, "_prefetched_objects_cache", {}).values():
            materialiser(v, vus, profondeur + 1)
    elif hasattr(valeur, "__dataclass_fields__"):
        for nom in valeur.__dataclass_fields__:
            materialiser(getattr(valeur, nom, None), vus, profondeur + 1)


@dataclass
class Capture:
    """A page's template and context, ready to render from memory."""

    gabarit: Template | None = None
    contexte: dict | None = None
    requete: object = None
    requetes_rendu: int = 0  # queries the first render still made (database open)
    erreur: str = ""

    def rendre(self):
        """One render with the database blocked; raises BaseBloquee if it queried."""
        bloqueur = Bloqueur()
        with connection.execute_wrapper(bloqueur):
            html = self.gabarit.render(RequestContext(self.requete, self.contexte))
        # Raised above, unless a tag swallowed the exception: the attempt still counts.
        if bloqueur.tentatives:
            raise BaseBloquee(bloqueur.tentatives[0])
        return html


def capturer(url, cookies, hote="127.0.0.1"):
    """Ask ``url`` once through the test client with ``cookies``; keep its template and its
    materialised context, check it renders with the database blocked."""
    captures = []

    def capter(sender, template, context, **kwargs):
        if not captures:  # the view's own template, rendered first
            captures.append((template, context.flatten()))

    client = Client(HTTP_HOST=hote)
    for nom, valeur in cookies.items():
        client.cookies[nom] = valeur
    # Only the test environment sends template_rendered: instrumented for this request only
    # (a sync worker serves one request at a time).
    rendu_normal = Template._render
    Template._render = instrumented_test_render
    template_rendered.connect(capter)
    try:
        reponse = client.get(url)
    finally:
        template_rendered.disconnect(capter)
        Template._render = rendu_normal
    if reponse.status_code != 200 or not captures:
        return Capture(erreur=f"la page répond HTTP {reponse.status_code}")
    gabarit, contexte = captures[0]
    capture = Capture(gabarit=gabarit, contexte=contexte, requete=reponse.wsgi_request)
    materialiser(contexte)
    # A first render with the database open: what the template still reads is counted (and
    # cached where the objects cache it).
    with CaptureQueriesContext(connection) as lues:
        capture.gabarit.render(RequestContext(capture.requete, capture.contexte))
    capture.requetes_rendu = len(lues)
    try:
        capture.rendre()
    except BaseBloquee as exc:
        capture.erreur = f"le gabarit interroge la base : {exc}"
    return capture


_PAGES = None
_CAPTURES = {}


def _pages():
    global _PAGES
    if _PAGES is None:
        fichier = getattr(settings, "BENCH_PAGES", "")
        _PAGES = json.loads(Path(fichier).read_text())["pages"] if fichier else []
    return _PAGES


def vue_plancher(request, rang):
    """Page ``rang``'s floor, for the caller's session."""
    pages = _pages()
    if not 0 <= rang < len(pages) or pages[rang]["post"]:
        raise Http404
    # The session and the user, as every page loads them (before the database is blocked).
    request.user.is_authenticated  # noqa: B018
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    cle = (rang, session)
    capture = _CAPTURES.get(cle)
    if capture is None:
        cookies = {settings.SESSION_COOKIE_NAME: session} if session else {}
        capture = _CAPTURES[cle] = capturer(pages[rang]["url"], cookies, request.get_host())
    if capture.erreur:
        return HttpResponseServerError(capture.erreur, content_type="text/plain; charset=utf-8")
    if capture.requete.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        get_token(request)  # the page sends a CSRF cookie: so does its floor
    debut = time.perf_counter()
    try:
        html = capture.rendre()
    except BaseBloquee as exc:
        return HttpResponseServerError(
            f"le gabarit interroge la base : {exc}", content_type="text/plain; charset=utf-8"
        )
    reponse = HttpResponse(html)
    reponse["X-Bench-Rendu-Ms"] = f"{(time.perf_counter() - debut) * 1000:.2f}"
    reponse["X-Bench-Requetes-Rendu"] = str(capture.requetes_rendu)
    return reponse
