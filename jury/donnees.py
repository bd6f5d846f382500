"""The jury layer's part of a person's data, and its hooks into the retention of candidatures.

A juror's export holds what they declared and wrote (ties, their own notes and comments on
the collectivities given to them), never another juror's notes nor the content of a
candidature. A candidate's export holds the decision only once the results are published.
"""

from django.db.models import Prefetch, Q

from candidatures.selectors import candidatures_de
from cerdd_cycle.comptes.donnees import Part, courriels_anonymiser, valeurs
from cerdd_cycle.courriels.models import Courriel

from . import selectors
from .enums import StatutDecision
from .models import Affectation, Decision, Jure, NoteJury


def exporter(user) -> Part:
    jures = (
        Jure.objects.filter(user=user)
        .select_related("cycle")
        .prefetch_related(
            "liens",
            Prefetch(
                "affectations",
                queryset=Affectation.objects.select_related("candidature__territoire")
                .prefetch_related(
                    Prefetch("notes", queryset=NoteJury.objects.select_related("critere"))
                )
                .order_by("pk"),
            ),
        )
    )
    decisions = Decision.objects.filter(
        candidature__in=candidatures_de(user).filter(anonymisee_le__isnull=True),
        candidature__cycle__resultats_publies_le__isnull=False,
    ).select_related("candidature__territoire", "candidature__cycle")
    return Part(
        {
            "jurys": [
                {
                    "cycle": jure.cycle.titre,
                    **valeurs(jure, "actif", "invite_le", "liens_declares_le"),
                    "liens_declares": [
                        valeurs(lien, "nom", "siren", "nature") for lien in jure.liens.all()
                    ],
                    "evaluations": [
                        {
                            "collectivite": str(a.candidature.nom_collectivite),
                            **valeurs(a, "commentaire", "modifie_le", "soumise_le"),
                            "notes": [
                                {
                                    "critere": note.critere.intitule,
                                    **valeurs(note, "valeur", "porte", "commentaire"),
                                }
                                for note in a.notes.all()
                            ],
                        }
                        for a in jure.affectations.all()
                    ],
                }
                for jure in jures
            ],
            "decisions_recues": [
                {
                    "collectivite": str(d.candidature.nom_collectivite),
                    "cycle": d.candidature.cycle.titre,
                    **valeurs(d, "statut", "motif", "rang_attente"),
                }
                for d in decisions
            ],
        }
    )


def retenues() -> Q:
    """Retained candidatures are kept by the retention sweep."""
    return Q(decision__statut=StatutDecision.RETENUE)


def masquer_textes(masques: dict) -> dict:
    """The jury's texts about anonymised candidatures: names, emails and phones hidden; the
    scores and the decision stay."""
    n = 0
    for affectation in Affectation.objects.filter(candidature__in=masques).exclude(commentaire=""):
        affectation.commentaire = masques[affectation.candidature_id](affectation.commentaire)
        affectation.save(update_fields=["commentaire"])
        n += 1
    notes = (
        NoteJury.objects.filter(affectation__candidature__in=masques)
        .exclude(commentaire="")
        .select_related("affectation")
    )
    for note in notes:
        note.commentaire = masques[note.affectation.candidature_id](note.commentaire)
        note.save(update_fields=["commentaire"])
        n += 1
    for decision in Decision.objects.filter(candidature__in=masques).exclude(motif=""):
        decision.motif = masques[decision.candidature_id](decision.motif)
        decision.save(update_fields=["motif"])
        n += 1
    courriels = Courriel.objects.filter(
        cle__in=[selectors.cle_courriel_decision(pk) for pk in masques]
    )
    return {"textes_du_jury": n, "courriels_de_decision": courriels_anonymiser(courriels)}
