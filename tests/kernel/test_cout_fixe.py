"""What every request pays before its own work: production keeps its database connections, and
the roles are read only by the templates that show them (the menu), once per request."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cerdd_cycle.comptes.roles import Role, role_attribuer
from tests.factories import CandidatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dossier_statique(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def _requetes_roles(requetes):
    return [q["sql"] for q in requetes.captured_queries if '"auth_group"' in q["sql"]]


@pytest.fixture
def candidat(client):
    candidature = CandidatureFactory()
    role_attribuer(candidature.proprietaire, Role.CANDIDAT)
    client.force_login(candidature.proprietaire)
    return candidature


def test_la_page_lit_les_roles_une_fois_pour_son_menu(client, candidat):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(reverse("candidatures:formulaire", args=[candidat.pk]))
    assert reponse.status_code == 200
    assert len(_requetes_roles(requetes)) == 1
    html = reponse.content.decode()
    # The lazy roles still open the right menu: the candidate's link, not the staff's.
    assert f'href="{reverse("candidatures:liste")}"' in html
    assert f'href="{reverse("equipe_candidatures:liste")}"' not in html


def test_l_autosauvegarde_ne_lit_pas_les_roles(client, candidat):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.post(
            reverse("candidatures:enregistrer", args=[candidat.pk]),
            {"motivations": "Un texte tapé"},
            HTTP_HX_REQUEST="true",
        )
    assert reponse.status_code == 200
    assert "Enregistré à" in reponse.content.decode()
    assert _requetes_roles(requetes) == []
    candidat.refresh_from_db()
    assert candidat.motivations == "Un texte tapé"


def test_l_autosauvegarde_d_autrui_repond_404(client, candidat):
    autre = CandidatureFactory(motivations="Le texte d'une autre")
    reponse = client.post(
        reverse("candidatures:enregistrer", args=[autre.pk]),
        {"motivations": "Écrasé ?"},
        HTTP_HX_REQUEST="true",
    )
    assert reponse.status_code == 404
    autre.refresh_from_db()
    assert autre.motivations == "Le texte d'une autre"


def test_la_production_garde_ses_connexions_a_la_base():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cerdd_cycle.settings.prod",
        "SECRET_KEY": "x7!k2q" * 10,
        "ALLOWED_HOSTS": "cycle.cerdd.org",
    }
    env.pop("CONN_MAX_AGE", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "b = s.DATABASES['default']; print(b['CONN_MAX_AGE'], b['CONN_HEALTH_CHECKS'])"
    )
    resultat = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stderr
    # Persistent, and replaced when a database restart broke them.
    assert resultat.stdout.split()[-2:] == ["60", "True"]
