"""Template side of ``cerdd_cycle.formats``: « jeudi 8 juillet 2021 », « 9 h 30 »."""

import datetime

from django import template

from cerdd_cycle import formats

register = template.Library()


@register.filter
def en_toutes_lettres(valeur):
    if not valeur:
        return ""
    return formats.date_en_toutes_lettres(valeur)


@register.filter
def heure_fr(valeur):
    """A time or a datetime as « 9 h 30 » (non-breaking spaces)."""
    if not valeur:
        return ""
    if isinstance(valeur, datetime.datetime):
        return formats.heure(valeur)
    return f"{valeur.hour}\u00a0h\u00a0{valeur.minute:02d}"
