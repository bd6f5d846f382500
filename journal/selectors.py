"""Reads of the logbook. Privacy is decided here, once:
- a person reads all of their own items;
- an item shared with the pair is read by the pair's current members;
- an item shared with the group is read by the cycle's participants and by staff (without its
  author's name when shared anonymously);
- a private item is read by nobody else — staff included.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from seances import selectors as seances_selectors
from seances.models import Binome, Membre, Seance

from .enums import AUDIENCES_GROUPE, Audience, Rubrique, Temps
from .models import (
    Consigne,
    Diagnostic,
    Element,
    Entree,
    Experimentation,
    QuestionDiagnostic,
    Relais,
)

# --- Own logbook ----------------------------------------------------------------------------


def seances_a_ecrire(membre, aujourdhui=None):
    """The sessions a person may write about: those of their cycle that have begun."""
    aujourdhui = aujourdhui or timezone.localdate()
    return Seance.objects.filter(cycle_id=membre.binome.cycle_id, date__lte=aujourdhui).order_by(
        "numero"
    )


def seance_commencee(seance, aujourdhui=None) -> bool:
    """``seances_a_ecrire``'s rule on a session already read from its member's cycle."""
    return seance.date <= (aujourdhui or timezone.localdate())


def seances_du_journal(membre):
    """Every session of the person's cycle (the caller splits begun ones from those to come),
    with only what the logbook's index shows and, from the person's entry if any, the number
    of items written (``nb_elements``), of those shared (``nb_partages``) and the free notes
    (``notes_entree``, None without an entry): one query."""
    ecrits = ~Q(entree__elements__texte="")
    return (
        Seance.objects.filter(cycle_id=membre.binome.cycle_id)
        .only("pk", "cycle_id", "numero", "date", "theme")
        .annotate(
            entree=FilteredRelation("entrees_journal", condition=Q(entrees_journal__membre=membre)),
            notes_entree=F("entree__notes"),
            nb_elements=Count("entree__elements", filter=ecrits),
            nb_partages=Count(
                "entree__elements",
                filter=ecrits & ~Q(entree__elements__audience=Audience.PRIVE),
            ),
        )
        .order_by("numero")
    )


def _sieges(user, cycle=None):
    membres = seances_selectors.membres_de(user).order_by("-binome__cycle__ouverture_ami")
    if cycle is not None:
        membres = membres.filter(binome__cycle=cycle)
    return membres


def membre_ou_404(user, cycle=None) -> Membre:
    """The person's current seat (in ``cycle``, else in their latest cycle)."""
    membre = _sieges(user, cycle).first()
    if membre is None:
        raise Http404
    return membre


def membre_de_l_index_ou_404(user) -> Membre:
    """``membre_ou_404`` with only the columns the logbook's index shows: the cycle's title and
    the collectivity's name (the candidature's long answers stay in the database)."""
    membre = (
        _sieges(user)
        .only(
            "binome__cycle__titre",
            "binome__candidature__structure_nom",
            "binome__candidature__territoire__nom",
        )
        .first()
    )
    if membre is None:
        raise Http404
    return membre


def seance_du_journal_ou_404(membre, pk, aujourdhui=None) -> Seance:
    seance = seances_a_ecrire(membre, aujourdhui).filter(pk=pk).first()
    if seance is None:
        raise Http404
    return seance


def entree_de(membre, seance) -> Entree | None:
    return (
        Entree.objects.filter(membre=membre, seance=seance)
        .prefetch_related(Prefetch("elements", queryset=Element.objects.order_by("cree_le", "pk")))
        .first()
    )


def element_de(user, pk) -> Element:
    """One of the person's own items; anyone else's answers 404."""
    element = (
        Element.objects.filter(pk=pk, entree__membre__user=user, entree__membre__actif=True)
        .select_related("entree__seance", "entree__membre__binome")
        .first()
    )
    if element is None:
        raise Http404
    return element


def entree_vide(entree) -> bool:
    if entree is None:
        return True
    return not entree.notes.strip() and not entree.elements.exclude(texte="").exists()


def consignes(seance):
    return Consigne.objects.filter(seance=seance).order_by("ordre", "pk")


