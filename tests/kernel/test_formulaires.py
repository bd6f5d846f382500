"""The project's form renderer writes the common widgets in Python: byte for byte what Django's
templates give, for every kind of value and attribute (escaping included)."""

import datetime
import decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from candidatures.forms import CandidatureForm
from cerdd_cycle.formulaires import RenduFormulaires
from tests.factories import CandidatureFactory

GABARITS = DjangoTemplates()
DIRECT = RenduFormulaires()

HOSTILE = "a \"b\" <script>alert(1)</script> & 'c'"
ATTRS = {
    "class": "form-control",
    "hx-post": "/x/?a=1&b=2",
    "hx-headers": '{"X-CSRFToken": "t"}',
    "required": True,
    "disabled": False,
    "data-rien": None,
    "data-nombre": 3,
    "data-sur": mark_safe("<b>sûr</b>"),
    "aria-label": gettext_lazy("Rechercher"),
    "id": "id_champ",
}
CHOIX = [
    ("", "---"),
    ("a", "Alpha <1>"),
    (2, "Deux & deux"),
    ("Groupe « G »", [("g1", "Un"), ("g2", mark_safe("<i>Deux</i>"))]),
]

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs=ATTRS),
    forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
    forms.EmailInput(attrs={"autocomplete": "email"}),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.PasswordInput(),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.DateTimeInput(format="%Y-%m-%dT%H:%M"),
    forms.TimeInput(),
    forms.CheckboxInput(attrs=ATTRS),
    forms.FileInput(),
    forms.ClearableFileInput(),
    forms.Textarea(attrs={"rows": 3, "maxlength": "20000"}),
    forms.Select(choices=CHOIX, attrs=ATTRS),
    forms.SelectMultiple(choices=CHOIX),
    forms.NullBooleanSelect(),
    forms.RadioSelect(choices=CHOIX, attrs={"id": "id_radio", "class": "form-check-input"}),
    forms.RadioSelect(choices=CHOIX),
    forms.CheckboxSelectMultiple(choices=CHOIX, attrs={"id": "id_cases"}),
    forms.SplitDateTimeWidget(),
]
VALEURS = [
    None,
    "",
    HOSTILE,
    mark_safe("<em>déjà sûr</em>"),
    "\nligne après un saut\n",
    0,
    12345,
    decimal.Decimal("1234.5"),
    True,
    False,
    "a",
    2,
    ["a", "g2"],
    datetime.date(2026, 11, 22),
    datetime.datetime(2026, 11, 22, 7, 5),
]


def _rendu(widget, valeur, rendu, **kwargs):
    try:
        return widget.render("champ", valeur, renderer=rendu, **kwargs)
    except (AttributeError, TypeError, ValueError) as exc:
        # A value the widget cannot take (a text for a date pair) fails the same way.
        return type(exc)


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("valeur", VALEURS, ids=repr)
def test_widget_identique_aux_gabarits(widget, valeur):
    attendu = _rendu(widget, valeur, GABARITS, attrs={"id": "id_champ"})
    assert _rendu(widget, valeur, DIRECT, attrs={"id": "id_champ"}) == attendu


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
def test_widget_sans_identifiant_identique(widget):
    assert _rendu(widget, HOSTILE, DIRECT) == _rendu(widget, HOSTILE, GABARITS)


def test_cases_une_a_une_identiques():
    """The candidature form renders each box alone (``case.tag``), and as a labelled one."""

    class Formulaire(forms.Form):
        cases = forms.MultipleChoiceField(choices=CHOIX, widget=forms.CheckboxSelectMultiple)
        radio = forms.ChoiceField(choices=CHOIX, widget=forms.RadioSelect)

    for rendu in (GABARITS, DIRECT):
        rendu.resultat = []
        form = Formulaire(data={"cases": ["a", "g1"], "radio": "2"}, renderer=rendu)
        for nom in ("cases", "radio"):
            for case in form[nom]:
                rendu.resultat += [case.tag(), case.tag(wrap_label=True), str(case)]
            rendu.resultat.append(str(form[nom]))
        rendu.resultat.append(str(form))
    assert DIRECT.resultat == GABARITS.resultat


@pytest.mark.django_db
def test_formulaire_de_candidature_identique():
    candidature = CandidatureFactory(motivations=HOSTILE)
    kwargs = {"instance": candidature, "url_enregistrer": "/candidatures/1/enregistrer/"}
    attendu = [str(f) for f in CandidatureForm(renderer=GABARITS, **kwargs)]
    assert [str(f) for f in CandidatureForm(renderer=DIRECT, **kwargs)] == attendu
    assert any('hx-sync="closest form:queue all"' in html for html in attendu)


def test_le_projet_utilise_ce_rendu():
    assert settings.FORM_RENDERER == "cerdd_cycle.formulaires.RenduFormulaires"
    assert isinstance(get_default_renderer(), RenduFormulaires)


@pytest.mark.django_db
def test_les_champs_de_la_candidature_ne_passent_plus_par_les_gabarits(monkeypatch):
    """What makes the page faster: no widget template is loaded for the candidature form."""
    candidature = CandidatureFactory()

    def interdit(self, template_name):
        raise AssertionError(f"gabarit chargé : {template_name}")

    rendu = RenduFormulaires()
    assert rendu._gabarits_d_origine  # checked once, then cached
    monkeypatch.setattr(RenduFormulaires, "get_template", interdit)
    form = CandidatureForm(instance=candidature, url_enregistrer="/x/", renderer=rendu)
    for section in form.par_section():
        for item in section["champs"]:
            str(item["champ"])
            for case in item["champ"]:
                case.tag()


def test_un_gabarit_remplace_par_une_application_est_respecte(tmp_path):
    """An app that overrides one of the widget templates gets its own HTML, not ours."""
    dossier = tmp_path / "django" / "forms" / "widgets"
    dossier.mkdir(parents=True)
    (dossier / "attrs.html").write_text(" data-remplace")

    class RenduAvecRemplacement(RenduFormulaires):
        @cached_property
        def engine(self):
            moteur = super().engine
            moteur.engine.dirs = [str(tmp_path), *moteur.engine.dirs]
            return moteur

    rendu = RenduAvecRemplacement()
    assert forms.TextInput().render("champ", "x", renderer=rendu) == (
        '<input type="text" name="champ" value="x" data-remplace>'
    )
