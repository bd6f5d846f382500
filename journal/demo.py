"""Demo logbook: what the élu·es and technicien·nes of the 2021-2022 edition wrote after each
session they attended, what their collectivities passed on and tried, and their
self-diagnoses at the start, the middle and the end of the cycle.

Every text here is written for the demo. Most items stay private, as in real life; some are
shared with the pair, some with the group (named or anonymous): the opening page of each day
has something to show, and the privacy rules something to hide. Written with the ORM (bulk) and
dated in 2021-2022: nothing goes through the outbox. Each part is built once: a cycle that
already has entries (or relays, experiments, self-diagnoses) keeps them as they are.
"""

import datetime
import random

from django.utils import timezone

from cerdd_cycle.cycles.demo import PARIS
from seances.demo import DEMO_PARTICIPANTS  # the pair whose people log in: they always wrote
from seances.enums import PRESENCES_EFFECTIVES, RoleMembre
from seances.models import Binome, Membre, Presence, Seance

from .enums import Audience, Rubrique, StatutExperimentation, Temps
from .grille import grille_par_defaut
from .models import (
    Consigne,
    Diagnostic,
    Element,
    Entree,
    Experimentation,
    QuestionDiagnostic,
    Relais,
    ReponseDiagnostic,
)

R = Rubrique
# What participants retained of each session, per heading. A text shared with the group is
# used once per session (the opening page never repeats itself); private items may echo one.
ELEMENTS_2021 = {
    1: {
        R.POINTS_FORTS: [
            "Associer les habitant·es n'est pas une option de confort : c'est une condition "
            "pour que les décisions de transition tiennent dans la durée.",
            "La différence entre informer, consulter, concerter et co-décider. Dans nos "
            "réunions publiques, on mélange souvent les quatre.",
            "L'autodiagnostic en binôme : on consulte beaucoup, mais on rend rarement compte "
            "de ce que deviennent les avis.",
            "Une démarche participative se prépare : dire dès le départ ce qui est négociable "
            "et ce qui ne l'est pas.",
        ],
        R.VIGILANCE: [
            "Ne pas lancer de consultation quand la décision est déjà prise : la défiance "
            "vient de là.",
            "Ce sont toujours les mêmes qui viennent aux réunions : retraité·es, "
            "associations, riverain·es mécontent·es.",
            "Dans une commune de 3 000 habitant·es, tout le monde se connaît : un avis n'est "
            "jamais vraiment anonyme.",
            "L'effet vitrine : un budget participatif sans personne pour le suivre "
            "s'essouffle en deux ans.",
        ],
        R.IDEES: [
            "Tirer au sort une partie des membres du prochain comité consultatif sur le plan "
            "de mobilité.",
            "Après chaque réunion publique, un retour écrit aux habitant·es : ce qu'on a "
            "retenu, ce qu'on n'a pas retenu, et pourquoi.",
            "Présenter le cycle en conseil municipal avant l'été, à la majorité comme à "
            "l'opposition.",
            "Aller au marché du samedi plutôt qu'attendre les habitant·es en mairie.",
        ],
        R.PROGRES: [
            "Nous n'avons pas de charte de la participation : écrire la nôtre d'ici la fin "
            "du cycle.",
            "Mieux articuler le travail de l'élu·e et du technicien·ne : on découvre souvent "
            "les dossiers de l'autre en réunion.",
            "Apprendre à animer autrement qu'avec une salle en rangs face à une tribune.",
            "Savoir qui participe, pour savoir qui on ne touche pas.",
        ],
    },
    2: {
        R.POINTS_FORTS: [
            "L'élu·e n'est pas celui ou celle qui sait, mais qui garantit le cadre : la "
            "formule de Jean-François Caron à garder en tête.",
            "Les ateliers séparés élu·es / technicien·nes libèrent la parole ; la mise en "
            "commun montre qu'on a les mêmes craintes.",
            "Le codéveloppement : exposer une situation, écouter sans se justifier, repartir "
            "avec des pistes concrètes.",
            "Le technicien·ne peut être un tiers de confiance entre élu·es et habitant·es, "
            "à condition d'avoir un mandat clair.",
        ],
        R.VIGILANCE: [
            "Quand l'élu·e anime et tranche dans la même réunion, les habitant·es ne savent "
            "plus à qui ils parlent.",
            "Le temps des services n'est pas celui du mandat : ne pas promettre un calendrier "
            "qu'on ne tiendra pas.",
            "Ne jamais laisser un·e technicien·ne seul·e face à une salle hostile.",
            "Notre réflexe défensif quand une critique arrive : on répond avant d'avoir écouté.",
        ],
        R.IDEES: [
            "Un binôme élu·e / technicien·ne pour chaque projet soumis à concertation, avec "
            "une lettre de mission.",
            "Un codéveloppement entre communes voisines, une fois par trimestre.",
            "Proposer aux habitant·es de co-écrire l'ordre du jour de la prochaine réunion "
            "de quartier.",
            "Former à l'animation les agents d'accueil, qui sont en première ligne.",
        ],
        R.PROGRES: [
            "Savoir dire « je ne sais pas, nous revenons vers vous » sans le vivre comme un échec.",
            "Clarifier entre nous qui porte la parole politique et qui porte la méthode.",
            "Laisser des silences en réunion publique au lieu de les combler.",
            "Mieux préparer les élu·es de la majorité qui ne suivent pas le cycle.",
        ],
    },
    3: {
        R.POINTS_FORTS: [
            "Une administration qui coopère en interne coopère mieux avec les habitant·es : "
            "la transversalité commence chez nous.",
            "La conférence inversée : préparer nos questions nous a obligés à formuler nos "
            "vrais blocages.",
            "Le tiers-lieu rural de l'Oise : le lieu compte autant que la méthode.",
            "Manager par la confiance, c'est accepter que les agents prennent des initiatives "
            "qu'on n'avait pas prévues.",
        ],
        R.VIGILANCE: [
            "Dans une petite commune, la transversalité repose sur deux ou trois agents déjà "
            "débordés.",
            "Les réunions de coordination qui s'ajoutent aux autres sans en remplacer aucune.",
            "Le risque de confier toute la participation au seul service communication.",
            "Les élu·es qui passent par-dessus les chef·fes de service pour s'adresser aux agents.",
        ],
        R.IDEES: [
            "Un petit-déjeuner mensuel entre services autour d'un projet à concerter.",
            "Ouvrir la mairie un samedi par mois comme lieu de travail partagé avec les "
            "associations.",
            "Inviter un agent d'un autre service à chaque comité de pilotage.",
            "Refaire l'exercice « qui coopère avec qui ? » avec toute l'équipe municipale.",
        ],
        R.PROGRES: [
            "Nos fiches de poste ne parlent jamais de participation : à revoir avec les "
            "ressources humaines.",
            "Passer d'une logique de guichet à une logique de projet, même pour les petits "
            "dossiers.",
            "Mieux partager l'information entre élu·es de délégations différentes.",
            "Accepter de tester avant que tout soit validé.",
        ],
    },
    4: {
        R.POINTS_FORTS: [
            "Un commun, c'est une ressource, une communauté et des règles : la collectivité "
            "n'en est pas forcément propriétaire.",
            "Partir des usages réels des agents et des habitant·es plutôt que des organigrammes.",
            "La gouvernance partagée se construit par petites expériences réversibles.",
            "Nos jardins partagés sont déjà un commun, sans qu'on l'ait jamais nommé ainsi.",
        ],
        R.VIGILANCE: [
            "Le vocabulaire des communs peut rebuter des élu·es qui y voient une perte de pouvoir.",
            "Un commun sans règles claires profite à ceux qui ont le plus de temps.",
            "La responsabilité juridique quand un collectif gère un équipement municipal.",
            "Ne pas transformer les associations en prestataires de la commune.",
        ],
        R.IDEES: [
            "Confier la salle des fêtes à un collectif d'associations, avec une convention "
            "d'usage.",
            "Un inventaire participatif des communs du territoire : vergers, chemins, "
            "lavoirs, savoir-faire.",
            "Une grainothèque à la médiathèque, tenue par des habitant·es.",
            "Tester une délibération co-écrite avec un collectif d'habitant·es.",
        ],
        R.PROGRES: [
            "Apprendre à partager la décision, pas seulement l'information.",
            "Mieux connaître les conventions d'occupation pour oser les proposer.",
            "Accepter de perdre un peu la main sur les projets qui marchent.",
            "Trouver les mots pour présenter les communs au conseil municipal sans jargon.",
        ],
    },
    5: {
        R.POINTS_FORTS: [
            "Présenter notre projet aux autres binômes nous a obligés à le rendre clair en "
            "cinq minutes.",
            "Les questions des pairs valent mieux qu'un audit : ils connaissent nos contraintes.",
            "Une assistance à maîtrise d'ouvrage est possible pour la concertation sur le "
            "PLU : le Cerdd peut nous orienter.",
            "D'autres communes de notre taille y arrivent, avec peu de moyens.",
        ],
        R.VIGILANCE: [
            "Notre projet est trop ambitieux pour l'année qui vient : le découper en étapes.",
            "Les élections approchent : ne pas lancer une démarche qu'on ne pourra pas mener "
            "à son terme.",
            "Le budget de la concertation n'est jamais voté à part : il disparaît au premier "
            "arbitrage.",
            "Ne pas copier la démarche d'une grande agglomération sans l'adapter.",
        ],
        R.IDEES: [
            "Un échange avec Loos-en-Gohelle sur leur fonctionnement « 50/50 » avant l'été.",
            "Faire tester notre questionnaire par cinq habitant·es avant de le diffuser.",
            "Un comité de suivi du projet avec des habitant·es volontaires et tiré·es au sort.",
            "Proposer à l'intercommunalité de mutualiser un poste de chargé·e de participation.",
        ],
        R.PROGRES: [
            "Écrire noir sur blanc ce qu'on attend de la concertation avant de la lancer.",
            "Prévoir dès le départ comment nous rendrons compte des résultats.",
            "Associer plus tôt le service technique, qui réalisera le projet.",
            "Suivre nos expérimentations avec quelques indicateurs simples.",
        ],
    },
    6: {
        R.POINTS_FORTS: [
            "La démocratie édifiante : « faire avec » plutôt que « faire pour ».",
            "À Kingersheim, chaque grand projet passe par un conseil participatif dont un "
            "tiers des membres est tiré au sort.",
            "La démocratie locale se construit sur vingt ans, pas sur un mandat.",
            "Le cycle nous a donné un langage commun entre élu·e et technicien·ne.",
        ],
        R.VIGILANCE: [
            "Ne pas laisser retomber la dynamique après le cycle : fixer dès maintenant nos "
            "prochains rendez-vous.",
            "L'épuisement des bénévoles, sollicité·es de partout.",
            "La tentation de réserver la participation aux sujets consensuels.",
            "Une démarche portée par une seule personne s'arrête quand elle part.",
        ],
        R.IDEES: [
            "Une maison de la citoyenneté dans l'ancienne école, ouverte aux collectifs "
            "d'habitant·es.",
            "Un conseil participatif sur le projet de centre-bourg, sur le modèle de Kingersheim.",
            "Un rendez-vous annuel avec les binômes du cycle.",
            "Présenter notre journal de bord aux nouveaux élu·es comme feuille de route.",
        ],
        R.PROGRES: [
            "Inscrire la participation dans le projet de mandat, pas seulement dans un service.",
            "Faire vivre notre charte : la relire chaque année avec les habitant·es.",
            "Mieux documenter ce que nous faisons, pour que d'autres s'en inspirent.",
            "Continuer à travailler en binôme après le cycle, avec des points réguliers.",
        ],
    },
}

