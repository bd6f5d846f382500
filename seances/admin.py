"""Sessions in the admin: staff plan the days here (speakers, programme, resources, host,
context note) and set each cycle's delays. What participants answer and what is recorded on
the day is shown only: it changes through the pages of the sessions, never here."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidatures import fichiers
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.documents.html import nettoyer_html

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
    Reglages,
    Ressource,
    Seance,
)


def _lien(nom_url, args, texte):
    try:
        return format_html('<a href="{}">{}</a>', reverse(nom_url, args=args), texte)
    except NoReverseMatch:
        return "—"


class LectureSeule:
    """Shown, searched and filtered; never added, changed nor deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Resources: a link or a file of an office or image format ------------------------------

EXTENSIONS_RESSOURCE = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "ppt",
    "pptx",
    "odp",
    "xls",
    "xlsx",
    "ods",
    "png",
    "jpg",
    "jpeg",
)
# Formats the candidatures' check does not know: an OLE2 container (Office 97-2003) or a ZIP
# archive (Office Open XML, OpenDocument), recognised by their first bytes.
ENTETE_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENTETE_ZIP = b"PK\x03\x04"
ENTETES_BUREAUTIQUE = {
    "ppt": ENTETE_OLE2,
    "xls": ENTETE_OLE2,
    "pptx": ENTETE_ZIP,
    "xlsx": ENTETE_ZIP,
    "odp": ENTETE_ZIP,
    "ods": ENTETE_ZIP,
}
# Past the first bytes, what the content must show, so that any archive or OLE2 file renamed
# .pptx or .xls (a page, a script, a Word file) is refused: the streams of an Office 97-2003
# container, or the table of contents of a ZIP archive (read without inflating it).
FLUX_OLE2 = {"ppt": ("PowerPoint Document",), "xls": ("Workbook", "Book")}
SOMMAIRES = {
    "pptx": lambda noms, _mimetype: (
        "[Content_Types].xml" in noms and any(nom.startswith("ppt/") for nom in noms)
    ),
    "xlsx": lambda noms, _mimetype: (
        "[Content_Types].xml" in noms and any(nom.startswith("xl/") for nom in noms)
    ),
    "odp": lambda _noms, mimetype: mimetype == b"application/vnd.oasis.opendocument.presentation",
    "ods": lambda _noms, mimetype: mimetype == b"application/vnd.oasis.opendocument.spreadsheet",
}


def verifier_ressource(fichier: UploadedFile) -> None:
    """A resource file: one of the accepted formats, its content agreeing with its name."""
    nom = fichier.name or ""
    extension = nom.rpartition(".")[2].lower() if "." in nom else ""
    if extension not in EXTENSIONS_RESSOURCE:
        raise ValidationError(
            _(
                "Le fichier « %(nom)s » n'est pas d'un format accepté. Formats acceptés : PDF, "
                "DOC, DOCX, ODT, PPT, PPTX, ODP, XLS, XLSX, ODS, PNG et JPG."
            )
            % {"nom": nom}
        )
    if extension in fichiers.EXTENSIONS_ACCEPTEES:
        # PDF, Word, OpenDocument text and images: the candidatures' check reads the content.
        fichiers.verifier_fichier(fichier)
        return
    taille_max = settings.CANDIDATURES_TAILLE_MAX_MO
    if fichier.size > taille_max * 1024 * 1024:
        raise ValidationError(
            _("Le fichier « %(nom)s » dépasse la taille maximale de %(max)s Mo.")
            % {"nom": nom, "max": taille_max}
        )
    fichier.seek(0)
    entete = fichier.read(len(ENTETE_OLE2))
    fichier.seek(0)
    conforme = entete.startswith(ENTETES_BUREAUTIQUE[extension])
    if conforme and extension in FLUX_OLE2:
        conforme = bool(fichiers.flux_ole2(fichier, *FLUX_OLE2[extension]))
    elif conforme:
        sommaire = fichiers.sommaire_archive(fichier, nom, extension.upper())
        conforme = SOMMAIRES[extension](*sommaire)
    if not conforme:
        raise ValidationError(
            _(
                "Le contenu du fichier « %(nom)s » ne correspond pas à un document "
                "%(format)s : choisissez le bon fichier."
            )
            % {"nom": nom, "format": extension.upper()}
        )


# The stored name keeps the original one (participants download it under that name): a
# filesystem takes 255 bytes per name, and accented letters take two.
NOM_STOCKE_OCTETS_MAX = 150


def nom_stockable(nom: str) -> str:
    """The file name made safe (letters, digits, - _ .) and short enough in bytes to store."""
    try:
        nom = get_valid_filename(nom)
    except SuspiciousFileOperation:
        nom = "ressource"
    racine, point, extension = nom.rpartition(".")
    if not point:
        racine, extension = nom, ""
    suffixe = f".{extension}" if point else ""
    racine = racine or "ressource"
    while len((racine + suffixe).encode()) > NOM_STOCKE_OCTETS_MAX:
        racine = racine[:-1]
    return racine + suffixe


