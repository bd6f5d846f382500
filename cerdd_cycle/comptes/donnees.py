"""A person's data across every layer: the download (ZIP) and the erasure on request.

The kernel cannot import the apps above it, yet they hold most of a person's data. Each app
therefore registers a ``Fournisseur`` from its ``AppConfig.ready`` (``fournisseur_enregistrer``):
what it exports for a person, and how it erases them. The kernel itself provides the account
and the emails of the outbox. A provider only reads rows that belong to the person (never
another member's private item, never a juror's notes in a candidate's export) and costs a
fixed number of queries.
"""

import io
import json
import logging
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from cerdd_cycle.courriels.models import Courriel, EtatCourriel
from cerdd_cycle.courriels.services import courriel_preparer
from cerdd_cycle.historique.services import historique_ajouter

from .models import DemandeSuppression, StatutDemande
from .roles import roles_de

logger = logging.getLogger(__name__)

ADRESSE_ANONYME = "anonyme@cerdd-cycle.invalid"
DOMAINE_SUPPRIME = "supprime.invalid"
MASQUE = "[anonymisé]"


@dataclass
class Part:
    """What one provider gives for one person: data for ``donnees.json`` and files."""

    donnees: dict | list = field(default_factory=dict)
    # (path inside the ZIP, a FieldFile to copy)
    fichiers: list = field(default_factory=list)


@dataclass(frozen=True)
class Fournisseur:
    cle: str
    exporter: Callable[..., Part]
    # effacer(user, acteur) -> {what: how many}; called before the account itself is erased,
    # so it still sees the person's address.
    effacer: Callable[..., dict] | None = None


_FOURNISSEURS: dict[str, Fournisseur] = {}


def fournisseur_enregistrer(cle, *, exporter, effacer=None) -> None:
    """Called from an app's ``ready``; registering the same key again replaces it."""
    _FOURNISSEURS[cle] = Fournisseur(cle=cle, exporter=exporter, effacer=effacer)


def fournisseurs() -> list[Fournisseur]:
    return list(_FOURNISSEURS.values())


def valeurs(objet, *champs) -> dict:
    """``{champ: valeur}`` of a row, choices written out as their label."""
    resultat = {}
    for nom in champs:
        modele_champ = objet._meta.get_field(nom)
        valeur = getattr(objet, modele_champ.attname)
        if modele_champ.choices and valeur not in (None, ""):
            valeur = str(getattr(objet, f"get_{nom}_display")())
        resultat[nom] = valeur
    return resultat


def nom_de_fichier(texte) -> str:
    return slugify(str(texte))[:60] or "sans-nom"


# --- the kernel's own providers -------------------------------------------------------------


def _compte_exporter(user) -> Part:
    return Part(
        {
            **valeurs(user, "email", "first_name", "last_name", "telephone"),
            **valeurs(user, "date_joined", "last_login", "is_active"),
            "roles": sorted(str(role.label) for role in roles_de(user)),
            "demandes_de_suppression": [
                valeurs(d, "statut", "motif", "cree_le", "traitee_le", "reponse")
                for d in demandes_de(user)
            ],
        }
    )


def courriels_de(user):
    """The outbox rows addressed to ``user`` (one query; the JSON list is checked in Python)."""
    adresse = user.email.lower()
    lignes = Courriel.objects.filter(destinataires__icontains=f'"{adresse}"').order_by("cree_le")
    return [c for c in lignes if adresse in c.destinataires]


def _courriels_exporter(user) -> Part:
    return Part(
        [
            {
                **valeurs(c, "sujet", "texte", "etat", "cree_le", "envoye_le"),
                "destinataires": c.destinataires,
            }
            for c in courriels_de(user)
        ]
    )


def _courriels_effacer(user, acteur) -> dict:
    adresse = user.email.lower()
    supprimes = retires = 0
    for courriel in courriels_de(user):
        if courriel.destinataires == [adresse]:
            courriel.delete()
            supprimes += 1
        else:
            courriel.destinataires = [a for a in courriel.destinataires if a != adresse]
            courriel.save(update_fields=["destinataires"])
            retires += 1
    return {"courriels_supprimes": supprimes, "courriels_adresse_retiree": retires}


def courriels_anonymiser(requete) -> int:
    """Outbox rows about someone who must not be named any more: a sent row keeps its key,
    subject and dates (the proof it left, and the guard against sending it again) and loses
    its recipients, text and attachments; a row not sent yet (waiting, or claimed by a worker
    that may have died) is dropped, or the sweep would later « send » it to nobody."""
    pas_partis = [EtatCourriel.A_ENVOYER, EtatCourriel.EN_COURS]
    en_attente = requete.filter(etat__in=pas_partis)
    n = en_attente.count()
    en_attente.delete()
    for courriel in requete.exclude(etat__in=pas_partis):
        courriel.destinataires = []
        courriel.texte = MASQUE
        courriel.html = ""
        courriel.save(update_fields=["destinataires", "texte", "html"])
        courriel.pieces_jointes.all().delete()
        n += 1
    return n


