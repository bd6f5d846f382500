"""Settings shared by every environment; values come from the environment (12-factor)."""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-cle-a-remplacer-en-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    # Kernel, then the domain layers, bottom to top (see docs/architecture.md).
    "cerdd_cycle.comptes",
    "cerdd_cycle.territoires",
    "cerdd_cycle.cycles",
    "cerdd_cycle.courriels",
    "cerdd_cycle.documents",
    "cerdd_cycle.historique",
    "candidatures",
    "jury",
    "seances",
    "journal",
    "capitalisation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cerdd_cycle.securite.EntetesSecuriteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cerdd_cycle.comptes.mfa.DoubleAuthentificationEquipeMiddleware",
]

ROOT_URLCONF = "cerdd_cycle.urls"
# Django's form renderer, with the common widgets written in Python (cerdd_cycle/formulaires.py).
FORM_RENDERER = "cerdd_cycle.formulaires.RenduFormulaires"
WSGI_APPLICATION = "cerdd_cycle.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cerdd_cycle.comptes.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cerdd-cycle.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A persistent connection broken by a database restart is replaced, not reused in error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cerdd",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "accueil"
SITE_ID = 1

# django-allauth: the email is the identity; verified before first login.
ACCOUNT_ADAPTER = "cerdd_cycle.comptes.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# An invited person who has just chosen a password goes straight into their space.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cerdd] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# allauth's defaults already limit login failures, sign-ups and emails sent; kept on explicitly.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cerdd – cycle de qualification"
MFA_ADAPTER = "cerdd_cycle.comptes.mfa.MFAAdapter"
# Staff must turn on an authenticator app (TOTP) before anything else; others may.
MFA_EQUIPE_OBLIGATOIRE = env.bool("MFA_EQUIPE_OBLIGATOIRE", default=True)

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Files only some people may read (attachments, reports): never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "prive")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: every message goes through the outbox (cerdd_cycle.courriels); this is how it leaves.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_FILE_PATH = VAR_DIR / "courriels"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cerdd <ne-pas-repondre@cerdd.org>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
CONTACT_DONNEES_PERSONNELLES = env("CONTACT_DONNEES_PERSONNELLES", default="dpo@cerdd.org")

# Celery: Redis in production, the filesystem transport when REDIS_URL is empty.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _dossier_broker = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_dossier_broker / "messages"),
        "data_folder_out": str(_dossier_broker / "messages"),
        "processed_folder": str(_dossier_broker / "traites"),
        "control_folder": str(_dossier_broker / "controle"),
        "store_processed": False,
    }
else:
    # A task unacknowledged this long (a killed worker) is handed to another worker. Longer than
    # any task (no eta/countdown beyond a few minutes); the kill -9 test lowers it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITE_S", default=3600)
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "courriels-relancer": {
        "task": "cerdd_cycle.courriels.tasks.courriels_relancer_task",
        "schedule": crontab(minute="*/5"),
    },
    # Retention: candidatures not retained are anonymised once their cycle's delay ran out.
    "candidatures-anonymisation": {
        "task": "candidatures.tasks.candidatures_anonymiser_task",
        "schedule": crontab(hour=3, minute=31),
    },
    "candidatures-rappels-date-limite": {
        "task": "candidatures.tasks.candidatures_relancer_brouillons_task",
        "schedule": crontab(minute=17),
    },
    "jury-rappels": {
        "task": "jury.tasks.jures_relancer_task",
        "schedule": crontab(minute=23),
    },
    "jury-resultats": {
        "task": "jury.tasks.resultats_envoyer_task",
        "schedule": crontab(minute="*/10"),
    },
    # Logbook: reminder after a session, digest of what was shared before the next one.
    "journal-balayage": {
        "task": "journal.tasks.journal_balayer_task",
        "schedule": crontab(minute=41),
    },
    # Context notes, confirmation reminders, evaluations, attendance alerts.
    "seances-balayage": {
        "task": "seances.tasks.seances_balayer_task",
        "schedule": crontab(minute="*/15"),
    },
    # Capitalisation report: versions whose task was lost or interrupted are handed over again.
    "capitalisation-reprise": {
        "task": "capitalisation.tasks.versions_reprendre_task",
        "schedule": crontab(minute="*/10"),
    },
}

# Attachments of a candidature: the largest file accepted, in megabytes.
CANDIDATURES_TAILLE_MAX_MO = env.int("CANDIDATURES_TAILLE_MAX_MO", default=10)
# Public check of an attestation code: tries allowed per address (allauth's rate format),
# so that nobody runs through the codes.
ATTESTATIONS_VERIFICATION_LIMITE = env(
    "ATTESTATIONS_VERIFICATION_LIMITE", default="20/m/ip,200/h/ip"
)

# Logbook: reminder N days after a session to those who wrote nothing; digest N days before.
JOURNAL_RAPPEL_JOURS = env.int("JOURNAL_RAPPEL_JOURS", default=3)
JOURNAL_DIGEST_JOURS = env.int("JOURNAL_DIGEST_JOURS", default=7)

# Outbox: how long an email may wait before the sweep re-queues it, and how often to retry.
COURRIELS_DELAI_RELANCE_MINUTES = env.int("COURRIELS_DELAI_RELANCE_MINUTES", default=5)
COURRIELS_TENTATIVES_MAX = env.int("COURRIELS_TENTATIVES_MAX", default=8)
# An email being sent is claimed; a claim older than this (its worker died) is taken over.
COURRIELS_RESERVATION_SECONDES = env.int("COURRIELS_RESERVATION_SECONDES", default=600)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (cerdd_cycle.securite): no inline script or style, nothing from
# another origin; data: images for the favicon and Bootstrap's icons. A reserved file keeps
# its own "sandbox". The Django admin works under it as is (checked in a browser).
CSP_POLITIQUE = env(
    "CSP_POLITIQUE",
    default="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)
PERMISSIONS_POLITIQUE = "camera=(), microphone=(), geolocation=(), payment=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
