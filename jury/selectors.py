"""Reads of the jury. Every juror-facing view fetches through ``affectation_de`` or
``affectations_de``: a candidature that is not assigned to you, or that you are in conflict
with, answers 404."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from candidatures.enums import STATUTS_DEPOSES
from candidatures.models import Candidature, Critere, NiveauCritere
from candidatures.selectors import candidature_de
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.territoires.models import Territoire, TypeTerritoire

from . import classement as calcul
from .composition import Profil
from .enums import StatutDecision, VisibiliteNotes
from .models import Affectation, Decision, Jure, Lien, NoteJury

# --- conflicts of interest ------------------------------------------------------------------


def sirens_en_conflit(liens) -> set[str]:
    """The SIRENs a juror may not judge: each tie, the EPCI of a tied commune and the
    communes of a tied EPCI."""
    return _sirens_en_conflit_par_cle({None: list(liens)})[None]


def _sirens_en_conflit_par_cle(liens_par_cle: dict) -> dict:
    """``sirens_en_conflit`` for several jurors at once, in at most three queries.

    A tie declared by SIREN alone whose SIREN is in the official list counts as a tie with
    that territory (an EPCI typed by hand still covers its communes)."""
    tous = [lien for liens in liens_par_cle.values() for lien in liens]
    sans_territoire = {lien.siren for lien in tous if lien.territoire_id is None}
    trouves = (
        {t.siren: t for t in Territoire.objects.filter(siren__in=sans_territoire)}
        if sans_territoire
        else {}
    )

    def territoire_de(lien):
        return lien.territoire if lien.territoire_id else trouves.get(lien.siren)

    epci_ids, membres_de = set(), set()
    for lien in tous:
        territoire = territoire_de(lien)
        if territoire is None:
            continue
        if territoire.type == TypeTerritoire.COMMUNE and territoire.epci_id:
            epci_ids.add(territoire.epci_id)
        if territoire.est_epci:
            membres_de.add(territoire.pk)
    siren_epci = (
        dict(Territoire.objects.filter(pk__in=epci_ids).values_list("pk", "siren"))
        if epci_ids
        else {}
    )
    communes = defaultdict(set)
    if membres_de:
        for epci_id, siren in Territoire.objects.filter(epci_id__in=membres_de).values_list(
            "epci_id", "siren"
        ):
            communes[epci_id].add(siren)
    resultat = {}
    for cle, liens in liens_par_cle.items():
        sirens = set()
        for lien in liens:
            sirens.add(lien.siren)
            territoire = territoire_de(lien)
            if territoire is None:
                continue
            if territoire.epci_id in siren_epci:
                sirens.add(siren_epci[territoire.epci_id])
            if territoire.est_epci:
                sirens |= communes[territoire.pk]
        resultat[cle] = sirens
    return resultat


def siren_de(candidature) -> str:
    return (
        candidature.territoire.siren if candidature.territoire_id else candidature.structure_siren
    )


def candidatures_a_evaluer(cycle):
    """The candidatures the jury works on: every submitted one of the cycle."""
    # By the collectivity's name, a structure without territory (a park) among the others:
    # ordering on the territory alone put it first on SQLite and last on PostgreSQL.
    return (
        Candidature.objects.filter(cycle=cycle, statut__in=STATUTS_DEPOSES)
        .select_related("territoire", "territoire__departement", "departement", "cycle")
        .order_by(Coalesce("territoire__nom", "structure_nom"), "pk")
    )


def conflits_du_cycle(cycle) -> dict[int, set[int]]:
    """Juror id -> ids of the cycle's candidatures they are in conflict with."""
    jures = Jure.objects.filter(cycle=cycle).prefetch_related(
        Prefetch("liens", queryset=Lien.objects.select_related("territoire"))
    )
    candidatures = [(c.pk, siren_de(c)) for c in candidatures_a_evaluer(cycle)]
    sirens_par_jure = _sirens_en_conflit_par_cle(
        {jure.pk: list(jure.liens.all()) for jure in jures}
    )
    return {
        jure_id: {pk for pk, siren in candidatures if siren and siren in sirens}
        for jure_id, sirens in sirens_par_jure.items()
    }


def en_conflit(jure, candidature) -> bool:
    siren = siren_de(candidature)
    liens = jure.liens.select_related("territoire")
    return bool(siren) and siren in sirens_en_conflit(liens)


# --- jurors ---------------------------------------------------------------------------------


