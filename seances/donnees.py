"""The sessions layer's part of a person's data: their rows of the pair and what they answered.

Attendance and attestations are what a cycle must keep (proof of participation): erasure
leaves them, tied to the anonymised account, and removes the rest (needs survey, diet,
questions, calendar address).
"""

from django.db.models import Q

from cerdd_cycle.comptes.donnees import Part, valeurs

from .models import (
    AgendaPrive,
    Attestation,
    Confirmation,
    Evaluation,
    Membre,
    Presence,
    Question,
    ReponseBesoins,
)


def _seance(ligne) -> dict:
    return {"seance": ligne.seance.numero, "theme": ligne.seance.theme, "date": ligne.seance.date}


def exporter(user) -> Part:
    membres = list(
        Membre.objects.filter(user=user).select_related(
            "binome__cycle", "binome__candidature__territoire"
        )
    )
    ids = [m.pk for m in membres]
    besoins = ReponseBesoins.objects.filter(membre__in=ids)
    confirmations = Confirmation.objects.filter(membre__in=ids).select_related("seance")
    presences = Presence.objects.filter(membre__in=ids).select_related("seance")
    questions = Question.objects.filter(auteur__in=ids).select_related("seance")
    evaluations = Evaluation.objects.filter(membre__in=ids).select_related("seance")
    attestations = Attestation.objects.filter(membre__in=ids).select_related("cycle")
    agenda = AgendaPrive.objects.filter(user=user).first()
    return Part(
        {
            "binomes": [
                {
                    "cycle": m.binome.cycle.titre,
                    "collectivite": str(m.binome.candidature.nom_collectivite),
                    **valeurs(m, "role", "suppleant", "fonction", "actif", "depuis", "jusqua"),
                }
                for m in membres
            ],
            "questionnaire_des_besoins": [
                valeurs(b, "themes", "attentes", "projet", "difficultes", "modifie_le")
                for b in besoins
            ],
            "confirmations": [
                {
                    **_seance(c),
                    **valeurs(c, "reponse", "matin", "apres_midi", "dejeuner", "regimes"),
                    **valeurs(c, "precisions_repas", "modifie_le"),
                }
                for c in confirmations
            ],
            "presences": [
                {**_seance(p), **valeurs(p, "demi_journee", "statut", "source", "marque_le")}
                for p in presences.order_by("seance__numero", "demi_journee")
            ],
            "questions_aux_intervenants": [
                {**_seance(q), **valeurs(q, "texte", "cree_le")} for q in questions
            ],
            "evaluations_des_seances": [
                {**_seance(e), **valeurs(e, "note", "bien", "craint", "demain", "soumise_le")}
                for e in evaluations
            ],
            "attestations": [
                {
                    "cycle": a.cycle.titre,
                    **valeurs(a, "code", "titulaire", "collectivite", "seances_presentes"),
                    **valeurs(a, "seances_total", "delivree_le"),
                }
                for a in attestations
            ],
            # The address itself is a credential: only its existence is said.
            "agenda_prive": {"cree_le": agenda.cree_le} if agenda else None,
        }
    )


def avec_binome() -> Q:
    return Q(binome__isnull=False)


def effacer(user, acteur) -> dict:
    ids = list(Membre.objects.filter(user=user).values_list("pk", flat=True))
    return {
        "besoins_supprimes": ReponseBesoins.objects.filter(membre__in=ids).delete()[0],
        "questions_supprimees": Question.objects.filter(auteur__in=ids).delete()[0],
        "repas_effaces": Confirmation.objects.filter(membre__in=ids).update(
            regimes=[], precisions_repas=""
        ),
        "agenda_supprime": AgendaPrive.objects.filter(user=user).delete()[0],
    }
