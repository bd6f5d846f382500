"""Forms of the staff pages of the jury. They check what staff typed; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import services
from ..enums import VisibiliteNotes


class ParametresForm(forms.Form):
    """How the jury works: jurors per candidature, maximum load, deadline, visibility."""

    jures_par_candidature = forms.IntegerField(
        label=_("Juré·es par candidature"),
        min_value=1,
        max_value=10,
        error_messages={
            "required": _("Indiquez combien de juré·es notent chaque candidature."),
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _(
                "Chaque candidature doit être notée par au moins %(limit_value)s juré·e."
            ),
            "max_value": _("Au plus %(limit_value)s juré·es par candidature."),
        },
    )
    charge_max = forms.IntegerField(
        label=_("Charge maximale par juré·e"),
        required=False,
        min_value=1,
        help_text=_("Nombre de candidatures au plus. Vide : la charge est répartie également."),
        error_messages={
            "invalid": _("Indiquez un nombre entier."),
            "min_value": _("La charge maximale est d'au moins %(limit_value)s candidature."),
        },
    )
    date_limite = forms.DateTimeField(
        label=_("Date limite des notes (heure de Paris)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Les juré·es qui n'ont pas fini reçoivent un rappel 3 jours et 1 jour avant."),
        error_messages={"invalid": _("Indiquez une date et une heure valides.")},
    )
    visibilite_notes = forms.ChoiceField(
        label=_("Notes des autres juré·es"),
        choices=VisibiliteNotes.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez quand les juré·es voient les notes des autres."),
            "invalid_choice": _("Choisissez une des deux possibilités."),
        },
    )

    @classmethod
    def pour(cls, jury, donnees=None):
        initial = {nom: getattr(jury, nom) for nom in cls.base_fields}
        return cls(donnees, initial=initial)

    def enregistrer(self, jury, *, par) -> bool:
        """Save through the service; its refusal becomes a form error and changes nothing."""
        try:
            services.jury_parametrer(jury, par=par, **self.cleaned_data)
        except ValidationError as erreur:
            jury.refresh_from_db()
            self.add_error(None, erreur)
            return False
        return True


class InvitationJureForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Indiquez l'adresse électronique de la personne à inviter."),
            "invalid": _("Cette adresse électronique n'est pas valide."),
        },
    )
    prenom = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    nom = forms.CharField(label=_("Nom"), max_length=150, required=False)
