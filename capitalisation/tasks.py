from celery import shared_task

from . import services


@shared_task
def version_generer_task(version_id):
    return services.version_generer(version_id)


@shared_task
def versions_reprendre_task():
    return services.versions_reprendre()
