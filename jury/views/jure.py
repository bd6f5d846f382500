"""The juror's space (/jury/): their lists, the declaration of their ties, and the page where
they score a candidature. Every candidature is fetched by ``selectors.affectation_de``: one
that is not assigned to you, or that you are in conflict with, answers 404 (files included)."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from candidatures.pdf import contexte_candidature
from candidatures.pieces import piece_reponse
from cerdd_cycle.formats import date_en_toutes_lettres, delai_restant, heure, quand_court
from cerdd_cycle.territoires.models import TypeTerritoire
from cerdd_cycle.territoires.selectors import territoires_rechercher

from .. import selectors, services
from ..enums import NatureLien, Porte
from ..forms.jure import LiensForm, champs_note, saisies_evaluation
from ..models import Jury

GABARIT_ETAT = "candidatures/espace/_etat_enregistrement.html"


def _jury(cycle) -> Jury:
    """The cycle's jury settings (unsaved defaults when staff have not opened them yet)."""
    return getattr(cycle, "jury", None) or Jury(cycle=cycle)


def _date_limite(jury) -> str:
    return date_en_toutes_lettres(jury.date_limite) if jury.date_limite else ""


# --- the juror's lists ----------------------------------------------------------------------


@dataclass
class Siege:
    jure: object
    date_limite: str
    delai: str
    # A cycle whose results are published is summed up; its list has a page of its own.
    clos: bool = False
    lignes: list = field(default_factory=list)
    soumises: int = 0
    total: int = 0
    publies_le: str = ""


class _Presentation:
    """What every row of a list shares: labels translated and URL reversed once per page,
    not once per row (a 250-row list spent more time there than in the database)."""

    def __init__(self):
        self.types = {valeur: str(libelle) for valeur, libelle in TypeTerritoire.choices}
        self.hors_liste = _("Structure hors liste")
        self.sans_nom = _("(sans nom)")
        self.soumise_le = _("soumise le %(quand)s")
        self.etats = {
            "soumise": ("text-bg-success", "btn-outline-primary", _("Consulter")),
            "en_cours": ("text-bg-warning", "btn-primary", _("Reprendre")),
            "a_noter": ("text-bg-light border", "btn-primary", _("Noter")),
        }
        self.libelles = {"en_cours": _("en cours"), "a_noter": _("à noter")}
        self.jour_a_heure = _("%(jour)s à %(heure)s")
        self.jours = {}
        self.heures = {}
        self.urls = {}

    def url(self, slug, candidature_pk) -> str:
        # The URL of candidature 0, with its number swapped: one reverse() per cycle.
        if slug not in self.urls:
            modele = reverse("jury:evaluation", kwargs={"cycle": slug, "candidature_pk": 0})
            self.urls[slug] = modele.rpartition("/0/")
        avant, _milieu, apres = self.urls[slug]
        return f"{avant}/{candidature_pk}/{apres}"

    def date(self, valeur) -> str:
        """``date_en_toutes_lettres(valeur, jour_semaine=False)``, each day and each minute
        written once: formatting 250 dates cost as much as the query."""
        local = timezone.localtime(valeur)
        jour, minute = local.date(), (local.hour, local.minute)
        if jour not in self.jours:
            self.jours[jour] = date_en_toutes_lettres(jour, jour_semaine=False)
        if minute not in self.heures:
            self.heures[minute] = heure(local)
        return self.jour_a_heure % {"jour": self.jours[jour], "heure": self.heures[minute]}


def _ligne(presentation, slug, valeurs) -> dict:
    """One row of the list, every string ready (``valeurs`` follows COLONNES_LISTE)."""
    (
        _jure_id,
        candidature_pk,
        modifie_le,
        soumise_le,
        territoire,
        structure,
        type_territoire,
        departement,
        code,
        departement_territoire,
        code_territoire,
    ) = valeurs
    if soumise_le is not None:
        etat = "soumise"
        libelle = presentation.soumise_le % {"quand": presentation.date(soumise_le)}
    else:
        etat = "a_noter" if modifie_le is None else "en_cours"
        libelle = presentation.libelles[etat]
    badge, bouton, action = presentation.etats[etat]
    if departement:
        departement = f"{departement} ({code})"
    elif departement_territoire:
        departement = f"{departement_territoire} ({code_territoire})"
    else:
        departement = "—"
    return {
        "nom": territoire or structure or presentation.sans_nom,
        "departement": departement,
        "type": presentation.types.get(type_territoire, type_territoire)
        if type_territoire
        else presentation.hors_liste,
        "etat": etat,
        "libelle": libelle,
        "badge": badge,
        "bouton": bouton,
        "action": action,
        "url": presentation.url(slug, candidature_pk),
    }


