"""Context of the jury's PDFs (decision letter, deliberation summary); rendering is the
kernel's ``rendre_pdf``."""

from django.utils import timezone
from django.utils.text import slugify

from cerdd_cycle.documents.pdf import rendre_pdf


def contexte_lettre(decision, modele) -> dict:
    from .services import modele_rendre

    candidature = decision.candidature
    return {
        "decision": decision,
        "candidature": candidature,
        "cycle": candidature.cycle,
        "objet": modele_rendre(modele.sujet, decision),
        "paragraphes": [
            paragraphe.strip()
            for paragraphe in modele_rendre(modele.corps, decision).split("\n\n")
            if paragraphe.strip()
        ],
        "genere_le": timezone.now(),
    }


def lettre_decision_pdf(decision, modele) -> bytes:
    return rendre_pdf("jury/pdf/lettre_decision.html", contexte_lettre(decision, modele))


def nom_lettre(decision) -> str:
    return f"decision-{slugify(str(decision.candidature.nom_collectivite))[:60]}.pdf"
