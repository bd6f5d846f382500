"""Forms of the candidate's space. They check what a person typed and shape it for a service;
they never write: the views hand their cleaned data to ``services``."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cerdd_cycle.territoires.models import Departement
from cerdd_cycle.territoires.selectors import territoire_par_siren

from .enums import Engagement
from .models import Candidature
from .sections import CHAMPS_MODIFIABLES, SECTIONS
from .services import candidature_accorder_delai, siren_valide


def classe_bootstrap(widget):
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class FormulaireBootstrap(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            champ.widget.attrs.setdefault("class", classe_bootstrap(champ.widget))


# --- starting a candidature -----------------------------------------------------------------


class ChoixTerritoireForm(forms.Form):
    """The collectivity picked in the official list, sent as its SIREN."""

    territoire = forms.CharField(
        label=_("Collectivité"),
        max_length=9,
        error_messages={"required": _("Choisissez votre collectivité dans la liste.")},
    )

    def clean_territoire(self):
        territoire = territoire_par_siren(self.cleaned_data["territoire"])
        if territoire is None:
            raise ValidationError(_("Cette collectivité ne figure pas dans la liste officielle."))
        return territoire


class StructureForm(FormulaireBootstrap):
    """A structure outside the official list (a syndicat mixte, a parc naturel régional…)."""

    structure_nom = forms.CharField(label=_("Nom de la structure"), max_length=200)
    structure_siren = forms.CharField(
        label=_("Numéro SIREN"),
        max_length=11,
        help_text=_("Les 9 chiffres qui identifient la structure (espaces acceptés)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    structure_nature = forms.CharField(
        label=_("Nature de la structure"),
        max_length=120,
        help_text=_("Par exemple : syndicat mixte, parc naturel régional, pôle métropolitain."),
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.none(),
        empty_label=_("Choisir un département"),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(region=region)

    def clean_structure_siren(self):
        siren = "".join(self.cleaned_data["structure_siren"].split())
        if not siren_valide(siren):
            raise ValidationError(
                _("Le numéro SIREN compte 9 chiffres ; celui-ci n'est pas valide.")
            )
        return siren


class DemandeAccesForm(FormulaireBootstrap):
    siren = forms.CharField(widget=forms.HiddenInput, max_length=9)
    message = forms.CharField(
        label=_("Message pour la personne qui rédige la candidature (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Présentez-vous en une phrase : votre nom, votre fonction dans la collectivité."
        ),
    )


class InvitationForm(FormulaireBootstrap):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne à inviter"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


# --- the form of the call ---------------------------------------------------------------------

LIBELLES = {
    "adresse": _("Adresse postale de la collectivité"),
    "contact_nom": _("Prénom et nom"),
    "contact_fonction": _("Fonction"),
    "contact_email": _("Courriel"),
    "contact_telephone": _("Téléphone"),
    "politique_nom": _("Prénom et nom"),
    "politique_mandat": _("Mandat"),
    "politique_email": _("Courriel"),
    "politique_telephone": _("Téléphone"),
    "technique_nom": _("Prénom et nom"),
    "technique_poste": _("Poste"),
    "technique_email": _("Courriel"),
    "technique_telephone": _("Téléphone"),
    "point_contact_different": _(
        "Le point de contact technique est une autre personne que les deux référent·es"
    ),
    "point_contact_nom": _("Prénom et nom"),
    "point_contact_fonction": _("Fonction"),
    "point_contact_email": _("Courriel"),
    "point_contact_telephone": _("Téléphone"),
    "motivations": _("Vos motivations"),
    "actions": _("Actions réalisées ou prévues"),
    "pistes": _("Pistes de travail envisagées"),
    "besoins": _("Principaux besoins"),
    "engagements": _("Démarches dans lesquelles la collectivité est engagée"),
    "engagements_autre": _("Autre démarche : laquelle ?"),
    "engagement_binome": _(
        "Nous nous engageons : l'élu·e et le·la technicien·ne viendront ensemble à chacune "
        "des séances du cycle."
    ),
}

AIDES = {
    "politique_mandat": _("Par exemple : maire adjointe à la démocratie participative."),
    "point_contact_different": _("Remplissez alors les champs qui suivent."),
    "engagements_autre": _("À remplir si vous avez coché « Autre démarche »."),
}

# Autofill tokens: the "section-…" prefix keeps each person's details apart.
AUTOCOMPLETE = {
    "adresse": "street-address",
    "contact_nom": "name",
    "contact_fonction": "organization-title",
    "contact_email": "email",
    "contact_telephone": "tel",
    **{
        f"{personne}_{champ}": f"section-{personne} {jeton}"
        for personne in ("politique", "technique", "point_contact")
        for champ, jeton in (("nom", "name"), ("email", "email"), ("telephone", "tel"))
    },
}

CHAMPS_BOOLEENS = {"point_contact_different", "engagement_binome"}
CHAMPS_MULTIPLES = {"engagements"}
LONGUEUR_TEXTE_LONG = 20000
OBLIGATOIRES = {champ for section in SECTIONS for champ in section.obligatoires}
# The ones that keep a hidden twin: an unticked box sends nothing, the twin says "none".
CHAMPS_AVEC_TEMOIN = CHAMPS_BOOLEENS | CHAMPS_MULTIPLES


class CandidatureForm(forms.ModelForm):
    """Displays the answers. It is never validated: what people type goes through
    ``donnees_enregistrement`` to ``candidature_enregistrer``, which refuses nothing; the
    completeness check happens at submission."""

    engagements = forms.MultipleChoiceField(
        choices=Engagement.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Candidature
        fields = CHAMPS_MODIFIABLES
        widgets = {
            "adresse": forms.Textarea(attrs={"rows": 3}),
            "motivations": forms.Textarea(attrs={"rows": 8}),
            "actions": forms.Textarea(attrs={"rows": 8}),
            "pistes": forms.Textarea(attrs={"rows": 6}),
            "besoins": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, lecture_seule=False, url_enregistrer="", **kwargs):
        super().__init__(*args, **kwargs)
        self.lecture_seule = lecture_seule
        for nom, champ in self.fields.items():
            champ.required = False
            champ.label = LIBELLES.get(nom, champ.label)
            champ.help_text = AIDES.get(nom, "")
            attrs = champ.widget.attrs
            attrs["class"] = classe_bootstrap(champ.widget)
            if nom in AUTOCOMPLETE:
                attrs["autocomplete"] = AUTOCOMPLETE[nom]
            if nom.endswith("_telephone"):
                champ.widget.input_type = "tel"
            if isinstance(champ.widget, forms.Textarea):
                attrs["maxlength"] = str(LONGUEUR_TEXTE_LONG)
            if nom in OBLIGATOIRES and nom not in CHAMPS_MULTIPLES:
                # Not ``required``: a draft may stay incomplete; the mark is for people.
                attrs["aria-required"] = "true"
            if lecture_seule:
                champ.disabled = True
            elif url_enregistrer:
                attrs.update(_attributs_htmx(nom, url_enregistrer))

    def par_section(self, manquants=None):
        """The sections of the call, each with its fields and what is missing in it."""
        manquants = manquants or []
        return [
            {
                "section": section,
                "champs": [
                    {
                        "champ": self[champ],
                        "obligatoire": champ in section.obligatoires,
                        "temoin": champ in CHAMPS_AVEC_TEMOIN and not self.lecture_seule,
                    }
                    for champ in section.champs
                ],
                "groupe_obligatoire": any(c in CHAMPS_MULTIPLES for c in section.obligatoires),
                "manquants": [texte for cle, texte in manquants if cle == section.cle],
            }
            for section in SECTIONS
        ]


def _attributs_htmx(nom, url):
    """Each field saves itself alone: two tabs editing different fields never collide."""
    if nom in CHAMPS_AVEC_TEMOIN:
        declencheur = "change, reessayer"
    else:
        declencheur = "input changed delay:2s, change, reessayer"
    return {
        "hx-post": url,
        "hx-trigger": declencheur,
        "hx-params": nom,
        "hx-target": "#etat-enregistrement",
        "hx-swap": "innerHTML",
        # One request at a time per form, none dropped: the last keystroke always arrives.
        "hx-sync": "closest form:queue all",
        "data-autosave": nom,
    }


def _longueur_max(champ):
    taille = Candidature._meta.get_field(champ).max_length
    return taille or LONGUEUR_TEXTE_LONG


def donnees_enregistrement(donnees) -> dict:
    """The answers present in a POST (one field from autosave, or the whole form without
    JavaScript), as ``candidature_enregistrer`` takes them. Absent fields are left out so that
    they keep their saved value. Nothing is refused; text longer than its column is cut."""
    resultat = {}
    for champ in CHAMPS_MODIFIABLES:
        if champ not in donnees:
            continue
        valeurs = donnees.getlist(champ)
        if champ in CHAMPS_BOOLEENS:
            resultat[champ] = any(v in ("on", "true", "1", "oui") for v in valeurs)
        elif champ in CHAMPS_MULTIPLES:
            resultat[champ] = [v for v in valeurs if v]
        else:
            champ_modele = Candidature._meta.get_field(champ)
            texte = valeurs[-1] if valeurs else ""
            if isinstance(champ_modele, models.CharField | models.TextField):
                texte = texte[: _longueur_max(champ)]
            resultat[champ] = texte
    return resultat


class DelaiForm(forms.Form):
    """An individual extension of the deadline; the service checks it against the call's."""

    jusqua = forms.DateTimeField(
        label=_("Nouvelle date limite (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Indiquez la date et l'heure du délai accordé."),
            "invalid": _("Indiquez une date et une heure valides."),
        },
    )
    motif = forms.CharField(
        label=_("Motif"),
        max_length=250,
        help_text=_("Il est inscrit dans l'historique de la candidature."),
        error_messages={"required": _("Indiquez le motif du délai accordé.")},
    )

    def accorder(self, candidatures, par) -> bool:
        """Grant the extension to every candidature, all or nothing (the admin action grants
        several at once). A refusal of the service becomes a form error; nothing is changed."""
        try:
            with transaction.atomic():
                for candidature in candidatures:
                    candidature_accorder_delai(
                        candidature,
                        jusqua=self.cleaned_data["jusqua"],
                        motif=self.cleaned_data["motif"],
                        par=par,
                    )
        except ValidationError as erreur:
            self.add_error(None, erreur)
            return False
        return True
