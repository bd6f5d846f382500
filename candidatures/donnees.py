"""The candidatures layer's part of a person's data (registered in ``apps.ready``)."""

from django.db.models import Prefetch, Q

from cerdd_cycle.comptes.donnees import Part, nom_de_fichier, valeurs

from .anonymisation import a_conserver, candidature_anonymiser
from .models import Acces, Candidature, PieceJointe
from .sections import CHAMPS_MODIFIABLES
from .selectors import candidatures_de


def _candidature(candidature, user) -> dict:
    return {
        "id": candidature.pk,
        "cycle": candidature.cycle.titre,
        "collectivite": str(candidature.nom_collectivite),
        "siren": candidature.siren,
        "titulaire_du_compte": candidature.proprietaire_id == user.pk,
        **valeurs(candidature, "statut", "depose_le", "cree_le", "modifie_le"),
        "reponses": valeurs(candidature, *CHAMPS_MODIFIABLES),
        "co_editeurs": [
            valeurs(a, "email", "demande", "cree_le", "accepte_le") for a in candidature.acces.all()
        ],
        "confirmations_des_referents": [
            valeurs(c, "role", "nom", "email", "confirme_le", "disponible", "commentaire")
            for c in candidature.confirmations.all()
        ],
        "versions_deposees": [
            {**valeurs(v, "numero", "deposee_le", "hors_delai_accorde"), "reponses": v.donnees}
            for v in candidature.versions.all()
        ],
        "pieces_jointes": [
            {
                **valeurs(p, "nom_original", "type", "type_mime", "taille", "sha256"),
                "ajoutee_le": p.ajoutee_le,
                "fichier": _chemin(candidature, p),
            }
            for p in candidature.pieces_jointes.all()
        ],
    }


def _chemin(candidature, piece) -> str:
    dossier = f"{candidature.pk}-{nom_de_fichier(candidature.nom_collectivite)}"
    return f"candidatures/{dossier}/{piece.pk}-{piece.nom_original}"


def exporter(user) -> Part:
    candidatures = list(
        candidatures_de(user)
        .filter(anonymisee_le__isnull=True)
        .prefetch_related(
            "acces",
            "confirmations",
            "versions",
            Prefetch("pieces_jointes", queryset=PieceJointe.objects.order_by("type", "pk")),
        )
        .order_by("cree_le")
    )
    fichiers = []
    for candidature in candidatures:
        fichiers += [(_chemin(candidature, p), p.fichier) for p in candidature.pieces_jointes.all()]
    demandes = Acces.objects.filter(user=user, accepte_le__isnull=True).select_related(
        "candidature__territoire"
    )
    return Part(
        {
            "candidatures": [_candidature(c, user) for c in candidatures],
            "demandes_d_acces": [
                {
                    "candidature": str(a.candidature.nom_collectivite),
                    **valeurs(a, "message", "cree_le"),
                }
                for a in demandes
            ],
        },
        fichiers,
    )


def effacer(user, acteur) -> dict:
    """Owned candidatures that no layer keeps are anonymised now; co-edition rows go. A
    retained candidature stays (the cycle needs it), tied to the anonymised account."""
    anonymisees = 0
    proprietes = Candidature.objects.filter(proprietaire=user, anonymisee_le__isnull=True)
    for candidature in proprietes.exclude(a_conserver()):
        if candidature_anonymiser(candidature, acteur=acteur, motif="demande de suppression"):
            anonymisees += 1
    acces = Acces.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()[0]
    return {"candidatures_anonymisees": anonymisees, "acces_supprimes": acces}
