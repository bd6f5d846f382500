from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Historique(models.Model):
    """Audit log: who did what to which object, when, with the values before and after."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40)
    objet = GenericForeignKey("content_type", "object_id")
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    action = models.CharField(_("action"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    avant = models.JSONField(_("avant"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    apres = models.JSONField(_("après"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    le = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("entrée d'historique")
        verbose_name_plural = _("historique")
        ordering = ["-le", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "le"], name="historique_objet_idx")
        ]

    def __str__(self):
        return f"{self.le:%d/%m/%Y %H:%M} {self.action}"
