from django.db.models import Prefetch

from .models import Binome, Intervenant, Membre, Seance


def seances_du_cycle(cycle):
    return (
        Seance.objects.filter(cycle=cycle)
        .prefetch_related(Prefetch("intervenants", queryset=Intervenant.objects.order_by("ordre")))
        .order_by("numero")
    )


def binomes_du_cycle(cycle):
    """The pairs of a cycle with all their members, current and past (no query per pair)."""
    return (
        Binome.objects.filter(cycle=cycle)
        .select_related("candidature__territoire", "candidature__departement")
        .prefetch_related(
            Prefetch(
                "membres",
                queryset=Membre.objects.select_related("user").order_by(
                    "-actif", "suppleant", "role", "depuis"
                ),
            )
        )
    )
