"""Measurement data: a large, realistic cycle built in a few seconds.

``construire_grand_cycle`` writes with ``bulk_create`` (no factories, no services: nothing is
queued, no email), from the official territories of a region, in one transaction. It is
deterministic for a given seed: the same seed builds the same cycle (texts, attendance, shares)
on SQLite and on PostgreSQL. Every text is generated from the word lists below.

What « shared items » means: logbook items shared with the group, with the author's name or
anonymously, whose text is not empty — what the report prints and counts
(``capitalisation.selectors.contexte_rapport(...).chiffres.partages``). Around them, as in real
life, more items stay private or within the pair (see ``PART_PARTAGEE``).

Issue 8's national-scale generator can call it once per cycle (``slug``, ``candidatures``,
``debut`` and ``graine`` vary per cycle).
"""

import datetime
import io
import itertools
import math
import random
import time
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from candidatures.enums import Engagement, StatutCandidature
from candidatures.models import Candidature
from capitalisation.enums import SECTIONS_PAR_DEFAUT
from capitalisation.models import Rapport
from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.territoires.models import TYPES_EPCI, Region, Territoire, TypeTerritoire
from journal.enums import Audience, Rubrique, StatutExperimentation, Temps
from journal.grille import grille_par_defaut
from journal.models import (
    Consigne,
    Diagnostic,
    Element,
    Entree,
    Experimentation,
    Relais,
    ReponseDiagnostic,
)
from jury.enums import StatutDecision
from jury.models import Decision
from seances.enums import (
    DemiJournee,
    FormatProgramme,
    ReponseConfirmation,
    RoleMembre,
    StatutPresence,
    ThemeBesoin,
)
from seances.models import (
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

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# Of all the logbook items written, the share the group reads (named or anonymous).
PART_PARTAGEE = 0.4
# Among the items the group reads, the share signed with the author's name.
PART_NOMMEE = 0.7
# Among the items the group does not read, the share shared with the pair only.
PART_BINOME = 0.2

# --- Word lists (written for the benchmark) ------------------------------------------------

PRENOMS = [
    "Agathe", "Albane", "Alexis", "Amandine", "Antoine", "Aurélie", "Bastien", "Bénédicte",
    "Bertrand", "Céline", "Charles", "Chloé", "Christophe", "Clémence", "Damien", "Delphine",
    "Élodie", "Émile", "Fabienne", "Florent", "Gaëlle", "Grégoire", "Hélène", "Inès", "Jérôme",
    "Josiane", "Karim", "Laure", "Léon", "Lucie", "Malik", "Margaux", "Mathieu", "Mireille",
    "Nathalie", "Nicolas", "Océane", "Pascal", "Pauline", "Quentin", "Rachid", "Sandrine",
    "Sébastien", "Solène", "Sylvain", "Thérèse", "Valentin", "Véronique", "Xavier", "Yasmina",
]  # fmt: skip
NOMS = [
    "Allard", "Baert", "Beaucamp", "Bernard", "Blondel", "Boulanger", "Caudron", "Coquelle",
    "Cordier", "Dambrine", "Debacker", "Decroix", "Defrance", "Delahaye", "Delannoy", "Demarcq",
    "Deschamps", "Desmet", "Duhamel", "Dupont", "Facon", "Flament", "Fontaine", "Fournier",
    "Gosselin", "Hennequin", "Herbaut", "Hochart", "Lagache", "Lambert", "Leclercq", "Lefebvre",
    "Lemaire", "Lenoir", "Leroy", "Lesage", "Maes", "Marchand", "Mercier", "Morel", "Noël",
    "Petit", "Poulain", "Prévost", "Renard", "Roussel", "Sauvage", "Têtu", "Vasseur", "Wattel",
]  # fmt: skip
MANDATS = [
    "Maire", "Adjoint·e à la démocratie locale", "Adjoint·e à la transition écologique",
    "Conseiller·e délégué·e à la participation", "Vice-président·e à la citoyenneté",
    "Adjoint·e à la vie des quartiers",
]  # fmt: skip
POSTES = [
    "Chargé·e de mission participation", "Directeur·rice général·e des services",
    "Chargé·e de mission développement durable", "Responsable de la vie associative",
    "Chef·fe de projet politique de la ville", "Chargé·e de communication",
]  # fmt: skip

SUJETS = [
    "La réunion publique", "Le conseil de quartier", "Le budget participatif",
    "L'atelier de concertation", "Le comité de suivi", "La balade urbaine",
    "Le questionnaire en ligne", "Le tirage au sort", "La permanence en mairie",
    "Le forum des associations", "Le diagnostic en marchant", "La charte de la participation",
    "Le conseil des jeunes", "La commission extra-municipale", "Le panel citoyen",
    "Le café-débat", "La visite de chantier", "L'exposition en mairie",
    "La cartographie collaborative", "Le jardin partagé", "Le conseil de développement",
    "La boîte à idées", "Le stand au marché", "La réunion d'équipe entre services",
]  # fmt: skip
ACTIONS = [
    "toucher les jeunes parents", "entendre les habitant·es des hameaux",
    "rendre compte des avis recueillis", "associer les services techniques dès le départ",
    "dire ce qui est négociable et ce qui ne l'est pas", "mobiliser au-delà des habitué·es",
    "préparer les élu·es de la majorité", "relier la transition écologique au quotidien",
    "partager la décision sur les aménagements", "faire remonter les usages réels",
    "donner la parole aux commerçant·es", "tester une méthode avant de la généraliser",
    "expliquer les contraintes budgétaires", "construire la confiance avec les associations",
    "suivre les projets dans la durée", "ouvrir les données de la commune",
    "co-écrire le cahier des charges", "animer sans tribune ni estrade",
    "accueillir les nouveaux arrivant·es", "laisser du temps à la délibération",
    "croiser les regards des élu·es et des agents", "garder une trace des débats",
]  # fmt: skip
COMPLEMENTS = [
    "", "", "", " dans les quartiers éloignés du centre", " avant le vote du budget",
    " sur le projet de centre-bourg", " autour du plan de mobilité", " avec les écoles",
    " pendant les travaux de la place", " avec l'intercommunalité",
    " sur la rénovation de la salle des fêtes", " pour le plan climat",
    " dans les communes rurales du territoire", " lors du marché du samedi",
]  # fmt: skip
SUITES = [
    "C'est à reprendre en bureau municipal.", "Le Cerdd peut nous orienter.",
    "À discuter avec la direction générale.", "D'autres binômes ont la même difficulté.",
    "L'exemple donné en séance l'a bien montré.", "Nous en reparlerons à la rentrée.",
    "Il faudra un peu de budget, mais surtout du temps.", "Les habitant·es nous l'ont déjà dit.",
    "Cela vaut aussi pour l'intercommunalité.", "À tester d'abord à petite échelle.",
    "Notre technicien·ne a proposé de s'en charger.", "Rien de coûteux, tout de suite possible.",
]  # fmt: skip
VERBES_POSITIFS = [
    "a permis de", "nous a aidés à", "sert vraiment à", "est un bon moyen de",
    "a surtout servi à", "montre qu'il est possible de",
]  # fmt: skip
DEBUTS_IDEES = [
    "Essayer", "Proposer", "Lancer", "Organiser", "Monter", "Relancer", "Adapter",
]  # fmt: skip
DEBUTS_PROGRES = [
    "Nous devons apprendre à", "Il nous reste à", "Mieux", "Prendre le temps de",
    "Nous voulons", "Apprendre en binôme à",
]  # fmt: skip
THEMES = [
    "Les défis de la participation des habitant·es",
    "Postures d'élu·es et de technicien·nes",
    "Coopérer entre services pour associer les habitant·es",
    "Les communs et la gouvernance partagée",
    "Mobiliser les publics éloignés de la participation",
    "Rendre compte : la boucle de retour aux habitant·es",
    "Budget participatif : promesses et limites",
    "Tirage au sort et panels citoyens",
    "Participation et transition écologique",
    "Le numérique au service du débat local",
    "Évaluer une démarche participative",
    "Atelier d'appui aux projets des collectivités",
    "Démocratie locale et intercommunalité",
    "Faire vivre la démarche après le cycle",
]  # fmt: skip
QUALITES = [
    "Chercheuse en science politique", "Consultant en concertation", "Ancienne maire",
    "Directeur d'un réseau d'élu·es", "Sociologue de l'action publique",
    "Chargée de mission dans un parc naturel régional", "Facilitateur en intelligence collective",
]  # fmt: skip
PUBLICS = [
    "Conseil municipal", "Bureau municipal", "Comité de direction des services",
    "Réunion des adjoint·es", "Équipe des services techniques",
    "Commission transition écologique", "Conférence des maires", "Conseil de développement",
    "Association des commerçant·es", "Conseil d'école",
]  # fmt: skip
EXPERIMENTATIONS = [
    "Budget participatif jeunesse", "Tirage au sort pour un comité de suivi",
    "Charte de la participation", "Stand au marché du samedi",
    "Codéveloppement entre communes voisines", "Convention d'usage d'une salle communale",
    "Compte rendu écrit après chaque réunion", "Inventaire participatif des communs",
    "Petit-déjeuner mensuel entre services", "Balade urbaine avec les riverain·es",
    "Conseil des jeunes", "Panel citoyen sur la mobilité", "Cartographie des usages",
    "Grainothèque tenue par des habitant·es", "Permanence d'élu·es dans les hameaux",
]  # fmt: skip
RESSOURCES = [
    "Support de l'intervention", "Synthèse des ateliers", "Bibliographie",
    "Fiche méthode", "Retour d'expérience d'une collectivité", "Vidéo de la conférence",
]  # fmt: skip
GROUPES_QUESTIONS = ["Méthodes", "Rôle des élu·es", "Moyens et temps", "Mobiliser", ""]
# A pair at one session: complete, with a substitute, one seat empty, excused, absent…
CODES_JOURNEE = ["C", "R", "E", "T", "D", "L", "X", "A"]
POIDS_JOURNEE = [60, 6, 8, 8, 3, 4, 8, 3]


class Phrases:
    """Varied French sentences from the word lists, drawn with the generator's seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _c(self, liste):
        return self.rng.choice(liste)

    @staticmethod
    def _minuscule(texte):
        return texte[0].lower() + texte[1:]

    def _coeur(self, rubrique) -> str:
        sujet, action, complement = self._c(SUJETS), self._c(ACTIONS), self._c(COMPLEMENTS)
        if rubrique == Rubrique.POINTS_FORTS:
            return f"{sujet} {self._c(VERBES_POSITIFS)} {action}{complement}."
        if rubrique == Rubrique.VIGILANCE:
            return (
                f"{sujet} peut décevoir si l'on oublie de {action}{complement}."
                if self.rng.random() < 0.5
                else f"Ne pas lancer {self._minuscule(sujet)} sans prévoir de {action}."
            )
        if rubrique == Rubrique.IDEES:
            return f"{self._c(DEBUTS_IDEES)} {self._minuscule(sujet)}{complement}, pour {action}."
        return f"{self._c(DEBUTS_PROGRES)} {action}{complement}."

    def element(self, rubrique) -> str:
        phrases = [self._coeur(rubrique)]
        tirage = self.rng.random()
        if tirage < 0.45:
            phrases.append(self._c(SUITES))
        if tirage < 0.12:
            phrases.append(self._coeur(self._c(list(Rubrique))))
        return " ".join(phrases)

    def phrase(self) -> str:
        return self._coeur(self._c(list(Rubrique)))

    def paragraphe(self, n=4) -> str:
        return " ".join(
            self._coeur(self._c(list(Rubrique))) if i % 2 == 0 else self._c(SUITES)
            for i in range(n)
        )

    def question(self) -> str:
        return (
            f"Comment {self._c(ACTIONS)}{self._c(COMPLEMENTS)} quand "
            f"{self._minuscule(self._c(SUJETS))} attire toujours les mêmes personnes ?"
        )

    def nom(self) -> tuple[str, str]:
        return self._c(PRENOMS), self._c(NOMS)


@dataclass
class GrandCycle:
    """What was built, to check against what the report counts."""

    cycle: Cycle
    candidatures: int
    deposees: int
    retenues: int
    liste_attente: int
    non_retenues: int
    participants: int  # seat holders at the end of the cycle
    personnes: int  # everyone who was ever a member of a pair (holders, substitutes, replaced)
    seances: int
    entrees: int
    elements: int  # every logbook item, private ones included
    partages: int  # items the group reads (named or anonymous), non-empty
    partages_anonymes: int
    evaluations: int
    questions: int
    relais: int
    experimentations: int
    diagnostics: int
    secondes: float


def _territoires(rng, region, nombre) -> list[Territoire]:
    """``nombre`` territories of the region: about one in four an EPCI, the rest communes,
    drawn across its departments."""
    if not Territoire.objects.filter(region_id=region).exists():
        call_command("charger_territoires", stdout=io.StringIO())
    tous = list(
        Territoire.objects.filter(region_id=region, departement__isnull=False)
        .select_related("departement")
        .order_by("siren")
    )
    epcis = [t for t in tous if t.type in TYPES_EPCI]
    communes = [t for t in tous if t.type == TypeTerritoire.COMMUNE]
    nombre_epcis = min(len(epcis), round(nombre * 0.25))
    if nombre - nombre_epcis > len(communes):
        raise ValueError(f"La région {region} n'a pas {nombre} collectivités.")
    choisis = rng.sample(epcis, nombre_epcis) + rng.sample(communes, nombre - nombre_epcis)
    rng.shuffle(choisis)
    return choisis


def _personnes(rng, cycle, nombre, debut_rang) -> list[User]:
    """People with an unusable password (nobody logs in to a benchmark)."""
    users = []
    for rang in range(debut_rang, debut_rang + nombre):
        prenom, nom = rng.choice(PRENOMS), rng.choice(NOMS)
        users.append(
            User(
                email=f"personne{rang}@{cycle.slug}.bench.test",
                first_name=prenom,
                last_name=nom,
                password=f"{UNUSABLE_PASSWORD_PREFIX}bench",
            )
        )
    return User.objects.bulk_create(users)


def _paris(jour, heure=9, minute=0):
    return datetime.datetime.combine(jour, datetime.time(heure, minute), tzinfo=PARIS)


def construire_grand_cycle(
    collectivites=100,
    seances=12,
    participants=None,
    partages=10_000,
    *,
    candidatures=None,
    suppleants=None,
    remplacements=None,
    graine=2023,
    slug=None,
    region="32",
    debut=datetime.date(2023, 9, 14),
) -> GrandCycle:
    """A finished cycle of ``collectivites`` pairs (``participants`` = 2 per pair: an élu·e
    and a technicien·ne), ``seances`` sessions about four weeks apart from ``debut``, and
    exactly ``partages`` logbook items shared with the group. ``candidatures`` (default about
    1.6 per place) are all decided except the drafts."""
    if participants is None:
        participants = 2 * collectivites
    if participants != 2 * collectivites:
        raise ValueError(
            "Un binôme compte un·e élu·e et un·e technicien·ne titulaires : "
            "participants = 2 × collectivités."
        )
    if collectivites < 1:
        raise ValueError("Il faut au moins une collectivité.")
    if partages and not seances:
        raise ValueError("Sans séance, pas de journal de bord : partages doit valoir 0.")
    candidatures = candidatures or collectivites + math.ceil(collectivites * 0.64)
    if candidatures < collectivites:
        raise ValueError("Moins de candidatures que de collectivités retenues.")
    suppleants = collectivites // 6 if suppleants is None else suppleants
    remplacements = collectivites // 20 if remplacements is None else remplacements
    slug = slug or f"bench-{collectivites}-{seances}-{partages}-{graine}"

    debut_chrono = time.monotonic()
    rng = random.Random(graine)  # noqa: S311 (benchmark data, not secrets)
    phrases = Phrases(rng)
    with transaction.atomic():
        construction = _Construction(rng, phrases, slug, region, debut)
        construction.cycle_et_candidatures(collectivites, candidatures)
        construction.binomes(suppleants, remplacements)
        construction.seances(seances)
        construction.vie_des_seances()
        construction.journal(partages)
        construction.relais_et_experimentations()
        construction.autodiagnostics()
        construction.rapport()
    return construction.bilan(time.monotonic() - debut_chrono)


class _Construction:
    def __init__(self, rng, phrases, slug, region, debut):
        self.rng = rng
        self.phrases = phrases
        self.slug = slug
        self.region = region
        self.debut = debut
        self.comptes = {}

    def _compter(self, cle, n):
        self.comptes[cle] = self.comptes.get(cle, 0) + n

    # --- The call and the jury's decisions ---------------------------------------------------

    def cycle_et_candidatures(self, collectivites, nombre):
        rng = self.rng
        debut = self.debut
        # A structure outside the official list (a natural park) among the larger cohorts.
        structure = collectivites >= 10
        territoires = _territoires(rng, self.region, nombre - structure)
        self.cycle = Cycle.objects.create(
            titre=f"Vers des territoires participatifs – banc d'essai ({collectivites} binômes)",
            slug=self.slug,
            region=Region.objects.get(code=self.region),
            ouverture_ami=_paris(debut - datetime.timedelta(days=270)),
            date_limite=_paris(debut - datetime.timedelta(days=180), 23, 59),
            date_reponse=debut - datetime.timedelta(days=120),
            premiere_seance=debut,
            fin_prevue=debut + datetime.timedelta(days=400),
            places=collectivites,
            statut=StatutCycle.TERMINE,
        )
        proprietaires = _personnes(rng, self.cycle, nombre, 0)
        self.rang_personne = nombre
        depose_le = _paris(debut - datetime.timedelta(days=185), 17)
        brouillons = (nombre - collectivites) // 7
        lieux = list(territoires)
        if structure:  # retained: among the first
            lieux.insert(rng.randrange(collectivites), None)
        objets = []
        for rang, (proprietaire, territoire) in enumerate(zip(proprietaires, lieux, strict=True)):
            statut = (
                StatutCandidature.BROUILLON
                if rang >= nombre - brouillons
                else StatutCandidature.DEPOSEE
            )
            elu, technicien = self.phrases.nom(), self.phrases.nom()
            objets.append(
                Candidature(
                    cycle=self.cycle,
                    proprietaire=proprietaire,
                    statut=statut,
                    territoire=territoire,
                    structure_nom="" if territoire else "Parc naturel régional des Deux Vallées",
                    structure_siren="" if territoire else f"2{rng.randrange(10**8):08d}",
                    structure_nature="" if territoire else "Syndicat mixte",
                    departement=territoire.departement if territoire else None,
                    contact_nom=proprietaire.get_full_name(),
                    contact_email=proprietaire.email,
                    politique_nom=" ".join(elu),
                    politique_mandat=rng.choice(MANDATS),
                    technique_nom=" ".join(technicien),
                    technique_poste=rng.choice(POSTES),
                    motivations=self.phrases.paragraphe(3),
                    actions=self.phrases.paragraphe(3),
                    pistes=self.phrases.paragraphe(2),
                    besoins=self.phrases.paragraphe(2),
                    engagements=rng.sample(Engagement.values, 2),
                    engagement_binome=statut == StatutCandidature.DEPOSEE,
                    depose_le=depose_le if statut == StatutCandidature.DEPOSEE else None,
                )
            )
        candidatures = Candidature.objects.bulk_create(objets)
        deposees = [c for c in candidatures if c.statut == StatutCandidature.DEPOSEE]
        if len(deposees) < collectivites:
            raise ValueError("Trop de brouillons pour retenir toutes les collectivités.")
        self.retenues = deposees[:collectivites]
        autres = deposees[collectivites:]
        attente = autres[: math.ceil(len(autres) * 0.25)]
        decisions = [Decision(candidature=c, statut=StatutDecision.RETENUE) for c in self.retenues]
        decisions += [
            Decision(
                candidature=c,
                statut=StatutDecision.ATTENTE,
                rang_attente=rang,
                motif="Votre candidature est solide ; les places étaient comptées. "
                + self.phrases.phrase(),
            )
            for rang, c in enumerate(attente, start=1)
        ]
        decisions += [
            Decision(
                candidature=c,
                statut=StatutDecision.NON_RETENUE,
                motif="Le binôme élu·e / technicien·ne n'est pas encore constitué. "
                + self.phrases.phrase(),
            )
            for c in autres[len(attente) :]
        ]
        Decision.objects.bulk_create(decisions)
        self.comptes.update(
            candidatures=len(candidatures),
            deposees=len(deposees),
            retenues=len(self.retenues),
            liste_attente=len(attente),
            non_retenues=len(autres) - len(attente),
        )

    # --- The pairs ----------------------------------------------------------------------

    def binomes(self, suppleants, remplacements):
        rng = self.rng
        cycle = self.cycle
        self.liste_binomes = Binome.objects.bulk_create(
            Binome(cycle=cycle, candidature=c) for c in self.retenues
        )
        n = len(self.liste_binomes)
        avec_suppleant = set(rng.sample(range(n), min(suppleants, n)))
        avec_remplacement = set(rng.sample(range(n), min(remplacements, n)))
        nombre = 2 * n + len(avec_suppleant) + len(avec_remplacement)
        users = iter(_personnes(rng, cycle, nombre, self.rang_personne))
        self.rang_personne += nombre
        membres = []
        for rang, binome in enumerate(self.liste_binomes):
            candidature = self.retenues[rang]
            for role, fonction in (
                (RoleMembre.ELU, candidature.politique_mandat),
                (RoleMembre.TECHNICIEN, candidature.technique_poste),
            ):
                membres.append(
                    Membre(binome=binome, user=next(users), role=role, fonction=fonction)
                )
            if rang in avec_suppleant:
                role = rng.choice([RoleMembre.ELU, RoleMembre.TECHNICIEN])
                fonction = rng.choice(MANDATS if role == RoleMembre.ELU else POSTES)
                membres.append(
                    Membre(
                        binome=binome,
                        user=next(users),
                        role=role,
                        fonction=fonction,
                        suppleant=True,
                    )
                )
            if rang in avec_remplacement:
                # A holder replaced mid-cycle: the one who left stays, inactive.
                membres.append(
                    Membre(
                        binome=binome,
                        user=next(users),
                        role=RoleMembre.TECHNICIEN,
                        fonction=rng.choice(POSTES),
                        actif=False,
                    )
                )
        self.membres = Membre.objects.bulk_create(membres)
        ouverture = _paris(cycle.date_reponse + datetime.timedelta(days=5), 10)
        Binome.objects.filter(cycle=cycle).update(ouvert_le=ouverture)
        Membre.objects.filter(binome__cycle=cycle).update(depuis=ouverture)
        participants, _cree = Group.objects.get_or_create(name=Role.PARTICIPANT.value)
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=m.user_id, group_id=participants.pk) for m in self.membres
        )
        self.par_binome = {}
        for membre in self.membres:
            self.par_binome.setdefault(membre.binome_id, []).append(membre)
        self.comptes.update(
            participants=sum(m.actif and not m.suppleant for m in self.membres),
            personnes=len(self.membres),
        )
        # Answers to the survey of needs (private; never in the report).
        themes = ThemeBesoin.values
        ReponseBesoins.objects.bulk_create(
            ReponseBesoins(
                membre=m,
                themes=rng.sample(themes, 2),
                attentes=self.phrases.phrase(),
                projet=self.phrases.phrase(),
                difficultes=self.phrases.phrase() if rng.random() < 0.6 else "",
            )
            for m in self.membres
            if m.actif and not m.suppleant and rng.random() < 0.85
        )

    # --- The sessions -------------------------------------------------------------------

    def seances(self, nombre):
        rng = self.rng
        hotes = rng.sample(self.liste_binomes, min(nombre, len(self.liste_binomes)))
        objets = []
        for numero in range(1, nombre + 1):
            theme = THEMES[(numero - 1) % len(THEMES)]
            if numero > len(THEMES):
                theme += f" ({numero // len(THEMES) + 1})"
            hote = hotes[numero - 1] if numero <= len(hotes) else None
            lieu = str(hote.candidature.nom_collectivite) if hote else "Lille"
            objets.append(
                Seance(
                    cycle=self.cycle,
                    numero=numero,
                    date=self.debut + datetime.timedelta(days=28 * (numero - 1)),
                    heure_debut=datetime.time(9, 30),
                    heure_fin=datetime.time(16, 30),
                    fin_matinee=datetime.time(12, 30),
                    theme=theme,
                    lieu=lieu,
                    adresse=f"Salle du conseil, {lieu}",
                    hote=hote,
                    note_contexte=f"<p>{self.phrases.paragraphe(3)}</p>",
                    couverts_supplementaires=4,
                )
            )
        self.liste_seances = Seance.objects.bulk_create(objets)
        intervenants = []
        for seance in self.liste_seances:
            for ordre in range(rng.choice([1, 1, 2])):
                prenom, nom = self.phrases.nom()
                intervenants.append(
                    Intervenant(
                        seance=seance,
                        nom=f"{prenom} {nom}",
                        qualite=rng.choice(QUALITES),
                        bio=self.phrases.paragraphe(2),
                        ordre=ordre,
                    )
                )
        intervenants = Intervenant.objects.bulk_create(intervenants)
        par_seance = {}
        for intervenant in intervenants:
            par_seance.setdefault(intervenant.seance_id, []).append(intervenant)
        F = FormatProgramme
        points, ressources = [], []
        for seance in self.liste_seances:
            siens = par_seance.get(seance.pk, [])
            deroule = [
                ((9, 30), (9, 45), F.ACCUEIL, "Accueil et tour de table", None),
                ((9, 45), (10, 45), F.APPORT, seance.theme, 0),
                ((10, 45), (11, 30), F.DEBAT, "Débat avec la salle", 0),
                (
                    (11, 30),
                    (12, 30),
                    rng.choice([F.CONFERENCE_INVERSEE, F.ATELIER_PAIRS]),
                    "Questions préparées par les binômes",
                    len(siens) - 1,
                ),
                ((12, 30), (13, 45), F.DEJEUNER, "Déjeuner sur place", None),
                (
                    (13, 45),
                    (15, 30),
                    rng.choice([F.CODEVELOPPEMENT, F.AUTODIAGNOSTIC, F.VISITE, F.ATELIER_PAIRS]),
                    "Atelier de l'après-midi",
                    None,
                ),
                ((15, 30), (16, 30), F.BILAN, "Bilan de la journée et évaluation", None),
            ]
            for debut, fin, format_, titre, rang in deroule:
                points.append(
                    PointProgramme(
                        seance=seance,
                        heure_debut=datetime.time(*debut),
                        heure_fin=datetime.time(*fin),
                        format=format_,
                        titre=titre,
                        description=self.phrases.phrase() if rng.random() < 0.6 else "",
                        intervenant=siens[rang] if rang is not None and siens else None,
                    )
                )
            for ordre, titre in enumerate(rng.sample(RESSOURCES, rng.randint(2, 4))):
                ressources.append(
                    Ressource(
                        seance=seance,
                        titre=f"{titre} – séance {seance.numero}",
                        url=f"https://ressources.example.org/{self.slug}/{seance.numero}/{ordre}",
                        ordre=ordre,
                    )
                )
        PointProgramme.objects.bulk_create(points)
        Ressource.objects.bulk_create(ressources)
        Consigne.objects.bulk_create(
            Consigne(
                seance=seance,
                rubrique=rng.choice(["", *Rubrique.values]),
                texte=f"Pensez à {rng.choice(ACTIONS)} : qu'en retenez-vous ?",
                ordre=0,
            )
            for seance in self.liste_seances
            if rng.random() < 0.5
        )
        self._compter("seances", len(self.liste_seances))

    def _titulaires(self, binome, rang_seance):
        """role -> the holder that day; the replaced technician left mid-cycle."""
        titulaires = {}
        milieu = len(self.liste_seances) // 2
        for membre in self.par_binome[binome.pk]:
            if membre.suppleant:
                continue
            if not membre.actif:
                if rang_seance < milieu:
                    titulaires[membre.role] = membre
                continue
            remplace = any(not m.actif for m in self.par_binome[binome.pk])
            if membre.role == RoleMembre.TECHNICIEN and remplace and rang_seance < milieu:
                continue
            titulaires[membre.role] = membre
        return titulaires

    def vie_des_seances(self):
        """Answers before each session, attendance on the day, evaluations, questions."""
        rng = self.rng
        P, E, A = StatutPresence.PRESENT, StatutPresence.EXCUSE, StatutPresence.ABSENT
        confirmations, presences, evaluations = [], [], []
        self.presents = {}
        for rang_seance, seance in enumerate(self.liste_seances):
            presents = []

            def confirmer(membre, reponse, apres_midi=True, remplacant=None, seance=seance):
                present = reponse == ReponseConfirmation.PRESENT
                confirmations.append(
                    Confirmation(
                        seance=seance,
                        membre=membre,
                        reponse=reponse,
                        matin=present,
                        apres_midi=present and apres_midi,
                        remplacant=remplacant,
                        dejeuner=present and apres_midi and rng.random() < 0.9,
                        regimes=["vegetarien"] if present and rng.random() < 0.12 else [],
                    )
                )

            def marquer(membre, matin, apres_midi=None, seance=seance, presents=presents):
                for demi, statut in (
                    (DemiJournee.MATIN, matin),
                    (DemiJournee.APRES_MIDI, apres_midi or matin),
                ):
                    presences.append(
                        Presence(seance=seance, membre=membre, demi_journee=demi, statut=statut)
                    )
                if matin in (P, StatutPresence.RETARD):
                    presents.append(membre)

            for binome in self.liste_binomes:
                titulaires = self._titulaires(binome, rang_seance)
                elu, technicien = titulaires[RoleMembre.ELU], titulaires[RoleMembre.TECHNICIEN]
                suppleant = next((m for m in self.par_binome[binome.pk] if m.suppleant), None)
                code = rng.choices(CODES_JOURNEE, POIDS_JOURNEE)[0]
                if code == "R" and suppleant is None:
                    code = "C"
                if code in ("C", "E", "D", "L"):
                    confirmer(elu, ReponseConfirmation.PRESENT)
                    marquer(elu, StatutPresence.RETARD if code == "L" else P, P)
                if code in ("C", "T", "D", "L"):
                    confirmer(technicien, ReponseConfirmation.PRESENT, apres_midi=code != "D")
                    marquer(technicien, P, E if code == "D" else P)
                if code in ("E", "X"):
                    confirmer(technicien, ReponseConfirmation.EXCUSE)
                    marquer(technicien, E)
                if code in ("T", "X"):
                    confirmer(elu, ReponseConfirmation.EXCUSE)
                    marquer(elu, E)
                if code == "R":
                    remplace = titulaires[suppleant.role]
                    autre = technicien if remplace is elu else elu
                    confirmer(remplace, ReponseConfirmation.REMPLACE, remplacant=suppleant)
                    marquer(remplace, StatutPresence.REMPLACE)
                    for membre in (suppleant, autre):
                        confirmer(membre, ReponseConfirmation.PRESENT)
                        marquer(membre, P)
                if code == "A":
                    marquer(elu, A)
                    marquer(technicien, A)
            self.presents[seance.pk] = presents
            for membre in presents:
                if rng.random() < 0.75:
                    evaluations.append(
                        Evaluation(
                            seance=seance,
                            membre=membre,
                            note=rng.choices([5, 4, 3, 2, 1], [38, 40, 15, 5, 2])[0],
                            bien=self.phrases.element(Rubrique.POINTS_FORTS),
                            craint=self.phrases.element(Rubrique.VIGILANCE)
                            if rng.random() < 0.8
                            else "",
                            demain=self.phrases.element(Rubrique.IDEES)
                            if rng.random() < 0.7
                            else "",
                        )
                    )
        Confirmation.objects.bulk_create(confirmations)
        Presence.objects.bulk_create(presences)
        Evaluation.objects.bulk_create(evaluations)
        self._compter("evaluations", len(evaluations))
        self._questions()

    def _questions(self):
        rng = self.rng
        actifs = [m for m in self.membres if m.actif]
        questions = []
        for seance in self.liste_seances:
            for _n in range(rng.randint(6, 14)):
                questions.append(
                    Question(
                        seance=seance,
                        auteur=rng.choice(actifs),
                        texte=self.phrases.question(),
                        groupe=rng.choice(GROUPES_QUESTIONS),
                    )
                )
        questions = Question.objects.bulk_create(questions)
        # About one question in seven was folded into an earlier one of the same session.
        doublons = []
        for avant, question in itertools.pairwise(questions):
            if avant.seance_id == question.seance_id and rng.random() < 0.15:
                question.doublon_de = avant if avant.doublon_de_id is None else avant.doublon_de
                question.groupe = ""
                doublons.append(question)
        Question.objects.bulk_update(doublons, ["doublon_de", "groupe"])
        self._compter("questions", len(questions))

    # --- The logbook --------------------------------------------------------------------

    def journal(self, partages):
        """Most people present write an entry; items spread over the entries so that exactly
        ``partages`` are read by the group."""
        rng = self.rng
        entrees = []
        for seance in self.liste_seances:
            for membre in self.presents[seance.pk]:
                if rng.random() < 0.85:
                    entrees.append(
                        Entree(
                            membre=membre,
                            seance=seance,
                            notes=self.phrases.paragraphe(2) if rng.random() < 0.3 else "",
                        )
                    )
        if not entrees and self.liste_seances and partages:
            premier = self.liste_seances[0]
            titulaires = self._titulaires(self.liste_binomes[0], 0)
            entrees.append(Entree(membre=titulaires[RoleMembre.ELU], seance=premier))
        entrees = Entree.objects.bulk_create(entrees)
        total = round(partages / PART_PARTAGEE) if partages else 2 * len(entrees)
        nommes = round(partages * PART_NOMMEE)
        prives = total - partages
        binome = round(prives * PART_BINOME)
        audiences = (
            [Audience.GROUPE] * nommes
            + [Audience.GROUPE_ANONYME] * (partages - nommes)
            + [Audience.BINOME] * binome
            + [Audience.PRIVE] * (prives - binome)
        )
        rng.shuffle(audiences)
        # Some write a lot, most a little: a weight per entry.
        poids = [rng.paretovariate(1.5) for _entree in entrees]
        places = rng.choices(range(len(entrees)), weights=poids, k=len(audiences))
        elements = []
        for audience, place in zip(audiences, places, strict=True):
            rubrique = rng.choice(Rubrique.values)
            elements.append(
                (
                    place,
                    Element(
                        entree=entrees[place],
                        rubrique=rubrique,
                        texte=self.phrases.element(rubrique),
                        audience=audience,
                    ),
                )
            )
        # In writing order: entry by entry (the entries are in session order).
        elements.sort(key=lambda paire: paire[0])
        elements = Element.objects.bulk_create(element for _place, element in elements)
        for seance in self.liste_seances:
            ecrit = _paris(seance.date + datetime.timedelta(days=1), 18)
            Entree.objects.filter(seance=seance).update(cree_le=ecrit, modifie_le=ecrit)
            Element.objects.filter(entree__seance=seance).update(cree_le=ecrit, modifie_le=ecrit)
        self.comptes.update(
            entrees=len(entrees),
            elements=len(elements),
            partages=partages,
            partages_anonymes=partages - nommes,
        )

    # --- What the collectivities passed on and tried ------------------------------------

    def relais_et_experimentations(self):
        rng = self.rng
        relais, experimentations = [], []
        for binome in self.liste_binomes:
            for rang_seance, seance in enumerate(self.liste_seances):
                if rng.random() < 0.45:
                    titulaires = self._titulaires(binome, rang_seance)
                    relais.append(
                        Relais(
                            binome=binome,
                            auteur=titulaires[rng.choice(list(titulaires))],
                            seance=seance,
                            date=seance.date + datetime.timedelta(days=rng.randint(5, 25)),
                            public=rng.choice(PUBLICS),
                            quoi=self.phrases.element(rng.choice(Rubrique.values)),
                        )
                    )
            technicien = self._titulaires(binome, len(self.liste_seances))[RoleMembre.TECHNICIEN]
            nombre = rng.choices([0, 1, 2, 3], [15, 40, 30, 15])[0]
            for titre in rng.sample(EXPERIMENTATIONS, nombre):
                statut = rng.choice(StatutExperimentation.values)
                experimentations.append(
                    Experimentation(
                        binome=binome,
                        titre=titre,
                        description=self.phrases.element(Rubrique.IDEES),
                        statut=statut,
                        resultats=self.phrases.element(Rubrique.POINTS_FORTS)
                        if statut == StatutExperimentation.FAITE
                        else "",
                        seance=rng.choice(self.liste_seances) if self.liste_seances else None,
                        modifie_par=technicien.user,
                    )
                )
        Relais.objects.bulk_create(relais)
        Experimentation.objects.bulk_create(experimentations)
        self.comptes.update(relais=len(relais), experimentations=len(experimentations))

    def autodiagnostics(self):
        """The grid at the start, mid-course and at the end; most pairs fill it, slowly
        moving up."""
        rng = self.rng
        questions = grille_par_defaut(self.cycle)
        if not questions or not self.liste_seances:
            self.comptes["diagnostics"] = 0
            return
        diagnostics, valeurs = [], []
        manque = {Temps.DEBUT: 0.1, Temps.MILIEU: 0.25, Temps.FIN: 0.15}
        for binome in self.liste_binomes:
            depart = [rng.randint(1, 3) for _q in questions]
            for rang_temps, temps in enumerate(Temps):
                if rng.random() < manque[temps]:
                    continue
                diagnostics.append(Diagnostic(binome=binome, temps=temps))
                valeurs.append(
                    [
                        min(q.echelle, d + rang_temps * rng.randint(0, 1))
                        for q, d in zip(questions, depart, strict=True)
                    ]
                )
        diagnostics = Diagnostic.objects.bulk_create(diagnostics)
        ReponseDiagnostic.objects.bulk_create(
            ReponseDiagnostic(diagnostic=diagnostic, question=question, valeur=valeur)
            for diagnostic, ligne in zip(diagnostics, valeurs, strict=True)
            for question, valeur in zip(questions, ligne, strict=True)
        )
        seances = self.liste_seances
        jours = {
            Temps.DEBUT: seances[0].date,
            Temps.MILIEU: seances[len(seances) // 2].date,
            Temps.FIN: seances[-1].date,
        }
        for temps, jour in jours.items():
            Diagnostic.objects.filter(binome__cycle=self.cycle, temps=temps).update(
                rempli_le=_paris(jour, 17)
            )
        self.comptes["diagnostics"] = len(diagnostics)

    def rapport(self):
        Rapport.objects.create(
            cycle=self.cycle,
            titre="",
            introduction="".join(f"<p>{self.phrases.paragraphe(5)}</p>" for _p in range(3)),
            conclusion="".join(f"<p>{self.phrases.paragraphe(5)}</p>" for _p in range(2)),
            sections=list(SECTIONS_PAR_DEFAUT),
        )

    def bilan(self, secondes) -> GrandCycle:
        return GrandCycle(cycle=self.cycle, secondes=round(secondes, 2), **self.comptes)