def jures_de(user):
    """The user's seats on juries (active only)."""
    if not user.is_authenticated:
        return Jure.objects.none()
    return Jure.objects.filter(user=user, actif=True).select_related("cycle")


def jure_de(user, cycle_slug):
    return get_object_or_404(jures_de(user), cycle__slug=cycle_slug)


def liens_de(jure):
    """The ties a juror declared, with their territory (for the form that revises them)."""
    return jure.liens.select_related("territoire", "territoire__departement").order_by("nom")


def jures_du_cycle(cycle):
    """Staff view of the jury: each juror with load and progress, no query per row."""
    return (
        Jure.objects.filter(cycle=cycle)
        .select_related("user")
        .annotate(
            nb_affectees=Count("affectations", distinct=True),
            nb_soumises=Count(
                "affectations", filter=Q(affectations__soumise_le__isnull=False), distinct=True
            ),
            nb_liens=Count("liens", distinct=True),
        )
        .order_by("-actif", "user__last_name", "user__first_name", "user__email")
    )


def jure_par_email(cycle, email):
    """The cycle's seat of the person with this address (active or not), else None."""
    return (
        Jure.objects.filter(cycle=cycle, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )


def affectations_du_cycle(cycle):
    """Every assignment of the cycle's submitted candidatures to an active juror (the matrix)."""
    return Affectation.objects.filter(
        jure__cycle=cycle, jure__actif=True, candidature__statut__in=STATUTS_DEPOSES
    ).only("pk", "jure_id", "candidature_id", "modifie_le", "soumise_le")


def chiffres_affectations(cycle) -> dict[str, int]:
    """Assignments to active jurors (``faites``) and submitted evaluations (``soumises``)."""
    return Affectation.objects.filter(
        candidature__cycle=cycle, candidature__statut__in=STATUTS_DEPOSES
    ).aggregate(
        faites=Count("pk", filter=Q(jure__actif=True)),
        soumises=Count("pk", filter=Q(soumise_le__isnull=False)),
    )


def affectations_de(user, cycle=None):
    """The candidatures assigned to the user as an active juror."""
    if not user.is_authenticated:
        return Affectation.objects.none()
    qs = Affectation.objects.filter(jure__user=user, jure__actif=True).select_related(
        # The jury's settings (deadline, visibility of the others' marks) come with the row.
        "jure__cycle__jury",
        "candidature__cycle",
        "candidature__territoire",
        "candidature__territoire__departement",
        "candidature__departement",
    )
    if cycle is not None:
        qs = qs.filter(jure__cycle=cycle)
    return qs.order_by(
        "soumise_le", Coalesce("candidature__territoire__nom", "candidature__structure_nom"), "pk"
    )


# The columns of a juror's list, read as plain values: building a model per joined row cost
# more than the query itself on a 250-row list.
COLONNES_LISTE = (
    "jure_id",
    "candidature_id",
    "modifie_le",
    "soumise_le",
    "candidature__territoire__nom",
    "candidature__structure_nom",
    "candidature__territoire__type",
    "candidature__departement__nom",
    "candidature__departement__code",
    "candidature__territoire__departement__nom",
    "candidature__territoire__departement__code",
)


def lignes_affectations_de(user, jure_ids):
    """The rows of the user's lists on these seats, as tuples of ``COLONNES_LISTE``."""
    return (
        affectations_de(user)
        .filter(jure_id__in=jure_ids)
        .select_related(None)
        .values_list(*COLONNES_LISTE)
    )


def comptes_affectations_de(user, jure_ids) -> dict[int, tuple[int, int]]:
    """Seat id -> (submitted, assigned), in one query, for the seats shown as a summary."""
    comptes = (
        affectations_de(user)
        .filter(jure_id__in=jure_ids)
        .order_by()
        .values("jure_id")
        .annotate(total=Count("pk"), soumises=Count("pk", filter=Q(soumise_le__isnull=False)))
    )
    return {c["jure_id"]: (c["soumises"], c["total"]) for c in comptes}


def affectation_de(user, candidature_pk, cycle_slug=None):
    """The user's assignment of one candidature; 404 if not assigned, inactive or in conflict."""
    qs = affectations_de(user).filter(candidature__statut__in=STATUTS_DEPOSES)
    if cycle_slug is not None:
        qs = qs.filter(jure__cycle__slug=cycle_slug)
    affectation = get_object_or_404(qs, candidature_id=candidature_pk)
    if en_conflit(affectation.jure, affectation.candidature):
        raise Http404
    return affectation


def grille(cycle):
    """The cycle's criteria with their levels."""
    return list(
        Critere.objects.filter(cycle=cycle).prefetch_related(
            Prefetch("niveaux", queryset=NiveauCritere.objects.order_by("valeur"))
        )
    )


def notes_par_critere(affectation) -> dict[int, NoteJury]:
    return {note.critere_id: note for note in affectation.notes.all()}


def notes_croisees_visibles(affectation, jury) -> bool:
    """Whether the juror may read the other jurors' scores on this candidature."""
    if not affectation.soumise:
        return False
    if jury.visibilite_notes == VisibiliteNotes.DELIBERATION:
        return jury.deliberation_ouverte_le is not None
    return True


def autres_evaluations(affectation):
    """The other jurors' submitted evaluations of the same candidature, with their notes."""
    return (
        Affectation.objects.filter(candidature=affectation.candidature, soumise_le__isnull=False)
        .exclude(pk=affectation.pk)
        .select_related("jure__user")
        .prefetch_related(Prefetch("notes", queryset=NoteJury.objects.select_related("critere")))
        .order_by("soumise_le")
    )


# --- deliberation ---------------------------------------------------------------------------


@dataclass
class LigneClassement:
    candidature: Candidature
    calcul: calcul.Ligne
    decision: Decision | None


@dataclass
class Classement:
    criteres: list
    lignes: list[LigneClassement]
    jures: list[Jure]
    severites: dict  # juror id -> classement.Severite


def criteres_grille(criteres):
    """The plain description of the grid that the arithmetic works on."""
    resultat = []
    for critere in criteres:
        valeurs = [n.valeur for n in critere.niveaux.all()]
        resultat.append(
            calcul.CritereGrille(
                id=critere.pk,
                intitule=critere.intitule,
                porte=critere.est_porte,
                poids=critere.poids,
                minimum=min(valeurs) if valeurs else 1,
                maximum=max(valeurs) if valeurs else 4,
            )
        )
    return resultat


def classement_du_cycle(cycle) -> Classement:
    """The ranking table; a fixed number of queries whatever the number of candidatures."""
    criteres = grille(cycle)
    grille_simple = criteres_grille(criteres)
    candidatures = list(
        candidatures_a_evaluer(cycle)
        .select_related(None)
        .select_related(
            "territoire", "territoire__departement", "departement", "decision__decide_par"
        )
    )
    for candidature in candidatures:
        candidature.cycle = cycle  # the same cycle, not a copy joined on each of 250 rows
    # Plain tuples, not model instances: building ~5,000 NoteJury and Affectation objects for
    # a 250-row cycle cost more than the queries. Not the models' default ordering: it joined
    # jurors, cycles, users, candidatures and criteria to sort (a 60 ms query on 250
    # candidatures); the primary key keeps the jurors' order stable.
    affectations = list(
        Affectation.objects.filter(candidature__in=[c.pk for c in candidatures])
        .order_by("pk")
        .values_list("pk", "jure_id", "candidature_id", "soumise_le")
    )
    notes_par_affectation = defaultdict(dict)
    # By the assignments' ids, as the prefetch did: joining the assignments instead made
    # PostgreSQL hash the whole table (16 ms against 4 ms at national scale).
    for affectation_id, critere_id, valeur, porte in (
        NoteJury.objects.filter(affectation_id__in=[a[0] for a in affectations])
        .order_by()
        .values_list("affectation_id", "critere_id", "valeur", "porte")
    ):
        valeur = porte or None if valeur is None else valeur
        if valeur is not None:
            notes_par_affectation[affectation_id][critere_id] = valeur
    par_candidature = defaultdict(list)
    for affectation_id, jure_id, candidature_id, soumise_le in affectations:
        par_candidature[candidature_id].append(
            calcul.Evaluation(
                jure_id=jure_id,
                soumise=soumise_le is not None,
                notes=notes_par_affectation.get(affectation_id, {}),
            )
        )
    calculs = calcul.classer(
        [calcul.ligne_calculer(c.pk, grille_simple, par_candidature[c.pk]) for c in candidatures]
    )
    par_pk = {c.pk: c for c in candidatures}
    lignes = [
        LigneClassement(
            candidature=par_pk[ligne.candidature_id],
            calcul=ligne,
            decision=getattr(par_pk[ligne.candidature_id], "decision", None),
        )
        for ligne in calculs
    ]
    jures = list(Jure.objects.filter(cycle=cycle).select_related("user"))
    return Classement(
        criteres=criteres,
        lignes=lignes,
        jures=jures,
        severites=calcul.severites(calculs, [j.pk for j in jures]),
    )


def profils_composition(classement: Classement) -> list[Profil]:
    """The candidatures the cohort helper may pick: scored and not set aside by a gate."""
    profils = []
    for ligne in classement.lignes:
        if ligne.calcul.ecartee or ligne.calcul.score is None:
            continue
        candidature = ligne.candidature
        territoire = candidature.territoire
        departement = candidature.departement_id or (
            territoire.departement_id if territoire else ""
        )
        profils.append(
            Profil(
                candidature_id=candidature.pk,
                score=ligne.calcul.score,
                departement=str(departement or ""),
                # A structure outside the list (a park, a syndicate) groups several communes.
                est_epci=territoire.est_epci if territoire else True,
                population=territoire.population if territoire else 0,
            )
        )
    return profils


def evaluations_du_cycle(cycle):
    """Every evaluation of the cycle's submitted candidatures, submitted or not, with its
    notes: the export of all scores and comments (a fixed number of queries)."""
    return (
        Affectation.objects.filter(jure__cycle=cycle, candidature__statut__in=STATUTS_DEPOSES)
        .select_related("jure__user", "candidature__territoire", "candidature__departement")
        .prefetch_related(Prefetch("notes", queryset=NoteJury.objects.order_by()))
        .order_by(
            "candidature__territoire__nom",
            "candidature__structure_nom",
            "candidature_id",
            "jure__user__last_name",
            "jure__user__first_name",
            "jure_id",
        )
    )


def decisions_du_cycle(cycle):
    return Decision.objects.filter(candidature__cycle=cycle).select_related(
        "candidature__territoire", "candidature__cycle", "decide_par"
    )


def candidatures_retenues(cycle):
    """The cohort: the candidatures the jury retained (the sessions start from them)."""
    return candidatures_a_evaluer(cycle).filter(decision__statut=StatutDecision.RETENUE)


def candidatures_sans_decision(cycle):
    decision = Decision.objects.filter(candidature=OuterRef("pk"))
    return candidatures_a_evaluer(cycle).exclude(Exists(decision))


def resultat_de(user, candidature_pk):
    """A candidate's own decision, once the cycle's results are published; else 404."""
    candidature = candidature_de(user, candidature_pk)
    if candidature.cycle.resultats_publies_le is None:
        raise Http404
    decision = Decision.objects.filter(candidature=candidature).first()
    if decision is None:
        raise Http404
    return candidature, decision


# --- results --------------------------------------------------------------------------------


def cle_courriel_decision(candidature_id) -> str:
    """The outbox key of a candidature's decision email: whatever happens, it leaves once."""
    return f"decision:candidature={candidature_id}"


def _decisions_annoncees(cycle):
    """The decisions that are announced: those on the cycle's submitted candidatures."""
    return (
        decisions_du_cycle(cycle)
        .filter(candidature__statut__in=STATUTS_DEPOSES)
        .order_by("candidature__territoire__nom", "candidature__structure_nom", "pk")
    )


def decisions_par_statut(cycle, decisions=None) -> dict[str, list[Decision]]:
    """The announced decisions grouped by kind (every kind is a key), in one query (none when
    the page has already read the ``decisions``)."""
    groupes = {statut: [] for statut in StatutDecision.values}
    for decision in _decisions_annoncees(cycle) if decisions is None else decisions:
        groupes[decision.statut].append(decision)
    return groupes


@dataclass
class CourrielDecision:
    decision: Decision
    courriel: Courriel | None  # None until the results are published


def courriels_decision(cycle, decisions=None) -> list[CourrielDecision]:
    """Each announced decision with its email in the outbox; two queries whatever the size
    (one when the page has already read the ``decisions``)."""
    decisions = list(_decisions_annoncees(cycle) if decisions is None else decisions)
    cles = [cle_courriel_decision(decision.candidature_id) for decision in decisions]
    courriels = {
        courriel.cle: courriel
        for courriel in Courriel.objects.filter(cle__in=cles).defer("texte", "html")
    }
    return [
        CourrielDecision(decision=decision, courriel=courriels.get(cle))
        for decision, cle in zip(decisions, cles, strict=True)
    ]


def decision_pour_equipe(candidature_pk) -> Decision:
    """A decision as staff open it (its letter); 404 if the candidature has none."""
    return get_object_or_404(
        Decision.objects.select_related("candidature__territoire", "candidature__cycle"),
        candidature_id=candidature_pk,
    )