@dataclass(frozen=True)
class _FichierAffiche:
    """What the file widget shows of a stored private file: its name and the access-checked
    download view (private files have no public address)."""

    nom: str
    url: str

    def __str__(self):
        return self.nom


class FichierPriveInput(forms.ClearableFileInput):
    def is_initial(self, value):
        return bool(value and getattr(value, "name", ""))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            try:
                url = reverse("seances:ressource", args=[value.instance.pk])
            except NoReverseMatch:
                url = ""
            context["widget"]["value"] = _FichierAffiche(value.name.rsplit("/", 1)[-1], url)
        return context


class RessourceForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("lien"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=AdminURLFieldWidget,
    )

    class Meta:
        model = Ressource
        fields = ["titre", "url", "fichier", "ordre"]
        widgets = {"fichier": FichierPriveInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = _(
            "PDF, DOC, DOCX, ODT, PPT, PPTX, ODP, XLS, XLSX, ODS, PNG ou JPG ; %(max)s Mo au "
            "plus. Un lien ou un fichier, pas les deux."
        ) % {"max": settings.CANDIDATURES_TAILLE_MAX_MO}

    def clean_fichier(self):
        fichier = self.cleaned_data.get("fichier")
        if isinstance(fichier, UploadedFile):
            verifier_ressource(fichier)
            fichier.name = nom_stockable(fichier.name)
        return fichier

    def clean(self):
        donnees = super().clean()
        url, fichier = donnees.get("url"), donnees.get("fichier")
        if "fichier" in self.errors or "url" in self.errors:
            return donnees
        if url and fichier:
            self._refusee = True
            raise ValidationError(
                _(
                    "Une ressource est soit un lien, soit un fichier, pas les deux : videz le "
                    "lien ou retirez le fichier."
                )
            )
        if not url and not fichier:
            self._refusee = True
            raise ValidationError(_("Indiquez un lien ou joignez un fichier."))
        return donnees

    def _post_clean(self):
        # Refused above: the model's « lien ou fichier » constraint would only repeat it.
        if not getattr(self, "_refusee", False):
            super()._post_clean()


class RessourceInline(admin.TabularInline):
    model = Ressource
    form = RessourceForm
    fields = ["titre", "url", "fichier", "ordre"]
    extra = 0


# --- Sessions -------------------------------------------------------------------------------


class IntervenantInline(admin.StackedInline):
    model = Intervenant
    fields = [("nom", "ordre"), "qualite", "bio"]
    extra = 0


class PointProgrammeInline(admin.TabularInline):
    model = PointProgramme
    fields = ["heure_debut", "heure_fin", "titre", "format", "intervenant", "description"]
    ordering = ["heure_debut"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        champ = formset.form.base_fields.get("intervenant")
        if champ is not None:
            # The speakers of this session (saved ones: a new speaker is chosen after saving).
            champ.queryset = (
                Intervenant.objects.filter(seance=obj) if obj else Intervenant.objects.none()
            )
            champ.help_text = _("Parmi les intervenant·es enregistré·es de la séance.")
        description = formset.form.base_fields.get("description")
        if description is not None:
            description.widget = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return formset


AIDE_NOTE = gettext_lazy(
    "Mise en forme en HTML : paragraphes <p>, gras <strong>, italique <em>, listes <ul> ou "
    '<ol> avec <li>, intertitres <h2> à <h4>, liens <a href="https://…"> (http, https ou '
    "mailto), citations <blockquote>, tableaux. Tout le reste (scripts, styles, images, "
    "attributs) est retiré à l'enregistrement."
)


class SeanceForm(forms.ModelForm):
    class Meta:
        model = Seance
        fields = [
            "cycle",
            "numero",
            "date",
            "heure_debut",
            "fin_matinee",
            "heure_fin",
            "lieu",
            "adresse",
            "hote",
            "theme",
            "note_contexte",
            "questions_jusqua",
            "couverts_supplementaires",
        ]
        widgets = {"note_contexte": forms.Textarea(attrs={"rows": 14, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "note_contexte" in self.fields:
            # The admin prints help texts as HTML: the tag names must show as text.
            self.fields["note_contexte"].help_text = escape(AIDE_NOTE)

    def clean_note_contexte(self):
        return nettoyer_html(self.cleaned_data.get("note_contexte", "")).strip()

    def clean(self):
        donnees = super().clean()
        cycle, hote = donnees.get("cycle"), donnees.get("hote")
        if cycle and hote and hote.cycle_id != cycle.pk:
            self.add_error(
                "hote", _("La collectivité hôte doit faire partie du cycle de la séance.")
            )
        return donnees


@admin.register(Seance)
class SeanceAdmin(admin.ModelAdmin):
    form = SeanceForm
    list_display = ["numero", "date", "theme", "lieu", "cycle", "page", "suivi"]
    list_display_links = ["numero", "theme"]
    list_filter = ["cycle"]
    date_hierarchy = "date"
    search_fields = ["theme", "lieu", "intervenants__nom"]
    list_select_related = ["cycle"]
    ordering = ["-date"]
    inlines = [IntervenantInline, PointProgrammeInline, RessourceInline]
    fieldsets = [
        (
            gettext_lazy("La journée"),
            {
                "fields": [
                    "cycle",
                    "numero",
                    "date",
                    ("heure_debut", "fin_matinee", "heure_fin"),
                ]
            },
        ),
        (gettext_lazy("Le lieu"), {"fields": ["lieu", "adresse", "hote"]}),
        (
            gettext_lazy("Le contenu"),
            {
                "fields": [
                    "theme",
                    "note_contexte",
                    "questions_jusqua",
                    "couverts_supplementaires",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        champ = form.base_fields.get("hote")
        if champ is not None:
            # The pairs of the session's cycle; for a new session, those of the cycles running.
            binomes = Binome.objects.select_related("cycle", "candidature__territoire")
            if obj is not None:
                champ.queryset = binomes.filter(cycle_id=obj.cycle_id)
            else:
                champ.queryset = binomes.filter(cycle__statut=StatutCycle.EN_COURS)
                champ.label_from_instance = lambda binome: f"{binome} ({binome.cycle})"
        return form

    @admin.display(description=gettext_lazy("page de la séance"))
    def page(self, seance):
        return _lien("seances:seance", [seance.pk], _("Page de la séance"))

    @admin.display(description=gettext_lazy("suivi"))
    def suivi(self, seance):
        return _lien("equipe_seances:seance", [seance.cycle.slug, seance.numero], _("Suivi"))


@admin.register(Reglages)
class ReglagesAdmin(admin.ModelAdmin):
    list_display = [
        "cycle",
        "note_contexte_jours",
        "rappel_confirmation_jours",
        "relance_evaluation_jours",
        "attestation_seances_min",
    ]
    list_select_related = ["cycle"]
    fields = [
        "cycle",
        "note_contexte_jours",
        "rappel_confirmation_jours",
        "relance_evaluation_jours",
        "attestation_seances_min",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Settings belong to one cycle for good.
        return ["cycle"] if obj is not None else []


# --- Pairs ----------------------------------------------------------------------------------


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0
    fields = ["user", "role", "suppleant", "fonction", "actif", "depuis", "jusqua"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # People join a pair through seances.services, which invites them.
        return False


@admin.register(Binome)
class BinomeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "ouvert_le"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "candidature__territoire"]
    search_fields = ["candidature__territoire__nom", "candidature__structure_nom"]
    readonly_fields = ["cycle", "candidature", "ouvert_le"]
    inlines = [MembreInline]

    def has_add_permission(self, request):
        return False


# --- What participants answered and what was recorded: shown only --------------------------

RECHERCHE_PERSONNE = [
    "membre__user__email",
    "membre__user__first_name",
    "membre__user__last_name",
    "membre__binome__candidature__territoire__nom",
    "membre__binome__candidature__structure_nom",
]
MEMBRE_LIE = ["seance__cycle", "membre__user", "membre__binome__candidature__territoire"]


@admin.register(Confirmation)
class ConfirmationAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["membre", "seance", "reponse", "matin", "apres_midi", "dejeuner", "modifie_le"]
    list_filter = ["seance__cycle", "reponse", "dejeuner"]
    list_select_related = [*MEMBRE_LIE, "remplacant__user"]
    search_fields = RECHERCHE_PERSONNE
    search_help_text = gettext_lazy("Nom, courriel ou collectivité.")


@admin.register(Presence)
class PresenceAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["membre", "seance", "demi_journee", "statut", "source", "marque_le"]
    list_filter = ["seance__cycle", "demi_journee", "statut", "source"]
    list_select_related = MEMBRE_LIE
    search_fields = RECHERCHE_PERSONNE
    search_help_text = gettext_lazy("Nom, courriel ou collectivité.")


@admin.register(Question)
class QuestionAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["__str__", "seance", "auteur", "groupe", "doublon_de", "cree_le"]
    list_filter = ["seance__cycle", "seance"]
    list_select_related = [
        "seance__cycle",
        "auteur__user",
        "auteur__binome__candidature__territoire",
        "doublon_de",
    ]
    search_fields = ["texte", "groupe", "auteur__user__last_name", "auteur__user__email"]
    search_help_text = gettext_lazy("Texte, groupe, nom ou courriel de l'auteur·e.")


@admin.register(Evaluation)
class EvaluationAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["membre", "seance", "note", "soumise_le"]
    list_filter = ["seance__cycle", "note"]
    list_select_related = MEMBRE_LIE
    search_fields = [*RECHERCHE_PERSONNE, "bien", "craint", "demain"]
    search_help_text = gettext_lazy("Nom, courriel, collectivité ou texte de l'évaluation.")


@admin.register(Attestation)
class AttestationAdmin(LectureSeule, admin.ModelAdmin):
    list_display = [
        "code",
        "titulaire",
        "collectivite",
        "type",
        "cycle",
        "seances_presentes",
        "seances_total",
        "delivree_le",
    ]
    list_filter = ["cycle", "type"]
    list_select_related = ["cycle"]
    search_fields = ["code", "titulaire", "collectivite"]
    search_help_text = gettext_lazy("Code de vérification, titulaire ou collectivité.")
