"""Demo sessions: the 2021-2022 edition lived through, from the pairs of the thirteen retained
collectivities to their attestations.

Dates, themes, venues, speakers and formats are facts of that edition; every text here (notes,
programme, questions, evaluations, answers to the survey) is written for the demo. The history
is written with the ORM and dated in 2021-2022: going through the services would queue
invitations, reminders and evaluation emails that nobody should receive. Only the attestations
go through their service (the rule is the point), and the emails it queues are withdrawn.
It is built once: a cycle whose pairs exist is left as it is.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile

from candidatures.demo import PNR, _pdf_minimal
from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.demo import MOT_DE_PASSE_DEMO, PARIS
from cerdd_cycle.territoires.normalisation import normaliser
from jury.selectors import candidatures_retenues

from . import services
from .enums import (
    DemiJournee,
    FormatProgramme,
    Regime,
    ReponseConfirmation,
    RoleMembre,
    SourcePresence,
    StatutPresence,
    ThemeBesoin,
)
from .models import (
    Attestation,
    Binome,
    Confirmation,
    Evaluation,
    Intervenant,
    Membre,
    PointProgramme,
    Presence,
    Question,
    ReponseBesoins,
    Ressource,
    Seance,
)

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

F = FormatProgramme

# How each day ran: host collectivity, hours (start, end of the morning, end), context note,
# programme (start, end, format, title, description, index of the speaker or None) and the
# resources (title, link; no link: a small PDF made here).
DEROULE_2021 = {
    1: {
        "hote": "Loos-en-Gohelle",
        "horaires": ((9, 30), (12, 30), (16, 30)),
        "note": (
            "<p>Pour ouvrir le cycle, une question de départ : pourquoi associer les "
            "habitant·es est-il devenu incontournable, et pourquoi est-ce si difficile à bien "
            "faire ? Loïc Blondiaux dressera un état des lieux de notre démocratie avant que "
            "chaque binôme ne regarde ses propres pratiques.</p>"
            "<ul><li>Apportez un exemple de démarche participative menée chez vous, qu'elle ait "
            "réussi ou non.</li>"
            "<li>Votre journal de bord vous sera remis sur place.</li>"
            "<li>L'après-midi se passe en binôme : prévoyez d'en parler franchement "
            "ensemble.</li></ul>"
        ),
        "programme": [
            ((9, 30), (10, 0), F.ACCUEIL, "Accueil et tour de table des binômes", "", None),
            (
                (10, 0),
                (11, 15),
                F.APPORT,
                "Ce qui se joue aujourd'hui pour la démocratie",
                "Défiance envers les institutions, affaiblissement du politique, attentes "
                "de justice : le contexte dans lequel nos démarches s'inscrivent.",
                0,
            ),
            (
                (11, 15),
                (12, 30),
                F.DEBAT,
                "Jurys, budgets, conventions citoyennes : quels leviers chez nous ?",
                "",
                0,
            ),
            ((12, 30), (13, 45), F.DEJEUNER, "Déjeuner sur place", "", None),
            (
                (13, 45),
                (15, 45),
                F.AUTODIAGNOSTIC,
                "Autodiagnostic en binôme",
                "Forces en présence, freins et leviers sur notre territoire.",
                None,
            ),
            (
                (15, 45),
                (16, 30),
                F.BILAN,
                "Mur de post-it : c'est bien, ça craint, demain…",
                "",
                None,
            ),
        ],
        "ressources": [
            ("Programme de la journée", None),
            ("La revue Participations", "https://www.cairn.info/revue-participations.htm"),
            ("Commission nationale du débat public", "https://www.debatpublic.fr/"),
        ],
    },
    2: {
        "hote": "Ronchin",
        "horaires": ((9, 30), (12, 30), (16, 30)),
        "note": (
            "<p>Changer de pratiques démocratiques, c'est d'abord changer de place : l'élu·e "
            "qui décide seul·e, le ou la technicien·ne qui applique, l'habitant·e qui réclame. "
            "Jean-François Caron partagera ce que vingt ans de démarches à Loos-en-Gohelle lui "
            "ont appris sur ces rôles.</p>"
            "<ul><li>Relisez vos notes de la première journée dans votre journal de bord.</li>"
            "<li>Pensez à une situation récente où votre posture vous a mis·e mal à "
            "l'aise : elle servira l'après-midi.</li></ul>"
        ),
        "programme": [
            ((9, 30), (10, 0), F.ACCUEIL, "Accueil et retour sur les journaux de bord", "", None),
            (
                (10, 0),
                (11, 0),
                F.APPORT,
                "Vingt ans d'implication des habitant·es à Loos-en-Gohelle",
                "",
                0,
            ),
            (
                (11, 0),
                (12, 30),
                F.DEBAT,
                "Élu·es, technicien·nes, habitant·es : sortir des rôles attendus",
                "",
                0,
            ),
            ((12, 30), (13, 45), F.DEJEUNER, "Déjeuner", "", None),
            (
                (13, 45),
                (15, 0),
                F.ATELIER_PAIRS,
                "Ateliers entre pairs",
                "Un groupe d'élu·es et un groupe de technicien·nes, puis mise en commun.",
                None,
            ),
            (
                (15, 0),
                (16, 0),
                F.CODEVELOPPEMENT,
                "Codéveloppement : une situation de posture difficile",
                "",
                None,
            ),
            ((16, 0), (16, 30), F.BILAN, "Bilan de la journée", "", None),
        ],
        "ressources": [
            ("Le site de la ville de Loos-en-Gohelle", "https://www.loos-en-gohelle.fr/"),
        ],
    },
    3: {
        "hote": "Templeuve-en-Pévèle",
        "horaires": ((9, 30), (12, 15), (16, 30)),
        "note": (
            "<p>Une démocratie locale vivante demande une administration qui coopère. Cette "
            "journée porte sur l'organisation interne de nos collectivités : transversalité, "
            "management par la confiance, place des élu·es dans le fonctionnement des "
            "services.</p>"
            "<ul><li>La matinée est une <strong>conférence inversée</strong> : c'est vous qui "
            "menez l'entretien avec Julian Perdrigeat. Déposez vos questions sur la page de la "
            "séance avant la veille à midi.</li>"
            "<li>Deux binômes présenteront l'enquête menée dans un tiers-lieu rural de "
            "l'Oise.</li></ul>"
        ),
        "programme": [
            ((9, 30), (10, 0), F.ACCUEIL, "Accueil", "", None),
            (
                (10, 0),
                (12, 15),
                F.CONFERENCE_INVERSEE,
                "Conférence inversée avec Julian Perdrigeat",
                "Les questions préparées par les binômes guident l'entretien.",
                0,
            ),
            ((12, 15), (13, 30), F.DEJEUNER, "Déjeuner", "", None),
            (
                (13, 30),
                (14, 45),
                F.ATELIER_PAIRS,
                "Atelier entre pairs : qui coopère avec qui dans ma collectivité ?",
                "",
                None,
            ),
            (
                (14, 45),
                (16, 0),
                F.AUTRE,
                "Retour d'enquête : un tiers-lieu rural dans l'Oise",
                "Enquête menée avec La 27e Région dans le cadre de son programme Déformations.",
                None,
            ),
            ((16, 0), (16, 30), F.BILAN, "Bilan de la journée", "", None),
        ],
        "ressources": [
            ("La Fabrique des transitions", "https://fabriquedestransitions.net/index_fr.html"),
            ("La 27e Région", "https://www.la27eregion.fr/"),
        ],
    },
    4: {
        "hote": "CU de Dunkerque",
        "horaires": ((9, 30), (12, 30), (16, 30)),
        "note": (
            "<p>Jardins partagés, tiers-lieux, données ouvertes : les communs sont des "
            "ressources gérées par celles et ceux qui les utilisent. Que change cette idée pour "
            "une collectivité qui a l'habitude de tout porter elle-même ?</p>"
            "<ul><li>Le matin, deux regards : la recherche-action avec les administrations et "
            "l'expérience de collectifs municipaux.</li>"
            "<li>L'après-midi, chaque binôme dresse la carte des communs de son "
            "territoire.</li></ul>"
        ),
        "programme": [
            ((9, 30), (10, 0), F.ACCUEIL, "Accueil", "", None),
            ((10, 0), (11, 15), F.APPORT, "Les communs, une autre façon de gouverner", "", 0),
            (
                (11, 15),
                (12, 30),
                F.DEBAT,
                "Municipalités et communs : retours d'expériences",
                "",
                1,
            ),
            ((12, 30), (13, 45), F.DEJEUNER, "Déjeuner", "", None),
            (
                (13, 45),
                (15, 45),
                F.ATELIER_PAIRS,
                "Cartographier les communs de son territoire",
                "En binôme, puis en petits groupes pour comparer les cartes.",
                None,
            ),
            ((15, 45), (16, 30), F.BILAN, "Bilan de la journée", "", None),
        ],
        "ressources": [
            ("Fréquence Commune", "https://frequencecommune.fr/"),
            ("La 27e Région", "https://www.la27eregion.fr/"),
        ],
    },
    5: {
        "hote": "CA du Saint-Quentinois",
        "horaires": ((9, 0), (12, 15), (16, 0)),
        "note": (
            "<p>Une journée entière consacrée à vos projets : chaque collectivité présente où "
            "elle en est et soumet au groupe une difficulté concrète.</p>"
            "<ul><li>Préparez une présentation de cinq minutes, sans diaporama.</li>"
            "<li>Choisissez en binôme la question sur laquelle vous voulez l'avis des "
            "autres.</li>"
            "<li>Le codéveloppement de l'après-midi se fait en trois groupes.</li></ul>"
        ),
        "programme": [
            ((9, 0), (9, 30), F.ACCUEIL, "Accueil", "", None),
            (
                (9, 30),
                (12, 15),
                F.ATELIER_PAIRS,
                "Tour des projets : où en est chaque collectivité ?",
                "",
                None,
            ),
            ((12, 15), (13, 30), F.DEJEUNER, "Déjeuner", "", None),
            (
                (13, 30),
                (15, 30),
                F.CODEVELOPPEMENT,
                "Codéveloppement en trois groupes",
                "Une collectivité expose sa difficulté, les autres questionnent puis conseillent.",
                None,
            ),
            (
                (15, 30),
                (16, 0),
                F.BILAN,
                "Bilan et suite de la mise en récit",
                "",
                None,
            ),
        ],
        "ressources": [
            (
                "L'accompagnement collectif, et si on accélérait les transitions ensemble ?",
                "http://www.cerdd.org/Actualites/"
                "L-accompagnement-collectif-et-si-on-accelerait-les-transitions-ensemble",
            ),
        ],
    },
    6: {
        "hote": "CC du Pays de Lumbres",
        "horaires": ((9, 30), (12, 30), (16, 30)),
        "note": (
            "<p>Dernière journée du cycle : Jo Spiegel viendra parler d'une démocratie qui se "
            "construit avec les habitant·es au lieu de se contenter de recueillir des "
            "opinions. L'après-midi, chaque binôme fait le point sur son chemin depuis "
            "juillet.</p>"
            "<ul><li>Relisez votre journal de bord depuis la première séance.</li>"
            "<li>Venez avec une action que vous voulez lancer dans l'année qui vient.</li>"
            "</ul>"
        ),
        "programme": [
            ((9, 30), (10, 0), F.ACCUEIL, "Accueil", "", None),
            ((10, 0), (11, 15), F.APPORT, "Vitalité démocratique et démocratie édifiante", "", 0),
            (
                (11, 15),
                (12, 30),
                F.DEBAT,
                "Faire de la démocratie un chantier permanent",
                "",
                0,
            ),
            ((12, 30), (13, 45), F.DEJEUNER, "Déjeuner", "", None),
            (
                (13, 45),
                (15, 30),
                F.AUTODIAGNOSTIC,
                "Autodiagnostic de fin de cycle : où en est notre binôme ?",
                "",
                None,
            ),
            ((15, 30), (16, 30), F.BILAN, "Bilan du cycle et suites", "", None),
        ],
        "ressources": [
            (
                "Le programme Territoires participatifs du Cerdd",
                "http://www.cerdd.org/Parcours-thematiques/Territoires-durables/"
                "Territoires-participatifs",
            ),
        ],
    },
}

NOM_PNR = PNR["structure_nom"]

# Per collectivity, one letter per session (see ``_journee``):
# C complete · D complete, the technicien·ne leaving after lunch · L complete, the élu·e late ·
# E élu·e only (technicien·ne excused) · T technicien·ne only (élu·e excused) ·
# R a holder replaced by the substitute · X both excused · A both absent without a word.
ASSIDUITE_2021 = {
    "Annœullin": "CCDCLC",
    "Baisieux": "CCACCC",
    "CU de Dunkerque": "CRCCCC",
    "CA du Saint-Quentinois": "CCCXCC",
    "CC du Pays de Lumbres": "CCCCCC",
    "Lambres-lez-Douai": "CCCTCC",
    "Loos-en-Gohelle": "CCCCCE",
    "Margny-lès-Compiègne": "CCCCRC",
    NOM_PNR: "CTCCCC",
    "Ronchin": "CCRCCC",
    "Sailly-lez-Lannoy": "CCCCCC",
    "Templeuve-en-Pévèle": "CDCCCT",
    # The élue and the technicien of the demo: two incomplete sessions in a row (an alert).
    "Vimy": "CETCCC",
}
# Substitutes: collectivity -> (role, name, position).
SUPPLEANTS_2021 = {
    "CU de Dunkerque": (RoleMembre.TECHNICIEN, "Inès Bouchez", "Chargée de concertation"),
    "Margny-lès-Compiègne": (RoleMembre.TECHNICIEN, "Thibaut Lagache", "Chargé de mission"),
    "Ronchin": (RoleMembre.ELU, "Fatima Belkacem", "Conseillère municipale"),
    "Vimy": (RoleMembre.ELU, "Gérard Playe", "Adjoint à la vie associative"),
}
# A technicien who left his post after the third session; his successor took the seat.
RELEVE_2021 = (
    "Sailly-lez-Lannoy",
    RoleMembre.TECHNICIEN,
    "Manon Verhaeghe",
    "Chargée de mission vie locale",
    datetime.date(2021, 12, 1),
)
DEMO_PARTICIPANTS = "Vimy"

# The post-it wall of each session: (c'est bien, ça craint, demain…).
POST_IT_2021 = {
    1: [
        (
            "Un panorama clair des dispositifs, avec leurs limites.",
            "Trop peu de temps pour le débat.",
            "Relire notre charte de la participation avec ce regard.",
        ),
        (
            "Rencontrer les autres binômes.",
            "La chaleur dans la salle l'après-midi.",
            "Parler des jurys citoyens en bureau municipal.",
        ),
        (
            "L'autodiagnostic m'a obligé à regarder nos pratiques en face.",
            "On se sent vite petits face aux grandes collectivités.",
            "Refaire l'exercice avec les services.",
        ),
        (
            "Un intervenant qui ne maquille pas la crise démocratique.",
            "",
            "Inviter des habitant·es au prochain comité de suivi.",
        ),
    ],
    2: [
        (
            "Un témoignage d'élu concret, avec vingt ans de recul.",
            "Pas le temps de poser toutes nos questions.",
            "Oser dire ce qui n'est pas négociable.",
        ),
        (
            "Les ateliers séparés élu·es / technicien·nes : on parle plus librement.",
            "Le retour en binôme un peu court.",
            "Un point mensuel élue-technicien sur la participation.",
        ),
        (
            "L'idée que la confiance ne se décrète pas.",
            "Le trajet depuis l'Aisne.",
            "Citer les idées des habitant·es dans nos comptes rendus.",
        ),
    ],
    3: [
        (
            "Préparer les questions avant : la conférence inversée, ça marche.",
            "Le déjeuner trop long.",
            "Proposer un comité transversal au DGS.",
        ),
        (
            "L'enquête dans le tiers-lieu, très parlante.",
            "Je n'ai pas tout saisi du lien avec la 27e Région.",
            "Visiter un tiers-lieu près de chez nous.",
        ),
        (
            "Le management par la confiance, enfin mis en mots.",
            "Difficile à transposer dans une commune de 2 000 habitants.",
            "Tester une réunion de service ouverte à tous les agents.",
        ),
    ],
    4: [
        (
            "Découvrir les communs avec des exemples proches de nous.",
            "Un peu théorique le matin.",
            "Recenser les communs qui existent déjà sur la commune.",
        ),
        (
            "Deux intervenantes complémentaires.",
            "Le groupe était moins nombreux.",
            "Confier le jardin partagé à ses usagers.",
        ),
        (
            "La carte des communs faite en binôme.",
            "Pas assez de temps pour la finir.",
            "La terminer avec le conseil citoyen.",
        ),
    ],
    5: [
        (
            "Dix conseils concrets sur notre projet en une heure.",
            "Passer en premier, c'est stressant.",
            "Revoir le calendrier de notre concertation.",
        ),
        (
            "Entendre les difficultés des autres : on se sent moins seuls.",
            "",
            "Appeler Baisieux pour leur budget participatif.",
        ),
        (
            "Une journée entièrement pour nos projets.",
            "Le format demande beaucoup d'énergie.",
            "Écrire le récit de notre démarche.",
        ),
    ],
    6: [
        (
            "Une conclusion pleine d'énergie.",
            "Déjà la fin du cycle !",
            "Garder le lien entre binômes.",
        ),
        (
            "Une démocratie qui construit plutôt qu'elle ne sonde : l'idée me reste.",
            "Pas de temps pour un vrai bilan collectif.",
            "Proposer une délibération sur la participation au conseil municipal.",
        ),
        (
            "Retrouver tout le groupe une dernière fois.",
            "Le retour sous la pluie.",
            "Rejoindre le réseau régional.",
        ),
    ],
}
NOTES = [5, 4, 5, 4, 3, 5, 4, 5]

# Questions for Julian Perdrigeat (session 3): (collectivity, role, text, group, index of the
# question it duplicates or None). Staff merged the duplicates and sorted the rest.
QUESTIONS_2021 = [
    (
        "Baisieux",
        RoleMembre.TECHNICIEN,
        "Comment faire travailler ensemble des services qui ont chacun leur budget et leurs "
        "objectifs ?",
        "Décloisonner les services",
        None,
    ),
    (
        "Sailly-lez-Lannoy",
        RoleMembre.ELU,
        "Par où commencer pour décloisonner dans une petite commune où chaque agent fait déjà "
        "un peu tout ?",
        "Décloisonner les services",
        None,
    ),
    (
        "CU de Dunkerque",
        RoleMembre.TECHNICIEN,
        "Comment rapprocher des services habitués à travailler chacun de leur côté ?",
        "Décloisonner les services",
        0,
    ),
    (
        "CA du Saint-Quentinois",
        RoleMembre.TECHNICIEN,
        "Comment laisser de l'autonomie aux agents sans perdre la maîtrise des délais ?",
        "Manager par la confiance",
        None,
    ),
    (
        "Loos-en-Gohelle",
        RoleMembre.TECHNICIEN,
        "À quels signes voit-on qu'une équipe est prête à prendre plus d'initiatives ?",
        "Manager par la confiance",
        None,
    ),
    (
        "Vimy",
        RoleMembre.ELU,
        "Jusqu'où un·e élu·e doit-il ou elle entrer dans l'organisation des services ?",
        "La place des élu·es",
        None,
    ),
    (
        "Margny-lès-Compiègne",
        RoleMembre.ELU,
        "Comment convaincre la majorité municipale que l'organisation interne est un sujet "
        "politique ?",
        "La place des élu·es",
        None,
    ),
    (
        "Annœullin",
        RoleMembre.ELU,
        "Comment parler d'organigramme à des collègues élu·es qui n'y voient qu'une affaire "
        "de ressources humaines ?",
        "La place des élu·es",
        6,
    ),
    (
        NOM_PNR,
        RoleMembre.TECHNICIEN,
        "Connaissez-vous des collectivités rurales qui ont revu leur organisation pour "
        "conduire la transition ?",
        "",
        None,
    ),
]

# The survey of needs, before the first session.
ATTENTES = [
    "Des méthodes simples à reprendre dès la rentrée.",
    "Échanger avec des collectivités qui ont essayé, et parfois échoué.",
    "Savoir ce que l'on attend de moi dans une concertation.",
    "Apprendre à animer une réunion publique qui ne tourne pas au règlement de comptes.",
    "Des arguments pour convaincre la direction générale.",
    "Prendre du recul sur notre budget participatif.",
]
PROJETS = [
    "Révision du plan climat avec un panel d'habitant·es.",
    "Création d'un conseil citoyen de la transition.",
    "Deuxième édition du budget participatif.",
    "Concertation sur le réaménagement de la place du marché.",
    "Projet alimentaire territorial avec les producteurs.",
    "Plan de mobilité préparé par des balades urbaines.",
]
DIFFICULTES = [
    "Toujours les mêmes personnes aux réunions.",
    "Peu de temps des agents pour animer.",
    "Des collègues élu·es méfiant·es.",
    "Rendre compte aux habitant·es de ce que devient leur avis.",
    "Des services qui travaillent chacun de leur côté.",
    "Peu de moyens pour se faire accompagner.",
]
THEMES = list(ThemeBesoin)


def _paris(jour, heure=0, minute=0):
    return datetime.datetime.combine(jour, datetime.time(heure, minute), tzinfo=PARIS)


# --- The sessions ---------------------------------------------------------------------------


def _seances(cycle) -> dict[int, Seance]:
    seances = {}
    for donnees in SEANCES_2021:
        donnees = dict(donnees)
        intervenants = donnees.pop("intervenants")
        seance, cree = Seance.objects.get_or_create(
            cycle=cycle, numero=donnees.pop("numero"), defaults=donnees
        )
        if cree:
            Intervenant.objects.bulk_create(
                Intervenant(seance=seance, nom=nom, qualite=qualite, bio=bio, ordre=ordre)
                for ordre, (nom, qualite, bio) in enumerate(intervenants)
            )
        if not seance.programme.exists():
            _deroule(seance, DEROULE_2021[seance.numero])
        seances[seance.numero] = seance
    return seances


def _deroule(seance, deroule) -> None:
    """The hours, the note, the programme and the resources of a day not yet detailed."""
    debut, fin_matinee, fin = (datetime.time(*heure) for heure in deroule["horaires"])
    seance.heure_debut, seance.fin_matinee, seance.heure_fin = debut, fin_matinee, fin
    seance.note_contexte = deroule["note"]
    seance.couverts_supplementaires = 3 + len(seance.intervenants.all())
    seance.save(
        update_fields=[
            "heure_debut",
            "fin_matinee",
            "heure_fin",
            "note_contexte",
            "couverts_supplementaires",
        ]
    )
    intervenants = list(seance.intervenants.order_by("ordre"))
    PointProgramme.objects.bulk_create(
        PointProgramme(
            seance=seance,
            heure_debut=datetime.time(*debut_point),
            heure_fin=datetime.time(*fin_point),
            format=format_,
            titre=titre,
            description=description,
            intervenant=intervenants[rang]
            if rang is not None and rang < len(intervenants)
            else None,
        )
        for debut_point, fin_point, format_, titre, description, rang in deroule["programme"]
    )
    for ordre, (titre, url) in enumerate(deroule["ressources"]):
        ressource = Ressource(seance=seance, titre=titre, url=url or "", ordre=ordre)
        if url:
            ressource.save()
        else:
            contenu = _pdf_minimal(f"Séance {seance.numero} : {titre}")
            ressource.fichier.save(f"seance-{seance.numero}.pdf", ContentFile(contenu))


# --- The pairs ------------------------------------------------------------------------------


def _compte(email, nom_complet, mot_de_passe):
    """A participant who can log in with the demo password (``mot_de_passe`` already hashed:
    hashing once keeps the demo fast)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        prenom, _espace, nom = nom_complet.partition(" ")
        user = User.objects.create(
            email=email, password=mot_de_passe, first_name=prenom, last_name=nom
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    role_attribuer(user, Role.PARTICIPANT)
    return user


def _adresse(nom_complet, email_collegue):
    domaine = email_collegue.rpartition("@")[2]
    return f"{normaliser(nom_complet).replace(' ', '.')}@{domaine}"


def _cohorte(cycle) -> dict[str, Binome]:
    """The pairs of the retained collectivities, their substitutes and the one change of the
    cycle. Empty when the jury's demo could not retain anyone (official list not loaded)."""
    mot_de_passe = make_password(MOT_DE_PASSE_DEMO)
    ouverture = _paris(datetime.date(2021, 4, 20), 10)
    binomes = {}
    for candidature in candidatures_retenues(cycle):
        binome = Binome.objects.create(cycle=cycle, candidature=candidature)
        nom = str(binome)
        for role, email, nom_complet, fonction in services.referents(candidature):
            Membre.objects.create(
                binome=binome,
                user=_compte(email, nom_complet, mot_de_passe),
                role=role,
                fonction=fonction,
            )
        if nom in SUPPLEANTS_2021:
            role, nom_complet, fonction = SUPPLEANTS_2021[nom]
            email = _adresse(nom_complet, candidature.politique_email)
            Membre.objects.create(
                binome=binome,
                user=_compte(email, nom_complet, mot_de_passe),
                role=role,
                fonction=fonction,
                suppleant=True,
            )
        binomes[nom] = binome
    if not binomes:
        return {}
    Binome.objects.filter(cycle=cycle).update(ouvert_le=ouverture)
    Membre.objects.filter(binome__cycle=cycle).update(depuis=ouverture)

    nom, role, nom_complet, fonction, jour = RELEVE_2021
    if nom in binomes:
        binome = binomes[nom]
        releve = _paris(jour, 9)
        ancien = binome.membres.get(role=role, suppleant=False)
        Membre.objects.filter(pk=ancien.pk).update(actif=False, jusqua=releve)
        nouveau = Membre.objects.create(
            binome=binome,
            user=_compte(
                _adresse(nom_complet, binome.candidature.technique_email),
                nom_complet,
                mot_de_passe,
            ),
            role=role,
            fonction=fonction,
        )
        Membre.objects.filter(pk=nouveau.pk).update(depuis=releve)
    return binomes


def _titulaires(membres, seance) -> dict[str, Membre]:
    """role -> the holder of the seat on the day of ``seance``."""
    jour = _paris(seance.date, 9)
    return {
        membre.role: membre
        for membre in membres
        if not membre.suppleant
        and membre.depuis <= jour
        and (membre.jusqua is None or membre.jusqua > jour)
    }


# --- The life of the cycle ------------------------------------------------------------------


def _besoins(membres) -> None:
    """Most people answered the survey in June 2021; a few never did."""
    reponses = [
        ReponseBesoins(
            membre=membre,
            themes=[THEMES[rang % len(THEMES)].value, THEMES[(rang * 3 + 1) % len(THEMES)].value],
            attentes=ATTENTES[rang % len(ATTENTES)],
            projet=PROJETS[(rang // 2) % len(PROJETS)],
            difficultes=DIFFICULTES[(rang + 2) % len(DIFFICULTES)] if rang % 3 else "",
        )
        for rang, membre in enumerate(membres)
        if not membre.suppleant and rang % 6 != 5
    ]
    ReponseBesoins.objects.bulk_create(reponses)
    ReponseBesoins.objects.filter(membre__in=membres).update(
        modifie_le=_paris(datetime.date(2021, 6, 18), 11)
    )


class _Journee:
    """What one session leaves behind: answers before it and attendance on the day."""

    def __init__(self, seance, equipe):
        self.seance = seance
        self.equipe = equipe
        self.confirmations = []
        self.presences = []
        self.presents = []  # members in the room, for the evaluations

    def _repas(self, membre):
        rang = membre.pk % 7
        if rang == 1:
            return [Regime.VEGETARIEN], ""
        if rang == 4:
            return [Regime.SANS_PORC], ""
        if rang == 6 and membre.role == RoleMembre.TECHNICIEN:
            return [Regime.ALLERGIE], "Allergie aux fruits à coque"
        return [], ""

    def confirmer(self, membre, reponse, *, matin=True, apres_midi=True, remplacant=None):
        regimes, precisions = self._repas(membre) if reponse == "present" else ([], "")
        self.confirmations.append(
            Confirmation(
                seance=self.seance,
                membre=membre,
                reponse=reponse,
                matin=matin and reponse == ReponseConfirmation.PRESENT,
                apres_midi=apres_midi and reponse == ReponseConfirmation.PRESENT,
                remplacant=remplacant,
                dejeuner=reponse == ReponseConfirmation.PRESENT and apres_midi,
                regimes=regimes,
                precisions_repas=precisions,
            )
        )

    def marquer(self, membre, matin, apres_midi=None):
        apres_midi = apres_midi or matin  # one status for the whole day unless told
        par_qr = self.seance.numero >= 5  # the QR code in the room came with session 5
        for demi_journee, statut in (
            (DemiJournee.MATIN, matin),
            (DemiJournee.APRES_MIDI, apres_midi),
        ):
            qr = par_qr and demi_journee == DemiJournee.MATIN and statut == StatutPresence.PRESENT
            self.presences.append(
                Presence(
                    seance=self.seance,
                    membre=membre,
                    demi_journee=demi_journee,
                    statut=statut,
                    source=SourcePresence.QR if qr else SourcePresence.EQUIPE,
                    marque_par=membre.user if qr else self.equipe,
                )
            )
        if StatutPresence.PRESENT in (matin, apres_midi) or StatutPresence.RETARD in (
            matin,
            apres_midi,
        ):
            self.presents.append(membre)

    def venir(self, membre):
        self.confirmer(membre, ReponseConfirmation.PRESENT)
        self.marquer(membre, StatutPresence.PRESENT)

    def excuser(self, membre):
        self.confirmer(membre, ReponseConfirmation.EXCUSE)
        self.marquer(membre, StatutPresence.EXCUSE)


def _journee(journee, code, titulaires, suppleant) -> None:
    elu, technicien = titulaires[RoleMembre.ELU], titulaires[RoleMembre.TECHNICIEN]
    P, E = StatutPresence.PRESENT, StatutPresence.EXCUSE
    if code == "C":
        journee.venir(elu)
        journee.venir(technicien)
    elif code == "D":
        journee.venir(elu)
        journee.confirmer(technicien, ReponseConfirmation.PRESENT, apres_midi=False)
        journee.marquer(technicien, P, E)
    elif code == "L":
        journee.confirmer(elu, ReponseConfirmation.PRESENT)
        journee.marquer(elu, StatutPresence.RETARD, P)
        journee.venir(technicien)
    elif code == "E":
        journee.venir(elu)
        journee.excuser(technicien)
    elif code == "T":
        journee.excuser(elu)
        journee.venir(technicien)
    elif code == "R":
        remplace = titulaires[suppleant.role]
        autre = technicien if remplace is elu else elu
        journee.confirmer(remplace, ReponseConfirmation.REMPLACE, remplacant=suppleant)
        journee.marquer(remplace, StatutPresence.REMPLACE)
        journee.venir(suppleant)
        journee.venir(autre)
    elif code == "X":
        journee.excuser(elu)
        journee.excuser(technicien)
    elif code == "A":
        journee.marquer(elu, StatutPresence.ABSENT)
        journee.marquer(technicien, StatutPresence.ABSENT)


def _evaluations(seance, presents) -> None:
    post_it = POST_IT_2021[seance.numero]
    evaluations = []
    for rang, membre in enumerate(presents):
        if (rang + seance.numero) % 4 == 0:
            continue  # about one in four never answered
        bien, craint, demain = post_it[rang % len(post_it)]
        evaluations.append(
            Evaluation(
                seance=seance,
                membre=membre,
                note=NOTES[(rang + seance.numero) % len(NOTES)],
                bien=bien,
                craint=craint,
                demain=demain if rang % 5 != 2 else "",
            )
        )
    Evaluation.objects.bulk_create(evaluations)
    Evaluation.objects.filter(seance=seance).update(
        soumise_le=_paris(seance.date + datetime.timedelta(days=1), 10)
    )


def _questions(seance, binomes) -> None:
    creees = []
    for rang, (nom, role, texte, groupe, doublon) in enumerate(QUESTIONS_2021):
        binome = binomes.get(nom)
        if binome is None:
            continue
        auteur = _titulaires(binome.membres.all(), seance)[role]
        question = Question.objects.create(seance=seance, auteur=auteur, texte=texte)
        Question.objects.filter(pk=question.pk).update(
            cree_le=_paris(seance.date - datetime.timedelta(days=10 - rang), 8 + rang)
        )
        creees.append((question, groupe, doublon))
    for question, groupe, doublon in creees:
        if doublon is None and groupe:
            services.question_grouper(question, groupe)
    for question, _groupe, doublon in creees:
        if doublon is not None and doublon < len(creees):
            principale = creees[doublon][0]
            principale.refresh_from_db()
            services.questions_fusionner(principale, [question])


def _vie_du_cycle(cycle, seances, binomes, equipe) -> None:
    membres = list(
        Membre.objects.filter(binome__cycle=cycle)
        .select_related("user", "binome")
        .order_by("binome_id", "pk")
    )
    par_binome = {}
    for membre in membres:
        par_binome.setdefault(membre.binome_id, []).append(membre)
    _besoins([membre for membre in membres if membre.actif])

    for numero, seance in sorted(seances.items()):
        journee = _Journee(seance, equipe)
        for nom, binome in binomes.items():
            membres_binome = par_binome[binome.pk]
            code = ASSIDUITE_2021.get(nom, "CCCCCC")[numero - 1]
            suppleant = next((m for m in membres_binome if m.suppleant), None)
            if code == "R" and suppleant is None:
                code = "C"
            _journee(journee, code, _titulaires(membres_binome, seance), suppleant)
        Confirmation.objects.bulk_create(journee.confirmations)
        Presence.objects.bulk_create(journee.presences)
        Confirmation.objects.filter(seance=seance).update(
            modifie_le=_paris(seance.date - datetime.timedelta(days=6), 18)
        )
        Presence.objects.filter(seance=seance).update(marque_le=_paris(seance.date, 10, 5))
        _evaluations(seance, journee.presents)
    if 3 in seances:
        _questions(seances[3], binomes)

    # The attestations, under the rule of the cycle (5 sessions of 6), without their emails.
    services.reglages_obtenir(cycle)
    services.attestations_delivrer(cycle, par=equipe)
    Courriel.objects.filter(cle__startswith=f"attestation:cycle={cycle.pk}:").delete()
    Attestation.objects.filter(cycle=cycle).update(
        delivree_le=_paris(datetime.date(2022, 6, 2), 10)
    )


def construire(demo) -> None:
    cycle = demo.cycle_2021
    if cycle is None:
        return
    seances = _seances(cycle)
    binomes = {str(binome): binome for binome in Binome.objects.filter(cycle=cycle)}
    if not binomes:
        binomes = _cohorte(cycle)
        if binomes:
            _vie_du_cycle(cycle, seances, binomes, demo.equipe[0] if demo.equipe else None)
    for numero, seance in seances.items():
        hote = binomes.get(DEROULE_2021[numero]["hote"])
        if hote is not None and seance.hote_id is None:
            seance.hote = hote
            seance.save(update_fields=["hote"])

    vimy = binomes.get(DEMO_PARTICIPANTS)
    if vimy is not None:
        titulaires = {
            membre.role: membre.user
            for membre in vimy.membres.filter(actif=True, suppleant=False).select_related("user")
        }
        quoi = "séances 2021-2022, binôme, attestation"
        if RoleMembre.ELU in titulaires:
            demo.annoncer("Participante (élue)", titulaires[RoleMembre.ELU], quoi)
        if RoleMembre.TECHNICIEN in titulaires:
            demo.annoncer("Participant (technicien)", titulaires[RoleMembre.TECHNICIEN], quoi)
