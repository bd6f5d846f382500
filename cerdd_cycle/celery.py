import os
from pathlib import Path

from celery import Celery
from celery.signals import import_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerdd_cycle.settings.dev")

app = Celery("cerdd_cycle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

DOSSIERS_TRANSPORT_FICHIERS = (
    "data_folder_in",
    "data_folder_out",
    "processed_folder",
    "control_folder",
)


def creer_dossiers_broker(conf=None):
    """The filesystem transport (embedded default) needs its folders to exist."""
    conf = conf or app.conf
    if not str(conf.broker_url).startswith("filesystem://"):
        return
    options = conf.broker_transport_options or {}
    for cle in DOSSIERS_TRANSPORT_FICHIERS:
        if options.get(cle):
            Path(options[cle]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _apres_configuration(sender, **kwargs):
    creer_dossiers_broker(sender.conf)


@import_modules.connect
def _au_demarrage_du_worker(sender=None, **kwargs):
    creer_dossiers_broker()