# Free notes, always private.
NOTES = [
    "Appeler la DGS lundi pour lui raconter la journée. Retrouver le compte rendu du dernier "
    "conseil de quartier.",
    "Demander le support de l'intervenant. Le maire veut un point à la rentrée.",
    "Mon impression : en avance sur la communication, en retard sur la co-décision. "
    "À reparler en bureau municipal.",
    "Pour le bulletin municipal : un encart sur le cycle et nos prochaines étapes.",
    "Relire mes notes avant la prochaine séance, et les questions laissées en suspens.",
]

# Staff prompts: session -> [(heading or "", text)].
CONSIGNES_2021 = {
    2: [
        ("", "Pensez à une situation récente où votre posture vous a mis·e mal à l'aise."),
        (R.PROGRES, "Qu'aimeriez-vous faire autrement à la prochaine réunion publique ?"),
    ],
    3: [
        ("", "Notez au moins une chose à essayer avant la prochaine séance."),
        (R.POINTS_FORTS, "Quelle réponse de Julian Perdrigeat voulez-vous garder ?"),
        (R.VIGILANCE, "Qu'est-ce qui pourrait bloquer dans votre organisation ?"),
    ],
    4: [
        (R.IDEES, "Quel commun existe déjà sur votre territoire sans être nommé ainsi ?"),
    ],
    6: [
        ("", "Dernière séance : qu'emportez-vous du cycle ?"),
        (R.PROGRES, "Que vous engagez-vous à poursuivre après le cycle ?"),
    ],
}

