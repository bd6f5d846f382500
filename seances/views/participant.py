"""Being written (issue 5): placeholders replaced by the real views."""

from django.http import Http404


def agenda(request, *args, **kwargs):
    raise Http404


def agenda_ics(request, *args, **kwargs):
    raise Http404


def besoins(request, *args, **kwargs):
    raise Http404


def binome(request, *args, **kwargs):
    raise Http404


def calendrier(request, *args, **kwargs):
    raise Http404


def confirmer(request, *args, **kwargs):
    raise Http404


def evaluer(request, *args, **kwargs):
    raise Http404


def question_retirer(request, *args, **kwargs):
    raise Http404


def questions(request, *args, **kwargs):
    raise Http404


def ressource(request, *args, **kwargs):
    raise Http404


def seance(request, *args, **kwargs):
    raise Http404
