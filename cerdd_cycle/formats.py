"""Dates and hours written the French way, in the site's time zone (Europe/Paris).

The one place pages, emails and PDFs take « vendredi 12 mars 2021 à 12 h 00 » from.
"""

import datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def heure(valeur: datetime.datetime) -> str:
    """« 14 h 32 », with non-breaking spaces so it never splits across two lines."""
    return dateformat.format(timezone.localtime(valeur), "G\u00a0\\h\u00a0i")


def _jour(jour: datetime.date, *, jour_semaine: bool) -> str:
    numero = _("1er") if jour.day == 1 else str(jour.day)
    texte = f"{numero} {dateformat.format(jour, 'F Y')}"
    return f"{dateformat.format(jour, 'l')} {texte}" if jour_semaine else texte


def date_en_toutes_lettres(valeur, *, jour_semaine: bool = True) -> str:
    """« vendredi 12 mars 2021 », « lundi 1er mars 2021 »; a datetime adds « à 12 h 00 »."""
    if isinstance(valeur, datetime.datetime):
        jour = _jour(timezone.localtime(valeur).date(), jour_semaine=jour_semaine)
        return _("%(jour)s à %(heure)s") % {"jour": jour, "heure": heure(valeur)}
    return _jour(valeur, jour_semaine=jour_semaine)


def quand_court(valeur: datetime.datetime, maintenant: datetime.datetime) -> str:
    """« aujourd'hui à 14 h 32 », else « le 3 mars à 14 h 32 »."""
    local = timezone.localtime(valeur)
    if local.date() == timezone.localtime(maintenant).date():
        return _("aujourd'hui à %(heure)s") % {"heure": heure(valeur)}
    jour = _("1er") if local.day == 1 else str(local.day)
    return _("le %(jour)s %(mois)s à %(heure)s") % {
        "jour": jour,
        "mois": dateformat.format(local, "F"),
        "heure": heure(valeur),
    }


def delai_restant(limite: datetime.datetime, maintenant: datetime.datetime) -> str:
    """« encore 3 jours », « encore 5 heures », « moins d'une heure », « date limite passée »."""
    reste = limite - maintenant
    if reste.total_seconds() <= 0:
        return _("date limite passée")
    if reste.days >= 1:
        return ngettext("encore %(n)s jour", "encore %(n)s jours", reste.days) % {"n": reste.days}
    heures = int(reste.total_seconds() // 3600)
    if heures >= 1:
        return ngettext("encore %(n)s heure", "encore %(n)s heures", heures) % {"n": heures}
    return _("moins d'une heure")
