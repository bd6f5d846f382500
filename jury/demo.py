"""Demo jury: the 2021 edition scored and decided (four jurors, their ties, two disagreements,
one severe juror, the thirteen retained), and the open call's jury ready to try scoring.

The 2021 history is written with the ORM and dated in 2021: going through the services would
queue invitations and reminders that nobody should receive. The assignment itself is computed
by ``repartir`` with the conflicts of the declared ties, as the staff button does. Every text
here is written for the demo.
"""

import datetime

from django.utils import timezone

from candidatures.demo import AUTRES_2021, PNR, RETENUES_2021
from candidatures.models import Candidature
from cerdd_cycle.cycles.demo import PARIS
from cerdd_cycle.territoires.models import Territoire
from cerdd_cycle.territoires.normalisation import normaliser

from . import selectors
from .enums import NatureLien, Porte, StatutDecision
from .models import Affectation, Decision, Jure, Jury, Lien, NoteJury
from .repartition import repartir
from .services import jury_obtenir, modeles_par_defaut, resultats_problemes

# Ties declared by each juror (index in ``demo.jures``): (name in the official list, nature).
# Conflicts follow: Thomas Lemaire never sees Dunkerque, Sophie Carpentier neither Ronchin nor
# the CC du Pays de Lumbres (through the commune of Lumbres), Nadia Benali's ties touch no
# candidate (a neighbouring commune of the same EPCI is not a conflict), Marc Dufresne has none.
LIENS_2021 = {
    0: [("Lille", NatureLien.PARTENAIRE)],
    1: [("CU de Dunkerque", NatureLien.PARTENAIRE)],
    2: [("Lumbres", NatureLien.MEMBRE), ("Ronchin", NatureLien.PARTENAIRE)],
    3: [],
}
# Index of the juror who scores one level lower than the others on each scale criterion.
SEVERE = 3

