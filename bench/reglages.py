"""Settings of the load run (``bench/charge.py``): production's, served over plain HTTP.

Derived from ``cerdd_cycle.settings.prod`` (DEBUG off, cached templates, manifest static
files) without what needs HTTPS (SSL redirect, secure cookies, HSTS), with the middleware
that counts each response's SQL queries and the URL conf that adds each page's floor
(``bench/urls.py``). The staff's two-factor check is off: the run logs in by session cookies
made beforehand (``MFA_EQUIPE_OBLIGATOIRE = False``). The script passes a random SECRET_KEY,
the throwaway database and the file of the measured pages in the environment.
"""

import os
import secrets

# URL-safe: django-environ would read a key starting with « $ » as the name of another variable.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from cerdd_cycle.settings.prod import *  # noqa: F403
from cerdd_cycle.settings.prod import MIDDLEWARE, REDIS_URL, env

DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MFA_EQUIPE_OBLIGATOIRE = False
# collectstatic writes into the run's temporary folder, not into var/.
STATIC_ROOT = env("BENCH_STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405

# The project's URLs and each page's floor (bench/plancher.py): the page's template rendered
# from its context captured once per worker, through the same server and middleware.
ROOT_URLCONF = "bench.urls"
BENCH_PAGES = env("BENCH_PAGES", default="")

# First, so that the session and user queries count too.
MIDDLEWARE = ["bench.requetes.CompteRequetesMiddleware", *MIDDLEWARE]
# JSON lines of every query slower than the threshold (the script explains them afterwards).
BENCH_REQUETES_LENTES = env("BENCH_REQUETES_LENTES", default="")
BENCH_SEUIL_MS = env.float("BENCH_SEUIL_MS", default=20.0)

# Nothing leaves the machine: no email, no broker.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
