"""Forms of the juror's space. They read what the juror sent and shape it for a service; they
never write: the views hand their cleaned data to ``jury.services``."""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cerdd_cycle.territoires.selectors import territoire_par_siren

from ..enums import NatureLien
from ..selectors import siren_de

_SIREN = re.compile(r"^[0-9]{9}$")

# --- ties (conflicts of interest) -----------------------------------------------------------


@dataclass
class LigneLien:
    """One collectivity the juror may tick: a candidature of the cycle, a tie already declared
    or a territory found by the search."""

    siren: str
    nom: str
    detail: str
    territoire: object | None
    coche: bool = False
    nature: str = NatureLien.MEMBRE


def _detail_territoire(territoire, departement=None) -> str:
    departement = departement or (territoire.departement if territoire is not None else None)
    morceaux = []
    if territoire is not None:
        morceaux.append(str(territoire.get_type_display()))
    if departement is not None:
        morceaux.append(str(departement))
    return " · ".join(morceaux)


class LiensForm(forms.Form):
    """The collectivities the juror is tied to: a box per candidature of the cycle, the ties
    already declared, and territories of the official list added through the search.

    The POST carries ``lien`` (the ticked SIRENs) and ``nature-<siren>`` for each row.
    """

    aucun_lien = forms.BooleanField(
        required=False, label=gettext_lazy("Je n'ai aucun lien avec ces collectivités.")
    )

    def __init__(self, data=None, *, candidatures, liens, recherche=()):
        super().__init__(data)
        coches = set(self.data.getlist("lien")) if self.is_bound else set()
        existants = {lien.siren: lien for lien in liens}

        def ligne(siren, nom, detail, territoire):
            lien = existants.get(siren)
            if self.is_bound:
                coche = siren in coches
                nature = self.data.get(f"nature-{siren}", NatureLien.MEMBRE)
            else:
                coche = lien is not None
                nature = lien.nature if lien is not None else NatureLien.MEMBRE
            return LigneLien(siren, nom, detail, territoire, coche, nature)

        self.lignes_candidatures = []
        vus = set()
        for candidature in candidatures:
            siren = siren_de(candidature)
            if not siren or siren in vus:
                continue
            vus.add(siren)
            departement = candidature.departement or (
                candidature.territoire.departement if candidature.territoire_id else None
            )
            detail = str(departement) if departement is not None else ""
            self.lignes_candidatures.append(
                ligne(siren, str(candidature.nom_collectivite), detail, candidature.territoire)
            )

        self.autres_lignes = []
        for lien in liens:
            if lien.siren in vus:
                continue
            vus.add(lien.siren)
            self.autres_lignes.append(
                ligne(lien.siren, lien.nom, _detail_territoire(lien.territoire), lien.territoire)
            )
        # Ticked in the browser after a search: territories of the official list.
        for siren in sorted(coches - vus):
            territoire = territoire_par_siren(siren) if _SIREN.match(siren) else None
            if territoire is None:
                continue
            vus.add(siren)
            self.autres_lignes.append(
                ligne(siren, territoire.nom, _detail_territoire(territoire), territoire)
            )
        self.inconnus = sorted(coches - vus)
        for territoire in recherche:
            if territoire.siren in vus:
                continue
            vus.add(territoire.siren)
            self.autres_lignes.append(
                ligne(territoire.siren, territoire.nom, _detail_territoire(territoire), territoire)
            )

    @property
    def lignes(self):
        return self.lignes_candidatures + self.autres_lignes

    def clean(self):
        donnees = super().clean()
        if self.inconnus:
            raise ValidationError(
                _("Cette collectivité ne figure pas dans la liste officielle : %(siren)s.")
                % {"siren": ", ".join(self.inconnus)}
            )
        liens = []
        for ligne in self.lignes:
            if not ligne.coche:
                continue
            if ligne.nature not in NatureLien.values:
                raise ValidationError(
                    _("Précisez la nature du lien avec %(nom)s.") % {"nom": ligne.nom}
                )
            liens.append((ligne.territoire, ligne.siren, ligne.nom, ligne.nature))
        if not liens and not donnees.get("aucun_lien"):
            raise ValidationError(
                _(
                    "Cochez les collectivités avec lesquelles vous avez un lien, ou confirmez "
                    "que vous n'en avez aucun."
                )
            )
        donnees["liens"] = liens
        return donnees


# --- the evaluation -------------------------------------------------------------------------

CHAMPS_NOTE = ("valeur", "porte", "commentaire")


def champs_note(donnees, critere_pk) -> dict[str, str]:
    """What a POST says about one criterion: ``valeur``, ``porte``, ``commentaire``, sent
    alone (``valeur``) or named after the criterion as the whole form names them
    (``valeur-<pk>``). Absent fields are left out: they keep their saved value."""
    champs = {}
    for champ in CHAMPS_NOTE:
        for nom in (champ, f"{champ}-{critere_pk}"):
            if nom in donnees:
                champs[champ] = donnees[nom]
    return champs


def saisies_evaluation(donnees, criteres) -> dict[int, dict[str, str]]:
    """The whole form sent without JavaScript: criterion id -> the fields sent for it."""
    saisies = {}
    for critere in criteres:
        champs = {
            champ: donnees[f"{champ}-{critere.pk}"]
            for champ in CHAMPS_NOTE
            if f"{champ}-{critere.pk}" in donnees
        }
        if champs:
            saisies[critere.pk] = champs
    return saisies
