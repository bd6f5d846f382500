from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def nommer_le_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domaine = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": domaine, "name": "Cerdd – Vers des territoires participatifs"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(nommer_le_site, migrations.RunPython.noop)]