# Who was told, and what.
PUBLICS = [
    "Conseil municipal",
    "Bureau municipal",
    "Comité de direction des services",
    "Réunion des adjoint·es",
    "Équipe des services techniques",
    "Commission transition écologique",
    "Conférence des maires de l'intercommunalité",
    "Conseil de développement",
]
RELAIS_2021 = {
    1: "Les quatre niveaux de participation et notre autodiagnostic ; premier échange sur "
    "une charte de la participation.",
    2: "Le témoignage de Loos-en-Gohelle sur les rôles de l'élu·e et du technicien·ne ; "
    "proposition d'un binôme par projet concerté.",
    3: "Ce que veut dire coopérer entre services ; l'exercice « qui coopère avec qui ? » "
    "refait en vingt minutes.",
    4: "Les communs expliqués simplement, avec l'exemple de nos jardins partagés.",
    5: "Notre projet revu avec les remarques des autres binômes ; un calendrier en trois étapes.",
    6: "Ce que nous retenons du cycle et ce que nous voulons poursuivre après.",
}

S = StatutExperimentation
EXPERIMENTATIONS = [
    (
        "Budget participatif jeunesse",
        "Une enveloppe de 15 000 € pour des projets proposés et votés par les 11-25 ans.",
        S.FAITE,
        "42 projets déposés, 6 retenus ; 380 votant·es, dont deux tiers de collégien·nes.",
        2,
    ),
    (
        "Tirage au sort pour le comité de suivi du plan de mobilité",
        "Huit habitant·es tiré·es au sort sur les listes électorales rejoignent les "
        "associations du comité.",
        S.EN_COURS,
        "Cinq personnes ont accepté sur les huit premières sollicitées.",
        1,
    ),
    (
        "Charte de la participation citoyenne",
        "Quatre ateliers avec un groupe de douze habitant·es, d'élu·es et d'agents.",
        S.EN_COURS,
        "",
        1,
    ),
    (
        "Réunions publiques au marché",
        "Un stand le samedi matin à la place de la réunion en mairie.",
        S.FAITE,
        "Trois fois plus de personnes rencontrées, dont beaucoup de jeunes parents.",
        1,
    ),
    (
        "Codéveloppement entre communes voisines",
        "Une séance par trimestre entre élu·es et agents de trois communes.",
        S.PREVUE,
        "",
        2,
    ),
    (
        "Convention d'usage de la salle des fêtes",
        "Confier la gestion des créneaux à un collectif d'associations.",
        S.PREVUE,
        "",
        4,
    ),
    (
        "Assistance à maîtrise d'ouvrage pour la concertation du PLU",
        "Un cahier des charges écrit avec l'appui du Cerdd.",
        S.EN_COURS,
        "",
        5,
    ),
    (
        "Compte rendu aux habitant·es après chaque réunion",
        "Une page, envoyée dans les dix jours, qui dit ce qui a été retenu et pourquoi.",
        S.FAITE,
        "Moins de « à quoi ça sert ? » à la réunion suivante ; le format est repris par "
        "deux services.",
        1,
    ),
    (
        "Inventaire participatif des communs",
        "Vergers, chemins, lavoirs et savoir-faire recensés avec les habitant·es.",
        S.PREVUE,
        "",
        4,
    ),
    (
        "Petit-déjeuner mensuel entre services",
        "Un projet à concerter présenté à tous les services, une fois par mois.",
        S.FAITE,
        "Le service technique est désormais associé dès le début des projets.",
        3,
    ),
]