# Per candidature: the levels of criteria 2 and 3 (ordre -> level), optionally a disagreement
# {ordre: (level of the first juror, level of the second)} with what each of them wrote about
# it, the gate left « à vérifier » by the first juror, and two overall comments: the warmer one
# and the more reserved one (which goes to the juror who scored lower).
EVALUATIONS_2021 = {
    "Annœullin": {
        "niveaux": {2: 3, 3: 3},
        "commentaires": (
            "Une commune qui a déjà tenté des choses et le dit simplement ; le binôme semble "
            "solide.",
            "Motivation sincère, mais le dossier reste assez général sur ce que la commune "
            "attend du groupe.",
        ),
    },
    "Baisieux": {
        "niveaux": {2: 3, 3: 4},
        "commentaires": (
            "La participation est au cœur du projet municipal, avec des exemples précis et datés.",
            "Bon dossier. J'aurais aimé lire ce que la commune compte apporter aux autres.",
        ),
    },
    "CU de Dunkerque": {
        "niveaux": {2: 4, 3: 4},
        "commentaires": (
            "Une expérience riche qui profitera au groupe ; l'élu et la technicienne portent le "
            "dossier ensemble.",
            "Très solide. Veiller à ce que la taille de la communauté urbaine n'écrase pas les "
            "petites communes dans les échanges.",
        ),
    },
    "CA du Saint-Quentinois": {
        "niveaux": {2: 3, 3: 4},
        "commentaires": (
            "L'agglomération veut rapprocher ses politiques de transition des habitant·es : "
            "c'est exactement l'objet du cycle.",
            "Projet clair ; les besoins exprimés pourraient être plus concrets.",
        ),
    },
    "CC du Pays de Lumbres": {
        "niveaux": {2: 3, 3: 3},
        "commentaires": (
            "Territoire rural peu représenté jusqu'ici, envie réelle d'apprendre des autres.",
            "Des intentions plus que des réalisations pour l'instant, mais une vraie cohérence "
            "avec le plan climat.",
        ),
    },
    "Lambres-lez-Douai": {
        "niveaux": {2: 4, 3: 3},
        "commentaires": (
            "Très belle lettre : la commune dit ce qu'elle ne sait pas faire, ce qui est rare.",
            "Motivation forte ; les actions citées restent ponctuelles.",
        ),
    },
    "Loos-en-Gohelle": {
        "niveaux": {2: 4, 3: 4},
        "commentaires": (
            "Une référence régionale de la participation, prête à partager son expérience.",
            "Dossier exemplaire. Le cycle doit aussi lui apporter quelque chose : le besoin "
            "exprimé sur l'évaluation va dans ce sens.",
        ),
    },
    "Margny-lès-Compiègne": {
        "niveaux": {2: 3, 3: 4},
        "desaccord": {2: (4, 1)},
        "commentaires_desaccord": (
            "Lettre signée par le maire et la technicienne, des attentes précises : motivation "
            "évidente.",
            "Je ne retrouve pas l'engagement de l'élu·e : la lettre paraît écrite par les "
            "services seuls.",
        ),
        "commentaires": (
            "La démarche participative est déjà bien installée et l'équipe a du recul.",
            "Le projet est intéressant mais je doute du portage politique ; à discuter en "
            "délibération.",
        ),
    },
    PNR["structure_nom"]: {
        "niveaux": {2: 3, 3: 4},
        "a_verifier": (
            "Un syndicat mixte n'est ni une commune ni un EPCI : l'éligibilité est à confirmer "
            "avec l'équipe du Cerdd."
        ),
        "commentaires": (
            "Le parc fédère des communes qui n'auraient pas candidaté seules : un apport précieux "
            "pour le groupe.",
            "Dossier de qualité ; reste la question de l'éligibilité d'une structure qui n'est "
            "pas une collectivité.",
        ),
    },
    "Ronchin": {
        "niveaux": {2: 4, 3: 3},
        "commentaires": (
            "Une équipe municipale très motivée, qui s'appuie déjà sur son conseil citoyen.",
            "Bonne candidature ; le lien avec la transition écologique mérite d'être précisé.",
        ),
    },
    "Sailly-lez-Lannoy": {
        "niveaux": {2: 3, 3: 3},
        "commentaires": (
            "Petite commune, grande envie : le cycle peut lui donner des outils à sa mesure.",
            "Dossier honnête mais encore peu structuré sur la participation.",
        ),
    },
    "Templeuve-en-Pévèle": {
        "niveaux": {2: 3, 3: 4},
        "commentaires": (
            "Des habitant·es déjà associé·es au plan vélo et au budget : une démarche cohérente.",
            "Bon niveau. Le binôme devra tenir la distance sur les six séances.",
        ),
    },
    "Vimy": {
        "niveaux": {2: 4, 3: 3},
        "commentaires": (
            "L'élue porte le projet avec conviction ; la commune veut changer sa manière de "
            "décider.",
            "Motivation nette, premières actions modestes : une candidature qui progressera vite.",
        ),
    },
    "Wattrelos": {
        "niveaux": {2: 2, 3: 3},
        "desaccord": {3: (4, 1)},
        "commentaires_desaccord": (
            "Le budget participatif en est à sa troisième édition : la participation structure "
            "déjà le projet.",
            "Je ne vois pas d'objectif au-delà du budget participatif ; la participation reste "
            "un outil parmi d'autres.",
        ),
        "commentaires": (
            "Une ville qui a de l'expérience ; la motivation pour le cycle lui-même est moins "
            "claire.",
            "Dossier rédigé rapidement, les besoins sont à peine esquissés.",
        ),
    },
    "Liévin": {
        "niveaux": {2: 2, 3: 2},
        "commentaires": (
            "Une envie sincère, mais le projet de participation reste à construire.",
            "Les attentes envers le cycle sont floues ; à revoir pour une prochaine édition.",
        ),
    },
    "CC Pévèle-Carembault": {
        "niveaux": {2: 2, 3: 1},
        "commentaires": (
            "L'intercommunalité s'interroge encore sur la place des habitant·es : c'est tôt "
            "pour le cycle.",
            "La participation n'apparaît pas dans le projet présenté ; la lettre parle surtout "
            "d'équipements.",
        ),
    },
}

