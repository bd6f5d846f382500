from celery import shared_task

from . import services


@shared_task
def jures_relancer_task():
    return services.jures_relancer()


@shared_task
def resultats_envoyer_task():
    return services.resultats_envoyer()
