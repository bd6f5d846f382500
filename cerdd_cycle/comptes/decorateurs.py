from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .roles import Role, a_le_role


def equipe_requise(vue):
    """Staff only: an anonymous visitor goes to the login page, anyone else gets a 404."""

    @wraps(vue)
    @login_required
    def enveloppe(request, *args, **kwargs):
        if not a_le_role(request.user, Role.EQUIPE):
            raise Http404
        return vue(request, *args, **kwargs)

    return enveloppe
