from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from cerdd_cycle.cycles.demo import MOT_DE_PASSE_DEMO, Demo
from cerdd_cycle.territoires.models import Region


class Command(BaseCommand):
    help = "Construit (une fois) le cycle de démonstration et affiche les identifiants de démo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--identifiants",
            action="store_true",
            help="Affiche seulement les identifiants de démonstration.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise la démo hors mode DEBUG (jamais en production réelle).",
        )

    def handle(self, *args, identifiants=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("La démo ne se construit qu'en développement (ou avec --force).")
        if not Region.objects.filter(code="32").exists():
            call_command("charger_territoires", stdout=self.stdout)
        demo = Demo()
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo"):
                    import_module(f"{app_config.name}.demo").construire(demo)
            if identifiants:
                transaction.set_rollback(True)
        if not identifiants:
            self.stdout.write(self.style.SUCCESS("Démo prête."))
        self._afficher(demo)

    def _afficher(self, demo):
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Identifiants de démonstration"))
        self.stdout.write(f"  Mot de passe de tous les comptes : {MOT_DE_PASSE_DEMO}")
        largeur = max(len(role) for role, _email, _quoi in demo.identifiants)
        for role, email, quoi in demo.identifiants:
            self.stdout.write(f"  {role.ljust(largeur)}  {email}  ({quoi})")
        self.stdout.write("  Adresse : http://127.0.0.1:8000/")
        if settings.MFA_EQUIPE_OBLIGATOIRE:
            self.stdout.write(
                "  Équipe : double authentification obligatoire (application TOTP demandée "
                "à la première connexion)."
            )
        else:
            self.stdout.write(
                "  Équipe : double authentification non exigée en développement "
                "(MFA_EQUIPE_OBLIGATOIRE=1 dans .env pour l'exiger)."
            )
