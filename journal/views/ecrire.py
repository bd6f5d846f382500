"""Writing the logbook (/journal/): the index of one's entries, the page of one session's entry
(four headings of items, each with its own audience, plus the free notes), what the others
shared, and one's own copy as a PDF.

The entry page saves as you type (static/js/journal.js): each item's text is POSTed alone with
the version the page read, and answered in JSON — the new version, or 409 with the text saved
elsewhere (another tab, another device), which is never overwritten. Without JavaScript the
page is one form: « Enregistrer » saves everything in one POST, all or nothing.

Everything goes through ``journal.selectors``: an item, an entry or a session that is not the
person's answers 404."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cerdd_cycle.documents.pdf import rendre_pdf, reponse_pdf
from cerdd_cycle.formats import heure, quand_court
from seances import selectors as seances_selectors
from seances.models import Seance

from .. import selectors, services
from ..enums import Audience, Rubrique
from ..forms.ecrire import AjoutForm, ElementForm, EntreeForm, NotesForm, PartageForm

GABARIT_ENTREE = "journal/participant/entree.html"
GABARIT_ELEMENT = "journal/participant/_element.html"

# « Point fort 2 »: the label of one item of a heading.
LIBELLES_ELEMENT = {
    Rubrique.POINTS_FORTS: gettext_lazy("Point fort"),
    Rubrique.VIGILANCE: gettext_lazy("Point de vigilance"),
    Rubrique.IDEES: gettext_lazy("Idée"),
    Rubrique.PROGRES: gettext_lazy("Marge de progression"),
}


def _veut_json(request) -> bool:
    """The entry page's script asks for JSON; a plain form (no JavaScript) gets pages."""
    return "application/json" in request.headers.get("Accept", "")


def _enregistre_a() -> str:
    return _("Enregistré à %(heure)s") % {"heure": heure(timezone.now())}


def _membre_et_seance(request, pk):
    """The person's seat in the session's cycle and the session, if it has begun; else 404."""
    seance = Seance.objects.select_related("cycle").filter(pk=pk).first()
    if seance is None:
        raise Http404
    membre = selectors.membre_ou_404(request.user, seance.cycle)
    selectors.seance_du_journal_ou_404(membre, seance.pk)
    return membre, seance


def _entree_obtenir(membre, seance):
    try:
        return services.entree_obtenir(membre, seance)
    except ValidationError:
        raise Http404 from None


def _vers_entree(seance_pk, ancre=""):
    return redirect(reverse("journal:entree", args=[seance_pk]) + (f"#{ancre}" if ancre else ""))


# --- the index ------------------------------------------------------------------------------


@dataclass
class LigneJournal:
    seance: Seance
    nb_elements: int = 0
    nb_partages: int = 0
    a_des_notes: bool = False

    @classmethod
    def de(cls, seance):
        """``seance``: annotated by ``selectors.seances_du_journal``."""
        return cls(
            seance=seance,
            nb_elements=seance.nb_elements,
            nb_partages=seance.nb_partages,
            a_des_notes=bool((seance.notes_entree or "").strip()),
        )

    @property
    def vide(self) -> bool:
        return not self.nb_elements and not self.a_des_notes


def _accueil_sans_binome(request):
    """Staff outside the pairs are pointed to the staff pages; anyone else gets a kind word."""
    contexte = {"sans_binome": True, "est_equipe": seances_selectors.est_equipe(request.user)}
    if contexte["est_equipe"]:
        cycle = seances_selectors.cycle_des_seances()
        seance = None
        if cycle is not None:
            seance = (
                seances_selectors.prochaine_seance(cycle)
                or seances_selectors.seances_du_cycle(cycle).last()
            )
        contexte.update(cycle=cycle, seance_ouverture=seance)
    return render(request, "journal/participant/accueil.html", contexte)


@login_required
@require_safe
def accueil(request):
    try:
        membre = selectors.membre_de_l_index_ou_404(request.user)
    except Http404:
        return _accueil_sans_binome(request)
    aujourdhui = timezone.localdate()
    lignes, a_venir = [], []
    for seance in selectors.seances_du_journal(membre):
        if selectors.seance_commencee(seance, aujourdhui):
            lignes.append(LigneJournal.de(seance))
        else:
            a_venir.append(seance)
    return render(
        request,
        "journal/participant/accueil.html",
        {
            "membre": membre,
            "binome": membre.binome,
            "cycle": membre.binome.cycle,
            "lignes": lignes,
            "derniere": lignes[-1] if lignes else None,
            "a_venir": a_venir,
        },
    )


