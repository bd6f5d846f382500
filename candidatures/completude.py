"""Completeness of a candidature, computed from its own fields: no query.

``candidature_manquants`` (services) asks the database whether the motivation letter is there;
lists and exports annotate that fact on every row and call ``manquants`` directly, so both
apply the same rules.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Candidature
from .sections import CHAMPS_MODIFIABLES, CHAMPS_POINT_CONTACT_OBLIGATOIRES, SECTIONS

CHAMPS_EMAIL = frozenset(
    champ
    for champ in CHAMPS_MODIFIABLES
    if isinstance(Candidature._meta.get_field(champ), models.EmailField)
)


def manquants(candidature, *, a_une_lettre: bool) -> list[tuple[str, str]]:
    """Everything that stops a submission, as (section key, message in French)."""
    resultat = []
    for section in SECTIONS:
        obligatoires = list(section.obligatoires)
        if section.cle == "point_contact" and candidature.point_contact_different:
            obligatoires += CHAMPS_POINT_CONTACT_OBLIGATOIRES
        for champ in obligatoires:
            valeur = getattr(candidature, champ)
            if champ == "engagement_binome":
                if not valeur:
                    resultat.append(
                        (
                            section.cle,
                            _("%(section)s : cochez l'engagement du binôme.")
                            % {"section": section.titre},
                        )
                    )
            elif champ == "engagements":
                if not valeur and not candidature.engagements_autre:
                    resultat.append(
                        (
                            section.cle,
                            _("%(section)s : indiquez au moins une démarche.")
                            % {"section": section.titre},
                        )
                    )
            elif not valeur:
                libelle = Candidature._meta.get_field(champ).verbose_name
                resultat.append(
                    (
                        section.cle,
                        _("%(section)s : « %(champ)s » est à remplir.")
                        % {"section": section.titre, "champ": libelle},
                    )
                )
        for champ in section.champs:
            valeur = getattr(candidature, champ)
            if champ in CHAMPS_EMAIL and valeur:
                try:
                    validate_email(valeur)
                except ValidationError:
                    resultat.append(
                        (
                            section.cle,
                            _("%(section)s : l'adresse « %(valeur)s » n'est pas valide.")
                            % {"section": section.titre, "valeur": valeur},
                        )
                    )
    if not a_une_lettre:
        resultat.append(("pieces", _("Pièces jointes : ajoutez la lettre de motivation.")))
    return resultat


def completude_libelle(liste_manquants) -> str:
    """« complète » or « 3 éléments manquants »."""
    nombre = len(liste_manquants)
    if not nombre:
        return _("complète")
    return ngettext("%(nombre)s élément manquant", "%(nombre)s éléments manquants", nombre) % {
        "nombre": nombre
    }
