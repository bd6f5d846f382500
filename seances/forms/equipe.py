"""Forms of the staff pages of the sessions. They check what staff typed; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..enums import RoleMembre


class MembreForm(forms.Form):
    """A person who joins a pair: a new holder of a seat, or a substitute. Each pair of the
    cohort page has its own forms, told apart by their prefix."""

    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=RoleMembre.choices,
        error_messages={
            "required": _("Choisissez élu·e ou technicien·ne."),
            "invalid_choice": _("Choisissez élu·e ou technicien·ne."),
        },
    )
    nom = forms.CharField(
        label=_("Prénom et nom"),
        max_length=150,
        error_messages={
            "required": _("Indiquez le prénom et le nom de la personne."),
            "max_length": _("Le nom tient en %(limit_value)s caractères au plus."),
        },
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Indiquez l'adresse électronique de la personne."),
            "invalid": _("Cette adresse électronique n'est pas valide."),
            "max_length": _("L'adresse tient en %(limit_value)s caractères au plus."),
        },
    )
    fonction = forms.CharField(
        label=_("Mandat ou poste"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : adjointe à la démocratie locale, chargé de mission."),
        error_messages={"max_length": _("Le mandat tient en %(limit_value)s caractères au plus.")},
    )

    def __init__(self, *args, sorte, binome, **kwargs):
        super().__init__(*args, prefix=f"{sorte}-{binome.pk}", **kwargs)
        self.sorte, self.binome = sorte, binome
        if sorte == "remplacer":
            self.fields["role"].label = _("Rôle à confier")
        else:
            self.fields["role"].label = _("Suppléant·e de")

    def enregistrer(self, service, binome, *, par) -> bool:
        """Call ``service`` (membre_remplacer or suppleant_ajouter); its refusal becomes a form
        error and nothing is saved (the service works in one transaction)."""
        try:
            service(binome, par=par, **self.cleaned_data)
        except ValidationError as erreur:
            self.add_error(None, erreur)
            return False
        return True
