import datetime
import uuid
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.models import ConfirmationReferent, Critere
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.historique.selectors import historique_de
from tests.factories import CandidatureFactory, CycleFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_appel_ouvert_montre_texte_nettoye_calendrier_criteres_et_jours_restants(client):
    limite = (
        (timezone.now() + datetime.timedelta(days=10, hours=3))
        .astimezone(PARIS)
        .replace(hour=23, minute=59, second=0, microsecond=0)
    )
    cycle = CycleFactory(
        titre="Édition de test",
        date_limite=limite,
        texte_ami='<h2>Le cycle</h2><p onclick="x()">Six journées</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">piège</a>',
    )
    Critere.objects.create(cycle=cycle, ordre=1, intitule="Binôme présent à chaque séance")

    reponse = client.get(reverse("ami:appel", args=[cycle.slug]))

    contenu = reponse.content.decode()
    assert "<h2>Le cycle</h2>" in contenu
    assert "<p>Six journées</p>" in contenu
    assert "<script>alert" not in contenu
    assert "javascript:" not in contenu
    assert "Binôme présent à chaque séance" in contenu
    jours = (limite - timezone.now()).days
    assert f"Il reste <strong>{jours} jours</strong>" in contenu
    assert f"{limite:%d}".lstrip("0") in contenu and "à 23 h 59" in contenu
    assert reverse("candidatures:nouvelle", args=[cycle.slug]) in contenu


def test_appel_clos_le_dit_sans_bouton(client):
    cycle = CycleFactory(
        ouverture_ami=datetime.datetime(2020, 12, 10, 9, tzinfo=PARIS),
        date_limite=datetime.datetime(2021, 3, 12, 23, 59, tzinfo=PARIS),
        date_reponse=datetime.date(2021, 4, 15),
        premiere_seance=datetime.date(2021, 7, 8),
        statut=StatutCycle.TERMINE,
    )

    contenu = client.get(reverse("ami:appel", args=[cycle.slug])).content.decode()

    assert "L'appel est clos." in contenu
    assert "vendredi 12 mars 2021 à 23 h 59" in contenu
    assert "Déposer une candidature" not in contenu


def test_appel_a_venir(client):
    cycle = CycleFactory(
        ouverture_ami=timezone.now() + datetime.timedelta(days=2),
        date_limite=timezone.now() + datetime.timedelta(days=40),
    )

    contenu = client.get(reverse("ami:appel", args=[cycle.slug])).content.decode()

    assert "L'appel ouvrira le" in contenu
    assert "Déposer une candidature" not in contenu


@pytest.mark.parametrize("statut", [StatutCycle.PREPARATION, StatutCycle.ARCHIVE])
def test_appel_non_public_404(client, statut):
    cycle = CycleFactory(statut=statut)

    assert client.get(reverse("ami:appel", args=[cycle.slug])).status_code == 404


def test_compte_a_rebours_fragment_rafraichi(client):
    cycle = CycleFactory(date_limite=timezone.now() + datetime.timedelta(hours=5))

    contenu = client.get(reverse("ami:compte_a_rebours", args=[cycle.slug])).content.decode()

    assert 'hx-trigger="every 60s"' in contenu
    assert "Dernier jour" in contenu


def _confirmation():
    candidature = CandidatureFactory()
    return ConfirmationReferent.objects.create(
        candidature=candidature,
        role="politique",
        nom="Jean Dupont",
        email=candidature.politique_email,
    )


def test_referent_confirme_par_son_lien(client):
    confirmation = _confirmation()
    url = reverse("ami:confirmer_referent", args=[confirmation.jeton])

    assert "vous désigne comme référent·e politique" in client.get(url).content.decode()
    reponse = client.post(url, {"disponible": "oui", "commentaire": "Présent"})

    assert "Merci, votre réponse est enregistrée" in reponse.content.decode()
    confirmation.refresh_from_db()
    assert confirmation.disponible is True
    assert confirmation.confirme_le is not None
    assert [h.action for h in historique_de(confirmation.candidature)] == ["confirmation_referent"]


def test_referent_sans_reponse_erreur_en_francais(client):
    confirmation = _confirmation()

    reponse = client.post(
        reverse("ami:confirmer_referent", args=[confirmation.jeton]), {"commentaire": "gardé"}
    )

    assert reponse.status_code == 422
    contenu = reponse.content.decode()
    assert "Choisissez une réponse." in contenu
    assert "gardé" in contenu
    confirmation.refresh_from_db()
    assert confirmation.confirme_le is None


def test_referent_lien_inconnu_404(client):
    assert client.get(reverse("ami:confirmer_referent", args=[uuid.uuid4()])).status_code == 404
