"""Two-factor authentication (allauth's MFA): mandatory for staff, optional for everyone else.

Whether a signed-in staff member still has to turn on an authenticator app is decided once, at
login, and kept in the session; allauth's signals update it when an authenticator is added or
removed. The middleware then reads the session only: no query on any request. A staff status
granted while someone is signed in takes effect at their next login.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .roles import Role, a_le_role

# True while the signed-in person is staff without an authenticator app.
CLE_SESSION = "comptes_totp_a_activer"


def totp_obligatoire(user) -> bool:
    """Staff must keep an authenticator app while the setting is on."""
    return settings.MFA_EQUIPE_OBLIGATOIRE and a_le_role(user, Role.EQUIPE)


def totp_actif(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def totp_a_activer(user) -> bool:
    """Staff without an authenticator app (whatever the setting: it is read per request)."""
    return a_le_role(user, Role.EQUIPE) and not totp_actif(user)


@receiver(user_logged_in, dispatch_uid="comptes_mfa_connexion")
def _noter_a_la_connexion(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[CLE_SESSION] = totp_a_activer(user)


@receiver(authenticator_added, dispatch_uid="comptes_mfa_ajout")
@receiver(authenticator_removed, dispatch_uid="comptes_mfa_retrait")
def _noter_au_changement(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session") and request.user.pk == user.pk:
        request.session[CLE_SESSION] = totp_a_activer(user)


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA with the project's rule: staff cannot turn their authenticator app off."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": gettext_lazy(
            "La double authentification est obligatoire pour l'équipe du Cerdd : "
            "elle ne peut pas être désactivée."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and totp_obligatoire(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)


class DoubleAuthentificationEquipeMiddleware:
    """Sends staff without an authenticator app to its activation, from every page but a few.

    Left open: the MFA pages themselves, logout, re-authentication and email management (an
    unverified address blocks the activation), static files and the health check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def _chemins_libres(self) -> tuple[str, ...]:
        return (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("account_email"),
            reverse("account_confirm_email", args=["x"]).removesuffix("x/"),
            reverse("sante"),
            settings.STATIC_URL,
        )

    def __call__(self, request):
        if (
            settings.MFA_EQUIPE_OBLIGATOIRE
            and self._a_activer(request)
            and not request.path.startswith(self._chemins_libres)
        ):
            return self._vers_activation(request)
        return self.get_response(request)

    @staticmethod
    def _a_activer(request) -> bool:
        session = request.session
        if CLE_SESSION not in session:
            if SESSION_KEY not in session:
                return False
            # A session opened before this rule existed: decided once, then kept.
            session[CLE_SESSION] = request.user.is_authenticated and totp_a_activer(request.user)
        return session[CLE_SESSION]

    def _vers_activation(self, request):
        url = reverse("mfa_activate_totp")
        messages.warning(
            request,
            _(
                "Votre compte de l'équipe du Cerdd ouvre les données de toutes les candidatures "
                "et de tous les participant·es : la double authentification y est obligatoire. "
                "Activez une application d'authentification pour continuer."
            ),
        )
        if request.headers.get("HX-Request"):
            # htmx would swap the activation page into a fragment: it reloads the page instead.
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)
