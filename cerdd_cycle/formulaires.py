"""The form renderer (``FORM_RENDERER``): Django's widget HTML, written in Python.

Django renders every widget through its templates (``input.html`` includes ``attrs.html``, which
loops over the attributes): on the candidature form's thirty fields, each with its htmx
attributes, that was two thirds of the page's rendering time. The common widgets (inputs,
textarea, select, checkboxes and radios) are written here to the byte what Django's templates
give (``tests/kernel/test_formulaires.py`` compares them); any other template goes through the
template engine as before, and all of them do if an installed app overrides one of these.
"""

from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.safestring import SafeData, mark_safe

_GABARITS = "django/forms/widgets/"
# Widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
_ENTREES = frozenset(
    f"{_GABARITS}{nom}.html"
    for nom in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "color",
        "search",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "file",
    )
)
_OPTION_CASE = f"{_GABARITS}input_option.html"
# These two only include input_option.html, and add a newline.
_OPTIONS_CASES = frozenset(
    (_OPTION_CASE, f"{_GABARITS}checkbox_option.html", f"{_GABARITS}radio_option.html")
)
_LISTES_CASES = frozenset(
    f"{_GABARITS}{nom}.html" for nom in ("multiple_input", "checkbox_select", "radio")
)
_SELECT = f"{_GABARITS}select.html"
_OPTION_SELECT = f"{_GABARITS}select_option.html"
_TEXTAREA = f"{_GABARITS}textarea.html"
_REPRIS = (
    _ENTREES
    | _OPTIONS_CASES
    | _LISTES_CASES
    | {
        _SELECT,
        _OPTION_SELECT,
        _TEXTAREA,
        f"{_GABARITS}attrs.html",
    }
)
_GABARITS_DE_DJANGO = Path(django.__file__).parent / "forms" / "templates"


def _texte(valeur, contexte):
    """``{{ valeur }}``: localised and escaped as the template engine does."""
    return render_value_in_context(valeur, contexte)


def _format_s(valeur, contexte):
    """``{{ valeur|stringformat:'s' }}`` (the filter keeps a safe string safe)."""
    try:
        texte = str(valeur)
    except (ValueError, TypeError):
        texte = ""
    if isinstance(valeur, SafeData):
        texte = mark_safe(texte)  # noqa: S308 - already safe, as in the filter
    return _texte(texte, contexte)


def _attributs(attrs, contexte):
    morceaux = []
    for nom, valeur in attrs.items():
        if valeur is False:
            continue
        morceaux.append(" " + _texte(nom, contexte))
        if valeur is not True:
            morceaux.append('="' + _format_s(valeur, contexte) + '"')
    return "".join(morceaux)


def _entree(widget, contexte):
    """input.html, its trailing newline included."""
    valeur = widget["value"]
    html = f'<input type="{_texte(widget["type"], contexte)}"'
    html += f' name="{_texte(widget["name"], contexte)}"'
    if valeur is not None:
        html += f' value="{_format_s(valeur, contexte)}"'
    return html + _attributs(widget["attrs"], contexte) + ">\n"


def _option_case(widget, contexte):
    """input_option.html (a checkbox or a radio of a list), trailing newline included."""
    entree = _entree(widget, contexte)
    if not widget.get("wrap_label"):
        return entree + "\n"
    identifiant = widget["attrs"].get("id")
    pour = f' for="{_texte(identifiant, contexte)}"' if identifiant else ""
    return f"<label{pour}>{entree} {_texte(widget['label'], contexte)}</label>\n"


def _liste_cases(widget, contexte):
    """multiple_input.html, when every option uses the standard template."""
    identifiant = widget["attrs"].get("id")
    classe = widget["attrs"].get("class")
    html = "<div"
    if identifiant:
        html += f' id="{_texte(identifiant, contexte)}"'
    if classe:
        html += f' class="{_texte(classe, contexte)}"'
    html += ">"
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            html += f"\n  <div><label>{_texte(groupe, contexte)}</label>"
        for option in options:
            fin = "" if option["template_name"] == _OPTION_CASE else "\n"
            html += "<div>\n    " + _option_case(option, contexte) + fin + "</div>"
        if groupe:
            html += "\n  </div>"
    return html + "\n</div>\n"


def _select(widget, contexte):
    html = f'<select name="{_texte(widget["name"], contexte)}"'
    html += _attributs(widget["attrs"], contexte) + ">"
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            html += f'\n  <optgroup label="{_texte(groupe, contexte)}">'
        for option in options:
            html += (
                f'\n  <option value="{_format_s(option["value"], contexte)}"'
                f"{_attributs(option['attrs'], contexte)}>"
                f"{_texte(option['label'], contexte)}</option>\n"
            )
        if groupe:
            html += "\n  </optgroup>"
    return html + "\n</select>\n"


def _options_standard(widget, gabarit):
    return all(
        option.get("template_name") == gabarit
        for _groupe, options, _index in widget["optgroups"]
        for option in options
    )


class RenduFormulaires(DjangoTemplates):
    """Django's default renderer, the common widgets written directly."""

    @cached_property
    def _gabarits_d_origine(self) -> bool:
        """True unless an installed app overrides one of the templates written here."""
        return all(
            Path(self.get_template(nom).origin.name).is_relative_to(_GABARITS_DE_DJANGO)
            for nom in _REPRIS
        )

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and self._gabarits_d_origine:
            html = self._direct(template_name, widget)
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request=request)

    def _direct(self, template_name, widget):
        contexte = Context()
        if template_name in _ENTREES and "type" in widget:
            return _entree(widget, contexte)
        if template_name in _OPTIONS_CASES and "type" in widget:
            return _option_case(widget, contexte)
        if template_name == _TEXTAREA:
            contenu = _texte(widget["value"], contexte) if widget["value"] else ""
            return (
                f'<textarea name="{_texte(widget["name"], contexte)}"'
                f"{_attributs(widget['attrs'], contexte)}>\n{contenu}</textarea>\n"
            )
        if template_name == _SELECT and _options_standard(widget, _OPTION_SELECT):
            return _select(widget, contexte)
        if (
            template_name in _LISTES_CASES
            and "optgroups" in widget
            and all(
                option.get("template_name") in _OPTIONS_CASES and "type" in option
                for _groupe, options, _index in widget["optgroups"]
                for option in options
            )
        ):
            return _liste_cases(widget, contexte)
        return None