# Audience of an author's n-th item: most private, some shared with the pair or the group.
AUDIENCES = [
    Audience.PRIVE,
    Audience.GROUPE,
    Audience.PRIVE,
    Audience.GROUPE_ANONYME,
    Audience.BINOME,
    Audience.GROUPE,
    Audience.PRIVE,
]
RUBRIQUES = list(Rubrique)


def _a_18h(jour):
    return datetime.datetime.combine(jour, datetime.time(18), tzinfo=PARIS)


def _presents(seances) -> dict[int, list[Membre]]:
    """seance_id -> the people in the room that day (in a stable order).

    By pair then member, not by territory name: the park has no territory, and SQLite and
    PostgreSQL put NULLs at opposite ends, so the demo differed between the two."""
    presents = {seance.pk: {} for seance in seances}
    for presence in (
        Presence.objects.filter(seance__in=seances, statut__in=PRESENCES_EFFECTIVES)
        .select_related("membre__binome")
        .order_by("membre__binome_id", "membre_id")
    ):
        presents[presence.seance_id].setdefault(presence.membre_id, presence.membre)
    return {pk: list(membres.values()) for pk, membres in presents.items()}


def _entrees(seances) -> None:
    """Most people present wrote: a few items, most private, some shared; some free notes."""
    presents = _presents(seances)
    for seance in seances:
        banque = ELEMENTS_2021.get(seance.numero)
        if banque is None:
            continue
        auteurs = [
            membre
            for rang, membre in enumerate(presents[seance.pk])
            if str(membre.binome) == DEMO_PARTICIPANTS or (rang + seance.numero) % 6 != 5
        ]
        entrees = Entree.objects.bulk_create(
            Entree(
                membre=membre,
                seance=seance,
                notes=NOTES[rang % len(NOTES)] if rang % 4 == 0 else "",
                notes_version=1 if rang % 4 == 0 else 0,
            )
            for rang, membre in enumerate(auteurs)
        )
        # What each person meant to write: (entry, heading, audience wished, private text).
        voulus = [
            (
                entree,
                RUBRIQUES[(rang + n) % len(RUBRIQUES)],
                AUDIENCES[(rang * 3 + n + seance.numero) % len(AUDIENCES)],
                (rang + seance.numero) % 4,
            )
            for rang, entree in enumerate(entrees)
            for n in range(2 + (rang + seance.numero) % 3)
        ]
        # The group's texts go, once each, to people drawn in a shuffled order (the demo's
        # pair first), so that every collectivity may be among those who shared.
        ordre = list(range(len(voulus)))
        random.Random(seance.numero).shuffle(ordre)  # noqa: S311 (demo data, not secrets)
        ordre.sort(key=lambda i: str(voulus[i][0].membre.binome) != DEMO_PARTICIPANTS)
        partages = dict.fromkeys(RUBRIQUES, 0)  # texts shared so far, per heading
        elements = [None] * len(voulus)
        for i in ordre:
            entree, rubrique, audience, rang_prive = voulus[i]
            textes = banque[rubrique]
            if audience != Audience.PRIVE and partages[rubrique] < len(textes):
                texte = textes[partages[rubrique]]
                partages[rubrique] += 1
            else:
                audience, texte = Audience.PRIVE, textes[rang_prive]
            elements[i] = Element(entree=entree, rubrique=rubrique, texte=texte, audience=audience)
        Element.objects.bulk_create(elements)
        # Written in the evening, a day or two after the session.
        ecrit_le = _a_18h(seance.date + datetime.timedelta(days=1 + seance.numero % 2))
        Entree.objects.filter(seance=seance).update(cree_le=ecrit_le, modifie_le=ecrit_le)
        Element.objects.filter(entree__seance=seance).update(cree_le=ecrit_le, modifie_le=ecrit_le)


