"""Forms of the logbook's writing pages. They read what was sent; ``journal.services`` writes
and decides (length of a text, conflicts between two tabs, sessions not yet open)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import Audience, Rubrique

VERSION_INVALIDE = _("La page est incomplète : rechargez-la.")


def _version(**kwargs):
    return forms.IntegerField(
        min_value=0,
        error_messages={"required": VERSION_INVALIDE, "invalid": VERSION_INVALIDE},
        **kwargs,
    )


class ElementForm(forms.Form):
    """One item's text, saved alone (autosave): the version the page read comes with it."""

    # The service checks the length and answers in French; the text is kept as typed.
    texte = forms.CharField(required=False, strip=False)
    version = _version()


class NotesForm(forms.Form):
    notes = forms.CharField(required=False, strip=False)
    version = _version()


class AjoutForm(forms.Form):
    rubrique = forms.ChoiceField(
        choices=Rubrique.choices,
        error_messages={
            "required": _("Choisissez une rubrique."),
            "invalid_choice": _("Choisissez une rubrique."),
        },
    )


class PartageForm(forms.Form):
    audience = forms.ChoiceField(
        choices=Audience.choices,
        error_messages={
            "required": _("Choisissez avec qui partager."),
            "invalid_choice": _("Choisissez avec qui partager."),
        },
    )


class EntreeForm(forms.Form):
    """The whole entry in one POST (without JavaScript): for each item its text, the version
    the page read and its audience; then the free notes and their version."""

    notes = forms.CharField(required=False, strip=False)
    notes_version = _version(required=False)

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = list(elements)
        for element in self.elements:
            self.fields[f"texte-{element.pk}"] = forms.CharField(required=False, strip=False)
            self.fields[f"version-{element.pk}"] = _version(required=False)
            self.fields[f"audience-{element.pk}"] = forms.ChoiceField(
                choices=Audience.choices,
                required=False,
                error_messages={"invalid_choice": _("Choisissez avec qui partager.")},
            )

    def lignes(self):
        """[(element, texte or None, version, audience or "")] for the items sent."""
        donnees = self.cleaned_data
        lignes = []
        for element in self.elements:
            cle = f"texte-{element.pk}"
            texte = donnees.get(cle) if cle in self.data else None
            version = donnees.get(f"version-{element.pk}")
            lignes.append(
                (
                    element,
                    texte,
                    element.version if version is None else version,
                    donnees.get(f"audience-{element.pk}") or "",
                )
            )
        return lignes

    def notes_envoyees(self):
        """(notes, version or None) when the notes were sent, else None."""
        if "notes" not in self.data:
            return None
        return self.cleaned_data.get("notes") or "", self.cleaned_data.get("notes_version")
