from functools import wraps

from allauth.account.decorators import secure_admin_login
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


def connexion_administration(vue):
    """The admin's login view, replaced by the site's login (allauth's ``secure_admin_login``,
    with the project's 404 for a signed-in non-staff person instead of a bare 403)."""

    securisee = secure_admin_login(vue)

    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if request.user.is_authenticated and not a_le_role(request.user, Role.EQUIPE):
            raise Http404
        return securisee(request, *args, **kwargs)

    return enveloppe
