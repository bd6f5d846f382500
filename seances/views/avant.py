"""Being written (issue 5): placeholders replaced by the real views."""

from django.http import Http404


def besoins(request, *args, **kwargs):
    raise Http404


def questions(request, *args, **kwargs):
    raise Http404


def questions_pdf(request, *args, **kwargs):
    raise Http404


def seance(request, *args, **kwargs):
    raise Http404


def tableau(request, *args, **kwargs):
    raise Http404