def _consignes(seances) -> None:
    Consigne.objects.bulk_create(
        Consigne(seance=seance, rubrique=rubrique, texte=texte, ordre=ordre)
        for seance in seances
        for ordre, (rubrique, texte) in enumerate(CONSIGNES_2021.get(seance.numero, []))
    )


def _titulaire(binome, role):
    membres = [m for m in binome.membres.all() if m.role == role and not m.suppleant]
    actifs = [m for m in membres if m.actif]
    return (actifs or membres or [None])[0]


def _relais(binomes, seances) -> None:
    """Most pairs passed on something after some sessions."""
    relais = []
    for rang, binome in enumerate(binomes):
        if rang % 5 == 4:
            continue
        for seance in seances:
            if (rang + seance.numero) % 3 == 1 or seance.numero not in RELAIS_2021:
                continue
            role = RoleMembre.ELU if (rang + seance.numero) % 2 else RoleMembre.TECHNICIEN
            relais.append(
                Relais(
                    binome=binome,
                    auteur=_titulaire(binome, role),
                    seance=seance,
                    date=seance.date + datetime.timedelta(days=9 + (rang * 5) % 20),
                    public=PUBLICS[(rang + seance.numero) % len(PUBLICS)],
                    quoi=RELAIS_2021[seance.numero],
                )
            )
    Relais.objects.bulk_create(relais)


