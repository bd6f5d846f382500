"""Being written (issue 5): placeholders replaced by the real views."""

from django.http import Http404


def matrice(request, *args, **kwargs):
    raise Http404


def matrice_xlsx(request, *args, **kwargs):
    raise Http404


def xlsx(request, *args, **kwargs):
    raise Http404
