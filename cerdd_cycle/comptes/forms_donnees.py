from django import forms
from django.utils.translation import gettext_lazy as _


class DemandeSuppressionForm(forms.Form):
    motif = forms.CharField(
        label=_("Pourquoi (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Cela aide l'équipe à traiter votre demande ; vous n'êtes pas obligé·e."),
    )


class RefusForm(forms.Form):
    reponse = forms.CharField(
        label=_("Raison du refus, adressée à la personne"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Dites à la personne pourquoi sa demande est refusée.")},
    )
