"""Forms of the relays and experiments. They check what was sent and shape it for a service;
they never write: ``journal.services`` stays the authority (session of the pair's cycle…)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seances.models import Seance

from ..enums import StatutExperimentation

SEANCE_INVALIDE = _("Choisissez une séance de votre cycle dans la liste.")


class ChoixSeance(forms.ModelChoiceField):
    """A session of the pair's cycle (one of another cycle is an invalid choice)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Seance.objects.none(),
            required=False,
            empty_label=_("— aucune en particulier —"),
            error_messages={"invalid_choice": SEANCE_INVALIDE},
            **kwargs,
        )

    def label_from_instance(self, seance):
        return _("Séance %(numero)s – %(theme)s") % {"numero": seance.numero, "theme": seance.theme}


class _FormulaireDuCycle(forms.Form):
    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seance"].queryset = Seance.objects.filter(cycle=cycle).order_by("numero")


class RelaisForm(_FormulaireDuCycle):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date du relais."),
            "invalid": _("Indiquez une date valide (jj/mm/aaaa)."),
        },
    )
    public = forms.CharField(
        label=_("Auprès de qui"),
        help_text=_("Le conseil municipal, les services, une commission, des habitant·es…"),
        max_length=250,
        error_messages={"required": _("Indiquez auprès de qui vous avez relayé.")},
    )
    quoi = forms.CharField(
        label=_("Ce qui a été relayé"),
        help_text=_("Un message, un outil, une méthode entendue pendant le cycle."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez ce que vous avez relayé.")},
    )
    seance = ChoixSeance(label=_("À la suite de la séance"))

    @classmethod
    def depuis(cls, relais, *, cycle, data=None):
        initial = {}
        if relais is not None:
            initial = {
                "date": relais.date,
                "public": relais.public,
                "quoi": relais.quoi,
                "seance": relais.seance_id,
            }
        return cls(data, initial=initial, cycle=cycle)


class ExperimentationForm(_FormulaireDuCycle):
    titre = forms.CharField(
        label=_("Outil ou méthode"),
        help_text=_("Un budget participatif, un conseil citoyen, une marche exploratoire…"),
        max_length=250,
        error_messages={"required": _("Nommez l'outil ou la méthode essayée.")},
    )
    description = forms.CharField(
        label=_("Ce qui est tenté"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    statut = forms.ChoiceField(
        label=_("État"),
        choices=StatutExperimentation.choices,
        widget=forms.RadioSelect,
        initial=StatutExperimentation.PREVUE,
        error_messages={
            "required": _("Choisissez l'état de l'expérimentation."),
            "invalid_choice": _("Choisissez l'état de l'expérimentation."),
        },
    )
    resultats = forms.CharField(
        label=_("Ce qui en est sorti"),
        help_text=_("Ce qui a marché, ce qui a coincé, ce que vous en retenez."),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seance = ChoixSeance(label=_("Inspirée par la séance"))

    @classmethod
    def depuis(cls, experimentation, *, cycle, data=None):
        initial = {}
        if experimentation is not None:
            initial = {
                "titre": experimentation.titre,
                "description": experimentation.description,
                "statut": experimentation.statut,
                "resultats": experimentation.resultats,
                "seance": experimentation.seance_id,
            }
        return cls(data, initial=initial, cycle=cycle)


class FiltreStatutForm(forms.Form):
    """The staff page's filter of experiments by status."""

    statut = forms.ChoiceField(
        label=_("État des expérimentations"),
        choices=[("", _("Tous les états")), *StatutExperimentation.choices],
        required=False,
    )
