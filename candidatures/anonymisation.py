"""Retention: the candidatures a cycle did not retain are anonymised once its delay has run out.

What goes: contact people (names, emails, phones, addresses), names found in the free texts,
attachments (rows and files), co-editors' access, referents' confirmations, the personal part
of the submitted versions and of the audit log; the owner becomes the anonymous account. What
stays, for the statistics and the report: the collectivity, its territory and type, the
answers' substance, the jury's scores and the decision.

This layer does not know which candidatures were retained (that is the jury's): the layers
above say what to keep (``conservation_ajouter``) and mask their own texts about an
anonymised candidature (``anonymisation_etendre``).
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.comptes.donnees import (
    MASQUE,
    compte_anonyme,
    courriels_anonymiser,
    masqueur,
    noms_de,
)
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.selectors import cycles_a_anonymiser
from cerdd_cycle.historique.models import Historique
from cerdd_cycle.historique.services import historique_ajouter

from .models import Candidature

logger = logging.getLogger(__name__)

CHAMPS_PERSONNELS = (
    "adresse",
    "contact_nom",
    "contact_fonction",
    "contact_email",
    "contact_telephone",
    "politique_nom",
    "politique_mandat",
    "politique_email",
    "politique_telephone",
    "technique_nom",
    "technique_poste",
    "technique_email",
    "technique_telephone",
    "point_contact_nom",
    "point_contact_fonction",
    "point_contact_email",
    "point_contact_telephone",
)
CHAMPS_TEXTE = (
    "motivations",
    "actions",
    "pistes",
    "besoins",
    "engagements_autre",
    "prolongation_motif",
)

_conservation: list[Callable[[], Q]] = []
_extensions: list[Callable[[dict], dict]] = []


def conservation_ajouter(condition: Callable[[], Q]) -> None:
    """An upper layer says which candidatures are kept (e.g. the jury: those retained)."""
    if condition not in _conservation:
        _conservation.append(condition)


def anonymisation_etendre(extension: Callable[[dict], dict]) -> None:
    """An upper layer masks its own texts: ``extension({candidature_pk: masquer})`` → counts."""
    if extension not in _extensions:
        _extensions.append(extension)


def a_conserver() -> Q:
    condition = Q(pk__in=[])
    for fournisseur in _conservation:
        condition |= fournisseur()
    return condition


def candidatures_a_anonymiser(cycle):
    return (
        Candidature.objects.filter(cycle=cycle, anonymisee_le__isnull=True)
        .exclude(a_conserver())
        .order_by("pk")
    )


def masqueur_de(candidature) -> Callable[[str], str]:
    """The names, emails and phones this candidature holds, hidden wherever they appear."""
    motifs = noms_de(
        candidature.contact_nom,
        candidature.politique_nom,
        candidature.technique_nom,
        candidature.point_contact_nom,
        candidature.proprietaire.get_full_name(),
        *(c.nom for c in candidature.confirmations.all()),
    )
    motifs += [candidature.proprietaire.first_name, candidature.proprietaire.last_name]
    motifs += [getattr(candidature, champ) for champ in CHAMPS_PERSONNELS if "email" in champ]
    motifs += [getattr(candidature, champ) for champ in CHAMPS_PERSONNELS if "telephone" in champ]
    motifs += [acces.email for acces in candidature.acces.all()]
    return masqueur(motifs)


def _masquer_json(valeur, masquer):
    if isinstance(valeur, dict):
        return {
            cle: ("" if cle in CHAMPS_PERSONNELS else _masquer_json(v, masquer))
            for cle, v in valeur.items()
        }
    if isinstance(valeur, list):
        return [_masquer_json(v, masquer) for v in valeur]
    return masquer(valeur) if isinstance(valeur, str) else valeur


def candidature_anonymiser(candidature, *, acteur=None, motif="conservation") -> dict | None:
    """Anonymise one candidature; None if it already was (safe to run again)."""
    with transaction.atomic():
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("proprietaire", "cycle")
            .get(pk=candidature.pk)
        )
        if candidature.anonymisee_le is not None:
            return None
        masquer = masqueur_de(candidature)
        for champ in CHAMPS_PERSONNELS:
            setattr(candidature, champ, "")
        for champ in CHAMPS_TEXTE:
            setattr(candidature, champ, masquer(getattr(candidature, champ)))
        candidature.point_contact_different = False
        candidature.proprietaire = compte_anonyme()
        candidature.anonymisee_le = timezone.now()
        candidature.save()

        comptes = {"versions": 0, "pieces": 0, "fichiers": 0, "historique": 0}
        for version in candidature.versions.all():
            version.donnees = _masquer_json(version.donnees, masquer)
            for piece in version.donnees.get("pieces_jointes", []):
                if isinstance(piece, dict):
                    piece["nom"] = MASQUE
            version.deposee_par = None
            version.save(update_fields=["donnees", "deposee_par"])
            comptes["versions"] += 1
        fichiers = [p.fichier for p in candidature.pieces_jointes.all() if p.fichier]
        comptes["pieces"] = candidature.pieces_jointes.all().delete()[0]
        comptes["fichiers"] = len(fichiers)
        # Deleted once the rows are gone for good: a rollback keeps both.
        transaction.on_commit(lambda: _supprimer_fichiers(fichiers))
        comptes["courriels"] = courriels_anonymiser(_courriels_de(candidature))
        comptes["acces"] = candidature.acces.all().delete()[0]
        comptes["confirmations"] = candidature.confirmations.all().delete()[0]
        for ligne in Historique.objects.filter(
            content_type__app_label="candidatures",
            content_type__model="candidature",
            object_id=str(candidature.pk),
        ):
            ligne.description = masquer(ligne.description)
            ligne.avant = _masquer_json(ligne.avant, masquer)
            ligne.apres = _masquer_json(ligne.apres, masquer)
            ligne.save(update_fields=["description", "avant", "apres"])
            comptes["historique"] += 1
        for extension in _extensions:
            comptes.update(extension({candidature.pk: masquer}) or {})
        historique_ajouter(
            candidature,
            acteur=acteur,
            action="anonymisation",
            description=_("Candidature anonymisée (%(motif)s)") % {"motif": motif},
            apres=comptes,
        )
    return comptes


def _courriels_de(candidature):
    """The outbox rows this layer sent about a candidature (see the keys in services.py)."""
    jetons = [a.jeton for a in candidature.acces.all()]
    cles = [f"confirmation-referent:{c.jeton}" for c in candidature.confirmations.all()]
    cles += [f"{quoi}:{j}" for j in jetons for quoi in ("invitation-coediteur", "demande-acces")]
    cles += [f"acces-accorde:{j}" for j in jetons]
    return Courriel.objects.filter(
        Q(cle__in=cles)
        | Q(cle__startswith=f"accuse-reception:candidature={candidature.pk}:")
        | Q(cle__startswith="rappel-date-limite:", cle__endswith=f":candidature={candidature.pk}")
    )


def _supprimer_fichiers(fichiers) -> None:
    for fichier in fichiers:
        try:
            fichier.storage.delete(fichier.name)
        except OSError:
            logger.warning("Fichier %s introuvable à l'anonymisation", fichier.name)


def candidatures_anonymiser_echues(maintenant=None) -> dict:
    """The daily sweep: every cycle past its delay, every candidature it did not retain."""
    maintenant = maintenant or timezone.now()
    bilan = {"cycles": 0, "candidatures": 0, "fichiers": 0}
    for cycle in cycles_a_anonymiser(maintenant):
        faites = fichiers = 0
        for candidature in candidatures_a_anonymiser(cycle):
            comptes = candidature_anonymiser(candidature)
            if comptes is not None:
                faites += 1
                fichiers += comptes["fichiers"]
        if faites:
            historique_ajouter(
                cycle,
                action="anonymisation",
                description=_("%(n)s candidature(s) non retenue(s) anonymisée(s)") % {"n": faites},
                apres={"candidatures": faites, "fichiers": fichiers},
            )
            bilan["cycles"] += 1
            bilan["candidatures"] += faites
            bilan["fichiers"] += fichiers
    logger.info(
        "Conservation : %(candidatures)s candidature(s) anonymisée(s) dans %(cycles)s cycle(s), "
        "%(fichiers)s fichier(s) supprimé(s)",
        bilan,
    )
    return bilan
