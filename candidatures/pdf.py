"""Context of the candidature PDFs (draft and receipt); rendering is the kernel's ``rendre_pdf``."""

from django.utils import timezone

from cerdd_cycle.documents.pdf import rendre_pdf

from .enums import TypePiece
from .exports import lisible
from .models import Candidature
from .sections import SECTIONS

LIBELLES_PIECES = dict(TypePiece.choices)


def sections_remplies(donnees: dict) -> list[dict]:
    """Sections with (label, value) pairs, from a candidature's answers or a version's."""
    resultat = []
    for section in SECTIONS:
        if section.cle == "point_contact" and not donnees.get("point_contact_different"):
            continue
        lignes = [
            {
                "libelle": Candidature._meta.get_field(champ).verbose_name,
                "valeur": lisible(champ, donnees.get(champ)),
            }
            for champ in section.champs
            if champ != "point_contact_different"
        ]
        resultat.append({"cle": section.cle, "titre": section.titre, "lignes": lignes})
    return resultat


def contexte_candidature(candidature, version=None) -> dict:
    from .services import instantane

    donnees = version.donnees if version is not None else instantane(candidature)
    pieces = [
        {**piece, "type_libelle": LIBELLES_PIECES.get(piece["type"], piece["type"])}
        for piece in donnees["pieces_jointes"]
    ]
    return {
        "candidature": candidature,
        "cycle": candidature.cycle,
        "version": version,
        "collectivite": donnees["collectivite"],
        "siren": donnees["siren"],
        "sections": sections_remplies(donnees),
        "pieces": pieces,
        "genere_le": timezone.now(),
    }


def brouillon_pdf(candidature) -> bytes:
    return rendre_pdf("candidatures/pdf/candidature.html", contexte_candidature(candidature))


def recu_pdf(candidature, version) -> bytes:
    return rendre_pdf(
        "candidatures/pdf/candidature.html", contexte_candidature(candidature, version)
    )
