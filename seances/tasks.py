from celery import shared_task

from . import services


@shared_task
def seances_balayer_task():
    return services.seances_balayer()
