"""Forms of the participants' pages (/seances/). They check what was sent and shape it for a
service; they never write: the views hand the cleaned data to ``seances.services``, which
stays the authority (answers closed, substitute of the pair, rating 1 to 5…)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import Regime, ReponseConfirmation, ThemeBesoin

MESSAGE_DEMI_JOURNEE = _("Indiquez si vous venez le matin, l'après-midi ou les deux.")


class ConfirmationForm(forms.Form):
    """« Je viens / je suis excusé·e / un·e suppléant·e me remplace », and the lunch.

    ``suppleants``: the substitutes of the person's pair (``selectors.suppleants_possibles``);
    only they may be named, so a person of another pair is an invalid choice."""

    reponse = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=ReponseConfirmation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une réponse."),
            "invalid_choice": _("Choisissez une réponse."),
        },
    )
    matin = forms.BooleanField(label=_("le matin"), required=False)
    apres_midi = forms.BooleanField(label=_("l'après-midi"), required=False)
    dejeuner = forms.BooleanField(label=_("Je déjeune sur place"), required=False)
    regimes = forms.MultipleChoiceField(
        label=_("Contraintes alimentaires"),
        choices=Regime.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    precisions_repas = forms.CharField(
        label=_("Précisions pour le repas"),
        help_text=_(
            "Une allergie, un autre régime : le traiteur lit ces précisions, sans votre nom."
        ),
        max_length=300,
        required=False,
    )
    remplacant = forms.TypedChoiceField(
        label=_("La personne qui vous remplace"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "Choisissez un·e suppléant·e de votre binôme dans la liste proposée."
            ),
        },
    )

    def __init__(self, *args, suppleants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suppleants = {membre.pk: membre for membre in suppleants}
        self.fields["remplacant"].choices = [("", _("— choisir —"))] + [
            (membre.pk, _libelle_membre(membre)) for membre in suppleants
        ]

    @classmethod
    def depuis(cls, confirmation, *, suppleants, data=None):
        """The form prefilled with the person's answer (or the usual day: all day, lunch)."""
        if confirmation is None:
            initial = {"matin": True, "apres_midi": True, "dejeuner": True}
        else:
            initial = {
                "reponse": confirmation.reponse,
                "matin": confirmation.matin,
                "apres_midi": confirmation.apres_midi,
                "dejeuner": confirmation.dejeuner,
                "regimes": confirmation.regimes,
                "precisions_repas": confirmation.precisions_repas,
                "remplacant": confirmation.remplacant_id,
            }
            if confirmation.reponse != ReponseConfirmation.PRESENT:
                initial.update(matin=True, apres_midi=True, dejeuner=True)
        return cls(data, initial=initial, suppleants=suppleants)

    def clean(self):
        donnees = super().clean()
        reponse = donnees.get("reponse")
        if reponse == ReponseConfirmation.PRESENT:
            if not (donnees.get("matin") or donnees.get("apres_midi")):
                self.add_error("matin", MESSAGE_DEMI_JOURNEE)
        elif reponse == ReponseConfirmation.REMPLACE:
            if not self.suppleants:
                self.add_error(
                    "reponse",
                    _(
                        "Votre binôme n'a pas de suppléant·e : écrivez à l'équipe du Cerdd "
                        "pour en désigner un·e, ou répondez « excusé·e »."
                    ),
                )
            elif "remplacant" in donnees and donnees["remplacant"] is None:
                self.add_error("remplacant", _("Choisissez la personne qui vous remplace."))
        donnees["remplacant"] = self.suppleants.get(donnees.get("remplacant"))
        return donnees


def _libelle_membre(membre) -> str:
    return f"{membre.user.nom_affiche} ({membre.get_role_display()})"


class QuestionForm(forms.Form):
    texte = forms.CharField(
        label=_("Votre question pour l'intervenant·e"),
        help_text=_("Une question par envoi, 1 000 caractères au plus."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez votre question.")},
    )


NOTES = [
    (1, _("1 – décevant")),
    (2, _("2 – mitigé")),
    (3, _("3 – bien")),
    (4, _("4 – très bien")),
    (5, _("5 – excellent")),
]


class EvaluationForm(forms.Form):
    """The rating and the three columns of the post-it wall."""

    note = forms.TypedChoiceField(
        label=_("Votre note pour la journée"),
        choices=NOTES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Donnez une note de 1 à 5."),
            "invalid_choice": _("Donnez une note de 1 à 5."),
        },
    )
    bien = forms.CharField(
        label=_("C'est bien"),
        help_text=_("Ce qui vous a plu, servi, donné envie."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    craint = forms.CharField(
        label=_("Ça craint"),
        help_text=_("Ce qui a manqué, gêné, ou serait à changer."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    demain = forms.CharField(
        label=_("Demain…"),
        help_text=_("Ce que vous allez essayer chez vous, ou ce que vous attendez de la suite."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def depuis(cls, evaluation, data=None):
        initial = {}
        if evaluation is not None:
            initial = {
                "note": evaluation.note,
                "bien": evaluation.bien,
                "craint": evaluation.craint,
                "demain": evaluation.demain,
            }
        return cls(data, initial=initial)


class BesoinsForm(forms.Form):
    """The survey of needs, before the first session."""

    themes = forms.MultipleChoiceField(
        label=_("Les thèmes que vous voudriez travailler pendant le cycle"),
        help_text=_("Cochez autant de thèmes que vous le souhaitez."),
        choices=ThemeBesoin.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attentes = forms.CharField(
        label=_("Ce que vous attendez du cycle"),
        help_text=_("Pour vous, pour votre collectivité : compétences, rencontres, méthodes…"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    projet = forms.CharField(
        label=_("Un projet de participation en cours ou à venir"),
        help_text=_("Ce que votre collectivité mène ou prépare, en quelques lignes."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    difficultes = forms.CharField(
        label=_("Les difficultés que vous rencontrez"),
        help_text=_("Ce qui bloque ou freine aujourd'hui : publics, organisation, moyens…"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def depuis(cls, reponse, data=None):
        initial = {}
        if reponse is not None:
            initial = {
                "themes": reponse.themes,
                "attentes": reponse.attentes,
                "projet": reponse.projet,
                "difficultes": reponse.difficultes,
            }
        return cls(data, initial=initial)
