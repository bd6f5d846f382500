"""Staff pages of the deliberation: the ranking with a decision per candidature, its exports,
and the cohort helper. Every page reads through ``selectors.classement_du_cycle``."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidatures.exports import type_collectivite
from cerdd_cycle.comptes.decorateurs import equipe_requise
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.documents.pdf import reponse_pdf

from .. import exports, selectors, services
from ..composition import proposer
from ..enums import StatutDecision
from ..forms.deliberation import CompositionForm, DecisionForm, SaisieDecision, textes_decision

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Below this many points /20, a juror's mean deviation is read as « in line with the others ».
ECART_NEGLIGEABLE = 0.05


def _cycle(slug):
    return get_object_or_404(Cycle, slug=slug)


# --- the ranking ----------------------------------------------------------------------------


# The fixed words of a row and of its decision cell, translated once per page: a
# {% translate %} looks the language up each time, ~2,000 times on 250 rows (30 ms).
MOTS_LIGNE = {
    "non_classee": gettext_lazy("non classée"),
    "ecartee": gettext_lazy("écartée"),
    "a_verifier": gettext_lazy("à vérifier"),
    "non_ecartee": gettext_lazy("non : écartée"),
    "oui": gettext_lazy("oui"),
    "desaccord": gettext_lazy("désaccord"),
    "totaux": gettext_lazy("Total de chaque juré·e"),
    "motif": gettext_lazy("Motif"),
    "a_decider": gettext_lazy("à décider"),
    "publie": gettext_lazy("Résultats publiés : la décision ne change plus ici."),
    "modifier": gettext_lazy("Modifier la décision"),
    "decider": gettext_lazy("Décider"),
    "enregistrer": gettext_lazy("Enregistrer"),
    "annuler": gettext_lazy("Annuler"),
    "enregistree": gettext_lazy("Décision enregistrée."),
    "historique": gettext_lazy("Historique de la candidature"),
    # and the sentences the view fills in
    "ecart": gettext_lazy("écart %(ecart)s"),
    "evaluations": gettext_lazy("%(soumises)s / %(affectes)s soumises"),
    "par": gettext_lazy("par %(qui)s, le %(quand)s"),
    "le": gettext_lazy("le %(quand)s"),
    "rang": gettext_lazy("rang %(rang)s"),
}


class Gabarits:
    """What the rows of a page share, prepared once: the translated words, labels and
    ``<option>`` lists, the labels of statuses and types, and the URLs without a
    ``reverse()`` per row (each reversed once with a stand-in key that the row's replaces)."""

    CLE = 987654321

    def __init__(self, cycle):
        self._detail = self._gabarit("equipe_candidatures:detail", self.CLE)
        self._decision = self._gabarit("deliberation:decision", cycle.slug, self.CLE)
        self._classement = reverse("deliberation:classement", args=[cycle.slug])
        self.publie = cycle.resultats_publies_le is not None
        self.textes = textes_decision()
        self.mots = {cle: str(mot) for cle, mot in MOTS_LIGNE.items()}
        self.statuts = {valeur: str(libelle) for valeur, libelle in StatutDecision.choices}
        self.mois = {numero: str(nom) for numero, nom in MONTHS.items()}
        self.separateur = get_format("DECIMAL_SEPARATOR")
        self._types = {}

    def type_collectivite(self, candidature):
        if not candidature.territoire_id:
            return type_collectivite(candidature)
        cle = candidature.territoire.type
        if cle not in self._types:
            self._types[cle] = type_collectivite(candidature)
        return self._types[cle]

    @classmethod
    def _gabarit(cls, nom, *args):
        avant, _cle, apres = reverse(nom, args=args).rpartition(str(cls.CLE))
        return avant + "{}" + apres

    def detail(self, pk):
        return self._detail.format(pk)

    def decision(self, pk):
        return self._decision.format(pk)

    def modifier(self, pk):
        """Without JavaScript, « Modifier » opens the row's editor in the ranking itself."""
        return f"{self._classement}?modifier={pk}#decision-{pk}"

    def ligne(self, pk):
        return f"{self._classement}#decision-{pk}"

    def options(self, statut):
        return self.textes["options"].get(statut, self.textes["options_sans_choix"])


def decidee(decision, gabarits) -> str:
    """« par X, le 3 mars 2027 à 14 h 05 » under the badge of a decision: the date format
    « j F Y à H \\h i » written by hand, as ``date_format`` costs 0.2 ms a row."""
    quand = ""
    if decision.decide_le:
        moment = localtime(decision.decide_le)
        quand = (
            f"{moment.day} {gabarits.mois[moment.month]} {moment.year} "
            f"à {moment.hour:02d} h {moment.minute:02d}"
        )
    mots = gabarits.mots
    if decision.decide_par_id:
        return mots["par"] % {
            "qui": decision.decide_par.nom_affiche,
            "quand": quand,
        }
    return mots["le"] % {"quand": quand}


@dataclass
class CelluleDecision:
    """What the decision cell of a row shows (jury/equipe/_decision.html): the decision
    read-only, with its editor only when ``edition`` (opened on demand, or sent back with
    its errors), so that 250 rows do not carry 250 forms."""

    candidature: object
    decision: object  # Decision or None
    saisie: SaisieDecision
    url_detail: str
    url_decision: str
    url_modifier: str  # the editor without JavaScript: the ranking with this row open
    url_ligne: str  # back to the row, without JavaScript
    options: str  # the <option> elements, the sent or current status selected
    statut: str  # the label of the current decision, "" without one
    decidee: str  # who decided and when, "" without a decision
    edition: bool = False
    entete: str = ""  # the badge, who and when, the reason: escaped HTML (entete_decision)
    pied: str = ""  # the link to the history, escaped HTML
    fermee: str = ""  # the whole closed cell, escaped HTML; "" when ``edition``

    @property
    def ident(self):
        return f"decision-{self.candidature.pk}"

    @classmethod
    def pour(cls, gabarits, candidature, decision, saisie=None, *, edition=False, **options):
        cellule = cls._pour(gabarits, candidature, decision, saisie, edition=edition)
        cellule.entete = entete_decision(cellule, gabarits.mots)
        cellule.pied = format_html(
            '<a class="small d-block mt-1" href="{}#titre-historique">{}'
            '<span class="visually-hidden"> {}</span></a>\n',
            cellule.url_detail,
            gabarits.mots["historique"],
            candidature.nom_collectivite,
        )
        if not cellule.edition:
            cellule.fermee = cellule_fermee(cellule, gabarits, **options)
        return cellule

    @classmethod
    def _pour(cls, gabarits, candidature, decision, saisie=None, *, edition=False):
        edition = edition or saisie is not None
        # A closed cell shows no field: its <option> list is not written.
        saisie = (
            (saisie or SaisieDecision.depuis_decision(decision)) if edition else SaisieDecision()
        )
        pk = candidature.pk
        return cls(
            candidature=candidature,
            decision=decision,
            saisie=saisie,
            url_detail=gabarits.detail(pk),
            url_decision=gabarits.decision(pk),
            url_modifier=gabarits.modifier(pk),
            url_ligne=gabarits.ligne(pk),
            options=gabarits.options(saisie.statut) if edition else "",
            statut=gabarits.statuts.get(decision.statut, decision.statut) if decision else "",
            decidee=decidee(decision, gabarits) if decision else "",
            edition=edition,
        )


# The closed cell and the head of an open one are written here, not by _decision.html: 250
# includes and their lookups were a fifth of the page. Every value goes through format_html.


def entete_decision(cellule, mots):
    decision = cellule.decision
    if decision is None:
        return format_html(
            '<span class="badge text-bg-light border">{}</span>\n', mots["a_decider"]
        )
    rang = ""
    if decision.statut == StatutDecision.ATTENTE and decision.rang_attente:
        rang = " · " + mots["rang"] % {"rang": decision.rang_attente}
    motif = ""
    if decision.motif:
        motif = format_html(
            '<details class="small mt-1"><summary>{}</summary><p class="mb-0">{}</p></details>\n',
            mots["motif"],
            linebreaksbr(decision.motif),
        )
    return format_html(
        '<span class="badge decision-{}">{}{}</span>\n'
        '<span class="d-block small text-body-secondary">{}</span>\n{}',
        decision.statut,
        cellule.statut,
        rang,
        cellule.decidee,
        motif,
    )


def cellule_fermee(cellule, gabarits, *, enregistree=False):
    """The decision read-only, then « Modifier la décision » (« Décider » without one): a
    link to the ranking with this row open, that htmx turns into a GET of the editor."""
    mots = gabarits.mots
    statut = ""
    if enregistree:
        statut = format_html(
            '<p class="small text-success mb-1" role="status">{}</p>\n', mots["enregistree"]
        )
    if gabarits.publie:
        action = format_html('<p class="small text-body-secondary mb-1">{}</p>\n', mots["publie"])
    else:
        action = format_html(
            '<a class="btn btn-outline-primary btn-sm mt-1" href="{}" hx-get="{}" '
            'hx-target="#{}" hx-swap="outerHTML" data-modifier-decision>{}'
            '<span class="visually-hidden"> — {}</span></a>\n',
            cellule.url_modifier,
            cellule.url_decision,
            cellule.ident,
            mots["modifier"] if cellule.decision else mots["decider"],
            cellule.candidature.nom_collectivite,
        )
    return format_html(
        '<div class="cellule-decision" id="{}">\n{}{}{}{}</div>',
        cellule.ident,
        cellule.entete,
        statut,
        action,
        cellule.pied,
    )


def chiffre(valeur, decimales=2, *, sans_zeros=False, separateur=None):
    """``floatformat`` (``sans_zeros``: ``floatformat:"-2"``) without its Decimal arithmetic;
    the values are already rounded. With the page's decimal ``separateur``, a number under
    1,000 (no thousands to group) is written directly, without ``number_format``'s lookups."""
    if valeur is None:
        return "—"
    if separateur is None or abs(valeur) >= 1000:
        if sans_zeros and valeur == int(valeur):
            return number_format(int(valeur))
        return number_format(round(valeur, decimales), decimales)
    if sans_zeros and valeur == int(valeur):
        return str(int(valeur))
    return f"{round(valeur, decimales):.{decimales}f}".replace(".", separateur)


@dataclass
class CritereAffiche:
    """A criterion's cell of a row: ``detail`` for a gate, the texts for a scale."""

    detail: object  # classement.ParCritere
    moyenne: str = ""
    ecart: str = ""


@dataclass
class LigneAffichee:
    """A row of the ranking as the page shows it: the numbers already written in French (a
    filter or a translation tag per cell, times 250 rows, weighed on the page)."""

    ligne: selectors.LigneClassement
    totaux: list  # [(juror, total /20)] of the submitted evaluations
    cellule: CelluleDecision
    score: str = ""
    ecart_total: str = ""
    criteres: list = field(default_factory=list)  # [CritereAffiche]
    cellules_criteres: str = ""  # their <td>s, escaped HTML (cellules_criteres())
    totaux_affiches: list = field(default_factory=list)  # [(juror's name, total)]
    evaluations: str = ""
    type_collectivite: str = ""

    @property
    def candidature(self):
        return self.ligne.candidature

    @property
    def calcul(self):
        return self.ligne.calcul

    @property
    def decision(self):
        return self.ligne.decision


@dataclass
class SeveriteAffichee:
    """A juror's raw mean beside their mean deviation from the others."""

    jure: object
    moyenne: float | None
    ecart: float | None  # absolute value, points /20
    signe: str  # "+", "−" or ""
    sens: str  # "genereux", "severe", "neutre" or "" (nothing to compare)
    nb: int


def severites_affichees(classement) -> list[SeveriteAffichee]:
    resultat = []
    for jure in classement.jures:
        severite = classement.severites.get(jure.pk)
        moyenne = severite.moyenne if severite else None
        ecart = severite.ecart_moyen if severite else None
        nb = severite.nb if severite else 0
        if ecart is None:
            signe, sens = "", ""
        elif ecart >= ECART_NEGLIGEABLE:
            signe, sens = "+", "genereux"
        elif ecart <= -ECART_NEGLIGEABLE:
            signe, sens = "−", "severe"
        else:
            signe, sens = "", "neutre"
        resultat.append(
            SeveriteAffichee(
                jure=jure,
                moyenne=moyenne,
                ecart=abs(ecart) if ecart is not None else None,
                signe=signe,
                sens=sens,
                nb=nb,
            )
        )
    return resultat


def _critere_affiche(detail, gabarits) -> CritereAffiche:
    if detail.critere.porte or detail.moyenne is None:
        return CritereAffiche(detail=detail)
    return CritereAffiche(
        detail=detail,
        moyenne=chiffre(detail.moyenne, sans_zeros=True, separateur=gabarits.separateur),
        ecart=gabarits.mots["ecart"] % {"ecart": detail.ecart},
    )


def cellules_criteres(criteres, mots):
    """The criteria cells of a row, written here rather than by the template: a dozen
    lookups and tests per cell, times the criteria, times 250 rows, were a third of the
    page. Every value goes through ``format_html`` (escaped)."""
    cellules = []
    for critere in criteres:
        detail = critere.detail
        if detail.critere.porte:
            if detail.porte == "non":
                contenu = format_html(
                    '<span class="badge text-bg-danger">{}</span>', mots["non_ecartee"]
                )
            elif detail.porte == "a_verifier":
                contenu = format_html(
                    '<span class="badge text-bg-warning">{}</span>', mots["a_verifier"]
                )
            elif detail.porte == "oui":
                contenu = mots["oui"]
            else:
                contenu = "—"
        elif critere.moyenne:
            if detail.desaccord:
                classe, suite = " text-danger-emphasis fw-semibold", f" · {mots['desaccord']}"
            else:
                classe, suite = " text-body-secondary", ""
            contenu = format_html(
                '{}<span class="text-body-secondary"> / {}</span>\n'
                '<span class="d-block small{}">{}{}</span>',
                critere.moyenne,
                detail.critere.maximum,
                classe,
                critere.ecart,
                suite,
            )
        else:
            contenu = "—"
        cellules.append((contenu,))
    return format_html_join("", "<td>{}</td>\n", cellules)


def lignes_affichees(classement, gabarits, saisies=None, ouverte=None) -> list[LigneAffichee]:
    """``saisies``: candidature id -> the ``SaisieDecision`` sent back with its errors;
    ``ouverte``: the candidature id whose editor is open (``?modifier=``, without JS)."""
    saisies = saisies or {}
    jures = {jure.pk: jure for jure in classement.jures}
    separateur = gabarits.separateur
    lignes = []
    for ligne in classement.lignes:
        calcul = ligne.calcul
        totaux = [
            (jures[jure_id], total)
            for jure_id, total in sorted(calcul.totaux.items(), key=lambda paire: -paire[1])
            if jure_id in jures
        ]
        pk = ligne.candidature.pk
        criteres = [_critere_affiche(detail, gabarits) for detail in calcul.criteres]
        cellule = CelluleDecision.pour(
            gabarits, ligne.candidature, ligne.decision, saisies.get(pk), edition=pk == ouverte
        )
        lignes.append(
            LigneAffichee(
                ligne=ligne,
                totaux=totaux,
                cellule=cellule,
                score=chiffre(calcul.score, separateur=separateur),
                ecart_total=chiffre(calcul.ecart_total, separateur=separateur),
                criteres=criteres,
                cellules_criteres=cellules_criteres(criteres, gabarits.mots),
                totaux_affiches=[
                    (jure.user.nom_affiche, chiffre(total, separateur=separateur))
                    for jure, total in totaux
                ],
                evaluations=gabarits.mots["evaluations"]
                % {"soumises": calcul.nb_soumises, "affectes": calcul.nb_affectes},
                type_collectivite=gabarits.type_collectivite(ligne.candidature),
            )
        )
    return lignes


def _compteurs(lignes) -> dict:
    decisions = [ligne.decision.statut for ligne in lignes if ligne.decision]
    return {
        "total": len(lignes),
        "classees": sum(1 for ligne in lignes if ligne.calcul.rang),
        "desaccords": sum(1 for ligne in lignes if ligne.calcul.desaccord),
        "incompletes": sum(1 for ligne in lignes if ligne.calcul.manquantes),
        "retenues": decisions.count(StatutDecision.RETENUE),
        "attente": decisions.count(StatutDecision.ATTENTE),
        "non_retenues": decisions.count(StatutDecision.NON_RETENUE),
        "sans_decision": len(lignes) - len(decisions),
    }


def _page_classement(request, cycle, *, saisies=None, ouverte=None, erreur=None, statut=200):
    jury = services.jury_obtenir(cycle)
    classement = selectors.classement_du_cycle(cycle)
    gabarits = Gabarits(cycle)
    lignes = lignes_affichees(classement, gabarits, saisies, ouverte)
    contexte = {
        "cycle": cycle,
        "jury": jury,
        "onglet": "classement",
        "titre_page": _("Classement et décisions"),
        "classement": classement,
        "lignes": lignes,
        "severites": severites_affichees(classement),
        "compteurs": _compteurs(classement.lignes),
        "publie": cycle.resultats_publies_le is not None,
        "textes_decision": gabarits.textes,
        "mots": gabarits.mots,
        "erreur_decision": erreur,
    }
    return render(request, "jury/equipe/classement.html", contexte, status=statut)


@equipe_requise
@require_GET
def classement(request, cycle):
    modifier = request.GET.get("modifier", "")
    ouverte = int(modifier) if modifier.isdigit() else None
    return _page_classement(request, _cycle(cycle), ouverte=ouverte)


@equipe_requise
@require_POST
def ouvrir(request, cycle):
    """Open the deliberation: jurors who submitted may then read each other's scores."""
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    if jury.deliberation_ouverte_le is None:
        services.deliberation_ouvrir(jury, par=request.user)
        messages.success(
            request,
            _("Délibération ouverte : les juré·es qui ont soumis voient les notes des autres."),
        )
    else:
        messages.info(request, _("La délibération était déjà ouverte."))
    return redirect("deliberation:classement", cycle=cycle.slug)


def _cellule(
    request,
    cycle,
    candidature,
    decision,
    saisie=None,
    *,
    edition=False,
    enregistree=False,
    statut=200,
):
    gabarits = Gabarits(cycle)
    contexte = {
        "cycle": cycle,
        "cellule": CelluleDecision.pour(
            gabarits, candidature, decision, saisie, edition=edition, enregistree=enregistree
        ),
        "textes_decision": gabarits.textes,
        "mots": gabarits.mots,
        "publie": cycle.resultats_publies_le is not None,
        "enregistree": enregistree,
    }
    return render(request, "jury/equipe/_decision.html", contexte, status=statut)


@equipe_requise
@require_http_methods(["GET", "POST"])
def decision(request, cycle, candidature_pk):
    """One row's decision. GET (htmx): the cell with its editor open, or closed again with
    ``?fermer``. POST records it: htmx swaps the cell; without JavaScript, back to the
    ranking."""
    cycle = _cycle(cycle)
    candidature = get_object_or_404(
        selectors.candidatures_a_evaluer(cycle).select_related("decision__decide_par"),
        pk=candidature_pk,
    )
    if request.method == "GET":
        if not request.htmx:
            return redirect(Gabarits(cycle).modifier(candidature.pk))
        ouvrir = "fermer" not in request.GET and cycle.resultats_publies_le is None
        actuelle = getattr(candidature, "decision", None)
        return _cellule(request, cycle, candidature, actuelle, edition=ouvrir)
    formulaire = DecisionForm(request.POST)
    enregistree = (
        formulaire.enregistrer(candidature, par=request.user) if formulaire.is_valid() else None
    )
    if enregistree is not None:
        if request.htmx:
            return _cellule(request, cycle, candidature, enregistree, enregistree=True)
        messages.success(
            request,
            _("Décision enregistrée pour %(collectivite)s.")
            % {"collectivite": candidature.nom_collectivite},
        )
        url = reverse("deliberation:classement", kwargs={"cycle": cycle.slug})
        return redirect(f"{url}#decision-{candidature.pk}")
    actuelle = getattr(candidature, "decision", None)
    saisie = SaisieDecision.depuis_formulaire(formulaire)
    if request.htmx:
        return _cellule(request, cycle, candidature, actuelle, saisie, statut=422)
    return _page_classement(
        request,
        cycle,
        saisies={candidature.pk: saisie},
        erreur=candidature,
        statut=422,
    )


# --- exports --------------------------------------------------------------------------------


def _nom_fichier(cycle, debut, extension):
    return f"{debut}-{cycle.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


@equipe_requise
@require_GET
def export_xlsx(request, cycle):
    cycle = _cycle(cycle)
    reponse = HttpResponse(exports.notes_xlsx(cycle), content_type=TYPE_XLSX)
    reponse["Content-Disposition"] = (
        f'attachment; filename="{_nom_fichier(cycle, "notes-jury", "xlsx")}"'
    )
    return reponse


@equipe_requise
@require_GET
def synthese_pdf(request, cycle):
    cycle = _cycle(cycle)
    jury = services.jury_obtenir(cycle)
    return reponse_pdf(
        exports.synthese_pdf(cycle, jury), _nom_fichier(cycle, "synthese-deliberation", "pdf")
    )


# --- the cohort helper ----------------------------------------------------------------------


@dataclass
class Proposee:
    """A line of the proposal: the cohort helper's profile and the ranking row behind it."""

    profil: object
    ligne: selectors.LigneClassement

    @property
    def candidature(self):
        return self.ligne.candidature

    @property
    def type_collectivite(self):
        return type_collectivite(self.ligne.candidature)


@dataclass
class CoutAffiche:
    libelle: str
    points: float
    entrent: list
    sortent: list
    insatisfait: bool


@dataclass
class Ecartee:
    ligne: selectors.LigneClassement
    raison: str


def libelle_voeu(nom, voeux, departements) -> str:
    """The French sentence of a wish (``nom`` as the cohort helper names it)."""
    if nom.startswith("departement:"):
        code = nom.split(":", 1)[1]
        return _("Au moins %(n)s du département %(departement)s") % {
            "n": voeux.par_departement,
            "departement": departements.get(code, code),
        }
    phrases = {
        "par_departement": _("Au moins %(n)s par département représenté")
        % {"n": voeux.par_departement},
        "epci_min": _("Au moins %(n)s intercommunalité(s)") % {"n": voeux.epci_min},
        "communes_min": _("Au moins %(n)s commune(s)") % {"n": voeux.communes_min},
        "petites_min": _("Au moins %(n)s collectivité(s) de moins de %(seuil)s habitant·es")
        % {"n": voeux.petites_min, "seuil": number_format(voeux.seuil_petite, force_grouping=True)},
    }
    return phrases.get(nom, nom)


def _raison_ecartee(calcul) -> str:
    if calcul.ecartee:
        return _("Condition non remplie : %(criteres)s") % {
            "criteres": " ; ".join(critere.intitule for critere in calcul.portes_non)
        }
    if not calcul.nb_affectes:
        return _("Confiée à aucun·e juré·e")
    if not calcul.nb_soumises:
        return _("Aucune évaluation soumise")
    return _("Notes incomplètes : %(manquantes)s évaluation(s) sur %(total)s manquante(s)") % {
        "manquantes": calcul.manquantes,
        "total": calcul.nb_affectes,
    }


@equipe_requise
@require_GET
def composition(request, cycle):
    cycle = _cycle(cycle)
    services.jury_obtenir(cycle)
    formulaire = CompositionForm.depuis(request.GET, places=cycle.places)
    classement = selectors.classement_du_cycle(cycle)
    par_pk = {ligne.candidature.pk: ligne for ligne in classement.lignes}
    departements = {
        str(ligne.candidature.departement_id): str(ligne.candidature.departement)
        for ligne in classement.lignes
        if ligne.candidature.departement_id
    }
    contexte = {
        "cycle": cycle,
        "onglet": "composition",
        "titre_page": _("Aide à la composition"),
        "formulaire": formulaire,
        "ecartees": [
            Ecartee(ligne=ligne, raison=_raison_ecartee(ligne.calcul))
            for ligne in classement.lignes
            if ligne.calcul.ecartee or ligne.calcul.score is None
        ],
    }
    if formulaire.is_valid():
        voeux = formulaire.voeux()
        proposition = proposer(selectors.profils_composition(classement), voeux)

        def lignes(profils):
            return [Proposee(profil=p, ligne=par_pk[p.candidature_id]) for p in profils]

        retenues = lignes(proposition.retenues)
        contexte.update(
            {
                "voeux": voeux,
                "proposition": proposition,
                "retenues": retenues,
                "listes": [
                    {
                        "ident": "retenues",
                        "titre": _("Retenues proposées"),
                        "legende": _("Candidatures que la proposition retient, par score"),
                        "vide": _("Aucune candidature n'est à la fois notée et éligible."),
                        "lignes": retenues,
                    },
                    {
                        "ident": "attente",
                        "titre": _("Liste d'attente proposée"),
                        "legende": _("Liste d'attente proposée, dans l'ordre"),
                        "vide": _("Personne ne reste pour la liste d'attente."),
                        "lignes": lignes(proposition.attente),
                    },
                ],
                "difference": round(proposition.score_sans_voeux - proposition.score_total, 2),
                "couts": [
                    CoutAffiche(
                        libelle=libelle_voeu(cout.voeu, voeux, departements),
                        points=cout.points,
                        entrent=lignes(cout.entrent),
                        sortent=lignes(cout.sortent),
                        insatisfait=any(
                            nom == cout.voeu
                            or (cout.voeu == "par_departement" and nom.startswith("departement:"))
                            for nom in proposition.insatisfaits
                        ),
                    )
                    for cout in proposition.couts
                ],
                "insatisfaits": [
                    libelle_voeu(nom, voeux, departements) for nom in proposition.insatisfaits
                ],
            }
        )
    return render(request, "jury/equipe/composition.html", contexte)
