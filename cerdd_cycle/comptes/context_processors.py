from django.utils.functional import SimpleLazyObject

from .mfa import totp_obligatoire
from .roles import Role, a_le_role, roles_de


def roles(request):
    """The roles, read lazily: a fragment that shows no menu (an autosave's status, an htmx
    swap) costs no query; a page that does reads them once (cached on the user)."""
    user = getattr(request, "user", None)

    def _a_le_role(role):
        return SimpleLazyObject(lambda: a_le_role(user, role))

    return {
        "mes_roles": SimpleLazyObject(lambda: roles_de(user)),
        "est_equipe": _a_le_role(Role.EQUIPE),
        "est_jure": _a_le_role(Role.JURE),
        "est_candidat": _a_le_role(Role.CANDIDAT),
        "est_participant": _a_le_role(Role.PARTICIPANT),
        # The MFA pages say why the authenticator app cannot be turned off.
        "mfa_obligatoire": SimpleLazyObject(lambda: totp_obligatoire(user)),
    }
