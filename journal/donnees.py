"""The logbook's part of a person's data.

Only the person's own entries and items, whatever their audience: another member's item,
even one shared with the pair, is not theirs and never enters their export. The pair's shared
work (relays, experiments, self-diagnosis) is exported for each member of the pair.
Erasure removes the free notes and the items nobody else may read; items shared with the group
stay (the report may quote them), now without a name.
"""

from cerdd_cycle.comptes.donnees import Part, valeurs
from seances.models import Membre

from .enums import AUDIENCES_GROUPE, Audience
from .models import Diagnostic, Element, Entree, Experimentation, Relais


def exporter(user) -> Part:
    membres = list(Membre.objects.filter(user=user).values_list("pk", "binome_id"))
    ids = [pk for pk, _binome in membres]
    binomes = {binome for _pk, binome in membres}
    entrees = (
        Entree.objects.filter(membre__in=ids)
        .select_related("seance")
        .prefetch_related("elements")
        .order_by("seance__numero")
    )
    relais = Relais.objects.filter(binome__in=binomes).select_related("seance")
    experimentations = Experimentation.objects.filter(binome__in=binomes)
    diagnostics = Diagnostic.objects.filter(binome__in=binomes).prefetch_related(
        "reponses__question"
    )
    return Part(
        {
            "entrees": [
                {
                    "seance": e.seance.numero,
                    "theme": e.seance.theme,
                    **valeurs(e, "notes", "cree_le", "modifie_le"),
                    "elements": [
                        valeurs(el, "rubrique", "texte", "audience", "cree_le", "modifie_le")
                        for el in e.elements.all()
                    ],
                }
                for e in entrees
            ],
            "relais": [
                {
                    "de_vous": r.auteur_id in ids,
                    "seance": r.seance.numero if r.seance else None,
                    **valeurs(r, "date", "public", "quoi", "cree_le"),
                }
                for r in relais
            ],
            "experimentations": [
                valeurs(x, "titre", "description", "statut", "resultats", "cree_le", "modifie_le")
                for x in experimentations
            ],
            "autodiagnostics": [
                {
                    **valeurs(d, "temps", "rempli_le"),
                    "reponses": [
                        {"question": r.question.intitule, "valeur": r.valeur}
                        for r in d.reponses.all()
                    ],
                }
                for d in diagnostics
            ],
        }
    )


def effacer(user, acteur) -> dict:
    ids = list(Membre.objects.filter(user=user).values_list("pk", flat=True))
    elements = Element.objects.filter(entree__membre__in=ids)
    return {
        "elements_supprimes": elements.exclude(audience__in=AUDIENCES_GROUPE).delete()[0],
        "elements_anonymes": elements.filter(audience=Audience.GROUPE).update(
            audience=Audience.GROUPE_ANONYME
        ),
        "notes_effacees": Entree.objects.filter(membre__in=ids).exclude(notes="").update(notes=""),
        "relais_sans_auteur": Relais.objects.filter(auteur__in=ids).update(auteur=None),
        "experimentations": Experimentation.objects.filter(modifie_par=user).update(
            modifie_par=None
        ),
        "autodiagnostics": Diagnostic.objects.filter(rempli_par=user).update(rempli_par=None),
    }
