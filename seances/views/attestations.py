"""Being written (issue 5): placeholders replaced by the real views."""

from django.http import Http404


def attestation_pdf(request, *args, **kwargs):
    raise Http404


def equipe(request, *args, **kwargs):
    raise Http404


def mes_attestations(request, *args, **kwargs):
    raise Http404


def verifier(request, *args, **kwargs):
    raise Http404