MOTIFS_RETENUES = {
    "Annœullin": "Votre motivation et la solidité de votre binôme ont convaincu le jury.",
    "Baisieux": "Le jury a apprécié la place que vous donnez déjà aux habitant·es.",
    "CU de Dunkerque": "Votre expérience sera une ressource pour l'ensemble du groupe.",
    "CA du Saint-Quentinois": "Votre projet répond pleinement à l'esprit du cycle.",
    "CC du Pays de Lumbres": "Le jury se réjouit d'accueillir un territoire rural aussi motivé.",
    "Lambres-lez-Douai": "Le jury a été sensible à la lucidité de votre lettre de motivation.",
    "Loos-en-Gohelle": "Votre savoir-faire nourrira les échanges entre pairs.",
    "Margny-lès-Compiègne": "Votre démarche déjà engagée fait de vous un atout pour le cycle.",
    PNR["structure_nom"]: "Le parc apportera au groupe le regard des communes rurales qu'il "
    "fédère.",
    "Ronchin": "Le jury a salué l'appui que vous trouvez déjà auprès de votre conseil citoyen.",
    "Sailly-lez-Lannoy": "Le cycle vous donnera des outils à la mesure de votre commune.",
    "Templeuve-en-Pévèle": "Votre démarche cohérente et concrète a convaincu le jury.",
    "Vimy": "Le jury a apprécié la conviction avec laquelle votre élue porte le projet.",
}
# (statut, rang on the waiting list, reason)
AUTRES_DECISIONS = {
    "Wattrelos": (
        StatutDecision.ATTENTE,
        1,
        "Votre candidature a été appréciée, mais les places étaient comptées. Vous êtes la "
        "première sur la liste d'attente : nous vous appellerons si une place se libère avant "
        "la première séance.",
    ),
    "Liévin": (
        StatutDecision.ATTENTE,
        2,
        "Le jury a retenu des projets plus avancés dans la participation des habitant·es. Vous "
        "êtes deuxième sur la liste d'attente.",
    ),
    "CC Pévèle-Carembault": (
        StatutDecision.NON_RETENUE,
        None,
        "Le jury a estimé que la place des habitant·es dans votre projet restait à définir. "
        "Une commune de votre territoire, Templeuve-en-Pévèle, rejoint le cycle : nous vous "
        "proposons de suivre ses travaux et de participer à nos rencontres ouvertes.",
    ),
}


def _paris(annee, mois, jour, heure=0, minute=0):
    return datetime.datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


def _territoire(nom):
    return Territoire.objects.filter(region_id="32", nom_recherche=normaliser(nom)).first()


def _candidatures(cycle):
    """Name used in this module -> the demo's candidature of ``cycle`` (those that exist)."""
    resultat = {}
    for nom in RETENUES_2021 + AUTRES_2021:
        if nom is None:
            candidature = Candidature.objects.filter(
                cycle=cycle, structure_siren=PNR["structure_siren"]
            ).first()
            nom = PNR["structure_nom"]
        else:
            territoire = _territoire(nom)
            candidature = (
                Candidature.objects.filter(cycle=cycle, territoire=territoire).first()
                if territoire
                else None
            )
        if candidature is not None:
            resultat[nom] = candidature
    return resultat


