"""The two scales of the load run (issue 8): the regional cycle (the demo) and the national one.

``construire_nationale`` adds to the demo twenty finished cycles built by
``bench.donnees.construire_grand_cycle`` (one per cycle, spread over the metropolitan regions:
250 candidatures, 15 retained collectivities, 30 participants and about 1,000 logbook items
each), then the jury work they lack: 60 juror accounts, each sitting on three cycles, every
candidature scored by three of them on every criterion of the call's grid, evaluations
submitted, and a few declared ties (conflicts of interest) that the assignment avoids.

Everything goes through ``bulk_create`` (no service: nothing is queued, no email) and is
deterministic for a given seed. ``cibles`` then picks, by query, the accounts and the objects
the load run visits, so that the same code serves both scales.
"""

import datetime
import io
import random
import time
from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from bench.donnees import Phrases, construire_grand_cycle
from candidatures.enums import STATUTS_DEPOSES, StatutCandidature
from candidatures.grille import grille_par_defaut
from candidatures.models import Candidature, Critere
from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from jury import selectors as jury_selectors
from jury.enums import NatureLien, Porte, StatutDecision
from jury.models import Affectation, Decision, Jure, Jury, Lien, NoteJury
from seances.enums import RoleMembre
from seances.models import Membre, Seance

# The national scale.
CYCLES = 20
CANDIDATURES_PAR_CYCLE = 250
RETENUES_PAR_CYCLE = 15
SEANCES_PAR_CYCLE = 8
# 40 % of the items are shared with the group (bench.donnees.PART_PARTAGEE): 400 shared make
# about 1,000 items per cycle, 20,000 in all.
PARTAGES_PAR_CYCLE = 400
JURES = 60
JURES_PAR_CYCLE = 9  # 20 × 9 seats = 60 jurors × 3 cycles
JURES_PAR_CANDIDATURE = 3
# One juror in this many declares a tie with a collectivity that applied to one of their cycles.
PART_LIENS = 5
# Metropolitan regions with enough communes for 250 candidatures (Corsica left out).
REGIONS = ["32", "11", "24", "27", "28", "44", "52", "53", "75", "76", "84", "93"]
PREFIXE_SLUG = "national"


@dataclass
class Nationale:
    """What was built (printed by the load run and checked by the tests)."""

    cycles: int
    candidatures: int
    retenues: int
    participants: int
    elements: int
    jures: int
    sieges: int
    affectations: int
    soumises: int
    notes: int
    liens: int
    conflits: int
    secondes: float


def construire_regionale() -> None:
    """The regional scale: the demo (loads the territories if they are missing)."""
    call_command("demo", force=True, stdout=io.StringIO())


def construire_nationale(
    cycles=CYCLES,
    candidatures=CANDIDATURES_PAR_CYCLE,
    retenues=RETENUES_PAR_CYCLE,
    seances=SEANCES_PAR_CYCLE,
    partages=PARTAGES_PAR_CYCLE,
    jures=JURES,
    jures_par_cycle=JURES_PAR_CYCLE,
    *,
    graine=2026,
    regions=None,
    prefixe=PREFIXE_SLUG,
) -> Nationale:
    """``cycles`` finished cycles (one after the other, a year apart) and their jury.

    ``jures × 3`` must equal ``cycles × jures_par_cycle``: each juror sits on three cycles."""
    if jures_par_cycle < JURES_PAR_CANDIDATURE:
        raise ValueError("Il faut au moins trois juré·es par cycle.")
    if cycles * jures_par_cycle != jures * 3:
        raise ValueError("Chaque juré·e siège dans trois cycles : jurés × 3 = cycles × sièges.")
    regions = regions or REGIONS
    debut_chrono = time.monotonic()
    rng = random.Random(graine)  # noqa: S311 (benchmark data, not secrets)
    phrases = Phrases(rng)
    construits = []
    for rang in range(cycles):
        construits.append(
            construire_grand_cycle(
                collectivites=retenues,
                seances=seances,
                partages=partages,
                candidatures=candidatures,
                graine=graine + rang,
                slug=f"{prefixe}-{rang + 1:02d}",
                region=regions[rang % len(regions)],
                # The latest cycle first began a year before 2026's first session.
                debut=datetime.date(2025 - cycles + rang, 9, 14),
            )
        )
    with transaction.atomic():
        comptes = _Jury(rng, phrases, prefixe).construire(
            [c.cycle for c in construits], jures, jures_par_cycle
        )
    return Nationale(
        cycles=len(construits),
        candidatures=sum(c.candidatures for c in construits),
        retenues=sum(c.retenues for c in construits),
        participants=sum(c.participants for c in construits),
        elements=sum(c.elements for c in construits),
        secondes=round(time.monotonic() - debut_chrono, 1),
        **comptes,
    )


