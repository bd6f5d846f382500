import re

from django.db.models import Case, IntegerField, Value, When

from .models import Region, Territoire, TypeTerritoire
from .normalisation import normaliser

LONGUEUR_MIN = 2
# Longer queries are cut: nobody types 100 characters to find a commune.
LONGUEUR_MAX = 100

# A commune code (Corsica: 2A/2B) or a SIREN.
_CODE_INSEE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
_SIREN = re.compile(r"^[0-9]{9}$")


def territoires_rechercher(texte, *, region=None, limite=20):
    """Communes and EPCI whose name holds every word of ``texte``, best matches first.

    A commune code or a SIREN finds that territory exactly. ``region`` (a ``Region`` or its
    code) restricts the search. Names that start with the query come first, then EPCI, then
    the most populated, then alphabetical order. Returns a list, empty for a query of fewer
    than two characters.
    """
    texte = (texte or "").strip()[:LONGUEUR_MAX]
    if len(texte) < LONGUEUR_MIN:
        return []

    territoires = Territoire.objects.select_related("departement")
    if region:
        territoires = territoires.filter(
            region_id=region.pk if isinstance(region, Region) else region
        )

    code = texte.replace(" ", "").upper()
    if _CODE_INSEE.match(code):
        return list(territoires.filter(code_insee=code)[:limite])
    if _SIREN.match(code):
        return list(territoires.filter(siren=code)[:limite])

    requete = normaliser(texte)
    if not requete:
        return []
    for jeton in dict.fromkeys(requete.split()):
        territoires = territoires.filter(nom_recherche__contains=jeton)
    territoires = territoires.annotate(
        rang_debut=Case(
            When(nom_recherche__startswith=requete, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        rang_type=Case(
            When(type=TypeTerritoire.COMMUNE, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).order_by("rang_debut", "rang_type", "-population", "nom", "pk")
    return list(territoires[:limite])


def territoire_par_siren(siren):
    """The territory with this SIREN (spaces allowed), or None."""
    siren = "".join((siren or "").split())
    if not _SIREN.match(siren):
        return None
    return (
        Territoire.objects.select_related("departement", "region", "epci")
        .filter(siren=siren)
        .first()
    )
