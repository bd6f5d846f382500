"""Tests: the database and Redis given by DATABASE_URL / REDIS_URL when set (CI), else SQLite."""

import os
import re

from .base import *  # noqa: F403
from .base import CELERY_BEAT_SCHEDULE, REDIS_URL, VAR_DIR

DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared memory: the browser tests' server threads then wait for a lock
    # (busy timeout) instead of failing with « database table is locked ».
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
SECRET_KEY = "cle-de-test"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Staff logs in without TOTP in the other tests; tests/kernel/test_mfa.py turns it on.
MFA_EQUIPE_OBLIGATOIRE = False
# Tasks run in the test process; one test drives a real worker through the broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE = CELERY_BEAT_SCHEDULE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-prive"
if not REDIS_URL:
    # Its own folders, so that a `make run` worker never takes a test's message.
    _dossier = VAR_DIR / "test-celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_dossier / "messages"),
        "data_folder_out": str(_dossier / "messages"),
        "processed_folder": str(_dossier / "traites"),
        "control_folder": str(_dossier / "controle"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # One Redis database per pytest-xdist worker: a test that clears the cache (rate limits)
    # must not wipe the counters of a test running in the other worker.
    _numero = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _serveur = re.sub(r"/\d*$", "", REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{_serveur}/{10 + _numero}",
        }
    }
