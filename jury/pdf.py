"""Context of the decision letter (the deliberation summary is in ``exports``); rendering is
the kernel's ``rendre_pdf``."""

from django.utils import timezone
from django.utils.text import slugify

from cerdd_cycle.documents.pdf import rendre_pdf
from cerdd_cycle.formats import date_en_toutes_lettres

# The closing line of the email templates: the letter has its own signature block instead.
FORMULE_FIN_COURRIEL = "L'équipe du {porteur}"


def _paragraphes(texte) -> list[str]:
    return [paragraphe.strip() for paragraphe in texte.split("\n\n") if paragraphe.strip()]


def contexte_lettre(decision, modele) -> dict:
    """What the decision letter shows. It is dated from the publication of the results, so
    the letter a collectivity downloads later is the one attached to its email."""
    from .services import modele_rendre

    candidature = decision.candidature
    cycle = candidature.cycle
    paragraphes = _paragraphes(modele_rendre(modele.corps, decision))
    fin_courriel = modele_rendre(FORMULE_FIN_COURRIEL, decision)
    if paragraphes and paragraphes[-1].startswith(fin_courriel):
        paragraphes.pop()
    date = timezone.localdate(cycle.resultats_publies_le or timezone.now())
    return {
        "decision": decision,
        "candidature": candidature,
        "cycle": cycle,
        "collectivite": str(candidature.nom_collectivite),
        "adresse": [ligne.strip() for ligne in candidature.adresse.splitlines() if ligne.strip()],
        "objet": modele_rendre(modele.sujet, decision),
        "paragraphes": paragraphes,
        "date_lettre": date_en_toutes_lettres(date, jour_semaine=False),
        "reference": f"{cycle.slug}/{candidature.pk}",
    }


def lettre_decision_pdf(decision, modele) -> bytes:
    return rendre_pdf("jury/pdf/lettre_decision.html", contexte_lettre(decision, modele))


def nom_lettre(decision) -> str:
    return f"decision-{slugify(str(decision.candidature.nom_collectivite))[:60]}.pdf"
