from celery import shared_task

from . import services


@shared_task
def candidatures_relancer_brouillons_task():
    return services.candidatures_relancer_brouillons()