def journal_complet(membre):
    """Everything a person wrote, for their own PDF copy."""
    return (
        Entree.objects.filter(membre=membre)
        .select_related("seance")
        .prefetch_related(Prefetch("elements", queryset=Element.objects.exclude(texte="")))
        .order_by("seance__numero")
    )


# --- What others shared ---------------------------------------------------------------------


def _partages():
    return Element.objects.exclude(texte="").select_related(
        "entree__seance", "entree__membre__user", "entree__membre__binome__candidature__territoire"
    )


def seance_des_partages(user, pk) -> Seance | None:
    """The session (with its cycle), annotated with ``binome_lecteur``: the pair of the user's
    seat in its cycle as ``membre_du_cycle`` finds it (None: no seat). One query."""
    siege = (
        seances_selectors.membres_de(user)
        .filter(binome__cycle_id=OuterRef("cycle_id"))
        .order_by("suppleant", "pk")
        .values("binome_id")[:1]
    )
    return (
        Seance.objects.select_related("cycle")
        .only("pk", "cycle_id", "numero", "date", "theme", "cycle__titre")
        .annotate(binome_lecteur=Subquery(siege))
        .filter(pk=pk)
        .order_by()  # one row: no need of the model's ordering (a join on the cycle)
        .first()
    )


_A_CHERCHER = object()


def partages_visibles(user, seance, binome_id=_A_CHERCHER):
    """Items of ``seance`` that ``user`` may read and did not write: their pair's, the group's.
    ``binome_id``: the pair of the user's seat in the session's cycle (None: no seat), when the
    caller has it."""
    if seances_selectors.est_equipe(user):
        return _partages().filter(entree__seance=seance, audience__in=AUDIENCES_GROUPE)
    if binome_id is _A_CHERCHER:
        membre = seances_selectors.membre_du_cycle(user, seance.cycle)
        binome_id = membre.binome_id if membre is not None else None
    if binome_id is None:
        return Element.objects.none()
    return (
        _partages()
        .filter(entree__seance=seance)
        .exclude(entree__membre__user=user)
        .filter(
            Q(audience__in=AUDIENCES_GROUPE)
            | Q(audience=Audience.BINOME, entree__membre__binome_id=binome_id)
        )
    )


def partages_a_lire(user, seance, binome_id) -> list[dict]:
    """The rows of the « shared » page, in writing order: only the columns it shows (a few
    hundred items would otherwise each build seven model instances)."""
    auteur = "entree__membre__"
    return list(
        partages_visibles(user, seance, binome_id)
        .order_by("cree_le", "pk")
        .values(
            "rubrique",
            "texte",
            "audience",
            binome_id=F(f"{auteur}binome_id"),
            prenom=F(f"{auteur}user__first_name"),
            nom=F(f"{auteur}user__last_name"),
            email=F(f"{auteur}user__email"),
            territoire=F(f"{auteur}binome__candidature__territoire__nom"),
            structure=F(f"{auteur}binome__candidature__structure_nom"),
        )
    )


@dataclass
class Ouverture:
    """The opening of a day: what the group shared from the previous session."""

    seance: Seance | None
    rubriques: list  # [(label, [Element])]
    par_collectivite: list  # [(Binome, count)] every pair of the cycle, count of named items
    anonymes: int
    total: int = 0
    contributeurs: int = 0
    binomes_total: int = field(default=0)


def ouverture(seance_precedente, cycle) -> Ouverture:
    """Constant number of queries whatever the size of the cohort."""
    if seance_precedente is None:
        return Ouverture(seance=None, rubriques=[], par_collectivite=[], anonymes=0)
    elements = list(
        _partages()
        .filter(entree__seance=seance_precedente, audience__in=AUDIENCES_GROUPE)
        .order_by("rubrique", "cree_le", "pk")
    )
    par_rubrique = defaultdict(list)
    for element in elements:
        par_rubrique[element.rubrique].append(element)
    nommes = Counter(
        element.entree.membre.binome_id
        for element in elements
        if element.audience == Audience.GROUPE
    )
    binomes = list(Binome.objects.filter(cycle=cycle).select_related("candidature__territoire"))
    return Ouverture(
        seance=seance_precedente,
        rubriques=[(label, par_rubrique[cle]) for cle, label in Rubrique.choices],
        par_collectivite=sorted(
            ((binome, nommes.get(binome.pk, 0)) for binome in binomes),
            key=lambda paire: (-paire[1], str(paire[0])),
        ),
        anonymes=sum(element.audience == Audience.GROUPE_ANONYME for element in elements),
        total=len(elements),
        contributeurs=len({element.entree.membre_id for element in elements}),
        binomes_total=len(binomes),
    )


