from celery import shared_task

from . import services


@shared_task
def journal_balayer_task():
    return services.journal_balayer()
