"""The one place that says which roles a person holds (DESIGN.md, « Who uses it »).

Staff is Django's ``is_staff``; the other roles are groups that the services of each layer
grant when the fact happens (a juror is named, a candidature is created, a pair is formed).
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EQUIPE = "equipe", _("Équipe du Cerdd")
    JURE = "jure", _("Juré·e")
    CANDIDAT = "candidat", _("Candidat·e")
    PARTICIPANT = "participant", _("Participant·e")


_CACHE = "_roles_cache"


def roles_de(user) -> frozenset[Role]:
    """Roles of ``user``, computed once per request (cached on the instance)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        noms = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        cached = frozenset(Role(nom) for nom in noms)
        if user.is_staff:
            cached |= {Role.EQUIPE}
        setattr(user, _CACHE, cached)
    return cached


def a_le_role(user, role: Role) -> bool:
    return role in roles_de(user)


def role_attribuer(user, role: Role) -> None:
    """Grant ``role`` (idempotent). Staff is granted through ``is_staff`` in the admin."""
    if role == Role.EQUIPE:
        raise ValueError("Le rôle équipe se donne par le statut « équipe » dans l'administration.")
    groupe, _created = Group.objects.get_or_create(name=role.value)
    user.groups.add(groupe)
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def role_retirer(user, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.value))
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)
