from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cerdd_cycle.territoires.services import (
    CHEMIN_REGIONS,
    CHEMIN_TERRITOIRES,
    FichierTerritoiresInvalide,
    territoires_charger,
)


def _nombre(valeur):
    """36130 -> "36 130", with a non-breaking space as in French typography."""
    return f"{valeur:,}".replace(",", "\N{NO-BREAK SPACE}")


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les régions, départements, communes et EPCI officiels "
        "(code officiel géographique). Peut être relancée : ne modifie que ce qui a changé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fichier",
            type=Path,
            default=CHEMIN_TERRITOIRES,
            help="CSV des territoires, éventuellement compressé en .gz (par défaut : %(default)s).",
        )
        parser.add_argument(
            "--regions",
            type=Path,
            default=CHEMIN_REGIONS,
            help="CSV des régions et départements (par défaut : %(default)s).",
        )

    def handle(self, *args, fichier, regions, **options):
        try:
            bilan = territoires_charger(chemin_csv=fichier, chemin_regions=regions)
        except (OSError, FichierTerritoiresInvalide) as erreur:
            raise CommandError(f"Chargement annulé, rien n'a été modifié : {erreur}") from erreur

        self.stdout.write(
            self.style.SUCCESS(
                f"Territoires : {_nombre(bilan['territoires_crees'])} créés, "
                f"{_nombre(bilan['territoires_mis_a_jour'])} mis à jour, "
                f"{_nombre(bilan['territoires_inchanges'])} inchangés ; "
                f"régions : {_nombre(bilan['regions'])} ; "
                f"départements : {_nombre(bilan['departements'])}"
            )
        )
        self.stdout.write(
            f"Dont {_nombre(bilan['epcis'])} EPCI et {_nombre(bilan['communes'])} communes, "
            f"dont {_nombre(bilan['communes_rattachees'])} rattachées à un EPCI."
        )
        if bilan["territoires_ignores"]:
            self.stdout.write(
                f"{_nombre(bilan['territoires_ignores'])} lignes ignorées "
                "(sans SIREN ou hors des régions, comme les collectivités d'outre-mer)."
            )
        if bilan["territoires_absents"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{_nombre(bilan['territoires_absents'])} territoires en base sont absents "
                    "du fichier : ils sont conservés."
                )
            )
