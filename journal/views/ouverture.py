"""Being written (issue 6): placeholders replaced by the real views."""

from django.http import Http404


def ouverture(request, *args, **kwargs):
    raise Http404
