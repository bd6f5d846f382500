"""Being written (issue 6): placeholders replaced by the real views."""

from django.http import Http404


def accueil(request, *args, **kwargs):
    raise Http404


def element(request, *args, **kwargs):
    raise Http404


def element_ajouter(request, *args, **kwargs):
    raise Http404


def element_partager(request, *args, **kwargs):
    raise Http404


def element_supprimer(request, *args, **kwargs):
    raise Http404


def entree(request, *args, **kwargs):
    raise Http404


def notes(request, *args, **kwargs):
    raise Http404


def partages(request, *args, **kwargs):
    raise Http404


def pdf(request, *args, **kwargs):
    raise Http404
