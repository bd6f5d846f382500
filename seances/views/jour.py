"""Being written (issue 5): placeholders replaced by the real views."""

from django.http import Http404


def appel(request, *args, **kwargs):
    raise Http404


def emargement(request, *args, **kwargs):
    raise Http404


def evaluations(request, *args, **kwargs):
    raise Http404


def marquer(request, *args, **kwargs):
    raise Http404


def pointer(request, *args, **kwargs):
    raise Http404


def qr(request, *args, **kwargs):
    raise Http404
