"""The selection grid a new cycle starts from: the four criteria of the call, two gates and
two scored criteria, each scored one with what its four levels mean. Staff edit it per cycle."""

from django.db import transaction

from .enums import TypeCritere
from .models import Critere, NiveauCritere

NIVEAUX = [(1, "Insuffisant"), (2, "Fragile"), (3, "Solide"), (4, "Remarquable")]

# (type, title, description, weight, form sections, meaning of levels 1 to 4)
CRITERES_AMI = [
    (
        TypeCritere.PORTE,
        "Collectivité de la région engagée dans une dynamique de transition",
        "Commune ou intercommunalité de la région, déjà engagée (plan climat, démarche de "
        "développement durable, projet alimentaire…) ou résolue à s'y engager.",
        0,
        ["contact", "engagements"],
        [],
    ),
    (
        TypeCritere.ECHELLE,
        "Motivation, détermination et humilité",
        "La collectivité arrive dans le cycle pour apprendre et partager, avec une attente claire.",
        1,
        ["motivations", "besoins"],
        [
            "Motivation à peine exprimée, attentes floues ou hors du sujet du cycle.",
            "Une envie réelle, mais l'attente envers le cycle reste générale.",
            "Motivation argumentée, besoins précis, disposition à apprendre des autres.",
            "Motivation portée par l'élu·e et les services, besoins précis, recul sur ses "
            "propres limites et envie de partager.",
        ],
    ),
    (
        TypeCritere.ECHELLE,
        "Place de la démocratie participative dans le projet",
        "La lettre de motivation dit la place donnée à la participation, l'objectif poursuivi "
        "et ce que la collectivité apportera au groupe.",
        2,
        ["motivations", "actions", "pistes"],
        [
            "La participation n'apparaît pas dans le projet de la collectivité.",
            "Quelques actions ponctuelles, sans objectif explicite.",
            "Un objectif clair et des premières actions ou pistes concrètes.",
            "La participation structure le projet ; l'expérience acquise profitera au groupe.",
        ],
    ),
    (
        TypeCritere.PORTE,
        "Présence garantie du binôme élu·e / technicien·ne",
        "Le même binôme s'engage à venir à chaque séance.",
        0,
        ["politique", "technique", "binome"],
        [],
    ),
]


def grille_par_defaut(cycle) -> None:
    """Give ``cycle`` the call's grid if it has none yet (never touches an edited grid)."""
    # Every staff page of the jury asks: the usual answer costs one query, no savepoint.
    if Critere.objects.filter(cycle=cycle).exists():
        return
    with transaction.atomic():
        if Critere.objects.filter(cycle=cycle).exists():
            return
        for ordre, (type_, intitule, description, poids, sections, sens) in enumerate(
            CRITERES_AMI, 1
        ):
            critere = Critere.objects.create(
                cycle=cycle,
                ordre=ordre,
                type=type_,
                intitule=intitule,
                description=description,
                poids=poids,
                sections=sections,
            )
            NiveauCritere.objects.bulk_create(
                NiveauCritere(critere=critere, valeur=valeur, libelle=libelle, description=texte)
                for (valeur, libelle), texte in zip(NIVEAUX, sens, strict=False)
            )
