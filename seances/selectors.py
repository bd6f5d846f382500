"""Reads of the sessions layer. Access is decided here, once: a participant reaches the
sessions of the cycles where they sit in a pair, staff reach everything, anyone else gets 404."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from cerdd_cycle.comptes.roles import Role, a_le_role
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.cycles.selectors import cycle_courant

from . import assiduite
from .enums import (
    PRESENCES_EFFECTIVES,
    Regime,
    ReponseConfirmation,
    StatutBinome,
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

# --- Access ---------------------------------------------------------------------------------


def est_equipe(user) -> bool:
    return a_le_role(user, Role.EQUIPE)


def membres_de(user):
    """The seats ``user`` holds today, in every cycle."""
    if not user.is_authenticated:
        return Membre.objects.none()
    return Membre.objects.filter(user=user, actif=True).select_related(
        "binome__cycle", "binome__candidature__territoire"
    )


def membre_du_cycle(user, cycle) -> Membre | None:
    return membres_de(user).filter(binome__cycle=cycle).order_by("suppleant", "pk").first()


def membre_ou_404(user, cycle) -> Membre:
    membre = membre_du_cycle(user, cycle)
    if membre is None:
        raise Http404
    return membre


def seances_visibles(user):
    """Staff: every session; a participant: those of their cycles; anyone else: none."""
    seances = Seance.objects.select_related("cycle", "hote__candidature__territoire")
    if est_equipe(user):
        return seances
    return seances.filter(cycle__binomes__membres__in=membres_de(user)).distinct()


def seance_visible(user, pk) -> Seance:
    seance = (
        seances_visibles(user)
        .prefetch_related(
            Prefetch("intervenants", queryset=Intervenant.objects.order_by("ordre", "nom")),
            Prefetch(
                "programme",
                queryset=PointProgramme.objects.select_related("intervenant").order_by(
                    "heure_debut"
                ),
            ),
            Prefetch("ressources", queryset=Ressource.objects.order_by("ordre", "titre")),
        )
        .filter(pk=pk)
        .first()
    )
    if seance is None:
        raise Http404
    return seance


def ressource_visible(user, pk) -> Ressource:
    ressource = Ressource.objects.filter(seance__in=seances_visibles(user), pk=pk).first()
    if ressource is None:
        raise Http404
    return ressource


def seances_du_cycle(cycle):
    return (
        Seance.objects.filter(cycle=cycle)
        .select_related("cycle", "hote__candidature__territoire")
        .prefetch_related(Prefetch("intervenants", queryset=Intervenant.objects.order_by("ordre")))
        .order_by("numero")
    )


def seance_du_cycle_ou_404(cycle, numero) -> Seance:
    seance = seances_du_cycle(cycle).filter(numero=numero).first()
    if seance is None:
        raise Http404
    return seance


def prochaine_seance(cycle, aujourdhui=None):
    aujourdhui = aujourdhui or timezone.localdate()
    return seances_du_cycle(cycle).filter(date__gte=aujourdhui).first()


def seance_precedente(seance):
    return (
        Seance.objects.filter(cycle_id=seance.cycle_id, numero__lt=seance.numero)
        .order_by("-numero")
        .first()
    )


# --- The staff's cycle ----------------------------------------------------------------------


def cycle_des_seances():
    """The cycle staff work on: the one under way, else the latest that has sessions, else the
    cycle of the home page (a cohort still to open)."""
    cycles = Cycle.objects.order_by("-ouverture_ami")
    return (
        cycles.filter(statut=StatutCycle.EN_COURS).first()
        or cycles.filter(seances__isnull=False).distinct().first()
        or cycle_courant()
    )


# --- Pairs ----------------------------------------------------------------------------------


def _membres_ordonnes():
    return Membre.objects.select_related("user").order_by("-actif", "suppleant", "role", "depuis")


def binomes_du_cycle(cycle):
    """The pairs of a cycle with all their members, current and past (no query per pair)."""
    return (
        Binome.objects.filter(cycle=cycle)
        .select_related("cycle", "candidature__territoire", "candidature__departement")
        .prefetch_related(Prefetch("membres", queryset=_membres_ordonnes()))
    )


def binome_visible(user, pk) -> Binome:
    """Staff: any pair; a participant: their own pair only."""
    binomes = Binome.objects.select_related("cycle", "candidature__territoire").prefetch_related(
        Prefetch("membres", queryset=_membres_ordonnes())
    )
    if not est_equipe(user):
        binomes = binomes.filter(membres__in=membres_de(user))
    binome = binomes.filter(pk=pk).first()
    if binome is None:
        raise Http404
    return binome


def membres_actifs(binome) -> list[Membre]:
    """From a prefetched pair: the people who sit in it today."""
    return [membre for membre in binome.membres.all() if membre.actif]


def suppleants_possibles(membre) -> list[Membre]:
    return [
        autre
        for autre in membres_actifs(membre.binome)
        if autre.suppleant and autre.pk != membre.pk
    ]


# --- Before the session ---------------------------------------------------------------------


def _personnes(membres, confirmations, jours) -> list[assiduite.Personne]:
    return [
        assiduite.Personne(
            role=membre.role,
            suppleant=membre.suppleant,
            jour=jours.get(membre.pk),
            reponse=confirmations[membre.pk].reponse if membre.pk in confirmations else None,
        )
        for membre in membres
    ]


@dataclass
class LigneConfirmations:
    binome: Binome
    membres: list  # [(Membre, Confirmation | None)]
    sieges: list
    complet: bool


def confirmations_par_binome(seance, binome_id=None) -> list[LigneConfirmations]:
    """Each pair of the cycle with the answers of its current members (three queries); only
    the pair ``binome_id`` when given (a participant's page reads no other pair)."""
    confirmations = Confirmation.objects.filter(seance=seance).select_related("remplacant__user")
    binomes = binomes_du_cycle(seance.cycle)
    if binome_id is not None:
        confirmations = confirmations.filter(membre__binome_id=binome_id)
        binomes = binomes.filter(pk=binome_id)
    confirmations = {confirmation.membre_id: confirmation for confirmation in confirmations}
    lignes = []
    for binome in binomes:
        membres = membres_actifs(binome)
        personnes = _personnes(membres, confirmations, {})
        sieges = assiduite.sieges_confirmes(personnes)
        lignes.append(
            LigneConfirmations(
                binome=binome,
                membres=[(membre, confirmations.get(membre.pk)) for membre in membres],
                sieges=sieges,
                complet=all(siege.couvert for siege in sieges),
            )
        )
    return lignes


def binomes_incomplets(seance) -> list[LigneConfirmations]:
    return [ligne for ligne in confirmations_par_binome(seance) if not ligne.complet]


@dataclass
class EnvoiNote:
    nombre: int  # people who were sent the context note
    premier: object  # datetime of the first one, or None


def notes_contexte_envoyees(seances) -> dict[int, EnvoiNote]:
    """{seance_id: EnvoiNote} read from the outbox keys the sweep writes (one query)."""
    seances = list(seances)
    if not seances:
        return {}
    filtre = Q()
    for seance in seances:
        filtre |= Q(cle__startswith=f"note-contexte:seance={seance.pk}:")
    nombres, premiers = Counter(), {}
    for cle, cree_le in Courriel.objects.filter(filtre).values_list("cle", "cree_le"):
        seance_id = int(cle.split(":")[1].removeprefix("seance="))
        nombres[seance_id] += 1
        if seance_id not in premiers or cree_le < premiers[seance_id]:
            premiers[seance_id] = cree_le
    return {s.pk: EnvoiNote(nombres[s.pk], premiers.get(s.pk)) for s in seances}


@dataclass
class ResumeTraiteur:
    repas: int
    couverts_supplementaires: int
    regimes: list  # [(label, count)]
    precisions: list  # [str]
    matin: int
    apres_midi: int

    @property
    def total(self) -> int:
        return self.repas + self.couverts_supplementaires


def resume_traiteur(seance) -> ResumeTraiteur:
    """Numbers for the caterer: who lunches, and the dietary constraints (no names)."""
    venant = Confirmation.objects.filter(
        seance=seance, reponse=ReponseConfirmation.PRESENT, membre__actif=True
    )
    regimes = Counter()
    precisions = []
    repas = matin = apres_midi = 0
    for confirmation in venant:
        matin += confirmation.matin
        apres_midi += confirmation.apres_midi
        if not confirmation.dejeuner:
            continue
        repas += 1
        regimes.update(confirmation.regimes)
        if confirmation.precisions_repas:
            precisions.append(confirmation.precisions_repas)
    libelles = dict(Regime.choices)
    return ResumeTraiteur(
        repas=repas,
        couverts_supplementaires=seance.couverts_supplementaires,
        regimes=[(libelles.get(cle, cle), regimes[cle]) for cle in Regime.values if regimes[cle]],
        precisions=sorted(precisions),
        matin=matin,
        apres_midi=apres_midi,
    )


def confirmation_de(seance, membre) -> Confirmation | None:
    return Confirmation.objects.filter(seance=seance, membre=membre).first()


def questions_de(seance, membre):
    return Question.objects.filter(seance=seance, auteur=membre).order_by("cree_le")


@dataclass
class GroupeQuestions:
    groupe: str
    questions: list  # principal questions, each with .doublons_lus (list)


def questions_groupees(seance) -> list[GroupeQuestions]:
    """The questions for the speaker: duplicates folded into the question they were merged
    into, then grouped as staff sorted them (ungrouped last)."""
    questions = list(
        Question.objects.filter(seance=seance)
        .select_related("auteur__user", "auteur__binome__candidature__territoire")
        .order_by("cree_le", "pk")
    )
    doublons = defaultdict(list)
    principales = []
    for question in questions:
        if question.doublon_de_id:
            doublons[question.doublon_de_id].append(question)
        else:
            principales.append(question)
    groupes = defaultdict(list)
    for question in principales:
        question.doublons_lus = doublons.get(question.pk, [])
        question.nombre = 1 + len(question.doublons_lus)
        groupes[question.groupe].append(question)
    return [
        GroupeQuestions(groupe=nom, questions=groupes[nom])
        for nom in sorted(groupes, key=lambda nom: (nom == "", nom.lower()))
    ]


@dataclass
class SyntheseBesoins:
    repondants: int
    membres: int
    themes: list  # [(label, count)] most asked first
    reponses: list  # [ReponseBesoins] by collectivity and role


def besoins_du_cycle(cycle) -> SyntheseBesoins:
    reponses = list(
        ReponseBesoins.objects.filter(membre__binome__cycle=cycle)
        .select_related("membre__user", "membre__binome__candidature__territoire")
        .order_by("membre__binome__candidature__territoire__nom", "membre__role")
    )
    compte = Counter(theme for reponse in reponses for theme in reponse.themes)
    libelles = dict(ThemeBesoin.choices)
    return SyntheseBesoins(
        repondants=len(reponses),
        membres=Membre.objects.filter(binome__cycle=cycle, actif=True).count(),
        themes=[(libelles.get(cle, cle), n) for cle, n in compte.most_common() if cle in libelles],
        reponses=reponses,
    )


# --- On the day -----------------------------------------------------------------------------


@dataclass
class LigneAppel:
    membre: Membre
    presences: dict  # demi_journee -> Presence
    confirmation: Confirmation | None


@dataclass
class BinomeAppel:
    binome: Binome
    lignes: list[LigneAppel]


def appel(seance) -> list[BinomeAppel]:
    """The roll call: every current member by collectivity, with what is recorded."""
    presences = defaultdict(dict)
    for presence in Presence.objects.filter(seance=seance):
        presences[presence.membre_id][presence.demi_journee] = presence
    confirmations = {c.membre_id: c for c in Confirmation.objects.filter(seance=seance)}
    resultat = []
    for binome in binomes_du_cycle(seance.cycle):
        membres = [m for m in binome.membres.all() if m.actif or m.pk in presences]
        resultat.append(
            BinomeAppel(
                binome=binome,
                lignes=[
                    LigneAppel(m, presences.get(m.pk, {}), confirmations.get(m.pk)) for m in membres
                ],
            )
        )
    return resultat


@dataclass
class LigneEmargement:
    collectivite: str
    nom: str
    qualite: str
    presence: Presence | None


def feuille_emargement(seance, demi_journee) -> list[LigneEmargement]:
    lignes = []
    for groupe in appel(seance):
        for ligne in groupe.lignes:
            membre = ligne.membre
            qualite = membre.fonction or membre.get_role_display()
            if membre.suppleant:
                qualite = f"{qualite} ({membre._meta.get_field('suppleant').verbose_name})"
            lignes.append(
                LigneEmargement(
                    collectivite=str(groupe.binome),
                    nom=membre.user.nom_affiche,
                    qualite=qualite,
                    presence=ligne.presences.get(demi_journee),
                )
            )
    return lignes


# --- After ----------------------------------------------------------------------------------


def attendus_evaluation(seance) -> list[Membre]:
    """Who is asked to evaluate: those recorded in the room; before any roll call, those who
    said they would come."""
    presents = Membre.objects.filter(
        presences__seance=seance, presences__statut__in=PRESENCES_EFFECTIVES
    )
    if not Presence.objects.filter(seance=seance).exists():
        presents = Membre.objects.filter(
            confirmations__seance=seance,
            confirmations__reponse=ReponseConfirmation.PRESENT,
            actif=True,
        )
    return list(
        presents.distinct()
        .select_related("user", "binome__candidature__territoire")
        .order_by("binome__candidature__territoire__nom", "role")
    )


def evaluation_de(seance, membre) -> Evaluation | None:
    return Evaluation.objects.filter(seance=seance, membre=membre).first()


@dataclass
class ResultatsEvaluation:
    evaluations: list
    repartition: list  # [(note, count)] 5 → 1
    non_repondants: list
    attendus: int

    @property
    def nombre(self) -> int:
        return len(self.evaluations)

    @property
    def moyenne(self) -> float | None:
        if not self.evaluations:
            return None
        return sum(evaluation.note for evaluation in self.evaluations) / len(self.evaluations)


def resultats_evaluation(seance) -> ResultatsEvaluation:
    evaluations = list(
        Evaluation.objects.filter(seance=seance)
        .select_related("membre__user", "membre__binome__candidature__territoire")
        .order_by("soumise_le")
    )
    ont_repondu = {evaluation.membre_id for evaluation in evaluations}
    attendus = attendus_evaluation(seance)
    notes = Counter(evaluation.note for evaluation in evaluations)
    return ResultatsEvaluation(
        evaluations=evaluations,
        repartition=[(note, notes[note]) for note in range(5, 0, -1)],
        non_repondants=[membre for membre in attendus if membre.pk not in ont_repondu],
        attendus=len(attendus),
    )


@dataclass
class EnvoisEvaluation:
    invitations: dict  # membre_id -> Courriel of the evaluation form
    relances: dict  # membre_id -> Courriel of the one reminder


def envois_evaluation(seance) -> EnvoisEvaluation:
    """The evaluation emails of a session, read from the outbox keys the sweep writes."""
    envois = EnvoisEvaluation(invitations={}, relances={})
    courriels = Courriel.objects.filter(
        Q(cle__startswith=f"evaluation:seance={seance.pk}:membre=")
        | Q(cle__startswith=f"evaluation-relance:seance={seance.pk}:membre=")
    ).only("cle", "etat", "cree_le", "envoye_le")
    for courriel in courriels:
        debut, _seance, membre = courriel.cle.split(":")
        cible = envois.relances if debut == "evaluation-relance" else envois.invitations
        cible[int(membre.removeprefix("membre="))] = courriel
    return envois


# --- Assiduity ------------------------------------------------------------------------------


@dataclass
class LigneMatrice:
    binome: Binome
    statuts: list  # StatutBinome per session, in session order
    bilan: assiduite.Bilan
    alerte: bool


@dataclass
class Matrice:
    seances: list
    lignes: list[LigneMatrice] = field(default_factory=list)

    def compte(self, statut) -> list[int]:
        return [
            sum(ligne.statuts[i] == statut for ligne in self.lignes)
            for i in range(len(self.seances))
        ]


def _jours_par_seance(presences) -> dict:
    """{(seance_id, membre_id): StatutPresence of the day}"""
    demi = defaultdict(list)
    for seance_id, membre_id, statut in presences:
        demi[(seance_id, membre_id)].append(statut)
    return {cle: assiduite.statut_du_jour(statuts) for cle, statuts in demi.items()}


def matrice_assiduite(cycle, aujourdhui=None, binomes=None) -> Matrice:
    """Collectivity × session. A constant number of queries whatever the size of the cycle.
    Sessions to come stay « non relevé », whatever was answered beforehand. ``binomes``: only
    these pairs' lines, from pairs already read with their members (one collectivity's page)."""
    aujourdhui = aujourdhui or timezone.localdate()
    seances = list(Seance.objects.filter(cycle=cycle).order_by("numero"))
    binomes = list(binomes_du_cycle(cycle) if binomes is None else binomes)
    jours = _jours_par_seance(
        Presence.objects.filter(seance__cycle=cycle).values_list("seance_id", "membre_id", "statut")
    )
    reponses = {
        (seance_id, membre_id): reponse
        for seance_id, membre_id, reponse in Confirmation.objects.filter(
            seance__cycle=cycle
        ).values_list("seance_id", "membre_id", "reponse")
    }
    appels_faits = {seance_id for seance_id, _membre in jours}
    matrice = Matrice(seances=seances)
    for binome in binomes:
        membres = list(binome.membres.all())
        statuts = []
        for seance in seances:
            if seance.date > aujourdhui:
                statuts.append(StatutBinome.NON_RENSEIGNE)
                continue
            personnes = [
                assiduite.Personne(
                    role=membre.role,
                    suppleant=membre.suppleant,
                    jour=jours.get((seance.pk, membre.pk)),
                    reponse=reponses.get((seance.pk, membre.pk)),
                )
                for membre in membres
                if (seance.pk, membre.pk) in jours or (seance.pk, membre.pk) in reponses
            ]
            statuts.append(assiduite.statut_binome(personnes, appel_fait=seance.pk in appels_faits))
        matrice.lignes.append(
            LigneMatrice(
                binome=binome,
                statuts=statuts,
                bilan=assiduite.bilan(statuts),
                alerte=assiduite.en_alerte(statuts),
            )
        )
    return matrice


def statut_binome_a(seance, binome) -> StatutBinome:
    """One cell of the matrix (used by pages that show one pair)."""
    membres = list(binome.membres.all())
    jours = _jours_par_seance(
        Presence.objects.filter(seance=seance, membre__in=membres).values_list(
            "seance_id", "membre_id", "statut"
        )
    )
    reponses = dict(
        Confirmation.objects.filter(seance=seance, membre__in=membres).values_list(
            "membre_id", "reponse"
        )
    )
    personnes = [
        assiduite.Personne(
            role=m.role,
            suppleant=m.suppleant,
            jour=jours.get((seance.pk, m.pk)),
            reponse=reponses.get(m.pk),
        )
        for m in membres
        if (seance.pk, m.pk) in jours or m.pk in reponses
    ]
    return assiduite.statut_binome(
        personnes, appel_fait=Presence.objects.filter(seance=seance).exists()
    )


def seances_suivies_par_membre(cycle) -> dict[int, int]:
    """{membre_id: sessions where they were recorded in the room}"""
    suivies = defaultdict(set)
    for seance_id, membre_id in Presence.objects.filter(
        seance__cycle=cycle, statut__in=PRESENCES_EFFECTIVES
    ).values_list("seance_id", "membre_id"):
        suivies[membre_id].add(seance_id)
    return {membre_id: len(seances) for membre_id, seances in suivies.items()}


def seances_suivies_par_binome(cycle) -> dict[int, int]:
    """{binome_id: sessions where at least one of its people was in the room}"""
    suivies = defaultdict(set)
    for seance_id, binome_id in Presence.objects.filter(
        seance__cycle=cycle, statut__in=PRESENCES_EFFECTIVES
    ).values_list("seance_id", "membre__binome_id"):
        suivies[binome_id].add(seance_id)
    return {binome_id: len(seances) for binome_id, seances in suivies.items()}


def presences_du_cycle(cycle):
    """Every attendance recorded in the cycle, for the export (one query)."""
    return (
        Presence.objects.filter(seance__cycle=cycle)
        .select_related(
            "seance", "membre__user", "membre__binome__candidature__territoire", "marque_par"
        )
        .order_by(
            "membre__binome__candidature__territoire__nom",
            "membre__binome_id",
            "membre__suppleant",
            "membre__role",
            "membre_id",
            "seance__numero",
            "demi_journee",
        )
    )


# --- Attestations ---------------------------------------------------------------------------


def attestations_de(user):
    return (
        Attestation.objects.filter(membre__user=user)
        .select_related("cycle")
        .order_by("-delivree_le")
    )


def attestations_du_binome(binome):
    return Attestation.objects.filter(binome=binome).select_related("cycle", "membre__user")


def attestations_du_cycle(cycle):
    return Attestation.objects.filter(cycle=cycle).select_related("cycle", "membre__user")


def attestation_visible(user, pk) -> Attestation:
    """Staff: any; a participant: their own, and their collectivity's."""
    attestations = Attestation.objects.select_related("cycle", "binome", "membre__user")
    if not est_equipe(user):
        attestations = attestations.filter(
            Q(membre__user=user) | Q(type="collectivite", binome__membres__in=membres_de(user))
        ).distinct()
    attestation = attestations.filter(pk=pk).first()
    if attestation is None:
        raise Http404
    return attestation


def attestation_par_code(code: str) -> Attestation | None:
    code = "".join(caractere for caractere in (code or "").upper() if caractere.isalnum())
    if not code:
        return None
    code = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    return Attestation.objects.select_related("cycle").filter(code=code).first()
