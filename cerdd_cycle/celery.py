import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerdd_cycle.settings.dev")

app = Celery("cerdd_cycle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
