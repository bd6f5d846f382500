from django.contrib.contenttypes.models import ContentType

from .models import Historique


def historique_ajouter(objet, *, acteur=None, action, description="", avant=None, apres=None):
    """Record one change; call it inside the transaction of the change itself."""
    return Historique.objects.create(
        content_type=ContentType.objects.get_for_model(objet),
        object_id=str(objet.pk),
        acteur=acteur if acteur is not None and acteur.is_authenticated else None,
        action=action,
        description=description[:300],
        avant=avant or {},
        apres=apres or {},
    )


def difference(avant: dict, apres: dict) -> tuple[dict, dict]:
    """Only the keys whose value changed, as (before, after)."""
    cles = [cle for cle in apres if avant.get(cle) != apres.get(cle)]
    return {cle: avant.get(cle) for cle in cles}, {cle: apres.get(cle) for cle in cles}