fournisseur_enregistrer("compte", exporter=_compte_exporter)
fournisseur_enregistrer("courriels", exporter=_courriels_exporter, effacer=_courriels_effacer)


# --- the download ---------------------------------------------------------------------------


def donnees_de(user) -> tuple[dict, list]:
    """Every provider's part for ``user``: (the JSON document, the files)."""
    document = {
        "genere_le": timezone.now(),
        "plateforme": "cerdd-cycle",
    }
    fichiers = []
    for fournisseur in fournisseurs():
        part = fournisseur.exporter(user)
        document[fournisseur.cle] = part.donnees
        fichiers += part.fichiers
    return document, fichiers


def archive_zip(user) -> bytes:
    """``donnees.json`` and the person's files, in a ZIP built in memory."""
    document, fichiers = donnees_de(user)
    tampon = io.BytesIO()
    manquants = []
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        vus = set()
        for chemin, fichier in fichiers:
            chemin = _chemin_unique(f"fichiers/{chemin}", vus)
            try:
                with fichier.open("rb") as source:
                    archive.writestr(chemin, source.read())
            except OSError:
                manquants.append(chemin)
        document["fichiers_introuvables"] = manquants
        archive.writestr(
            "donnees.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    historique_ajouter(
        user,
        acteur=user,
        action="donnees_export",
        description=_("Téléchargement de ses données personnelles"),
        apres={"fichiers": len(fichiers) - len(manquants)},
    )
    logger.info("Export des données du compte %s : %s fichier(s)", user.pk, len(fichiers))
    return tampon.getvalue()


def _segment(nom) -> str:
    """One part of a path inside the ZIP: an uploaded name never climbs out (« ../ »)."""
    try:
        return get_valid_filename(nom.replace("\\", "_"))[:120]
    except SuspiciousFileOperation:
        return "fichier"


def _chemin_unique(chemin, vus) -> str:
    chemin = "/".join(_segment(partie) for partie in chemin.split("/"))
    base, point, extension = chemin.rpartition(".")
    if not point or "/" in extension:
        base, extension = chemin, ""
    candidat, n = chemin, 1
    while candidat in vus:
        n += 1
        candidat = f"{base}-{n}.{extension}" if extension else f"{base}-{n}"
    vus.add(candidat)
    return candidat


# --- the anonymous account ------------------------------------------------------------------


def compte_anonyme():
    """The inactive account that anonymised rows point to when their owner must be kept."""
    compte, _cree = get_user_model().objects.get_or_create(
        email=ADRESSE_ANONYME,
        defaults={"is_active": False, "password": make_password(None), "last_name": "Anonyme"},
    )
    return compte


# --- the deletion request -------------------------------------------------------------------


def demandes_de(user):
    return DemandeSuppression.objects.filter(user=user)


def demande_de(user, pk):
    """One of the person's own requests, else 404."""
    return get_object_or_404(demandes_de(user), pk=pk)


def demandes_pour_equipe():
    return DemandeSuppression.objects.select_related("user", "traitee_par")


def _adresses_equipe() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .values_list("email", flat=True)
    )


def suppression_demander(user, motif="") -> tuple[DemandeSuppression, bool]:
    """Record the request (a pending one is reused), acknowledge it, tell staff."""
    with transaction.atomic():
        # Lock the account: two clicks at once make one request.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        demande = demandes_de(user).filter(statut=StatutDemande.EN_ATTENTE).first()
        if demande is not None:
            return demande, False
        demande = DemandeSuppression.objects.create(user=user, motif=motif.strip()[:2000])
        historique_ajouter(
            demande,
            acteur=user,
            action="demande",
            description=_("Demande de suppression des données"),
        )
        contexte = {"demande": demande, "personne": user}
        courriel_preparer(
            cle=f"rgpd-accuse:{demande.pk}",
            destinataires=[user.email],
            gabarit="comptes/courriels/suppression_accuse",
            contexte=contexte,
        )
        equipe = _adresses_equipe()
        if equipe:
            courriel_preparer(
                cle=f"rgpd-equipe:{demande.pk}",
                destinataires=equipe,
                gabarit="comptes/courriels/suppression_equipe",
                contexte=contexte,
            )
    return demande, True


