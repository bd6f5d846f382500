"""Being written (issue 6): placeholders replaced by the real views."""

from django.http import Http404


def equipe(request, *args, **kwargs):
    raise Http404


def progression(request, *args, **kwargs):
    raise Http404


def remplir(request, *args, **kwargs):
    raise Http404
