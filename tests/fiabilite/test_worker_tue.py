"""A Celery worker killed with SIGKILL in the middle of a batch of context notes: once a new
worker is started, every email has arrived exactly once and every outbox row is marked sent.

Real Redis broker (skipped without REDIS_URL; CI sets it), real worker processes (prefork:
the parent and its pool child share a process group, killed together), real SMTP backend
talking to a local sink. The sink holds the 14th connection while the test kills the worker,
so the kill lands while a claimed email is in its SMTP conversation.
"""

import collections
import contextlib
import datetime
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cerdd_cycle.courriels.models import Courriel, EtatCourriel
from cerdd_cycle.courriels.services import message_id
from tests.factories import CycleFactory, SeanceFactory, binome_complet

from .puits_smtp import PuitsSMTP

BINOMES = 20  # two people each: 40 context notes
RETENUE = 14  # the connection held while the worker is killed: 13 emails arrived before
VISIBILITE_S = 4
RESERVATION_S = 2
# Only this test uses this Redis database: nobody else's worker takes or restores its tasks.
BASE_REDIS_DU_TEST = 15

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL absent : ce test a besoin d'un vrai Redis (la CI en fournit un).",
    ),
]


def _broker():
    return re.sub(r"/\d*$", "", os.environ["REDIS_URL"]) + f"/{BASE_REDIS_DU_TEST}"


def _reglages_du_worker(dossier: Path) -> str:
    """A settings module for the subprocesses: the committed test database, the broker above,
    tasks through the broker, the real SMTP backend."""
    module = "reglages_worker_tue"
    (dossier / f"{module}.py").write_text(
        f"from {os.environ['DJANGO_SETTINGS_MODULE']} import *  # noqa\n"
        f"DATABASES['default']['NAME'] = {connection.settings_dict['NAME']!r}\n"
        f"CELERY_BROKER_URL = {_broker()!r}\n"
        "CELERY_TASK_ALWAYS_EAGER = False\n"
        "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'\n"
    )
    return module


def _environnement(dossier, module, puits):
    chemins = [str(dossier), str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "PYTHONPATH": os.pathsep.join(c for c in chemins if c),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(puits.port),
        "EMAIL_TIMEOUT": "10",
        "CELERY_VISIBILITE_S": str(VISIBILITE_S),
        "COURRIELS_RESERVATION_SECONDES": str(RESERVATION_S),
    }


def _worker(env, dossier, nom):
    journal = open(dossier / f"{nom}.log", "wb")  # noqa: SIM115 (closed with the process)
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cerdd_cycle",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--hostname={nom}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=journal,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: parent and pool child
    )
    processus.journal = journal
    return processus


def _tuer(processus, sig=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(processus.pid, sig)
    processus.wait(20)
    processus.journal.close()


def _journaux(dossier):
    return "\n".join(
        f"--- {f.name}\n{f.read_text(errors='replace')[-3000:]}" for f in dossier.glob("*.log")
    )


def _attendre(condition, delai):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_worker_tue_en_plein_envoi_chaque_courriel_arrive_une_fois(tmp_path):
    cycle = CycleFactory(statut="en_cours")
    SeanceFactory(cycle=cycle, date=timezone.localdate() + datetime.timedelta(days=5))
    emails = sorted(
        membre.user.email.lower()
        for _ in range(BINOMES)
        for membre in binome_complet(cycle).membres.all()
    )
    broker = redis.Redis.from_url(_broker())
    broker.flushdb()
    module = _reglages_du_worker(tmp_path)
    processus = []
    with PuitsSMTP(delai=0.05, retenir=RETENUE) as puits:
        env = _environnement(tmp_path, module, puits)
        try:
            premier = _worker(env, tmp_path, "premier")
            processus.append(premier)
            # The real sweep, in its own process: 40 rows, 40 tasks queued after each commit.
            balayage = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import django; django.setup(); from seances import services; "
                    "print(services.notes_contexte_envoyer())",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert balayage.stdout.strip() == str(len(emails)), balayage.stderr

            assert puits.attendre_retenue(90), _journaux(tmp_path)
            _tuer(premier)
            tue_le = time.monotonic()
            puits.liberer()

            arrives_avant = len(puits.recus)
            etats = collections.Counter(Courriel.objects.values_list("etat", flat=True))
            reserve = Courriel.objects.get(etat=EtatCourriel.EN_COURS)
            assert arrives_avant == RETENUE - 1
            assert etats == {
                EtatCourriel.ENVOYE: RETENUE - 1,
                EtatCourriel.EN_COURS: 1,
                EtatCourriel.A_ENVOYER: len(emails) - RETENUE,
            }

            # The killed worker's task is unacknowledged in Redis; once the visibility timeout
            # has passed, the next worker restores it when it starts.
            time.sleep(max(0.0, VISIBILITE_S + 1 - (time.monotonic() - tue_le)))
            processus.append(_worker(env, tmp_path, "second"))
            tous_envoyes = _attendre(
                lambda: not Courriel.objects.exclude(etat=EtatCourriel.ENVOYE).exists(), 90
            )
        finally:
            for p in processus:
                if p.poll() is None:
                    _tuer(p)
        recus = puits.recus

    assert tous_envoyes, _journaux(tmp_path)
    par_message_id = collections.Counter(r.message_id for r in recus)
    doublons = {mid: n for mid, n in par_message_id.items() if n > 1}
    assert doublons == {}
    assert len(recus) == len(emails) == 40
    assert sorted(d for r in recus for d in r.destinataires) == emails
    attendus = {message_id(c) for c in Courriel.objects.values_list("cle", flat=True)}
    assert set(par_message_id) == attendus
    # The claimed email was taken over by the second worker (redelivered task), once.
    reserve.refresh_from_db()
    assert (reserve.etat, reserve.tentatives) == (EtatCourriel.ENVOYE, 2)
    assert [r.cle for r in recus].count(reserve.cle) == 1
    assert not broker.llen("celery")
    print(
        f"\nkill -9 : {arrives_avant} arrivés avant, {len(recus)} reçus au total, "
        f"{len(doublons)} doublon, {len(emails)} lignes envoyées"
    )
