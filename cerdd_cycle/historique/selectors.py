from django.contrib.contenttypes.models import ContentType

from .models import Historique


def historique_de(objet):
    return Historique.objects.filter(
        content_type=ContentType.objects.get_for_model(objet), object_id=str(objet.pk)
    ).select_related("acteur")
