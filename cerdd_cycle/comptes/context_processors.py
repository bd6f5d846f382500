from .roles import Role, roles_de


def roles(request):
    user = getattr(request, "user", None)
    mes_roles = roles_de(user)
    return {
        "mes_roles": mes_roles,
        "est_equipe": Role.EQUIPE in mes_roles,
        "est_jure": Role.JURE in mes_roles,
        "est_candidat": Role.CANDIDAT in mes_roles,
        "est_participant": Role.PARTICIPANT in mes_roles,
    }
