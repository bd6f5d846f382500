from django.conf import settings

from .roles import Role, roles_de


def roles(request):
    user = getattr(request, "user", None)
    mes_roles = roles_de(user)
    est_equipe = Role.EQUIPE in mes_roles
    return {
        "mes_roles": mes_roles,
        "est_equipe": est_equipe,
        "est_jure": Role.JURE in mes_roles,
        "est_candidat": Role.CANDIDAT in mes_roles,
        "est_participant": Role.PARTICIPANT in mes_roles,
        # The MFA pages say why the authenticator app cannot be turned off.
        "mfa_obligatoire": est_equipe and settings.MFA_EQUIPE_OBLIGATOIRE,
    }
