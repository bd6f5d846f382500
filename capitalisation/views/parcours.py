"""A collectivity's journey (being written)."""

from django.http import Http404


def page(request, binome):
    raise Http404


def pdf(request, binome):
    raise Http404
