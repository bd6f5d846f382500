"""Forms of the results page: the decision templates and the confirmation of the sending.
They check what staff typed; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import ModeleDecision


class ModeleForm(forms.Form):
    """The subject and text of one decision's email and letter."""

    sujet = forms.CharField(
        label=_("Objet"),
        max_length=ModeleDecision._meta.get_field("sujet").max_length,
        error_messages={
            "required": _("Écrivez l'objet du courriel."),
            "max_length": _("L'objet tient en %(limit_value)s caractères au plus."),
        },
    )
    corps = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Une ligne vide sépare deux paragraphes de la lettre."),
        error_messages={"required": _("Écrivez le texte du courriel.")},
    )

    def __init__(self, *args, modele, **kwargs):
        self.modele = modele
        kwargs.setdefault("initial", {"sujet": modele.sujet, "corps": modele.corps})
        kwargs.setdefault("prefix", f"modele-{modele.statut}")
        super().__init__(*args, **kwargs)

    def enregistrer(self, par) -> bool:
        """Save through the service; a refusal (unknown variable…) becomes a form error."""
        try:
            services.modele_modifier(
                self.modele,
                sujet=self.cleaned_data["sujet"],
                corps=self.cleaned_data["corps"],
                par=par,
            )
        except ValidationError as erreur:
            self.add_error(None, erreur)
            return False
        return True


class ConfirmationEnvoiForm(forms.Form):
    """The step before "send now": staff tick that they mean it."""

    confirmer = forms.BooleanField(
        label=_(
            "Je confirme : les courriels de décision partent maintenant, sans retour possible."
        ),
        error_messages={"required": _("Cochez la case pour confirmer l'envoi.")},
    )