def _lignes_par_siege(user, jures) -> dict[int, list[dict]]:
    """Each seat's rows, in one query: the ones left to score first, the submitted ones after."""
    presentation = _Presentation()
    slugs = {jure.pk: jure.cycle.slug for jure in jures}
    par_jure = {pk: [] for pk in slugs}
    if not slugs:
        return par_jure
    for valeurs in selectors.lignes_affectations_de(user, list(slugs)):
        par_jure[valeurs[0]].append(_ligne(presentation, slugs[valeurs[0]], valeurs))
    for lignes in par_jure.values():
        # A stable sort keeps the query's order in each group: the ones left to score by
        # name, the submitted ones by date.
        lignes.sort(key=lambda ligne: ligne["etat"] == "soumise")
    return par_jure


def _siege(jure, maintenant, lignes=None, compte=None) -> Siege:
    jury = _jury(jure.cycle)
    publies_le = jure.cycle.resultats_publies_le
    siege = Siege(
        jure=jure,
        date_limite=_date_limite(jury),
        delai=delai_restant(jury.date_limite, maintenant) if jury.date_limite else "",
        clos=publies_le is not None,
        publies_le=date_en_toutes_lettres(timezone.localtime(publies_le).date(), jour_semaine=False)
        if publies_le
        else "",
    )
    if lignes is not None:
        siege.lignes = lignes
        siege.total = len(lignes)
        siege.soumises = sum(1 for ligne in lignes if ligne["etat"] == "soumise")
    else:
        siege.soumises, siege.total = compte or (0, 0)
    return siege


@login_required
@require_safe
def accueil(request):
    """Every seat of the juror: the lists of the cycles still being scored in full, the
    cycles whose results are published summed up (a fixed number of queries)."""
    maintenant = timezone.now()
    jures = list(
        selectors.jures_de(request.user).select_related("cycle__jury").order_by("-cycle__pk")
    )
    ouverts = [j for j in jures if j.cycle.resultats_publies_le is None]
    fermes = [j for j in jures if j.cycle.resultats_publies_le is not None]
    clos = [j.pk for j in fermes]
    lignes = _lignes_par_siege(request.user, ouverts)
    comptes = selectors.comptes_affectations_de(request.user, clos) if clos else {}
    sieges = [
        _siege(jure, maintenant, lignes=lignes.get(jure.pk), compte=comptes.get(jure.pk))
        # The cycles still being scored first, the newest first.
        for jure in [*ouverts, *fermes]
    ]
    return render(request, "jury/jure/accueil.html", {"sieges": sieges})


@login_required
@require_safe
def candidatures(request, cycle):
    """One seat's whole list (the one a cycle with published results no longer shows)."""
    jure = get_object_or_404(
        selectors.jures_de(request.user).select_related("cycle__jury"), cycle__slug=cycle
    )
    if jure.liens_declares_le is None:
        messages.info(
            request, _("Déclarez d'abord vos liens : les candidatures s'ouvrent ensuite.")
        )
        return redirect("jury:liens", cycle=cycle)
    lignes = _lignes_par_siege(request.user, [jure])[jure.pk]
    siege = _siege(jure, timezone.now(), lignes=lignes)
    return render(request, "jury/jure/candidatures.html", {"siege": siege, "cycle": jure.cycle})


