from django.db.models import Prefetch

from .models import Intervenant, Seance


def seances_du_cycle(cycle):
    return (
        Seance.objects.filter(cycle=cycle)
        .prefetch_related(Prefetch("intervenants", queryset=Intervenant.objects.order_by("ordre")))
        .order_by("numero")
    )
