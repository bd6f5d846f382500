from celery import shared_task

from . import anonymisation, services


@shared_task
def candidatures_relancer_brouillons_task():
    return services.candidatures_relancer_brouillons()


@shared_task
def candidatures_anonymiser_task():
    return anonymisation.candidatures_anonymiser_echues()