class _Jury:
    def __init__(self, rng, phrases, prefixe):
        self.rng = rng
        self.phrases = phrases
        self.domaine = f"jury.{prefixe}.bench.test"

    def construire(self, cycles, nombre_jures, par_cycle) -> dict:
        users = User.objects.bulk_create(
            User(
                email=f"jure{rang:02d}@{self.domaine}",
                first_name=prenom,
                last_name=nom,
                password=f"{UNUSABLE_PASSWORD_PREFIX}bench",
            )
            for rang, (prenom, nom) in enumerate(
                self.phrases.nom() for _rang in range(nombre_jures)
            )
        )
        groupe, _cree = Group.objects.get_or_create(name=Role.JURE.value)
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=u.pk, group_id=groupe.pk) for u in users
        )
        comptes = dict.fromkeys(
            ["jures", "sieges", "affectations", "soumises", "notes", "liens", "conflits"], 0
        )
        comptes["jures"] = len(users)
        for rang, cycle in enumerate(cycles):
            # Three consecutive cycles share most of their jury, as real juries renew slowly.
            sieges = [users[(rang * 3 + k) % nombre_jures] for k in range(par_cycle)]
            for cle, n in self._cycle(cycle, sieges).items():
                comptes[cle] += n
        return comptes

    def _cycle(self, cycle, users) -> dict:
        rng = self.rng
        phrases = self.phrases
        # Every candidature of a finished cycle was scored: the drafts become late submissions
        # the jury turned down, so that the ranking lists the cycle's 250 candidatures.
        brouillons = list(
            Candidature.objects.filter(cycle=cycle, statut=StatutCandidature.BROUILLON)
        )
        Candidature.objects.filter(pk__in=[c.pk for c in brouillons]).update(
            statut=StatutCandidature.DEPOSEE,
            depose_le=cycle.date_limite - datetime.timedelta(hours=2),
            engagement_binome=True,
        )
        Decision.objects.bulk_create(
            Decision(
                candidature=c,
                statut=StatutDecision.NON_RETENUE,
                motif="Le dossier reste incomplet sur les besoins du binôme. " + phrases.phrase(),
            )
            for c in brouillons
        )
        selection_debut = cycle.date_limite + datetime.timedelta(days=3)
        Jury.objects.create(
            cycle=cycle,
            jures_par_candidature=JURES_PAR_CANDIDATURE,
            date_limite=selection_debut + datetime.timedelta(days=30),
            deliberation_ouverte_le=selection_debut + datetime.timedelta(days=32),
        )
        grille_par_defaut(cycle)
        criteres = list(Critere.objects.filter(cycle=cycle).order_by("ordre"))
        jures = Jure.objects.bulk_create(
            Jure(cycle=cycle, user=u, liens_declares_le=selection_debut) for u in users
        )
        candidatures = list(
            Candidature.objects.filter(cycle=cycle, statut__in=STATUTS_DEPOSES)
            .select_related("territoire")
            .order_by("pk")
        )
        liens = []
        for jure in jures:
            if rng.randrange(PART_LIENS) == 0:
                cible = rng.choice([c for c in candidatures if c.territoire_id])
                liens.append(
                    Lien(
                        jure=jure,
                        territoire=cible.territoire,
                        siren=cible.territoire.siren,
                        nom=cible.territoire.nom,
                        nature=rng.choice(NatureLien.values),
                    )
                )
        Lien.objects.bulk_create(liens)
        # The conflicts as the platform computes them (a tie with a commune covers its EPCI).
        conflits = jury_selectors.conflits_du_cycle(cycle)
        charge = dict.fromkeys((j.pk for j in jures), 0)
        affectations, valeurs = [], []
        for candidature in candidatures:
            libres = [j for j in jures if candidature.pk not in conflits.get(j.pk, set())]
            # The least loaded jurors first; the draw breaks ties.
            libres.sort(key=lambda j: (charge[j.pk], rng.random()))
            niveau = rng.randint(1, 4)  # how good the file is: jurors mostly agree
            for jure in libres[:JURES_PAR_CANDIDATURE]:
                charge[jure.pk] += 1
                soumise = selection_debut + datetime.timedelta(
                    days=rng.randint(2, 28), hours=rng.randint(8, 20)
                )
                affectations.append(
                    Affectation(
                        jure=jure,
                        candidature=candidature,
                        automatique=True,
                        commentaire=phrases.paragraphe(2),
                        modifie_le=soumise,
                        soumise_le=soumise,
                    )
                )
                valeurs.append(
                    [max(1, min(4, niveau + rng.choice((-1, 0, 0, 0, 1)))) for _c in criteres]
                )
        affectations = Affectation.objects.bulk_create(affectations)
        Affectation.objects.filter(jure__cycle=cycle).update(cree_le=selection_debut)
        notes = []
        for affectation, ligne in zip(affectations, valeurs, strict=True):
            for critere, valeur in zip(criteres, ligne, strict=True):
                if critere.est_porte:
                    porte = Porte.OUI if rng.random() < 0.93 else Porte.A_VERIFIER
                    notes.append(NoteJury(affectation=affectation, critere=critere, porte=porte))
                else:
                    commentaire = phrases.phrase() if rng.random() < 0.3 else ""
                    notes.append(
                        NoteJury(
                            affectation=affectation,
                            critere=critere,
                            valeur=valeur,
                            commentaire=commentaire,
                        )
                    )
        NoteJury.objects.bulk_create(notes)
        return {
            "sieges": len(jures),
            "affectations": len(affectations),
            "soumises": len(affectations),
            "notes": len(notes),
            "liens": len(liens),
            "conflits": sum(len(ids) for ids in conflits.values()),
        }


