"""`manage.py rapport_capitalisation <cycle> -o rapport.pdf`: what the staff page does, from a
shell. The generation is kept as a version of the cycle (asked by nobody: the command line), so
the page lists it and it can be downloaded again."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from capitalisation import services
from capitalisation.enums import EtatVersion, Section
from cerdd_cycle.cycles.models import Cycle


def _taille(octets: int) -> str:
    """1234567 -> "1,2 Mo" (French decimal comma)."""
    if octets < 1024 * 1024:
        return f"{octets / 1024:.0f} Ko"
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


def _secondes(duree: float) -> str:
    return f"{duree:.1f} s".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Génère une version du rapport de capitalisation d'un cycle (conservée, comme depuis "
        "la page de l'équipe) et l'écrit dans un fichier PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="Identifiant d'adresse du cycle (slug).")
        parser.add_argument(
            "-o",
            "--sortie",
            type=Path,
            help="Fichier PDF à écrire (par défaut : nom de la version, dans le dossier courant).",
        )
        parser.add_argument(
            "--sections",
            help=(
                "Chapitres de cette version seulement, séparés par des virgules, parmi : "
                + ", ".join(Section.values)
                + " (par défaut : ceux enregistrés pour le rapport)."
            ),
        )
        parser.add_argument(
            "--date",
            help="Le « jour » du rapport, AAAA-MM-JJ (par défaut : aujourd'hui).",
        )

    def handle(self, *args, cycle, sortie=None, sections=None, date=None, **options):
        cycle = self._cycle(cycle)
        sections = self._sections(sections) if sections is not None else None
        aujourdhui = self._date(date) if date is not None else None

        debut = time.monotonic()
        with transaction.atomic():
            version = services.version_demander(cycle, None, lancer=False)
            if sections is not None:
                # The version records the chapters it was really generated with.
                version.reglages = {**version.reglages, "sections": sections}
                version.save(update_fields=["reglages"])
        self.stdout.write(f"Version {version.numero} du rapport de « {cycle} » : génération…")
        version = services.version_generer(version.pk, aujourdhui=aujourdhui)
        if version.etat != EtatVersion.PRETE:
            raise CommandError(
                f"La génération de la version {version.numero} a échoué : {version.erreur}"
            )

        chemin = sortie if sortie is not None else Path.cwd() / services.nom_fichier(version)
        try:
            with version.fichier.open("rb") as source:
                chemin.write_bytes(source.read())
        except OSError as erreur:
            raise CommandError(
                f"Impossible d'écrire « {chemin} » : {erreur.strerror or erreur}. La version "
                f"{version.numero} est conservée : elle se télécharge depuis la page du rapport."
            ) from erreur
        self.stdout.write(
            self.style.SUCCESS(
                f"Version {version.numero} : {version.pages} pages, {_taille(version.taille)}, "
                f"générée en {_secondes(version.duree)} "
                f"(commande : {_secondes(time.monotonic() - debut)})"
            )
        )
        self.stdout.write(f"Écrit : {chemin}")

    def _cycle(self, slug) -> Cycle:
        cycle = Cycle.objects.filter(slug=slug).first()
        if cycle is not None:
            return cycle
        existants = list(Cycle.objects.order_by("slug").values_list("slug", flat=True))
        if not existants:
            raise CommandError(f"Cycle inconnu : « {slug} ». Aucun cycle n'existe encore.")
        raise CommandError(
            f"Cycle inconnu : « {slug} ». Cycles existants : {', '.join(existants)}."
        )

    def _sections(self, valeur) -> list[str]:
        demandees = [cle.strip() for cle in valeur.split(",") if cle.strip()]
        inconnues = [cle for cle in demandees if cle not in Section.values]
        if inconnues:
            raise CommandError(
                f"Chapitre inconnu : {', '.join(inconnues)}. "
                f"Chapitres possibles : {', '.join(Section.values)}."
            )
        if not demandees:
            raise CommandError(
                f"Indiquez au moins un chapitre parmi : {', '.join(Section.values)}."
            )
        # In the report's order, whatever the order typed.
        return [cle for cle in Section.values if cle in demandees]

    def _date(self, valeur) -> datetime.date:
        try:
            return datetime.date.fromisoformat(valeur)
        except ValueError:
            raise CommandError(
                f"Date invalide : « {valeur} ». Attendu : AAAA-MM-JJ, par exemple 2022-06-30."
            ) from None
