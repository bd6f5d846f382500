from dateutil.relativedelta import relativedelta
from django.db.models import Case, IntegerField, Q, Value, When
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


def debut_conservation(cycle):
    """When the retention delay of the candidatures not retained starts: the publication of
    the results, or, for a cycle that ended without publishing any, its deadline."""
    if cycle.resultats_publies_le:
        return cycle.resultats_publies_le
    if cycle.statut in (StatutCycle.TERMINE, StatutCycle.ARCHIVE):
        return cycle.date_limite
    return None


def echeance_anonymisation(cycle):
    """When the candidatures not retained of ``cycle`` are due for anonymisation (or None)."""
    debut = debut_conservation(cycle)
    if debut is None:
        return None
    return debut + relativedelta(months=cycle.conservation_candidatures_mois)


def cycles_a_anonymiser(maintenant=None) -> list:
    """Cycles whose retention delay has run out."""
    maintenant = maintenant or timezone.now()
    candidats = Cycle.objects.filter(
        Q(resultats_publies_le__isnull=False)
        | Q(statut__in=[StatutCycle.TERMINE, StatutCycle.ARCHIVE])
    )
    return [
        cycle
        for cycle in candidats
        if (echeance := echeance_anonymisation(cycle)) is not None and echeance <= maintenant
    ]