# --- What the load run visits ----------------------------------------------------------------


@dataclass
class Cibles:
    """Accounts (emails) and URL arguments of the pages measured."""

    equipe: str
    candidat: str
    jure: str
    participant: str
    appel: str  # slug of the open call
    candidature: int  # the candidate's draft
    evaluation_cycle: str
    evaluation_candidature: int
    classement: str  # slug of the cycle ranked
    candidatures_classees: int
    assiduite: str  # slug of the cycle whose attendance is shown
    seance_partages: int

    def dict(self):
        return asdict(self)


def cibles(echelle, prefixe=PREFIXE_SLUG) -> Cibles:
    """The largest objects of each kind at this scale, found by query."""
    cycles = Cycle.objects.all()
    if echelle == "nationale":
        cycles = cycles.filter(slug__startswith=f"{prefixe}-")
    equipe = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    ouvert = Cycle.objects.filter(statut=StatutCycle.AMI_OUVERT).order_by("-ouverture_ami").first()
    brouillon = (
        Candidature.objects.filter(cycle=ouvert, statut=StatutCandidature.BROUILLON)
        .select_related("proprietaire")
        .order_by("pk")
        .first()
    )
    # The juror with the most assignments, and one of their submitted evaluations.
    jure = (
        Jure.objects.filter(cycle__in=cycles, actif=True, liens_declares_le__isnull=False)
        .values("user")
        .annotate(n=Count("affectations"))
        .order_by("-n", "user")
        .first()
    )
    user_jure = User.objects.get(pk=jure["user"])
    affectation = next(
        a
        for a in jury_selectors.affectations_de(user_jure)
        .filter(jure__cycle__in=cycles, soumise_le__isnull=False)
        .order_by("-jure__cycle__ouverture_ami", "pk")
        if not jury_selectors.en_conflit(a.jure, a.candidature)
        and a.jure.liens_declares_le is not None
    )
    classe = (
        cycles.annotate(n=Count("candidatures", filter=Q(candidatures__statut__in=STATUTS_DEPOSES)))
        .order_by("-n", "-ouverture_ami")
        .first()
    )
    # A seat holder of the latest cycle with pairs (journal: their latest cycle is shown).
    membre = (
        Membre.objects.filter(
            binome__cycle__in=cycles, actif=True, suppleant=False, role=RoleMembre.ELU
        )
        .annotate(n=Count("entrees_journal"))
        .order_by("-binome__cycle__ouverture_ami", "-n", "pk")
        .select_related("binome__cycle", "user")
        .first()
    )
    seance = (
        Seance.objects.filter(cycle=membre.binome.cycle)
        .annotate(n=Count("entrees_journal__elements"))
        .order_by("-n", "pk")
        .first()
    )
    return Cibles(
        equipe=equipe.email,
        candidat=brouillon.proprietaire.email,
        jure=user_jure.email,
        participant=membre.user.email,
        appel=ouvert.slug,
        candidature=brouillon.pk,
        evaluation_cycle=affectation.jure.cycle.slug,
        evaluation_candidature=affectation.candidature_id,
        classement=classe.slug,
        candidatures_classees=classe.n,
        assiduite=classe.slug,
        seance_partages=seance.pk,
    )
