"""Calendar files (.ics, RFC 5545) for the sessions: the private feed of a person and the
invitation attached to the context note. Times are written in Europe/Paris with its
VTIMEZONE, so calendar applications place the day right in any season."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

PRODID = "-//Cerdd//cerdd-cycle//FR"


def _adresse(seance) -> str:
    return ", ".join(morceau for morceau in (seance.lieu, seance.adresse) if morceau)


def _lien(seance) -> str:
    return settings.SITE_URL + reverse("seances:seance", args=[seance.pk])


def _evenement(seance, horodatage: datetime.datetime) -> Event:
    evenement = Event()
    evenement.add("uid", f"seance-{seance.pk}@cerdd-cycle")
    evenement.add("dtstamp", horodatage)
    evenement.add("dtstart", seance.debut)
    evenement.add("dtend", seance.fin)
    evenement.add("summary", f"{seance.cycle.titre} – {seance}")
    evenement.add("location", _adresse(seance))
    evenement.add("url", _lien(seance))
    evenement.add(
        "description",
        "\n".join(
            filter(
                None,
                [
                    seance.theme,
                    ", ".join(intervenant.nom for intervenant in seance.intervenants.all()),
                    _lien(seance),
                ],
            )
        ),
    )
    return evenement


def ics(seances, *, nom: str, methode: str | None = None) -> bytes:
    """One calendar with one event per session (``seances`` with ``cycle`` and
    ``intervenants`` loaded)."""
    calendrier = Calendar()
    calendrier.add("prodid", PRODID)
    calendrier.add("version", "2.0")
    calendrier.add("calscale", "GREGORIAN")
    calendrier.add("x-wr-calname", nom)
    calendrier.add("x-wr-timezone", settings.TIME_ZONE)
    if methode:
        calendrier.add("method", methode)
    seances = list(seances)
    if seances:
        debut = min(seance.debut for seance in seances) - datetime.timedelta(days=1)
        fin = max(seance.fin for seance in seances) + datetime.timedelta(days=1)
        calendrier.add_component(
            Timezone.from_tzid(settings.TIME_ZONE, first_date=debut.date(), last_date=fin.date())
        )
    horodatage = timezone.now().astimezone(ZoneInfo("UTC"))
    for seance in seances:
        calendrier.add_component(_evenement(seance, horodatage))
    return calendrier.to_ical()
