from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from cerdd_cycle.courriels.services import courriel_creer


class AccountAdapter(DefaultAccountAdapter):
    """Account emails (verification, password reset) leave through the outbox like the others."""

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        contexte = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "SITE_URL": settings.SITE_URL,
            **context,
        }
        message = self.render_mail(template_prefix, email, contexte)
        html = next(
            (contenu for contenu, type_ in message.alternatives if type_ == "text/html"), ""
        )
        courriel_creer(
            cle=None,
            destinataires=list(message.to),
            sujet=message.subject,
            texte=message.body,
            html=html,
            categorie=f"compte:{template_prefix.rsplit('/', 1)[-1]}",
        )