# --- one entry ------------------------------------------------------------------------------


@dataclass
class Rubriques:
    """One heading of the entry page: its prompts and the person's items."""

    cle: str
    titre: str
    libelle_element: str
    consignes: list = field(default_factory=list)
    elements: list = field(default_factory=list)


def _preparer(element, numero, *, saisie=None, version=None, conflit=None, erreur=""):
    """Give an item what its partial shows: its label, the text in the box (what was typed
    when a save was refused), the version the page is based on, a conflict or an error."""
    element.libelle = LIBELLES_ELEMENT[element.rubrique]
    element.numero = numero
    element.saisie = element.texte if saisie is None else saisie
    element.version_page = element.version if version is None else version
    element.conflit = conflit
    element.erreur = erreur
    return element


def _page_entree(
    request,
    membre,
    seance,
    *,
    saisies=None,
    conflits=None,
    erreurs=None,
    notes=None,
    erreur=None,
    a_supprimer=None,
    statut=200,
):
    """The entry page. After a refused POST, ``saisies`` {pk: (text, version, audience)} keeps
    what was typed and ``conflits`` {pk or "notes": current object} shows both versions."""
    saisies, conflits, erreurs = saisies or {}, conflits or {}, erreurs or {}
    entree = selectors.entree_de(membre, seance)
    consignes = list(selectors.consignes(seance))
    rubriques = {
        cle: Rubriques(
            cle=cle,
            titre=titre,
            libelle_element=LIBELLES_ELEMENT[cle],
            consignes=[c for c in consignes if c.rubrique == cle],
        )
        for cle, titre in Rubrique.choices
    }
    for element in entree.elements.all():
        rubrique = rubriques[element.rubrique]
        texte, version, audience = saisies.get(element.pk, (None, None, ""))
        conflit = conflits.get(element.pk)
        if conflit is not None:
            # « Garder mon texte » saves again against the version found on the server.
            version = conflit.version
        _preparer(
            element,
            len(rubrique.elements) + 1,
            saisie=texte,
            version=version,
            conflit=conflit,
            erreur=erreurs.get(element.pk, ""),
        )
        element.audience_choisie = audience or element.audience
        rubrique.elements.append(element)
    notes_saisies, notes_version = notes if notes is not None else (None, None)
    conflit_notes = conflits.get("notes")
    if conflit_notes is not None:
        notes_version = conflit_notes.notes_version
    return render(
        request,
        GABARIT_ENTREE,
        {
            "membre": membre,
            "binome": membre.binome,
            "cycle": seance.cycle,
            "seance": seance,
            "entree": entree,
            "rubriques": list(rubriques.values()),
            "consignes_generales": [c for c in consignes if not c.rubrique],
            "audiences": Audience.choices,
            "notes": entree.notes if notes_saisies is None else notes_saisies,
            "notes_version": entree.notes_version if notes_version is None else notes_version,
            "conflit_notes": conflit_notes,
            "erreur_notes": erreurs.get("notes", ""),
            "erreur": erreur,
            "a_supprimer": a_supprimer,
            "derniere_modification": quand_court(entree.modifie_le, timezone.now()),
        },
        status=statut,
    )


class _Annuler(Exception):
    """Something was refused: the whole POST is rolled back."""


def _saisies(request, elements) -> dict:
    """What the page sent for each item, as typed (to show it back after a refusal)."""
    saisies = {}
    for element in elements:
        texte = request.POST.get(f"texte-{element.pk}")
        version = request.POST.get(f"version-{element.pk}", "")
        saisies[element.pk] = (
            texte,
            int(version) if version.isdigit() else None,
            request.POST.get(f"audience-{element.pk}", ""),
        )
    return saisies


def _notes_saisies(request):
    if "notes" not in request.POST:
        return None
    version = request.POST.get("notes_version", "")
    return request.POST["notes"], int(version) if version.isdigit() else None


