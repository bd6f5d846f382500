from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleMembre(models.TextChoices):
    ELU = "elu", _("Élu·e")
    TECHNICIEN = "technicien", _("Technicien·ne")


# The two seats of a pair; substitutes take the same roles.
ROLES_BINOME = (RoleMembre.ELU, RoleMembre.TECHNICIEN)
