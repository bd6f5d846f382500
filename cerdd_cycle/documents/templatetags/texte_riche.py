from django import template

from cerdd_cycle.documents.html import html_sur

register = template.Library()


@register.filter
def texte_riche(valeur):
    """``{{ cycle.texte_ami|texte_riche }}``: rich text cleaned by nh3, never raw ``|safe``."""
    return html_sur(valeur)