def _tout_enregistrer(request, membre, seance, entree):
    """Without JavaScript: every item's text and audience and the notes, in one POST. Anything
    refused (a text too long, a conflict with another tab) and nothing is saved: the page comes
    back with what was typed."""
    elements = list(entree.elements.all())
    form = EntreeForm(request.POST, elements=elements)
    garder_autre = request.POST.get("garder_autre", "")
    conflits, erreurs = {}, {}
    contexte_refus = {
        "saisies": _saisies(request, elements),
        "notes": _notes_saisies(request),
        "statut": 422,
    }
    if not form.is_valid():
        return _page_entree(
            request,
            membre,
            seance,
            erreur=" ".join(" ".join(erreur) for erreur in form.errors.values()),
            **contexte_refus,
        )
    try:
        with transaction.atomic():
            for element, texte, version, audience in form.lignes():
                if texte is not None and str(element.pk) != garder_autre:
                    try:
                        services.element_enregistrer(element, texte=texte, version=version)
                    except services.Conflit as conflit:
                        conflits[element.pk] = conflit.actuel
                    except ValidationError as exc:
                        erreurs[element.pk] = " ".join(exc.messages)
                if audience and audience != element.audience:
                    services.element_partager(element, audience)
            notes = form.notes_envoyees()
            if notes is not None and garder_autre != "notes":
                texte, version = notes
                try:
                    services.notes_enregistrer(
                        entree,
                        notes=texte,
                        version=entree.notes_version if version is None else version,
                    )
                except services.Conflit as conflit:
                    conflits["notes"] = conflit.actuel
                except ValidationError as exc:
                    erreurs["notes"] = " ".join(exc.messages)
            if conflits or erreurs:
                raise _Annuler
    except _Annuler:
        if conflits:
            erreur = _(
                "Rien n'est enregistré : une partie de ce journal a été modifiée dans un autre "
                "onglet ou appareil. Vos textes sont toujours là ; choisissez pour chacun la "
                "version à garder."
            )
        else:
            erreur = _("Rien n'est enregistré : corrigez ce qui est signalé ci-dessous.")
        return _page_entree(
            request,
            membre,
            seance,
            conflits=conflits,
            erreurs=erreurs,
            erreur=erreur,
            **contexte_refus,
        )
    # Then the button that was pressed: add an item, delete one, or just save.
    rubrique = request.POST.get("ajouter", "")
    if rubrique in Rubrique.values:
        element = services.element_ajouter(entree, rubrique=rubrique)
        return _vers_entree(seance.pk, f"element-{element.pk}")
    a_supprimer = request.POST.get("supprimer", "")
    if a_supprimer.isdigit():
        element = selectors.element_de(request.user, int(a_supprimer))
        return redirect("journal:element_supprimer", pk=element.pk)
    messages.success(
        request,
        _("Votre journal est enregistré (%(heure)s).") % {"heure": heure(timezone.now())},
    )
    return _vers_entree(seance.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entree(request, pk):
    membre, seance = _membre_et_seance(request, pk)
    entree = _entree_obtenir(membre, seance)
    if request.method == "POST":
        return _tout_enregistrer(request, membre, seance, entree)
    return _page_entree(request, membre, seance)


# --- one item, saved alone (the page's script) ----------------------------------------------


def _erreurs(form) -> str:
    return " ".join(" ".join(erreurs) for erreurs in form.errors.values())


def _conflit_json(texte, version):
    return JsonResponse(
        {
            "conflit": True,
            "texte": texte,
            "version": version,
            "message": _(
                "Pas enregistré : ce texte a été modifié dans un autre onglet ou appareil. "
                "Choisissez la version à garder."
            ),
        },
        status=409,
    )


@login_required
@require_POST
def element(request, pk):
    """Autosave of one item's text (JSON), a closing tab's last keystrokes (``_balise``: 204),
    or a plain POST (the entry page)."""
    element = selectors.element_de(request.user, pk)
    entree = element.entree
    json = _veut_json(request)
    balise = "_balise" in request.POST
    form = ElementForm(request.POST)
    if not form.is_valid():
        if json or balise:
            return JsonResponse({"erreur": _erreurs(form)}, status=422)
        messages.error(request, _erreurs(form))
        return _vers_entree(entree.seance_id, f"element-{element.pk}")
    texte, version = form.cleaned_data["texte"], form.cleaned_data["version"]
    try:
        element = services.element_enregistrer(element, texte=texte, version=version)
    except services.Conflit as conflit:
        if json or balise:
            return _conflit_json(conflit.actuel.texte, conflit.actuel.version)
        return _page_entree(
            request,
            entree.membre,
            entree.seance,
            saisies={element.pk: (texte, version, "")},
            conflits={element.pk: conflit.actuel},
            erreur=_("Rien n'est enregistré : ce texte a été modifié dans un autre onglet."),
            statut=409,
        )
    except ValidationError as exc:
        if json or balise:
            return JsonResponse({"erreur": " ".join(exc.messages)}, status=422)
        return _page_entree(
            request,
            entree.membre,
            entree.seance,
            saisies={element.pk: (texte, version, "")},
            erreurs={element.pk: " ".join(exc.messages)},
            erreur=_("Rien n'est enregistré : corrigez ce qui est signalé ci-dessous."),
            statut=422,
        )
    if balise:
        return HttpResponse(status=204)
    if json:
        return JsonResponse({"version": element.version, "message": _enregistre_a()})
    messages.success(request, _enregistre_a())
    return _vers_entree(entree.seance_id, f"element-{element.pk}")


@login_required
@require_POST
def notes(request, pk):
    """Autosave of the free notes: same answers as an item's."""
    membre, seance = _membre_et_seance(request, pk)
    entree = _entree_obtenir(membre, seance)
    json = _veut_json(request)
    balise = "_balise" in request.POST
    form = NotesForm(request.POST)
    if not form.is_valid():
        if json or balise:
            return JsonResponse({"erreur": _erreurs(form)}, status=422)
        messages.error(request, _erreurs(form))
        return _vers_entree(seance.pk, "notes")
    texte, version = form.cleaned_data["notes"], form.cleaned_data["version"]
    try:
        entree = services.notes_enregistrer(entree, notes=texte, version=version)
    except services.Conflit as conflit:
        if json or balise:
            return _conflit_json(conflit.actuel.notes, conflit.actuel.notes_version)
        return _page_entree(
            request,
            membre,
            seance,
            notes=(texte, version),
            conflits={"notes": conflit.actuel},
            erreur=_("Rien n'est enregistré : vos notes ont été modifiées dans un autre onglet."),
            statut=409,
        )
    except ValidationError as exc:
        if json or balise:
            return JsonResponse({"erreur": " ".join(exc.messages)}, status=422)
        return _page_entree(
            request,
            membre,
            seance,
            notes=(texte, version),
            erreurs={"notes": " ".join(exc.messages)},
            erreur=_("Rien n'est enregistré : corrigez ce qui est signalé ci-dessous."),
            statut=422,
        )
    if balise:
        return HttpResponse(status=204)
    if json:
        return JsonResponse({"version": entree.notes_version, "message": _enregistre_a()})
    messages.success(request, _enregistre_a())
    return _vers_entree(seance.pk, "notes")


@login_required
@require_POST
def element_ajouter(request, pk):
    """A new, empty, private item under a heading: its partial (htmx, or in JSON for the page's
    script), else back to it on the page."""
    membre, seance = _membre_et_seance(request, pk)
    entree = _entree_obtenir(membre, seance)
    form = AjoutForm(request.POST)
    if not form.is_valid():
        if _veut_json(request):
            return JsonResponse({"erreur": _erreurs(form)}, status=422)
        if request.htmx:
            return HttpResponse(_erreurs(form), status=422)
        messages.error(request, _erreurs(form))
        return _vers_entree(seance.pk)
    rubrique = form.cleaned_data["rubrique"]
    element = services.element_ajouter(entree, rubrique=rubrique)
    if not (_veut_json(request) or request.htmx):
        return _vers_entree(seance.pk, f"element-{element.pk}")
    _preparer(element, entree.elements.filter(rubrique=rubrique).count())
    element.audience_choisie = element.audience
    html = render_to_string(
        GABARIT_ELEMENT, {"element": element, "audiences": Audience.choices}, request=request
    )
    if request.htmx and not _veut_json(request):
        return HttpResponse(html, status=201)
    return JsonResponse({"id": element.pk, "html": html}, status=201)


@login_required
@require_POST
def element_partager(request, pk):
    element = selectors.element_de(request.user, pk)
    form = PartageForm(request.POST)
    if not form.is_valid():
        if _veut_json(request):
            return JsonResponse({"erreur": _erreurs(form)}, status=422)
        messages.error(request, _erreurs(form))
        return _vers_entree(element.entree.seance_id, f"element-{element.pk}")
    element = services.element_partager(element, form.cleaned_data["audience"])
    libelle = element.get_audience_display()
    if _veut_json(request):
        return JsonResponse(
            {
                "audience": element.audience,
                "libelle": libelle,
                "message": _("Partage enregistré : %(audience)s.") % {"audience": libelle},
            }
        )
    if request.htmx:
        return render(request, "journal/participant/_audience.html", {"element": element})
    messages.success(request, _("Partage enregistré : %(audience)s.") % {"audience": libelle})
    return _vers_entree(element.entree.seance_id, f"element-{element.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def element_supprimer(request, pk):
    """GET: the entry page asks to confirm; POST: the item is deleted."""
    element = selectors.element_de(request.user, pk)
    entree = element.entree
    if request.method == "GET":
        rang = list(
            entree.elements.filter(rubrique=element.rubrique)
            .order_by("cree_le", "pk")
            .values_list("pk", flat=True)
        ).index(element.pk)
        return _page_entree(
            request, entree.membre, entree.seance, a_supprimer=_preparer(element, rang + 1)
        )
    rubrique = element.rubrique
    services.element_supprimer(element)
    if _veut_json(request):
        return JsonResponse({"supprime": pk, "message": _("L'élément est supprimé.")})
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("L'élément est supprimé."))
    return _vers_entree(entree.seance_id, f"rubrique-{rubrique}")


# --- what the others shared -----------------------------------------------------------------


@dataclass
class Partage:
    """One item someone else shared, as the reader may see it: no author for an anonymous
    one (the template cannot show what it is not given)."""

    texte: str
    audience: str
    auteur: str | None = None
    collectivite: str | None = None
    de_mon_binome: bool = False


def _partage(ligne, binome_id) -> Partage:
    """``ligne``: a row of ``selectors.partages_a_lire``. The author's name and collectivity
    are spelled as ``User.nom_affiche`` and ``str(Binome)`` do."""
    if ligne["audience"] == Audience.GROUPE_ANONYME:
        return Partage(texte=ligne["texte"], audience=ligne["audience"])
    nom = f"{ligne['prenom']} {ligne['nom']}".strip() or ligne["email"]
    if ligne["territoire"] is not None:
        collectivite = ligne["territoire"]
    else:
        collectivite = ligne["structure"] or _("(sans nom)")
    return Partage(
        texte=ligne["texte"],
        audience=ligne["audience"],
        auteur=nom,
        collectivite=collectivite,
        de_mon_binome=binome_id is not None and ligne["binome_id"] == binome_id,
    )


@login_required
@require_safe
def partages(request, pk):
    seance = selectors.seance_des_partages(request.user, pk)
    if seance is None:
        raise Http404
    binome_id = seance.binome_lecteur
    est_equipe = seances_selectors.est_equipe(request.user)
    if binome_id is not None:
        # A seat in the session's cycle: only the date remains to check.
        if not selectors.seance_commencee(seance):
            raise Http404
    elif not est_equipe:
        raise Http404
    par_rubrique = {cle: [] for cle in Rubrique.values}
    for ligne in selectors.partages_a_lire(request.user, seance, binome_id):
        par_rubrique[ligne["rubrique"]].append(_partage(ligne, binome_id))
    rubriques = [(titre, par_rubrique[cle]) for cle, titre in Rubrique.choices]
    return render(
        request,
        "journal/participant/partages.html",
        {
            "seance": seance,
            "cycle": seance.cycle,
            "participant": binome_id is not None,
            "est_equipe": est_equipe and binome_id is None,
            "rubriques": rubriques,
            "total": sum(len(liste) for _titre, liste in rubriques),
        },
    )


# --- one's own copy -------------------------------------------------------------------------


@dataclass
class PageJournal:
    seance: Seance
    rubriques: list  # [(titre, [Element])]
    notes: str = ""

    @property
    def vide(self) -> bool:
        return not self.notes.strip() and not any(liste for _titre, liste in self.rubriques)


def contexte_pdf(membre, maintenant=None) -> dict:
    """Everything the person wrote — their private items and notes included: this copy is
    theirs alone — with their pair's relays and experiments."""
    entrees = {entree.seance_id: entree for entree in selectors.journal_complet(membre)}
    pages = []
    for seance in selectors.seances_a_ecrire(membre):
        entree = entrees.get(seance.pk)
        elements = list(entree.elements.all()) if entree else []
        pages.append(
            PageJournal(
                seance=seance,
                rubriques=[
                    (titre, [e for e in elements if e.rubrique == cle])
                    for cle, titre in Rubrique.choices
                ],
                notes=entree.notes if entree else "",
            )
        )
    binome = membre.binome
    return {
        "membre": membre,
        "personne": membre.user,
        "binome": binome,
        "cycle": binome.cycle,
        "pages": pages,
        "relais": list(selectors.relais_du_binome(binome)),
        "experimentations": list(selectors.experimentations_du_binome(binome)),
        "genere_le": maintenant or timezone.now(),
    }


@login_required
@require_safe
def pdf(request):
    membre = selectors.membre_ou_404(request.user)
    contenu = rendre_pdf("journal/pdf/journal.html", contexte_pdf(membre))
    reponse = reponse_pdf(contenu, f"journal-de-bord-{membre.binome.cycle.slug}.pdf")
    reponse["Cache-Control"] = "private, no-store"
    return reponse
