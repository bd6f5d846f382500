"""The private calendar feed (/seances/agenda/): its page, the .ics a calendar application
polls (read back with icalendar), and renewing its secret address."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from seances import services
from tests.factories import CycleFactory, IntervenantFactory, SeanceFactory, binome_complet

pytestmark = pytest.mark.django_db


def jours(n) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", titre="Territoires participatifs")


@pytest.fixture
def membre(cycle):
    return binome_complet(cycle).membres.get(role="elu")


@pytest.fixture
def seances(cycle):
    # Summer and winter: the offset from UTC differs, the local hour must not.
    ete = SeanceFactory(
        cycle=cycle,
        numero=1,
        date=datetime.date(timezone.localdate().year + 1, 7, 8),
        heure_debut=datetime.time(9, 30),
        lieu="Base 11/19",
        adresse="Rue de Bourgogne, 62750 Loos-en-Gohelle",
        theme="Mobiliser",
    )
    hiver = SeanceFactory(
        cycle=cycle,
        numero=2,
        date=datetime.date(timezone.localdate().year + 1, 12, 9),
        heure_debut=datetime.time(10, 0),
        lieu="Hôtel de ville",
        adresse="Place du Général-de-Gaulle, 59000 Lille",
        theme="Évaluer",
    )
    IntervenantFactory(seance=ete, nom="Marion Leclerc")
    return [ete, hiver]


def chemin_du_flux(user) -> str:
    return reverse("seances:agenda_ics", args=[services.agenda_jeton(user)])


def evenements(reponse):
    calendrier = Calendar.from_ical(reponse.content)
    return list(calendrier.walk("VEVENT"))


def test_page_agenda_donne_l_adresse_privee(client, membre):
    client.force_login(membre.user)

    reponse = client.get(reverse("seances:agenda"))

    assert reponse.status_code == 200
    adresse = settings.SITE_URL + chemin_du_flux(membre.user)
    html = reponse.content.decode()
    assert f'value="{adresse}" readonly' in html
    assert "Outlook" in html
    assert "Google Agenda" in html
    assert "Thunderbird" in html
    assert "Changer d'adresse" in html


def test_page_agenda_anonyme_renvoye_vers_la_connexion(client):
    reponse = client.get(reverse("seances:agenda"))

    assert reponse.url.startswith(reverse("account_login"))


def test_flux_ics_une_seance_par_evenement(client, membre, seances):
    ete, hiver = seances

    reponse = client.get(chemin_du_flux(membre.user))  # no login: the address is the key

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    assert reponse["Content-Disposition"] == 'inline; filename="seances.ics"'
    assert reponse["Cache-Control"] == "private, no-store"
    parsed = evenements(reponse)
    assert [str(e["uid"]) for e in parsed] == [
        f"seance-{ete.pk}@cerdd-cycle",
        f"seance-{hiver.pk}@cerdd-cycle",
    ]
    for evenement, seance in zip(parsed, seances, strict=True):
        debut = evenement.decoded("dtstart")
        assert evenement["dtstart"].params["TZID"] == "Europe/Paris"
        assert debut == seance.debut
        assert (debut.hour, debut.minute) == (seance.heure_debut.hour, seance.heure_debut.minute)
        assert evenement.decoded("dtend") == seance.fin
        assert str(evenement["location"]) == f"{seance.lieu}, {seance.adresse}"
        assert str(evenement["url"]) == settings.SITE_URL + reverse(
            "seances:seance", args=[seance.pk]
        )
    assert "Marion Leclerc" in str(parsed[0]["description"])
    assert debut.utcoffset() == datetime.timedelta(hours=1)  # December: winter time
    assert parsed[0].decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)


def test_flux_ics_seulement_les_seances_de_la_personne(client, membre, seances):
    autre_cycle = CycleFactory(statut="en_cours")
    autre = binome_complet(autre_cycle).membres.get(role="technicien")
    sienne = SeanceFactory(cycle=autre_cycle, date=jours(40), theme="Ailleurs")

    mes_evenements = evenements(client.get(chemin_du_flux(membre.user)))
    ses_evenements = evenements(client.get(chemin_du_flux(autre.user)))

    assert sorted(str(e["uid"]) for e in mes_evenements) == sorted(
        f"seance-{s.pk}@cerdd-cycle" for s in seances
    )
    assert [str(e["uid"]) for e in ses_evenements] == [f"seance-{sienne.pk}@cerdd-cycle"]


def test_flux_ics_jeton_inconnu_404(client, membre, seances):
    reponse = client.get(reverse("seances:agenda_ics", args=["inconnu"]))

    assert reponse.status_code == 404


def test_flux_ics_compte_desactive_404(client, membre, seances):
    chemin = chemin_du_flux(membre.user)
    membre.user.is_active = False
    membre.user.save()

    assert client.get(chemin).status_code == 404


def test_flux_ics_sans_seance_reste_un_calendrier_valide(client, membre):
    reponse = client.get(chemin_du_flux(membre.user))

    assert reponse.status_code == 200
    assert evenements(reponse) == []


def test_changer_d_adresse_coupe_l_ancienne(client, membre, seances):
    ancien = chemin_du_flux(membre.user)
    client.force_login(membre.user)

    reponse = client.post(reverse("seances:agenda"))

    assert reponse.url == reverse("seances:agenda")
    assert [str(m) for m in get_messages(reponse.wsgi_request)] == [
        "Votre agenda a une nouvelle adresse : l'ancienne ne fonctionne plus. "
        "Abonnez vos applications à celle-ci."
    ]
    nouveau = chemin_du_flux(membre.user)
    assert nouveau != ancien
    client.logout()
    assert client.get(ancien).status_code == 404
    assert len(evenements(client.get(nouveau))) == 2
    client.force_login(membre.user)
    assert nouveau in client.get(reverse("seances:agenda")).content.decode()


def test_flux_ics_equipe_toutes_les_seances(client, equipe, seances):
    autre = SeanceFactory(cycle=CycleFactory(), date=jours(40))

    parsed = evenements(client.get(chemin_du_flux(equipe)))

    assert sorted(str(e["uid"]) for e in parsed) == sorted(
        f"seance-{s.pk}@cerdd-cycle" for s in [*seances, autre]
    )
