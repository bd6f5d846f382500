from urllib.parse import urlsplit

from django import template

from cerdd_cycle.documents.html import html_sur
from cerdd_cycle.documents.html import texte_brut as _texte_brut

register = template.Library()


@register.filter
def texte_riche(valeur):
    """``{{ cycle.texte_ami|texte_riche }}``: rich text cleaned by nh3, never raw ``|safe``."""
    return html_sur(valeur)


@register.filter
def texte_brut(valeur):
    """The same rich text as plain lines, for the text part of an email."""
    return _texte_brut(valeur)


@register.filter
def lien_sur(valeur):
    """An address typed by a person, kept only if a browser follows it harmlessly (http(s),
    mailto): a ``javascript:`` address written in the database by any other path than the
    form's check never becomes a link."""
    adresse = (valeur or "").strip()
    return adresse if urlsplit(adresse).scheme.lower() in {"http", "https", "mailto"} else ""
