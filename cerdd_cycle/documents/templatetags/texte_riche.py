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
