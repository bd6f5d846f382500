from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from .enums import STATUTS_PUBLICS, StatutCycle
from .models import Cycle


def cycles_publics():
    return Cycle.objects.filter(statut__in=STATUTS_PUBLICS).select_related("region")


def cycle_courant():
    """The cycle the home page is about: the live one first, else the most recent public one."""
    priorite = Case(
        When(statut=StatutCycle.EN_COURS, then=Value(0)),
        When(statut=StatutCycle.SELECTION, then=Value(1)),
        When(statut=StatutCycle.AMI_OUVERT, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return cycles_publics().order_by(priorite, "-ouverture_ami").first()


def cycles_ouverts(maintenant=None):
    """Public cycles whose call accepts candidatures right now."""
    maintenant = maintenant or timezone.now()
    return cycles_publics().filter(ouverture_ami__lte=maintenant, date_limite__gt=maintenant)