# --- Relays and experiments: the pair's, staff see all --------------------------------------


def binome_du_journal_ou_404(user, pk) -> Binome:
    """Staff: any pair; a participant: their own current pair."""
    return seances_selectors.binome_visible(user, pk)


def relais_du_binome(binome):
    return Relais.objects.filter(binome=binome).select_related("auteur__user", "seance")


def experimentations_du_binome(binome):
    return Experimentation.objects.filter(binome=binome).select_related("seance", "modifie_par")


def relais_du_cycle(cycle):
    return Relais.objects.filter(binome__cycle=cycle).select_related(
        "binome__candidature__territoire", "auteur__user", "seance"
    )


def experimentations_du_cycle(cycle):
    return Experimentation.objects.filter(binome__cycle=cycle).select_related(
        "binome__candidature__territoire", "seance"
    )


def relais_de(user, pk) -> Relais:
    relais = Relais.objects.filter(pk=pk, binome__membres__in=seances_selectors.membres_de(user))
    relais = relais.select_related("binome").first()
    if relais is None:
        raise Http404
    return relais


def experimentation_de(user, pk) -> Experimentation:
    experimentation = (
        Experimentation.objects.filter(
            pk=pk, binome__membres__in=seances_selectors.membres_de(user)
        )
        .select_related("binome")
        .first()
    )
    if experimentation is None:
        raise Http404
    return experimentation


# --- Self-diagnosis -------------------------------------------------------------------------


def questions_diagnostic(cycle):
    return QuestionDiagnostic.objects.filter(cycle=cycle).order_by("ordre", "pk")


def temps_du_moment(cycle, aujourdhui=None) -> Temps:
    """The moment the cycle is at: start until the second session, end from the last one,
    mid-course in between."""
    aujourdhui = aujourdhui or timezone.localdate()
    dates = list(
        Seance.objects.filter(cycle=cycle).order_by("numero").values_list("date", flat=True)
    )
    if len(dates) < 2 or aujourdhui < dates[1]:
        return Temps.DEBUT
    if aujourdhui >= dates[-1]:
        return Temps.FIN
    return Temps.MILIEU


@dataclass
class Serie:
    question: QuestionDiagnostic
    valeurs: list  # value per Temps (None when not answered), in Temps order


def progression(binome) -> list[Serie]:
    """The pair's answers per question across the three moments (the chart's data)."""
    questions = list(questions_diagnostic(binome.cycle))
    valeurs = defaultdict(dict)
    for temps, question_id, valeur in Diagnostic.objects.filter(binome=binome).values_list(
        "temps", "reponses__question_id", "reponses__valeur"
    ):
        if question_id is not None:
            valeurs[question_id][temps] = valeur
    return [
        Serie(question=question, valeurs=[valeurs[question.pk].get(t) for t in Temps.values])
        for question in questions
    ]


def diagnostic_de(binome, temps) -> dict[int, int]:
    diagnostic = Diagnostic.objects.filter(binome=binome, temps=temps).first()
    if diagnostic is None:
        return {}
    return dict(diagnostic.reponses.values_list("question_id", "valeur"))


def diagnostics_du_cycle(cycle) -> list[tuple[Binome, list[Serie]]]:
    """Every pair's progression (staff), in a constant number of queries."""
    questions = list(questions_diagnostic(cycle))
    valeurs = defaultdict(lambda: defaultdict(dict))
    for binome_id, temps, question_id, valeur in Diagnostic.objects.filter(
        binome__cycle=cycle
    ).values_list("binome_id", "temps", "reponses__question_id", "reponses__valeur"):
        if question_id is not None:
            valeurs[binome_id][question_id][temps] = valeur
    binomes = Binome.objects.filter(cycle=cycle).select_related("candidature__territoire")
    return [
        (
            binome,
            [
                Serie(
                    question=question,
                    valeurs=[valeurs[binome.pk][question.pk].get(t) for t in Temps.values],
                )
                for question in questions
            ],
        )
        for binome in binomes
    ]