def _demande_en_attente(demande):
    demande = (
        DemandeSuppression.objects.select_for_update().select_related("user").get(pk=demande.pk)
    )
    if demande.statut != StatutDemande.EN_ATTENTE:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return demande


def suppression_refuser(demande, acteur, reponse) -> DemandeSuppression:
    reponse = (reponse or "").strip()
    if not reponse:
        raise ValidationError(_("Dites à la personne pourquoi sa demande est refusée."))
    with transaction.atomic():
        demande = _demande_en_attente(demande)
        demande.statut = StatutDemande.REFUSEE
        demande.reponse = reponse[:2000]
        demande.traitee_le = timezone.now()
        demande.traitee_par = acteur
        demande.save(update_fields=["statut", "reponse", "traitee_le", "traitee_par"])
        historique_ajouter(
            demande,
            acteur=acteur,
            action="refus",
            description=_("Demande de suppression refusée"),
            apres={"reponse": demande.reponse},
        )
        courriel_preparer(
            cle=f"rgpd-refus:{demande.pk}",
            destinataires=[demande.user.email],
            gabarit="comptes/courriels/suppression_refus",
            contexte={"demande": demande},
        )
    return demande


def suppression_traiter(demande, acteur) -> dict:
    """Erase the person: each app's data (its hook), then the account. What a retained cycle
    must keep (attendance, attestations, the decisions) stays, tied to an anonymous account."""
    with transaction.atomic():
        demande = _demande_en_attente(demande)
        user = demande.user
        if user.pk == getattr(acteur, "pk", None):
            raise ValidationError(_("Une autre personne de l'équipe doit traiter votre demande."))
        adresse = user.email
        comptes = {}
        for fournisseur in fournisseurs():
            if fournisseur.effacer is not None:
                comptes.update(fournisseur.effacer(user, acteur))
        comptes.update(_compte_effacer(user))
        # Staff's notice names the person: it goes too.
        comptes["courriels_equipe"] = courriels_anonymiser(
            Courriel.objects.filter(cle=f"rgpd-equipe:{demande.pk}")
        )
        demande.statut = StatutDemande.TRAITEE
        demande.motif = ""
        demande.traitee_le = timezone.now()
        demande.traitee_par = acteur
        demande.save(update_fields=["statut", "motif", "traitee_le", "traitee_par"])
        historique_ajouter(
            demande,
            acteur=acteur,
            action="suppression",
            description=_("Données supprimées à la demande de la personne"),
            apres=comptes,
        )
        # The last message to the old address; it names nobody.
        courriel_preparer(
            cle=f"rgpd-traitee:{demande.pk}",
            destinataires=[adresse],
            gabarit="comptes/courriels/suppression_traitee",
            contexte={"demande": demande},
        )
    logger.info("Demande de suppression %s traitée : %s", demande.pk, comptes)
    return comptes


def _compte_effacer(user) -> dict:
    user.email = f"supprime-{user.pk}-{secrets.token_hex(6)}@{DOMAINE_SUPPRIME}"
    user.first_name = user.last_name = user.telephone = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    supprimes = 0
    # allauth keeps the addresses and the second factors of the account.
    for etiquette, modele in (("account", "EmailAddress"), ("mfa", "Authenticator")):
        try:
            classe = apps.get_model(etiquette, modele)
        except LookupError:
            continue
        supprimes += classe.objects.filter(user=user).delete()[0]
    return {"compte_anonymise": 1, "adresses_et_facteurs_supprimes": supprimes}


# --- masking names in free text -------------------------------------------------------------

_RE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_RE_TELEPHONE = re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")


def masqueur(motifs) -> Callable[[str], str]:
    """A function hiding the given names (whole words, any case), every email address and
    every French phone number in a text."""
    mots = sorted({m.strip() for m in motifs if m and len(m.strip()) >= 3}, key=len, reverse=True)
    motif = (
        re.compile(r"(?<!\w)(?:" + "|".join(re.escape(m) for m in mots) + r")(?!\w)", re.I)
        if mots
        else None
    )

    def masquer(texte):
        if not isinstance(texte, str) or not texte:
            return texte
        texte = _RE_EMAIL.sub(MASQUE, texte)
        texte = _RE_TELEPHONE.sub(MASQUE, texte)
        return motif.sub(MASQUE, texte) if motif else texte

    return masquer


def noms_de(*noms) -> list[str]:
    """A full name and its last word (a surname alone in a text is still a name)."""
    resultat = []
    for nom in noms:
        nom = (nom or "").strip()
        if nom:
            resultat.append(nom)
            resultat.append(nom.split()[-1])
    return resultat