def _jure(cycle, user, *, invite_par, liens, declares_le=None, invite_le=None):
    """The user's seat on the cycle's jury; ties are declared only when the seat is new."""
    jure, cree = Jure.objects.get_or_create(
        cycle=cycle, user=user, defaults={"invite_par": invite_par}
    )
    if not cree:
        return jure
    if invite_le is not None:
        Jure.objects.filter(pk=jure.pk).update(invite_le=invite_le)
    if liens is not None:
        for nom, nature in liens:
            territoire = _territoire(nom)
            if territoire is not None:
                Lien.objects.create(
                    jure=jure,
                    territoire=territoire,
                    siren=territoire.siren,
                    nom=territoire.nom,
                    nature=nature,
                )
        jure.liens_declares_le = declares_le or timezone.now()
        Jure.objects.filter(pk=jure.pk).update(liens_declares_le=jure.liens_declares_le)
    return jure


def _valeurs(evaluation, rang, severe):
    """The levels a juror gives: the disagreement by rank, else the levels (one less if
    severe), and the gates."""
    valeurs = {}
    for ordre, niveau in evaluation["niveaux"].items():
        desaccord = evaluation.get("desaccord", {}).get(ordre)
        if desaccord is not None:
            valeurs[ordre] = desaccord[rang]
        else:
            valeurs[ordre] = max(1, niveau - 1) if severe else niveau
    return valeurs


def _noter(affectation, criteres, evaluation, *, rang, severe, reserve, soumise_le):
    valeurs = _valeurs(evaluation, rang, severe)
    notes = []
    for critere in criteres:
        commentaire = ""
        if critere.est_porte:
            porte = Porte.OUI
            if critere.ordre == 1 and rang == 0 and evaluation.get("a_verifier"):
                porte, commentaire = Porte.A_VERIFIER, evaluation["a_verifier"]
            notes.append(NoteJury(affectation=affectation, critere=critere, porte=porte))
        else:
            if critere.ordre in evaluation.get("desaccord", {}):
                commentaire = evaluation["commentaires_desaccord"][rang]
            notes.append(
                NoteJury(
                    affectation=affectation,
                    critere=critere,
                    valeur=valeurs.get(critere.ordre, 3),
                )
            )
        notes[-1].commentaire = commentaire
    NoteJury.objects.bulk_create(notes)
    Affectation.objects.filter(pk=affectation.pk).update(
        commentaire=evaluation["commentaires"][1 if reserve else 0],
        modifie_le=soumise_le,
        soumise_le=soumise_le,
        cree_le=_paris(2021, 3, 16, 10),
    )


def _total(valeurs):
    return valeurs.get(2, 0) + 2 * valeurs.get(3, 0)


