"""The self-diagnosis form: one radio group per question of the cycle's grid. Every question
must be answered; ``services.diagnostic_enregistrer`` checks it again and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _choix(question) -> list[tuple[int, str]]:
    choix = []
    for valeur in range(1, question.echelle + 1):
        if valeur == 1 and question.libelle_min:
            libelle = f"1 – {question.libelle_min}"
        elif valeur == question.echelle and question.libelle_max:
            libelle = f"{valeur} – {question.libelle_max}"
        else:
            libelle = str(valeur)
        choix.append((valeur, libelle))
    return choix


class DiagnosticForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            message = _("Répondez à cette question (de 1 à %(max)s).") % {"max": question.echelle}
            self.fields[self.nom(question)] = forms.TypedChoiceField(
                label=question.intitule,
                choices=_choix(question),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )

    @staticmethod
    def nom(question) -> str:
        return f"question_{question.pk}"

    @classmethod
    def depuis(cls, valeurs, *, questions, data=None):
        """Prefilled with the answers already given at this moment ({question_id: value})."""
        questions = list(questions)
        initial = {cls.nom(q): valeurs[q.pk] for q in questions if q.pk in valeurs}
        return cls(data, initial=initial, questions=questions)

    def valeurs(self) -> dict[int, int]:
        return {question.pk: self.cleaned_data[self.nom(question)] for question in self.questions}

    def champs(self):
        """(question, bound field) in the grid's order, for the template."""
        return [(question, self[self.nom(question)]) for question in self.questions]