def _experimentations(binomes, seances) -> None:
    """What most collectivities tried: planned, under way or done, per pair."""
    par_numero = {seance.numero: seance for seance in seances}
    experimentations = []
    for rang, binome in enumerate(binomes):
        if rang % 6 == 5:
            continue
        for n in range(1 + rang % 2):
            titre, description, statut, resultats, numero = EXPERIMENTATIONS[
                (rang + n * 5) % len(EXPERIMENTATIONS)
            ]
            technicien = _titulaire(binome, RoleMembre.TECHNICIEN)
            experimentations.append(
                Experimentation(
                    binome=binome,
                    titre=titre,
                    description=description,
                    statut=statut,
                    resultats=resultats,
                    seance=par_numero.get(numero),
                    modifie_par=technicien.user if technicien else None,
                )
            )
    Experimentation.objects.bulk_create(experimentations)
    if seances:
        fin = _a_18h(seances[-1].date + datetime.timedelta(days=10))
        Experimentation.objects.filter(binome__in=binomes).update(cree_le=fin, modifie_le=fin)


def _progres(rang, ordre, temps) -> int:
    """How far a pair moved on a question since the start: a little at mid-course, more at
    the end, except on a question or two where nothing changed."""
    if temps == Temps.DEBUT or (rang + ordre) % 5 == 0:
        return 0
    if temps == Temps.MILIEU:
        return (rang + ordre) % 2
    return 1 + (rang * ordre) % 2


def _diagnostics(binomes, seances, questions) -> None:
    """The grid at the start, mid-course and at the end, for most pairs: slow progress."""
    if not seances or not questions:
        return
    jours = {
        Temps.DEBUT: seances[0].date,
        Temps.MILIEU: seances[len(seances) // 2].date,
        Temps.FIN: seances[-1].date,
    }
    manquants = {Temps.DEBUT: 6, Temps.MILIEU: 4, Temps.FIN: 3}  # one pair in n skipped
    diagnostics, valeurs = [], []
    for rang, binome in enumerate(binomes):
        for rang_temps, temps in enumerate(Temps):
            # The demo logins' pair fills every moment, so its chart is complete.
            demo = str(binome) == DEMO_PARTICIPANTS
            if not demo and rang % (manquants[temps] + 1) == manquants[temps]:
                continue
            role = RoleMembre.ELU if rang_temps % 2 else RoleMembre.TECHNICIEN
            membre = _titulaire(binome, role)
            diagnostics.append(
                Diagnostic(binome=binome, temps=temps, rempli_par=membre.user if membre else None)
            )
            valeurs.append(
                [
                    min(question.echelle, 1 + (rang + ordre) % 3 + _progres(rang, ordre, temps))
                    for ordre, question in enumerate(questions)
                ]
            )
    diagnostics = Diagnostic.objects.bulk_create(diagnostics)
    ReponseDiagnostic.objects.bulk_create(
        ReponseDiagnostic(diagnostic=diagnostic, question=question, valeur=valeur)
        for diagnostic, ligne in zip(diagnostics, valeurs, strict=True)
        for question, valeur in zip(questions, ligne, strict=True)
    )
    for temps, jour in jours.items():
        Diagnostic.objects.filter(binome__in=binomes, temps=temps).update(rempli_le=_a_18h(jour))


def construire(demo) -> None:
    cycle = demo.cycle_2021
    if cycle is None:
        return
    binomes = list(
        Binome.objects.filter(cycle=cycle)
        .select_related("candidature__territoire")
        .prefetch_related("membres__user")
        # Creation order, the same on every database (ordering by name puts the pair without a
        # territory first on SQLite and last on PostgreSQL, and the demo would differ).
        .order_by("pk")
    )
    if not binomes:
        return  # no pairs without the official list: nothing to write about
    seances = list(Seance.objects.filter(cycle=cycle, date__lte=timezone.localdate()))
    seances.sort(key=lambda seance: seance.numero)

    if not Entree.objects.filter(seance__cycle=cycle).exists():
        _consignes(seances)
        _entrees(seances)
    if not Relais.objects.filter(binome__cycle=cycle).exists():
        _relais(binomes, seances)
    if not Experimentation.objects.filter(binome__cycle=cycle).exists():
        _experimentations(binomes, seances)
    grille_par_defaut(cycle)
    if not Diagnostic.objects.filter(binome__cycle=cycle).exists():
        _diagnostics(binomes, seances, list(QuestionDiagnostic.objects.filter(cycle=cycle)))
