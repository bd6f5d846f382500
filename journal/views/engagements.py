"""Being written (issue 6): placeholders replaced by the real views."""

from django.http import Http404


def equipe(request, *args, **kwargs):
    raise Http404


def experimentation_modifier(request, *args, **kwargs):
    raise Http404


def experimentation_supprimer(request, *args, **kwargs):
    raise Http404


def experimentations(request, *args, **kwargs):
    raise Http404


def relais(request, *args, **kwargs):
    raise Http404


def relais_modifier(request, *args, **kwargs):
    raise Http404


def relais_supprimer(request, *args, **kwargs):
    raise Http404
