from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComptesConfig(AppConfig):
    name = "cerdd_cycle.comptes"
    label = "comptes"
    verbose_name = _("Comptes")

    def ready(self):
        # donnees: registers the kernel's own parts of a person's data (account, emails) first.
        # mfa: login and authenticator signals keep the session's « staff without TOTP » flag.
        from . import donnees, mfa  # noqa: F401
