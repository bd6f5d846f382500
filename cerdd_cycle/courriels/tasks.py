from celery import shared_task

from . import services


@shared_task(
    autoretry_for=services.ERREURS_TRANSITOIRES,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=7,
)
def courriel_envoyer_task(courriel_id):
    services.courriel_envoyer(courriel_id)


@shared_task
def courriels_relancer_task():
    return services.courriels_relancer()