# --- ties -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def liens(request, cycle):
    jure = selectors.jure_de(request.user, cycle)
    candidatures = list(selectors.candidatures_a_evaluer(jure.cycle))
    existants = list(selectors.liens_de(jure))
    requete = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    # Without JavaScript, « Chercher » sends the form back with the results as new boxes.
    recherche = territoires_rechercher(requete, region=jure.cycle.region_id) if requete else []
    donnees = request.POST if request.method == "POST" else None
    form = LiensForm(donnees, candidatures=candidatures, liens=existants, recherche=recherche)
    statut = 200
    if request.method == "POST" and "chercher" not in request.POST:
        if form.is_valid():
            try:
                retirees = services.liens_declarer(
                    jure, liens=form.cleaned_data["liens"], par=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _message_liens(request, len(form.cleaned_data["liens"]), retirees)
                return redirect("jury:accueil")
        statut = 422
    contexte = {
        "jure": jure,
        "cycle": jure.cycle,
        "form": form,
        "natures": NatureLien.choices,
        "requete": requete,
        "recherche_faite": bool(requete),
        "nb_resultats": len(recherche),
        "premiere_fois": jure.liens_declares_le is None,
        "declares_le": date_en_toutes_lettres(jure.liens_declares_le, jour_semaine=False)
        if jure.liens_declares_le
        else "",
    }
    return render(request, "jury/jure/liens.html", contexte, status=statut)


def _message_liens(request, nb_liens, retirees):
    if nb_liens:
        texte = ngettext(
            "Votre déclaration est enregistrée : %(nb)s lien.",
            "Votre déclaration est enregistrée : %(nb)s liens.",
            nb_liens,
        ) % {"nb": nb_liens}
    else:
        texte = _("Votre déclaration est enregistrée : aucun lien.")
    messages.success(request, texte)
    if retirees:
        messages.warning(
            request,
            ngettext(
                "%(nb)s candidature vous a été retirée pour conflit d'intérêts : %(noms)s. "
                "L'équipe du Cerdd la confiera à un·e autre juré·e.",
                "%(nb)s candidatures vous ont été retirées pour conflit d'intérêts : %(noms)s. "
                "L'équipe du Cerdd les confiera à d'autres juré·es.",
                len(retirees),
            )
            % {
                "nb": len(retirees),
                "noms": ", ".join(str(a.candidature.nom_collectivite) for a in retirees),
            },
        )


# --- one candidature --------------------------------------------------------------------------


def _affectation(request, cycle, candidature_pk):
    """The juror's assignment, or 404; nothing is opened before the ties are declared."""
    affectation = selectors.affectation_de(request.user, candidature_pk, cycle)
    if affectation.jure.liens_declares_le is None:
        raise Http404
    return affectation


def _lecture_seule(affectation) -> bool:
    return affectation.soumise or affectation.candidature.cycle.resultats_publies_le is not None


def _pieces(candidature, version):
    """The attachments of the submitted version (all of them when there is no version yet)."""
    pieces = list(candidature.pieces_jointes.order_by("type", "ajoutee_le"))
    if version is None:
        return pieces
    deposees = {piece.get("sha256") for piece in version.donnees.get("pieces_jointes", [])}
    return [piece for piece in pieces if piece.sha256 in deposees]


@dataclass
class Niveau:
    valeur: int
    libelle: str
    description: str = ""


NIVEAUX_SIMPLES = [Niveau(valeur, "") for valeur in (1, 2, 3, 4)]


@dataclass
class LigneGrille:
    critere: object
    niveaux: list
    preuves: list  # [(section key, section title)]
    valeur: str
    porte: str
    commentaire: str
    erreur: str = ""
    manquant: bool = False


def _niveaux(critere):
    niveaux = [Niveau(n.valeur, n.libelle, n.description) for n in critere.niveaux.all()]
    return niveaux or NIVEAUX_SIMPLES


def _texte_note(critere, note, libelles) -> str:
    """« 3 – Solide », « Oui », or « — » when the criterion was left empty."""
    if note is None:
        return "—"
    if critere.est_porte:
        return str(Porte(note.porte).label) if note.porte else "—"
    if note.valeur is None:
        return "—"
    libelle = libelles.get(critere.pk, {}).get(note.valeur)
    return f"{note.valeur} – {libelle}" if libelle else str(note.valeur)


def _notes_croisees(affectation, criteres, notes):
    """The table of the other jurors' submitted evaluations beside the juror's own."""
    autres = list(selectors.autres_evaluations(affectation))
    libelles = {c.pk: {n.valeur: n.libelle for n in c.niveaux.all()} for c in criteres}
    notes_autres = [{note.critere_id: note for note in a.notes.all()} for a in autres]
    lignes = []
    for critere in criteres:
        cellules = [(_texte_note(critere, notes.get(critere.pk), libelles), notes.get(critere.pk))]
        cellules += [
            (_texte_note(critere, n.get(critere.pk), libelles), n.get(critere.pk))
            for n in notes_autres
        ]
        lignes.append(
            {
                "critere": critere,
                "cellules": [
                    {"note": texte, "commentaire": note.commentaire if note else ""}
                    for texte, note in cellules
                ],
            }
        )
    return {
        "jures": [a.jure.user.nom_affiche for a in autres],
        "lignes": lignes,
        "commentaires": [affectation.commentaire] + [a.commentaire for a in autres],
    }


def _page_evaluation(
    request,
    affectation,
    *,
    saisies=None,
    erreurs=None,
    erreur_commentaire="",
    commentaire=None,
    erreur=None,
    manquants=(),
    statut=200,
):
    maintenant = timezone.now()
    candidature = affectation.candidature
    cycle = affectation.jure.cycle
    jury = _jury(cycle)
    version = candidature.versions.first()
    dossier = contexte_candidature(candidature, version)
    titres = {section["cle"]: section["titre"] for section in dossier["sections"]}
    criteres = selectors.grille(cycle)
    notes = selectors.notes_par_critere(affectation)
    saisies = saisies or {}
    erreurs = erreurs or {}
    manquants = {critere.pk for critere in manquants}
    grille = []
    for critere in criteres:
        note = notes.get(critere.pk)
        saisie = saisies.get(critere.pk, {})
        valeur = "" if note is None or note.valeur is None else str(note.valeur)
        grille.append(
            LigneGrille(
                critere=critere,
                niveaux=_niveaux(critere),
                preuves=[(cle, titres[cle]) for cle in critere.sections or [] if cle in titres],
                valeur=saisie.get("valeur", valeur),
                porte=saisie.get("porte", note.porte if note else ""),
                commentaire=saisie.get("commentaire", note.commentaire if note else ""),
                erreur=erreurs.get(critere.pk, ""),
                manquant=critere.pk in manquants,
            )
        )
    visibles = selectors.notes_croisees_visibles(affectation, jury)
    modifie_le = affectation.modifie_le or affectation.cree_le
    contexte = {
        "affectation": affectation,
        "candidature": candidature,
        "cycle": cycle,
        "jury": jury,
        "date_limite": _date_limite(jury),
        "version": version,
        "deposee_le": date_en_toutes_lettres(version.deposee_le, jour_semaine=False)
        if version
        else "",
        "sections": dossier["sections"],
        "pieces": _pieces(candidature, version),
        "grille": grille,
        "portes": Porte.choices,
        "lecture_seule": _lecture_seule(affectation),
        "commentaire": affectation.commentaire if commentaire is None else commentaire,
        "erreur_commentaire": erreur_commentaire,
        "erreur": erreur,
        "manquants": [ligne for ligne in grille if ligne.manquant],
        "soumise_le": date_en_toutes_lettres(affectation.soumise_le) if affectation.soumise else "",
        "derniere_modification": quand_court(modifie_le, maintenant),
        "revision": int(modifie_le.timestamp() * 1000),
        "notes_visibles": visibles,
        "notes_croisees": _notes_croisees(affectation, criteres, notes) if visibles else None,
    }
    return render(request, "jury/jure/evaluation.html", contexte, status=statut)


def _enregistrer_tout(request, affectation):
    """Save every field of the form (sent without JavaScript, or before submitting).
    Returns the page to show again when something was refused, else None."""
    criteres = selectors.grille(affectation.jure.cycle)
    saisies = saisies_evaluation(request.POST, criteres)
    erreurs = {}
    for critere in criteres:
        if critere.pk not in saisies:
            continue
        try:
            services.note_enregistrer(affectation, critere, **saisies[critere.pk], par=request.user)
        except ValidationError as exc:
            erreurs[critere.pk] = " ".join(exc.messages)
    erreur_commentaire = ""
    commentaire = request.POST.get("commentaire")
    if commentaire is not None:
        try:
            services.commentaire_enregistrer(affectation, commentaire, par=request.user)
        except ValidationError as exc:
            erreur_commentaire = " ".join(exc.messages)
    if not erreurs and not erreur_commentaire:
        return None
    if _lecture_seule(affectation):
        # Submitted or closed: the page is read-only, the service said why.
        messages.error(request, erreur_commentaire or next(iter(erreurs.values())))
        return _vers_evaluation(affectation)
    return _page_evaluation(
        request,
        affectation,
        saisies=saisies,
        erreurs=erreurs,
        erreur_commentaire=erreur_commentaire,
        commentaire=commentaire,
        erreur=_("Certaines réponses n'ont pas été enregistrées : voyez les messages en rouge."),
        statut=422,
    )


def _vers_evaluation(affectation):
    return redirect(
        "jury:evaluation",
        cycle=affectation.jure.cycle.slug,
        candidature_pk=affectation.candidature_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request, cycle, candidature_pk):
    """The page (GET); the whole form without JavaScript, or a closing tab's last keystrokes
    (``sendBeacon``: 204) (POST)."""
    affectation = selectors.affectation_de(request.user, candidature_pk, cycle)
    if affectation.jure.liens_declares_le is None:
        if request.method == "POST":
            raise Http404
        messages.info(
            request, _("Déclarez d'abord vos liens : les candidatures s'ouvrent ensuite.")
        )
        return redirect("jury:liens", cycle=cycle)
    if request.method == "GET":
        return _page_evaluation(request, affectation)
    balise = "_balise" in request.POST
    refus = _enregistrer_tout(request, affectation)
    if balise:
        return HttpResponse(status=204 if refus is None else 422)
    if refus is not None:
        return refus
    messages.success(
        request,
        _("Votre évaluation est enregistrée (%(heure)s).") % {"heure": heure(timezone.now())},
    )
    return _vers_evaluation(affectation)


@login_required
@require_safe
def piece(request, cycle, candidature_pk, piece_pk):
    affectation = _affectation(request, cycle, candidature_pk)
    candidature = affectation.candidature
    pieces = {p.pk: p for p in _pieces(candidature, candidature.versions.first())}
    if piece_pk not in pieces:
        raise Http404
    return piece_reponse(pieces[piece_pk])


def _etat(request, affectation, *, erreur="", statut=200):
    """The small status beside a field: « Enregistré à 14 h 32 », or why it was refused."""
    if not request.htmx:
        if erreur:
            messages.error(request, erreur)
        return _vers_evaluation(affectation)
    maintenant = timezone.now()
    reponse = render(
        request, GABARIT_ETAT, {"erreur": erreur, "heure": heure(maintenant)}, status=statut
    )
    if not erreur:
        # The autosave script counts a field as saved only when this header comes back.
        reponse["X-Revision"] = str(int(maintenant.timestamp() * 1000))
    return reponse


@login_required
@require_POST
def note(request, cycle, candidature_pk, critere_pk):
    affectation = _affectation(request, cycle, candidature_pk)
    critere = next(
        (c for c in selectors.grille(affectation.jure.cycle) if c.pk == critere_pk), None
    )
    if critere is None:
        raise Http404
    champs = champs_note(request.POST, critere_pk)
    if not champs:
        return _etat(request, affectation, erreur=_("Rien à enregistrer."), statut=422)
    try:
        services.note_enregistrer(affectation, critere, **champs, par=request.user)
    except ValidationError as exc:
        return _etat(request, affectation, erreur=" ".join(exc.messages), statut=422)
    return _etat(request, affectation)


@login_required
@require_POST
def commentaire(request, cycle, candidature_pk):
    affectation = _affectation(request, cycle, candidature_pk)
    if "commentaire" not in request.POST:
        return _etat(request, affectation, erreur=_("Rien à enregistrer."), statut=422)
    try:
        services.commentaire_enregistrer(affectation, request.POST["commentaire"], par=request.user)
    except ValidationError as exc:
        return _etat(request, affectation, erreur=" ".join(exc.messages), statut=422)
    return _etat(request, affectation)


@login_required
@require_POST
def soumettre(request, cycle, candidature_pk):
    affectation = _affectation(request, cycle, candidature_pk)
    if "_formulaire_complet" in request.POST and not _lecture_seule(affectation):
        # Without JavaScript the button sends the whole form: save it first, nothing is lost.
        refus = _enregistrer_tout(request, affectation)
        if refus is not None:
            return refus
    try:
        services.evaluation_soumettre(affectation, par=request.user)
    except ValidationError as exc:
        if _lecture_seule(affectation):
            messages.error(request, " ".join(exc.messages))
            return _vers_evaluation(affectation)
        return _page_evaluation(
            request,
            affectation,
            erreur=" ".join(exc.messages),
            manquants=services.criteres_manquants(affectation),
            statut=422,
        )
    messages.success(
        request,
        _("Votre évaluation de %(nom)s est soumise. Merci !")
        % {"nom": affectation.candidature.nom_collectivite},
    )
    return _vers_evaluation(affectation)
