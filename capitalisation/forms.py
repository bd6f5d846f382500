"""The report's settings as staff edit them: the page's form and the admin's."""

import html
import re

from django import forms
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .enums import Section
from .models import Rapport

# Help texts are shown unescaped (crispy, admin): the tags named here must be escaped to show.
AIDE_TEXTE = lazy(escape, str)(
    _(
        "Écrivez simplement : une ligne vide sépare deux paragraphes. Le HTML simple est gardé "
        "(<p>, <strong>, <em>, listes <ul> et <ol>, intertitres <h3>, liens <a>) ; tout le "
        "reste est retiré à l'enregistrement."
    )
)

# One line under each chapter's checkbox: what the chapter holds.
DESCRIPTIONS = {
    Section.CYCLE: _(
        "Dates, chiffres des candidatures, collectivités retenues par département et par type."
    ),
    Section.SEANCES: _(
        "Chaque séance : thème, lieu, intervenant·es, programme, présences, évaluation du "
        "groupe et questions posées."
    ),
    Section.ASSIDUITE: _("La présence de chaque binôme à chaque séance."),
    Section.PARTAGES: _(
        "Les notes des journaux de bord partagées avec le groupe, par rubrique, nommées ou "
        "anonymes comme chacun·e l'a choisi."
    ),
    Section.EXPERIMENTATIONS: _("Les expérimentations lancées par chaque collectivité."),
    Section.RELAIS: _("Les relais des acquis du cycle dans chaque organisation."),
    Section.AUTODIAGNOSTIC: _("La progression de l'autodiagnostic, du début à la fin du cycle."),
    Section.ANNEXES: _("Les ressources de chaque séance (documents et liens)."),
}

_PARAGRAPHES = re.compile(r"(?:\s*<p>(?:(?!</?p>).)*</p>)+\s*", re.S)
_BALISE = re.compile(r"<[^>]*>")


def html_vers_texte(valeur: str) -> str:
    """What the service made of plain text (paragraphs and line breaks only) shown back as
    plain text, so that a person who never typed a tag does not find tags in the field."""
    valeur = (valeur or "").strip()
    if not _PARAGRAPHES.fullmatch(valeur):
        return valeur
    if not set(_BALISE.findall(valeur)) <= {"<p>", "</p>", "<br>"}:
        return valeur
    # A newline inside a paragraph is only a space in HTML; <br> is the line break.
    texte = "\n\n".join(
        html.unescape(re.sub(r"\s*<br>\s*", "\n", re.sub(r"\s*\n\s*", " ", p))).strip()
        for p in re.findall(r"<p>(.*?)</p>", valeur, re.S)
    )
    # Text that would read as a tag once saved again stays in HTML: nothing may be lost.
    return valeur if re.search(r"<[a-zA-Z/]", texte) else texte


class ChapitresField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Section.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Chapitres"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Chapitre inconnu : « %(value)s ». Cochez parmi la liste.")},
        )
        super().__init__(**kwargs)


class RapportForm(forms.Form):
    titre = forms.CharField(
        label=_("Titre du rapport"),
        max_length=200,
        required=False,
        help_text=_("Vide : « Rapport de capitalisation » suivi du titre du cycle."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=30000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=AIDE_TEXTE,
    )
    conclusion = forms.CharField(
        label=_("Conclusion"),
        max_length=30000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=AIDE_TEXTE,
    )
    sections = ChapitresField(
        help_text=_(
            "La couverture, le sommaire, l'introduction et la conclusion (si elles sont "
            "écrites) sont toujours là."
        )
    )

    @classmethod
    def depuis(cls, rapport: Rapport, **kwargs):
        return cls(
            initial={
                "titre": rapport.titre,
                "introduction": html_vers_texte(rapport.introduction),
                "conclusion": html_vers_texte(rapport.conclusion),
                "sections": list(rapport.sections),
            },
            **kwargs,
        )

    def cases_chapitres(self):
        """Each chapter's checkbox with its one-line description."""
        return [(case, DESCRIPTIONS.get(case.data["value"], "")) for case in self["sections"]]


class RapportAdminForm(forms.ModelForm):
    """The admin edits the same settings; the service cleans them on save."""

    sections = ChapitresField()

    class Meta:
        model = Rapport
        fields = ["cycle", "titre", "introduction", "conclusion", "sections"]
        help_texts = {"introduction": AIDE_TEXTE, "conclusion": AIDE_TEXTE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for champ in ("introduction", "conclusion"):
                self.initial[champ] = html_vers_texte(getattr(self.instance, champ))
