"""Forms of the deliberation: the decision on one candidature, and the wishes given to the
cohort helper."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .. import services
from ..composition import Voeux
from ..enums import STATUTS_MOTIF_OBLIGATOIRE, StatutDecision


class DecisionForm(forms.Form):
    """The decision on one candidature, as a row of the ranking sends it; ``enregistrer`` only
    calls the service. The cell shows its fields by hand (``SaisieDecision``), under the same
    names."""

    statut = forms.ChoiceField(
        label=_("Décision"),
        choices=[("", _("— à décider —")), *StatutDecision.choices],
        error_messages={
            "required": _("Choisissez retenue, liste d'attente ou non retenue."),
            "invalid_choice": _("Choisissez retenue, liste d'attente ou non retenue."),
        },
    )
    rang_attente = forms.IntegerField(
        label=_("Rang sur la liste d'attente"),
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": _("Le rang est un nombre entier."),
            "min_value": _("Le rang commence à 1."),
            "max_value": _("Le rang ne dépasse pas 999."),
        },
    )
    motif = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=5000,
        help_text=_(
            "Adressé à la collectivité avec la décision : obligatoire pour la liste d'attente "
            "et pour une candidature non retenue."
        ),
        error_messages={"max_length": _("Le motif ne dépasse pas 5 000 caractères.")},
    )

    def clean(self):
        donnees = super().clean()
        # The service says the same; here the message lands on the field to fill.
        if donnees.get("statut") in STATUTS_MOTIF_OBLIGATOIRE and not donnees.get("motif"):
            self.add_error(
                "motif",
                _("Écrivez le motif : il est adressé à la collectivité avec la décision."),
            )
        return donnees

    def enregistrer(self, candidature, *, par):
        """The saved decision, or None with the service's refusal as a form error."""
        try:
            return services.decision_enregistrer(
                candidature,
                statut=self.cleaned_data["statut"],
                motif=self.cleaned_data["motif"],
                rang_attente=self.cleaned_data["rang_attente"],
                par=par,
            )
        except ValidationError as erreur:
            self.add_error(None, erreur)
            return None


CHAMPS_DECISION = ("statut", "rang_attente", "motif")


@dataclass
class SaisieDecision:
    """What a row's decision fields show, for the hand-written cell (_decision.html).

    The ranking has one decision form per row: 250 bound ``DecisionForm`` rendered through
    the widget templates took a third of a second. The cell reads these plain values
    instead (the current decision, or what was sent back with its errors); ``DecisionForm``
    still checks and saves every POST.
    """

    statut: str = ""
    rang_attente: str = ""
    motif: str = ""
    erreurs: dict = field(default_factory=dict)  # field name -> [French messages]
    erreurs_generales: list = field(default_factory=list)

    @classmethod
    def depuis_decision(cls, decision):
        if decision is None:
            return cls()
        return cls(
            statut=decision.statut,
            rang_attente="" if decision.rang_attente is None else str(decision.rang_attente),
            motif=decision.motif,
        )

    @classmethod
    def depuis_formulaire(cls, formulaire):
        """A bound form after ``is_valid()``: the values as sent, with the messages."""
        valeurs = {}
        for nom in CHAMPS_DECISION:
            valeur = formulaire[nom].value()
            valeurs[nom] = "" if valeur is None else str(valeur)
        return cls(
            **valeurs,
            erreurs={nom: list(formulaire.errors.get(nom, [])) for nom in CHAMPS_DECISION},
            erreurs_generales=list(formulaire.non_field_errors()),
        )

    @property
    def invalide(self):
        return any(self.erreurs.values()) or bool(self.erreurs_generales)


def _options(options, choisie):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (valeur, " selected" if valeur == choisie else "", libelle)
            for valeur, libelle in options
        ),
    )


def textes_decision() -> dict:
    """The labels, help and choices of ``DecisionForm``, translated once per page; the
    ``<option>`` list already written for each status (the cell picks its own)."""
    champs = DecisionForm.base_fields
    options = [(valeur, str(libelle)) for valeur, libelle in champs["statut"].choices]
    return {
        "options": {valeur: _options(options, valeur) for valeur, _libelle in options},
        "options_sans_choix": _options(options, None),
        **{f"libelle_{nom}": str(champs[nom].label) for nom in CHAMPS_DECISION},
        "aide_motif": str(champs["motif"].help_text),
    }


def _nombre(label, *, initial, minimum=0, maximum=200, aide=""):
    return forms.IntegerField(
        label=label,
        initial=initial,
        min_value=minimum,
        max_value=maximum,
        help_text=aide,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={
            "required": _("Indiquez un nombre (0 si vous ne souhaitez rien)."),
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _("Indiquez un nombre au moins égal à %(limit_value)s."),
            "max_value": _("Indiquez un nombre au plus égal à %(limit_value)s."),
        },
    )


class CompositionForm(forms.Form):
    """The places and the balance wishes (a GET form: trying does not change anything)."""

    places = _nombre(
        _("Places dans le cycle"),
        initial=13,
        minimum=1,
        aide=_("Nombre de collectivités à retenir (celui du cycle par défaut)."),
    )
    attente = _nombre(
        _("Longueur de la liste d'attente"),
        initial=3,
        maximum=50,
        aide=_("Candidatures proposées, dans l'ordre, pour remplacer un désistement."),
    )
    par_departement = _nombre(
        _("Au moins … par département"),
        initial=0,
        maximum=20,
        aide=_(
            "Chaque département qui compte au moins une candidature éligible et notée a "
            "ce nombre de places ; 0 : pas de souhait."
        ),
    )
    epci_min = _nombre(
        _("Au moins … intercommunalités"),
        initial=0,
        aide=_("EPCI et structures hors liste (parc, syndicat) ; 0 : pas de souhait."),
    )
    communes_min = _nombre(_("Au moins … communes"), initial=0, aide=_("0 : pas de souhait."))
    petites_min = _nombre(
        _("Au moins … petites collectivités"),
        initial=0,
        aide=_("Sous le seuil de population ci-dessous ; 0 : pas de souhait."),
    )
    seuil_petite = _nombre(
        _("Seuil d'une petite collectivité (habitant·es)"),
        initial=5000,
        minimum=1,
        maximum=10_000_000,
        aide=_("Une collectivité de moins de ce nombre d'habitant·es compte comme petite."),
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        if places:
            self.fields["places"].initial = places

    @classmethod
    def depuis(cls, parametres, *, places):
        """Bound to the query string when it carries the form, else the defaults (bound
        too, so that the page always shows a proposal)."""
        formulaire = cls(places=places)
        # A field left out of the address (a shared link, a bookmark) takes its default.
        complets = {nom: champ.initial for nom, champ in formulaire.fields.items()}
        complets.update({nom: parametres[nom] for nom in formulaire.fields if nom in parametres})
        return cls(complets, places=places)

    def voeux(self) -> Voeux:
        return Voeux(**self.cleaned_data)
