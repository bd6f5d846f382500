"""Staff pages of the report (being written)."""

from django.http import Http404


def _absent(request, *args, **kwargs):
    raise Http404


accueil = rapport = apercu = generer = version_etat = version_telecharger = _absent