def _jury_2021(demo, cycle):
    nouveau = not Jury.objects.filter(cycle=cycle).exists()
    jury = jury_obtenir(cycle)
    if nouveau:
        jury.date_limite = _paris(2021, 4, 2, 18)
        jury.deliberation_ouverte_le = _paris(2021, 4, 8, 14)
        jury.envoi_prevu_le = _paris(2021, 4, 15, 9)
        jury.save(update_fields=["date_limite", "deliberation_ouverte_le", "envoi_prevu_le"])
    staff = demo.equipe[0] if demo.equipe else None
    jures = [
        _jure(
            cycle,
            user,
            invite_par=staff,
            liens=LIENS_2021.get(index, []),
            invite_le=_paris(2021, 3, 1, 10),
            declares_le=_paris(2021, 3, 3 + index, 18),
        )
        for index, user in enumerate(demo.jures)
    ]
    severe = jures[SEVERE].pk if len(jures) > SEVERE else None

    # The assignment, as the staff button makes it: balanced, no conflict, existing kept.
    par_nom = _candidatures(cycle)
    existantes = list(
        Affectation.objects.filter(jure__cycle=cycle).values_list("jure_id", "candidature_id")
    )
    resultat = repartir(
        [c.pk for c in par_nom.values()],
        [j.pk for j in jures if j.actif],
        par_candidature=jury.jures_par_candidature,
        charge_max=jury.charge_max,
        conflits=selectors.conflits_du_cycle(cycle),
        existantes=existantes,
    )
    nouvelles = {
        (jure, candidature): Affectation.objects.create(
            jure_id=jure, candidature_id=candidature, automatique=True, cree_par=staff
        )
        for jure, candidature in resultat.nouvelles
    }

    # The evaluations of the new assignments, all submitted before the deadline.
    criteres = selectors.grille(cycle)
    for numero, (nom, candidature) in enumerate(par_nom.items()):
        evaluation = EVALUATIONS_2021[nom]
        membres = sorted(
            Affectation.objects.filter(candidature=candidature).values_list("jure_id", flat=True)
        )
        valeurs = {
            jure: _valeurs(evaluation, min(rang, 1), jure == severe)
            for rang, jure in enumerate(membres)
        }
        plus_bas = min(membres, key=lambda j: (_total(valeurs[j]), -j)) if membres else None
        for rang, jure in enumerate(membres):
            affectation = nouvelles.get((jure, candidature.pk))
            if affectation is None:
                continue
            _noter(
                affectation,
                criteres,
                evaluation,
                rang=min(rang, 1),
                severe=jure == severe,
                reserve=len(membres) > 1 and jure == plus_bas,
                soumise_le=_paris(2021, 3, 18 + (numero + 3 * rang) % 14, 9 + (numero + rang) % 9),
            )

    # The deliberation's decisions.
    for nom, candidature in par_nom.items():
        if nom in MOTIFS_RETENUES:
            statut, rang_attente, motif = StatutDecision.RETENUE, None, MOTIFS_RETENUES[nom]
        else:
            statut, rang_attente, motif = AUTRES_DECISIONS[nom]
        decision, cree = Decision.objects.get_or_create(
            candidature=candidature,
            defaults={
                "statut": statut,
                "rang_attente": rang_attente,
                "motif": motif,
                "decide_par": staff,
            },
        )
        if cree:
            Decision.objects.filter(pk=decision.pk).update(decide_le=_paris(2021, 4, 9, 11))

    # Results published on the promised date, with the templates they were sent from.
    if par_nom and cycle.resultats_publies_le is None and not resultats_problemes(cycle):
        modeles_par_defaut(cycle)
        cycle.resultats_publies_le = _paris(2021, 4, 15, 9)
        cycle.save(update_fields=["resultats_publies_le"])


def _jury_ouvert(demo, cycle):
    nouveau = not Jury.objects.filter(cycle=cycle).exists()
    jury = jury_obtenir(cycle)
    if nouveau:
        jury.date_limite = cycle.date_limite + datetime.timedelta(days=20)
        jury.save(update_fields=["date_limite"])
    staff = demo.equipe[0] if demo.equipe else None
    # Nadia Benali has declared her ties and may score; Thomas Lemaire has yet to declare
    # them; Marc Dufresne declared that he has none.
    liens = {0: [("Amiens", NatureLien.PARTENAIRE), ("Lille", NatureLien.PARTENAIRE)], 3: []}
    jures = [
        _jure(cycle, user, invite_par=staff, liens=liens.get(index))
        for index, user in enumerate(demo.jures)
    ]
    if not jures:
        return
    arras = _territoire("Arras")
    candidature = (
        selectors.candidatures_a_evaluer(cycle).filter(territoire=arras).first() if arras else None
    )
    if candidature is not None and not selectors.en_conflit(jures[0], candidature):
        Affectation.objects.get_or_create(
            jure=jures[0], candidature=candidature, defaults={"cree_par": staff}
        )
    if len(jures) > 1 and jures[1].liens_declares_le is None:
        demo.annoncer("Juré·e", demo.jures[1], "déclarer ses liens d'intérêts")


def construire(demo) -> None:
    if demo.cycle_2021 is not None:
        _jury_2021(demo, demo.cycle_2021)
    if demo.cycle_ouvert is not None:
        _jury_ouvert(demo, demo.cycle_ouvert)
