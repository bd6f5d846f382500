"""Demo sessions: the six days of the 2021-2022 edition (dates, themes and speakers are facts
of that edition; every text here is written for the demo)."""

import datetime

from .models import Intervenant, Seance

SEANCES_2021 = [
    {
        "numero": 1,
        "date": datetime.date(2021, 7, 8),
        "theme": "Les défis de la participation citoyenne",
        "lieu": "Loos-en-Gohelle",
        "adresse": "Base 11/19, 62750 Loos-en-Gohelle",
        "intervenants": [
            (
                "Loïc Blondiaux",
                "Professeur de science politique, université Paris 1 Panthéon-Sorbonne",
                "Spécialiste de la démocratie participative, il a siégé à la Commission nationale "
                "du débat public et dirige la publication de la revue Participations.",
            ),
        ],
    },
    {
        "numero": 2,
        "date": datetime.date(2021, 10, 5),
        "theme": "Postures d'élu·es et de technicien·nes pour une démocratie locale exigeante",
        "lieu": "Ronchin",
        "adresse": "Hôtel de ville, 59790 Ronchin",
        "intervenants": [
            (
                "Jean-François Caron",
                "Maire de Loos-en-Gohelle",
                "Il raconte vingt ans d'implication des habitant·es dans la transformation d'une "
                "ancienne cité minière.",
            ),
        ],
    },
    {
        "numero": 3,
        "date": datetime.date(2021, 11, 16),
        "theme": "Des organisations coopératives au service de la démocratie locale",
        "lieu": "Templeuve-en-Pévèle",
        "adresse": "Mairie, 59242 Templeuve-en-Pévèle",
        "intervenants": [
            (
                "Julian Perdrigeat",
                "Délégué général de la Fabrique des transitions",
                "Il accompagne des collectivités qui revoient leur organisation interne pour "
                "conduire la transition.",
            ),
        ],
    },
    {
        "numero": 4,
        "date": datetime.date(2022, 1, 27),
        "theme": "Les communs pour repenser la gouvernance des territoires",
        "lieu": "Dunkerque",
        "adresse": "Communauté urbaine de Dunkerque, 59140 Dunkerque",
        "intervenants": [
            (
                "Sylvine Bois-Choussy",
                "La 27e Région",
                "Elle mène des programmes de recherche-action avec les administrations publiques.",
            ),
            (
                "Elisabeth Dau",
                "Fréquence Commune",
                "Elle accompagne des collectifs municipaux qui travaillent en communs.",
            ),
        ],
    },
    {
        "numero": 5,
        "date": datetime.date(2022, 3, 17),
        "theme": "Atelier d'appui aux projets des collectivités",
        "lieu": "Saint-Quentin",
        "adresse": "Communauté d'agglomération du Saint-Quentinois, 02100 Saint-Quentin",
        "intervenants": [],
    },
    {
        "numero": 6,
        "date": datetime.date(2022, 5, 12),
        "theme": "Vitalité démocratique et démocratie édifiante",
        "lieu": "Lumbres",
        "adresse": "Communauté de communes du Pays de Lumbres, 62380 Lumbres",
        "intervenants": [
            (
                "Jo Spiegel",
                "Ancien maire de Kingersheim",
                "Il a fait de sa commune un laboratoire de démocratie participative.",
            ),
        ],
    },
]


def construire(demo) -> None:
    for donnees in SEANCES_2021:
        donnees = dict(donnees)
        intervenants = donnees.pop("intervenants")
        seance, cree = Seance.objects.get_or_create(
            cycle=demo.cycle_2021, numero=donnees.pop("numero"), defaults=donnees
        )
        if cree:
            Intervenant.objects.bulk_create(
                Intervenant(seance=seance, nom=nom, qualite=qualite, bio=bio, ordre=ordre)
                for ordre, (nom, qualite, bio) in enumerate(intervenants)
            )
