"""Forms of the day of a session: one tap of the roll call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import DemiJournee, StatutPresence


class MarquerForm(forms.Form):
    """A tap on the roll call. An empty status clears what was recorded (the button of the
    current status sends it), so a repeated request never flips the answer back."""

    demi_journee = forms.ChoiceField(
        choices=DemiJournee.choices,
        error_messages={
            "required": _("Demi-journée manquante."),
            "invalid_choice": _("Demi-journée inconnue : matin ou après-midi."),
        },
    )
    statut = forms.ChoiceField(
        choices=[("", _("Effacer")), *StatutPresence.choices],
        required=False,
        error_messages={"invalid_choice": _("Statut de présence inconnu.")},
    )
