from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .enums import TRANSITIONS_CYCLE, StatutCycle
from .models import Cycle


def cycle_changer_statut(cycle: Cycle, statut: StatutCycle) -> Cycle:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if statut not in TRANSITIONS_CYCLE[StatutCycle(cycle.statut)]:
            raise ValidationError(
                _("Un cycle « %(avant)s » ne peut pas passer à « %(apres)s ».")
                % {"avant": cycle.get_statut_display(), "apres": StatutCycle(statut).label}
            )
        cycle.statut = statut
        cycle.save(update_fields=["statut", "modifie_le"])
    return cycle
