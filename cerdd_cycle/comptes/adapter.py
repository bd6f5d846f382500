from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from cerdd_cycle.courriels.services import courriel_creer


class AccountAdapter(DefaultAccountAdapter):
    """Account emails (verification, password reset) leave through the outbox like the others."""

    def send_mail(self, template_prefix, email, context):
        context = {**context, "SITE_URL": settings.SITE_URL}
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                contenu
                for contenu, type_ in getattr(message, "alternatives", [])
                if type_ == "text/html"
            ),
            "",
        )
        courriel_creer(
            cle=None,
            destinataires=list(message.to),
            sujet=message.subject,
            texte=message.body,
            html=html,
            categorie=f"compte:{template_prefix.rsplit('/', 1)[-1]}",
        )
