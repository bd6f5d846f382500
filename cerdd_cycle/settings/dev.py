"""Local development: SQLite and the filesystem broker unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Emails are written as files under var/courriels/ instead of being sent.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
# The demo's staff accounts log in without an authenticator app (MFA_EQUIPE_OBLIGATOIRE=1
# in .env to try the mandatory two-factor authentication locally).
MFA_EQUIPE_OBLIGATOIRE = env.bool("MFA_EQUIPE_OBLIGATOIRE", default=False)
