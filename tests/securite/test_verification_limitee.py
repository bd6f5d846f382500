"""The public check of an attestation code is rate limited per address: nobody can run through
the codes. Past the limit the page answers 429 with a French message, and says nothing about
the code tried, even a real one."""

import re
from html import unescape
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from seances.models import Attestation
from tests.factories import CycleFactory, binome_complet

pytestmark = pytest.mark.django_db

URL = "attestation_verifier"
MESSAGE = "Trop de codes vérifiés depuis votre connexion en peu de temps."


def _texte(reponse):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", reponse.content.decode())).split())


@pytest.fixture
def attestation():
    cycle = CycleFactory(statut="en_cours", titre="Cycle limité")
    binome = binome_complet(cycle)
    membre = binome.membres.get(role="elu")
    return Attestation.objects.create(
        cycle=cycle,
        type="personne",
        membre=membre,
        binome=binome,
        code="LIMI-TEES-0001",
        titulaire="Camille Martin",
        collectivite=str(binome.candidature.territoire),
        seances_presentes=3,
        seances_total=4,
        seances_min=2,
    )


def _essayer(client, code, ip="203.0.113.7"):
    return client.get(reverse(URL), {"code": code}, REMOTE_ADDR=ip)


def _limite():
    """The tries allowed per minute by the setting (its first rate, « N/m/ip »)."""
    return int(settings.ATTESTATIONS_VERIFICATION_LIMITE.split(",")[0].split("/")[0])


def test_la_limite_par_defaut_est_reglee_par_adresse():
    regles = settings.ATTESTATIONS_VERIFICATION_LIMITE.split(",")
    assert all(regle.endswith("/ip") for regle in regles)
    assert 5 <= _limite() <= 60


def test_au_dela_de_la_limite_429_et_rien_sur_le_code(client, attestation):
    for numero in range(_limite()):
        reponse = _essayer(client, f"ABCD-EFGH-{numero:04d}")
        assert reponse.status_code == 200, numero
        assert "Aucune attestation ne porte ce code." in _texte(reponse)

    # The next try, even with a real code, is refused and tells nothing about it.
    reponse = _essayer(client, attestation.code)

    texte = _texte(reponse)
    assert reponse.status_code == 429
    assert MESSAGE in texte
    assert "Patientez quelques minutes avant de réessayer." in texte
    assert "Attestation authentique" not in texte
    assert "Aucune attestation ne porte ce code" not in texte
    assert attestation.titulaire not in texte
    # The form is still there, with what was typed, for the next try.
    assert f'value="{attestation.code}"' in reponse.content.decode()


def test_une_autre_adresse_n_est_pas_bloquee(client, attestation):
    for numero in range(_limite() + 1):
        _essayer(client, f"ABCD-EFGH-{numero:04d}", ip="203.0.113.7")

    reponse = _essayer(client, attestation.code, ip="198.51.100.20")

    assert reponse.status_code == 200
    assert "Attestation authentique" in _texte(reponse)


def test_le_formulaire_vide_ne_compte_pas(client, attestation):
    for _ in range(_limite() + 5):
        assert client.get(reverse(URL), REMOTE_ADDR="203.0.113.7").status_code == 200

    reponse = _essayer(client, attestation.code)

    assert reponse.status_code == 200
    assert "Attestation authentique" in _texte(reponse)


def test_la_limite_retombe_apres_la_fenetre(client, attestation, settings):
    settings.ATTESTATIONS_VERIFICATION_LIMITE = "2/m/ip"
    debut = 1_800_000_000.0
    with mock.patch("time.time", return_value=debut):
        assert _essayer(client, "ABCD-EFGH-0001").status_code == 200
        assert _essayer(client, "ABCD-EFGH-0002").status_code == 200
        assert _essayer(client, attestation.code).status_code == 429
    with mock.patch("time.time", return_value=debut + 61):
        reponse = _essayer(client, attestation.code)

    assert reponse.status_code == 200
    assert "Attestation authentique" in _texte(reponse)


def test_la_limite_horaire_s_ajoute_a_celle_de_la_minute(client, settings):
    settings.ATTESTATIONS_VERIFICATION_LIMITE = "2/m/ip,3/h/ip"
    debut = 1_800_000_000.0
    for minute, attendu in ((0, 200), (0, 200), (2, 200), (4, 429), (30, 429), (61, 200)):
        with mock.patch("time.time", return_value=debut + minute * 60):
            assert _essayer(client, "ABCD-EFGH-0009").status_code == attendu, minute


def test_derriere_le_proxy_chaque_visiteur_a_sa_limite(client, attestation, settings):
    # In production every request comes from the HTTPS proxy (prod.py trusts one proxy): the
    # limit counts the address the proxy adds, not the proxy's own, or one visitor would block
    # everyone.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ATTESTATIONS_VERIFICATION_LIMITE = "2/m/ip"

    def essai(visiteur, code="ABCD-EFGH-0001"):
        return client.get(
            reverse(URL),
            {"code": code},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.99, {visiteur}",
        )

    assert [essai("203.0.113.7").status_code for _ in range(3)] == [200, 200, 429]
    # The first address of the header is the visitor's to write: changing it changes nothing.
    assert (
        client.get(
            reverse(URL),
            {"code": "ABCD-EFGH-0002"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
        ).status_code
        == 429
    )
    reponse = essai("203.0.113.8", attestation.code)
    assert reponse.status_code == 200
    assert "Attestation authentique" in _texte(reponse)
