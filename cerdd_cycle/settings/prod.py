"""Production: PostgreSQL, Redis, SMTP, HTTPS. Every secret comes from the environment."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Persistent connections: opening one per request costs a few milliseconds and a new server
# process. gunicorn's sync workers serve one request at a time, so one connection each; the
# health check (base.py) replaces a connection that a database restart broke.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the HTTPS proxy every request comes from the proxy's address: the rate limits (login,
# attestation codes) count per visitor only from the address the proxy adds to
# X-Forwarded-For. 0 when gunicorn faces the Internet directly.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
