"""Attestations of participation: the rule, the issue, the PDF and who may read it, the
public verification page, the staff and participant pages."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.formats import date_en_toutes_lettres
from seances import pdf, selectors, services
from seances.models import Attestation
from tests.factories import CycleFactory, SeanceFactory, UserFactory, binome_complet

pytestmark = pytest.mark.django_db

AUJOURDHUI = timezone.localdate()


def _texte(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _membre(binome, role, suppleant=False):
    return binome.membres.get(role=role, suppleant=suppleant)


@pytest.fixture
def cycle():
    cycle = CycleFactory(
        statut="en_cours", titre="Vers des territoires participatifs 2021-2022", porteur="Cerdd"
    )
    reglages = services.reglages_obtenir(cycle)
    reglages.attestation_seances_min = 2
    reglages.save()
    return cycle


@pytest.fixture
def seances(cycle):
    return [
        SeanceFactory(cycle=cycle, numero=numero, date=AUJOURDHUI - datetime.timedelta(days=jours))
        for numero, jours in ((1, 60), (2, 30), (3, 1))
    ]


@pytest.fixture
def binomes(cycle, seances, equipe):
    """A's élu·e: present then late (2, the threshold); its technicien·ne: present then
    excused twice (1); its substitute: present once. B: the élu·e once, the technicien·ne
    absent."""
    s1, s2, s3 = seances
    a = binome_complet(cycle, suppleants=("technicien",))
    b = binome_complet(cycle)
    marques = [
        (s1, _membre(a, "elu"), "present"),
        (s2, _membre(a, "elu"), "retard"),
        (s1, _membre(a, "technicien"), "present"),
        (s2, _membre(a, "technicien"), "excuse"),
        (s3, _membre(a, "technicien"), "remplace"),
        (s3, _membre(a, "technicien", suppleant=True), "present"),
        (s1, _membre(b, "elu"), "present"),
        (s2, _membre(b, "technicien"), "absent"),
    ]
    for seance, membre, statut in marques:
        services.presence_marquer(seance, membre, "matin", statut, par=equipe)
    return a, b


def _delivrees(cycle):
    return {
        (attestation.type, attestation.titulaire): attestation.seances_presentes
        for attestation in Attestation.objects.filter(cycle=cycle)
    }


# --- the rule and the issue -------------------------------------------------------------------


def test_attestations_delivrer_selon_la_regle(cycle, binomes, equipe):
    a, _b = binomes
    elu = _membre(a, "elu")

    delivrees = services.attestations_delivrer(cycle, par=equipe)

    # The élu·e is exactly at the threshold (a late arrival counts); the technicien·ne has
    # one presence and two excuses: no. The collectivity was there at the three sessions.
    assert _delivrees(cycle) == {
        ("personne", elu.user.nom_affiche): 2,
        ("collectivite", str(a)): 3,
    }
    assert len(delivrees) == 2
    personnelle = Attestation.objects.get(type="personne")
    assert (
        personnelle.membre,
        personnelle.binome,
        personnelle.collectivite,
        personnelle.seances_total,
        personnelle.seances_min,
        personnelle.delivree_par,
    ) == (elu, a, str(a), 3, 2, equipe)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", personnelle.code)


def test_attestations_delivrer_refusees_tant_qu_une_seance_reste(cycle, binomes, equipe):
    SeanceFactory(cycle=cycle, numero=4, date=AUJOURDHUI)

    with pytest.raises(ValidationError, match="quand toutes les séances du cycle ont eu lieu"):
        services.attestations_delivrer(cycle, par=equipe)

    assert not Attestation.objects.exists()
    assert not Courriel.objects.filter(cle__startswith="attestation:").exists()


def test_attestations_delivrer_deux_fois_garde_les_codes_et_met_a_jour(
    cycle, seances, binomes, equipe
):
    a, _b = binomes
    elu, technicien = _membre(a, "elu"), _membre(a, "technicien")
    services.attestations_delivrer(cycle, par=equipe)
    codes = dict(Attestation.objects.values_list("type", "code"))
    # Attendance corrected afterwards: the élu·e was also there at the third session, the
    # technicien·ne at the second.
    services.presence_marquer(seances[2], elu, "apres_midi", "present", par=equipe)
    services.presence_marquer(seances[1], technicien, "matin", "present", par=equipe)

    services.attestations_delivrer(cycle, par=equipe)

    assert _delivrees(cycle) == {
        ("personne", elu.user.nom_affiche): 3,
        ("personne", technicien.user.nom_affiche): 2,
        ("collectivite", str(a)): 3,
    }
    assert Attestation.objects.get(membre=elu).code == codes["personne"]
    assert Attestation.objects.get(type="collectivite").code == codes["collectivite"]
    assert Attestation.objects.get(membre=technicien).code not in codes.values()


def test_attestation_retiree_si_les_presences_corrigees_passent_sous_la_regle(
    cycle, seances, binomes, equipe
):
    a, _b = binomes
    elu = _membre(a, "elu")
    services.attestations_delivrer(cycle, par=equipe)
    code = Attestation.objects.get(membre=elu).code
    services.presence_marquer(seances[1], elu, "matin", "absent", par=equipe)

    services.attestations_delivrer(cycle, par=equipe)

    assert not Attestation.objects.filter(membre=elu).exists()
    assert selectors.attestation_par_code(code) is None
    assert Attestation.objects.filter(type="collectivite").exists()


def test_attestation_courriel_une_seule_fois(cycle, binomes, equipe):
    a, _b = binomes
    elu = _membre(a, "elu")

    services.attestations_delivrer(cycle, par=equipe)
    services.attestations_delivrer(cycle, par=equipe)

    [courriel] = Courriel.objects.filter(cle__startswith="attestation:")
    attestation = Attestation.objects.get(membre=elu)
    assert courriel.destinataires == [elu.user.email]
    assert courriel.sujet == (
        "Votre attestation de participation au cycle "
        "« Vers des territoires participatifs 2021-2022 »"
    )
    assert "Vous avez suivi 2 séances sur 3" in courriel.texte
    assert attestation.code in courriel.texte
    assert reverse("attestation_verifier") in courriel.texte


# --- the PDF --------------------------------------------------------------------------------


@pytest.fixture
def delivrees(cycle, binomes, equipe):
    services.attestations_delivrer(cycle, par=equipe)
    a, _b = binomes
    return (
        Attestation.objects.get(type="personne", membre=_membre(a, "elu")),
        Attestation.objects.get(type="collectivite", binome=a),
    )


def _html_attestation(attestation):
    return _texte(
        render_to_string("seances/pdf/attestation.html", pdf.contexte_attestation(attestation))
    )


def test_attestation_texte_fige(settings, delivrees, binomes, seances):
    settings.SITE_URL = "https://cycle.cerdd.org"
    personnelle, collective = delivrees
    titulaire = personnelle.titulaire
    collectivite = personnelle.collectivite
    a, _b = binomes
    # Corrections after the issue do not move what was attested.
    user = personnelle.membre.user
    user.first_name, user.last_name = "Autre", "Nom"
    user.save()
    territoire = a.candidature.territoire
    territoire.nom = "Nouveau nom"
    territoire.save()
    personnelle.refresh_from_db()

    texte = _html_attestation(personnelle)

    debut, fin = (
        date_en_toutes_lettres(seance.date, jour_semaine=False)
        for seance in (seances[0], seances[2])
    )
    assert (
        f"Le Cerdd atteste que {titulaire} membre du binôme de la collectivité {collectivite}"
        in texte
    )
    assert "Autre Nom" not in texte and "Nouveau nom" not in texte
    assert (
        "a participé au cycle de qualification « Vers des territoires participatifs 2021-2022 », "
        f"qui s'est tenu du {debut} au {fin}."
    ) in texte
    assert "Sa présence a été relevée à 2 séances sur 3 ." in texte
    assert "à qui a été présent·e à au moins 2 séances du cycle" in texte
    assert f"Code de vérification {personnelle.code}" in texte
    assert f"https://cycle.cerdd.org/attestations/verifier/?code={personnelle.code}" in texte
    assert "L'équipe du Cerdd" in texte
    assert "Délivrée le " in texte

    texte_collectivite = _html_attestation(collective)

    assert (
        f"Le Cerdd atteste que la collectivité {collectivite} représentée par son binôme"
        in texte_collectivite
    )
    assert "La collectivité a été représentée à 3 séances sur 3 ." in texte_collectivite
    assert titulaire not in texte_collectivite

    # One session: the singular follows the sessions attended, not the total.
    personnelle.seances_presentes = 1
    assert "Sa présence a été relevée à 1 séance sur 3 ." in _html_attestation(personnelle)


def test_attestation_qr_code_de_l_adresse_de_verification(delivrees):
    personnelle, _collective = delivrees

    contexte = pdf.contexte_attestation(personnelle)

    assert contexte["qr"].startswith("data:image/svg+xml;base64,")
    assert contexte["url_verification"].endswith(f"/attestations/verifier/?code={personnelle.code}")


def test_attestation_pdf_acces(client, equipe, delivrees, binomes):
    personnelle, collective = delivrees
    a, b = binomes
    elu, technicien = _membre(a, "elu").user, _membre(a, "technicien").user
    url_personnelle = reverse("seances:attestation_pdf", args=[personnelle.pk])
    url_collective = reverse("seances:attestation_pdf", args=[collective.pk])

    assert client.get(url_personnelle).url.startswith(reverse("account_login"))

    client.force_login(elu)
    reponse = client.get(url_personnelle)
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert reponse["Content-Disposition"].startswith('attachment; filename="attestation-')

    # The collectivity's attestation: both people of the pair, and staff.
    for user in (elu, technicien, equipe):
        client.force_login(user)
        assert client.get(url_collective).status_code == 200, user
    # Someone else's personal attestation, even in the same pair: 404.
    for user in (technicien, _membre(b, "elu").user, UserFactory()):
        client.force_login(user)
        assert client.get(url_personnelle).status_code == 404, user
    client.force_login(_membre(b, "elu").user)
    assert client.get(url_collective).status_code == 404
    client.force_login(equipe)
    assert client.get(url_personnelle).status_code == 200


# --- the public verification ------------------------------------------------------------------


def test_verifier_code_valide_saisi_en_minuscules_sans_tirets(client, delivrees):
    personnelle, _collective = delivrees
    saisi = (
        " "
        + personnelle.code.replace("-", "").lower()[:6]
        + " "
        + personnelle.code.replace("-", "").lower()[6:]
    )

    reponse = client.get(reverse("attestation_verifier"), {"code": saisi})

    html = reponse.content.decode()
    texte = _texte(html)
    assert "Attestation authentique" in texte
    assert f"Délivrée à {personnelle.titulaire}" in texte
    assert f"Collectivité {personnelle.collectivite}" in texte
    assert "Cycle Vers des territoires participatifs 2021-2022 (Cerdd)" in texte
    assert "Séances suivies 2 sur 3" in texte
    assert personnelle.membre.user.email not in html
    assert '<meta name="robots" content="noindex">' in html


def test_verifier_attestation_de_collectivite(client, delivrees):
    _personnelle, collective = delivrees

    reponse = client.get(reverse("attestation_verifier"), {"code": collective.code})

    texte = _texte(reponse.content.decode())
    assert f"Délivrée à la collectivité {collective.collectivite}" in texte
    assert "Séances suivies 3 sur 3" in texte


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKLM", "abcd", "----", "x" * 500])
def test_verifier_code_inconnu(client, delivrees, code):
    reponse = client.get(reverse("attestation_verifier"), {"code": code})

    texte = _texte(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Aucune attestation ne porte ce code." in texte
    assert "Attestation authentique" not in texte


def test_verifier_sans_code_montre_le_formulaire(client):
    reponse = client.get(reverse("attestation_verifier"))

    html = reponse.content.decode()
    assert '<label for="code" class="form-label">Code de vérification</label>' in html
    assert "Aucune attestation ne porte ce code" not in html
    assert "Attestation authentique" not in html


# --- the participant's page -------------------------------------------------------------------


def test_mes_attestations(client, delivrees, binomes):
    personnelle, collective = delivrees
    a, b = binomes

    client.force_login(_membre(a, "elu").user)
    html = client.get(reverse("seances:attestations")).content.decode()
    assert reverse("seances:attestation_pdf", args=[personnelle.pk]) in html
    assert reverse("seances:attestation_pdf", args=[collective.pk]) in html
    assert "2 séances suivies sur 3" in _texte(html)

    client.force_login(_membre(a, "technicien").user)
    html = client.get(reverse("seances:attestations")).content.decode()
    assert reverse("seances:attestation_pdf", args=[personnelle.pk]) not in html
    assert reverse("seances:attestation_pdf", args=[collective.pk]) in html

    client.force_login(_membre(b, "elu").user)
    html = client.get(reverse("seances:attestations")).content.decode()
    assert "Aucune attestation pour le moment." in html
    assert "/attestations/" + str(collective.pk) not in html


def test_mes_attestations_anonyme(client):
    reponse = client.get(reverse("seances:attestations"))

    assert reponse.url.startswith(reverse("account_login"))


# --- the staff page -------------------------------------------------------------------------


def test_page_equipe_apercu_puis_delivrance(client, equipe, cycle, binomes):
    a, b = binomes
    elu, technicien = _membre(a, "elu"), _membre(a, "technicien")
    client.force_login(equipe)
    url = reverse("equipe_seances:attestations", args=[cycle.slug])

    html = client.get(url).content.decode()
    texte = _texte(html)

    assert "à au moins 2 séances sur les 3 du cycle" in texte
    reglages = services.reglages_obtenir(cycle)
    lien = reverse("admin:seances_reglages_change", args=[reglages.pk])
    assert f'<a href="{lien}">' in html
    assert "1 personne obtient une attestation, et 1 collectivité." in texte
    assert f"{a} 3/3 à délivrer" in texte
    assert f"{elu.user.nom_affiche} (Élu·e) 2/3 à délivrer" in texte
    assert f"{technicien.user.nom_affiche} (Technicien·ne) 1/3 non : règle non atteinte" in texte
    assert f"{b} 1/3 non : règle non atteinte" in texte
    assert "Aucune attestation délivrée pour l'instant." in texte

    reponse = client.post(url, follow=True)

    assert reponse.redirect_chain == [(url, 302)]
    texte = _texte(reponse.content.decode())
    assert "2 attestations délivrées ou mises à jour" in texte
    personnelle = Attestation.objects.get(membre=elu)
    assert f"{elu.user.nom_affiche} (Élu·e) 2/3 ✓ délivrée {personnelle.code}" in texte
    assert "Attestations délivrées (2)" in texte
    assert reverse("seances:attestation_pdf", args=[personnelle.pk]) in reponse.content.decode()


def test_page_equipe_refus_en_francais_si_une_seance_reste(client, equipe, cycle, binomes):
    SeanceFactory(cycle=cycle, numero=4, date=AUJOURDHUI + datetime.timedelta(days=7))
    client.force_login(equipe)
    url = reverse("equipe_seances:attestations", args=[cycle.slug])

    assert "1 séance n'a pas encore eu lieu" in _texte(client.get(url).content.decode())
    reponse = client.post(url, follow=True)

    assert "Les attestations se délivrent quand toutes les séances du cycle ont eu lieu." in _texte(
        reponse.content.decode()
    )
    assert not Attestation.objects.exists()


def test_page_equipe_refusee_aux_participants(client, cycle, binomes):
    a, _b = binomes
    url = reverse("equipe_seances:attestations", args=[cycle.slug])

    assert client.get(url).url.startswith(reverse("account_login"))
    client.force_login(_membre(a, "elu").user)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Attestation.objects.exists()
