import datetime
import os
import subprocess
import sys
import time
import zoneinfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import formats, translation

from cerdd_cycle import celery_app
from cerdd_cycle.courriels.models import Courriel, EtatCourriel
from cerdd_cycle.courriels.services import courriel_creer


def test_reglages_francais_et_heure_de_paris():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert settings.AUTH_USER_MODEL == "comptes.User"
    moment = datetime.datetime(2021, 3, 12, 23, 59, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    with translation.override("fr"):
        assert formats.date_format(moment, "DATE_FORMAT") == "12 mars 2021"
        assert formats.date_format(moment, "l j F Y") == "vendredi 12 mars 2021"


def test_reglages_base_et_redis_suivent_l_environnement():
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
    if os.environ.get("REDIS_URL"):
        assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
        assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
        cache.set("sonde", "ok", 5)
        assert cache.get("sonde") == "ok"
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://"


def test_reglages_celery_redistribue_une_tache_d_un_worker_tue():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
    assert "courriels-relancer" in celery_app.conf.beat_schedule


def test_check_deploy_sans_avertissement_en_production():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cerdd_cycle.settings.prod",
        "SECRET_KEY": "x7!k2q" * 10,
        "ALLOWED_HOSTS": "cycle.cerdd.org",
        "SITE_URL": "https://cycle.cerdd.org",
        "DEBUG": "false",
    }
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert resultat.returncode == 0, resultat.stderr + resultat.stdout
    assert "System check identified no issues" in resultat.stdout


@pytest.mark.django_db(transaction=True)
def test_un_vrai_worker_celery_envoie_par_le_broker():
    """The real broker (Redis in CI, the filesystem transport otherwise) carries the task."""
    from celery.contrib.testing.worker import start_worker
    from django.core import mail

    ancien_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            courriel = courriel_creer(
                cle="worker:1", destinataires=["a@exemple.fr"], sujet="Par le broker", texte="x"
            )
            for _ in range(100):
                courriel.refresh_from_db()
                if courriel.etat == EtatCourriel.ENVOYE:
                    break
                time.sleep(0.1)
    finally:
        celery_app.conf.task_always_eager = ancien_eager

    assert Courriel.objects.get(cle="worker:1").etat == EtatCourriel.ENVOYE
    assert [m.subject for m in mail.outbox] == ["Par le broker"]
