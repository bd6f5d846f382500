from celery import shared_task

from . import services


# Retries stay within minutes (an eta beyond the broker's visibility timeout would be
# redelivered); a longer outage is the periodic sweep's work, from the database.
@shared_task(
    autoretry_for=services.ERREURS_TRANSITOIRES,
    retry_backoff=30,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def courriel_envoyer_task(courriel_id):
    services.courriel_envoyer(courriel_id)


@shared_task
def courriels_relancer_task():
    return services.courriels_relancer()
