"""Writes: every change to a candidature goes through one of these functions."""

import datetime
import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.courriels.services import Fichier, courriel_preparer
from cerdd_cycle.historique.models import Historique
from cerdd_cycle.historique.services import historique_ajouter
from cerdd_cycle.territoires.models import Territoire

from .completude import manquants
from .enums import TRANSITIONS, Action, Engagement, RoleReferent, StatutCandidature, TypePiece
from .models import Acces, Candidature, ConfirmationReferent, VersionCandidature
from .sections import CHAMPS_MODIFIABLES

CHAMPS_BOOLEENS = {"point_contact_different", "engagement_binome"}
CHAMPS_EMAIL = {"contact_email", "politique_email", "technique_email", "point_contact_email"}
DELAI_REGROUPEMENT_HISTORIQUE = timedelta(minutes=30)


class CandidatureExistante(ValidationError):
    def __init__(self, candidature):
        self.candidature = candidature
        super().__init__(
            _(
                "%(nom)s a déjà une candidature pour ce cycle. Vous pouvez demander l'accès à la "
                "personne qui la rédige."
            )
            % {"nom": candidature.nom_collectivite}
        )


class CandidatureIncomplete(ValidationError):
    def __init__(self, manquants):
        self.manquants = manquants
        super().__init__([texte for _section, texte in manquants])


# --- creation -------------------------------------------------------------------------------


def siren_valide(siren: str) -> bool:
    """Nine digits with a valid Luhn key (INSEE rule)."""
    if not re.fullmatch(r"\d{9}", siren or ""):
        return False
    total = 0
    for rang, chiffre in enumerate(reversed(siren)):
        valeur = int(chiffre) * (2 if rang % 2 else 1)
        total += valeur - 9 if valeur > 9 else valeur
    return total % 10 == 0


def _verifier_ami_ouvert(cycle, maintenant=None):
    maintenant = maintenant or timezone.now()
    if maintenant < cycle.ouverture_ami:
        raise ValidationError(_("L'appel n'est pas encore ouvert."))
    if maintenant >= cycle.date_limite:
        raise ValidationError(_("L'appel est clos : la date limite de dépôt est passée."))


def candidature_creer(
    *,
    cycle,
    user,
    territoire=None,
    structure_nom="",
    structure_siren="",
    structure_nature="",
    departement=None,
):
    """Start a draft for an official collectivity, or for a structure declared by hand."""
    _verifier_ami_ouvert(cycle)
    structure_siren = re.sub(r"\s", "", structure_siren or "")
    if territoire is None:
        if not structure_nom.strip():
            raise ValidationError(_("Indiquez le nom de la structure."))
        if not siren_valide(structure_siren):
            raise ValidationError(_("Le numéro SIREN doit compter 9 chiffres valides."))
        officiel = Territoire.objects.filter(siren=structure_siren).first()
        if officiel is not None:
            # Listed after all: use the official entry rather than a hand-typed copy.
            territoire, structure_nom, structure_nature = officiel, "", ""
            structure_siren = ""
    if territoire is not None and territoire.region_id != cycle.region_id:
        raise ValidationError(
            _("%(nom)s n'est pas dans la région de cet appel.") % {"nom": territoire.nom}
        )
    existante = _candidature_existante(cycle, territoire, structure_siren)
    if existante is not None:
        raise CandidatureExistante(existante)
    try:
        with transaction.atomic():
            candidature = Candidature.objects.create(
                cycle=cycle,
                proprietaire=user,
                territoire=territoire,
                structure_nom=structure_nom.strip(),
                structure_siren=structure_siren,
                structure_nature=structure_nature.strip(),
                departement=territoire.departement if territoire else departement,
                eligibilite_a_verifier=territoire is None,
                contact_email=user.email,
                contact_nom=user.get_full_name(),
            )
            role_attribuer(user, Role.CANDIDAT)
            historique_ajouter(
                candidature, acteur=user, action="creation", description=_("Brouillon commencé")
            )
    except IntegrityError:
        # Two accounts started the same collectivity at the same moment.
        raise CandidatureExistante(
            _candidature_existante(cycle, territoire, structure_siren)
        ) from None
    return candidature


def _candidature_existante(cycle, territoire, siren):
    qs = Candidature.objects.filter(cycle=cycle).select_related("territoire")
    if territoire is not None:
        return qs.filter(territoire=territoire).first()
    return qs.filter(structure_siren=siren).first()


# --- autosave -------------------------------------------------------------------------------


def _verifier_modifiable(candidature, maintenant=None):
    maintenant = maintenant or timezone.now()
    if not candidature.modifiable:
        raise ValidationError(_("La candidature est déposée : rouvrez-la pour la modifier."))
    if maintenant >= candidature.date_limite:
        raise ValidationError(_("La date limite est passée : la candidature ne peut plus changer."))


def _valeur(champ, brute):
    if champ in CHAMPS_BOOLEENS:
        return brute in (True, "on", "true", "1", "oui")
    if champ == "engagements":
        valeurs = brute if isinstance(brute, list | tuple) else [brute]
        return [v for v in Engagement.values if v in valeurs]
    longueur = Candidature._meta.get_field(champ).max_length or 20000
    return str(brute or "").replace("\x00", "").strip()[:longueur]


def candidature_enregistrer(candidature, user, donnees: dict) -> Candidature:
    """Save what the user typed, field by field, even incomplete or not yet valid.

    Only the fields present in ``donnees`` change, so two tabs editing different fields do
    not overwrite each other. Validity is checked at submission, never here: nothing typed
    is refused.
    """
    valeurs = {
        champ: _valeur(champ, brute)
        for champ, brute in donnees.items()
        if champ in CHAMPS_MODIFIABLES
    }
    with transaction.atomic():
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=candidature.pk)
        )
        _verifier_modifiable(candidature)
        avant = {champ: getattr(candidature, champ) for champ in valeurs}
        changes = [champ for champ, valeur in valeurs.items() if avant[champ] != valeur]
        if not changes:
            return candidature
        for champ in changes:
            setattr(candidature, champ, valeurs[champ])
        candidature.modifie_le = timezone.now()
        candidature.revision = F("revision") + 1
        candidature.save(update_fields=[*changes, "modifie_le", "revision"])
        _historiser_modification(candidature, user, changes)
    candidature.refresh_from_db(fields=["revision"])
    return candidature


def _historiser_modification(candidature, user, champs):
    """One history line per person and half hour of typing, not one per keystroke."""
    recente = (
        Historique.objects.filter(
            object_id=str(candidature.pk),
            action="modification",
            acteur=user,
            content_type__app_label="candidatures",
            content_type__model="candidature",
            le__gte=timezone.now() - DELAI_REGROUPEMENT_HISTORIQUE,
        )
        .order_by("-le")
        .first()
    )
    if recente is not None:
        recente.apres = {"champs": sorted(set(recente.apres.get("champs", [])) | set(champs))}
        recente.save(update_fields=["apres"])
        return
    historique_ajouter(
        candidature,
        acteur=user,
        action="modification",
        description=_("Réponses modifiées"),
        apres={"champs": sorted(champs)},
    )


# --- submission -----------------------------------------------------------------------------


def candidature_manquants(candidature) -> list[tuple[str, str]]:
    """Everything that stops a submission, as (section key, message in French)."""
    return manquants(
        candidature, a_une_lettre=candidature.pieces_jointes.filter(type=TypePiece.LETTRE).exists()
    )


def _transition(candidature, action):
    cible = TRANSITIONS.get((StatutCandidature(candidature.statut), action))
    if cible is None:
        raise ValidationError(
            _("Impossible de %(action)s une candidature « %(statut)s ».")
            % {"action": action.label, "statut": candidature.get_statut_display()}
        )
    return cible


def instantane(candidature) -> dict:
    """The answers as they are now, for a version and its receipt."""
    donnees = {champ: getattr(candidature, champ) for champ in CHAMPS_MODIFIABLES}
    donnees["collectivite"] = str(candidature.nom_collectivite)
    donnees["siren"] = candidature.siren
    donnees["pieces_jointes"] = [
        {"nom": p.nom_original, "type": p.type, "taille": p.taille, "sha256": p.sha256}
        for p in candidature.pieces_jointes.order_by("type", "ajoutee_le")
    ]
    return donnees


def candidature_soumettre(candidature, user, *, maintenant=None) -> VersionCandidature:
    """Submit before the deadline (the server's clock decides); keeps a version and sends the
    acknowledgement with its PDF receipt and each referent's confirmation link."""
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("cycle", "territoire")
            .get(pk=candidature.pk)
        )
        cible = _transition(candidature, Action.SOUMETTRE)
        if maintenant >= candidature.date_limite:
            raise ValidationError(
                _("La date limite de dépôt est passée : la candidature n'a pas été déposée.")
            )
        manquants = candidature_manquants(candidature)
        if manquants:
            raise CandidatureIncomplete(manquants)
        numero = (candidature.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
        version = VersionCandidature.objects.create(
            candidature=candidature,
            numero=numero,
            donnees=instantane(candidature),
            deposee_le=maintenant,
            deposee_par=user,
            hors_delai_accorde=maintenant >= candidature.cycle.date_limite,
        )
        statut_avant = candidature.statut
        candidature.statut = cible
        candidature.depose_le = maintenant
        candidature.save(update_fields=["statut", "depose_le"])
        historique_ajouter(
            candidature,
            acteur=user,
            action="depot",
            description=_("Version %(numero)s déposée") % {"numero": numero},
            avant={"statut": statut_avant},
            apres={"statut": cible, "version": numero},
        )
        _referents_preparer(candidature)
        _accuse_reception(candidature, version)
    return version


def _referents_preparer(candidature):
    referents = {
        RoleReferent.POLITIQUE: (candidature.politique_nom, candidature.politique_email),
        RoleReferent.TECHNIQUE: (candidature.technique_nom, candidature.technique_email),
    }
    for role, (nom, email) in referents.items():
        confirmation = candidature.confirmations.filter(role=role).first()
        if confirmation is None or confirmation.email.lower() != email.lower():
            if confirmation is not None:
                confirmation.delete()  # a new person: their own link, their own answer
            confirmation = ConfirmationReferent.objects.create(
                candidature=candidature, role=role, nom=nom, email=email.lower()
            )
        elif confirmation.nom != nom:
            confirmation.nom = nom
            confirmation.save(update_fields=["nom"])
        if confirmation.confirme_le is None:
            courriel_preparer(
                cle=f"confirmation-referent:{confirmation.jeton}",
                destinataires=[confirmation.email],
                gabarit="candidatures/emails/confirmation_referent",
                contexte={"candidature": candidature, "confirmation": confirmation},
            )


def destinataires_accuse(candidature) -> list[str]:
    """Who receives the acknowledgement: the account holder and both referents."""
    adresses = {
        candidature.proprietaire.email,
        candidature.politique_email,
        candidature.technique_email,
    }
    return sorted(adresse.lower() for adresse in adresses if adresse)


def _accuse_reception(candidature, version):
    from .pdf import recu_pdf

    courriel_preparer(
        cle=f"accuse-reception:candidature={candidature.pk}:version={version.numero}",
        destinataires=destinataires_accuse(candidature),
        gabarit="candidatures/emails/accuse_reception",
        contexte={"candidature": candidature, "version": version},
        pieces_jointes=[
            Fichier(
                nom_recu(candidature, version), "application/pdf", recu_pdf(candidature, version)
            )
        ],
    )


def nom_recu(candidature, version):
    return f"recu-candidature-{candidature.pk}-v{version.numero}.pdf"


def candidature_rouvrir(candidature, user, *, maintenant=None) -> Candidature:
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=candidature.pk)
        )
        cible = _transition(candidature, Action.ROUVRIR)
        if maintenant >= candidature.date_limite:
            raise ValidationError(
                _("La date limite est passée : la candidature ne peut plus être rouverte.")
            )
        candidature.statut = cible
        candidature.save(update_fields=["statut"])
        historique_ajouter(
            candidature,
            acteur=user,
            action="reouverture",
            description=_("Rouverte pour modification"),
            avant={"statut": StatutCandidature.DEPOSEE},
            apres={"statut": cible},
        )
    return candidature


def candidature_accorder_delai(candidature, *, jusqua: datetime.datetime, motif: str, par):
    """Staff grant one candidature more time; recorded as such in its history."""
    if jusqua <= candidature.cycle.date_limite:
        raise ValidationError(_("Le délai individuel doit dépasser la date limite de l'appel."))
    if not motif.strip():
        raise ValidationError(_("Indiquez le motif du délai accordé."))
    with transaction.atomic():
        avant = {"prolongation_jusqua": candidature.prolongation_jusqua}
        Candidature.objects.filter(pk=candidature.pk).update(
            prolongation_jusqua=jusqua, prolongation_motif=motif.strip()[:250]
        )
        candidature.prolongation_jusqua, candidature.prolongation_motif = jusqua, motif.strip()
        historique_ajouter(
            candidature,
            acteur=par,
            action="delai",
            description=_("Délai individuel accordé : %(motif)s") % {"motif": motif},
            avant=avant,
            apres={"prolongation_jusqua": jusqua},
        )
    return candidature


# --- referents ------------------------------------------------------------------------------


def referent_confirmer(confirmation, *, disponible: bool, commentaire=""):
    with transaction.atomic():
        confirmation.confirme_le = timezone.now()
        confirmation.disponible = disponible
        confirmation.commentaire = commentaire.strip()[:2000]
        confirmation.save(update_fields=["confirme_le", "disponible", "commentaire"])
        historique_ajouter(
            confirmation.candidature,
            action="confirmation_referent",
            description=_("%(role)s confirmé·e : %(nom)s")
            % {"role": confirmation.get_role_display(), "nom": confirmation.nom},
            apres={"disponible": disponible},
        )
    return confirmation


# --- co-editors -----------------------------------------------------------------------------


def acces_inviter(candidature, *, par, email: str) -> Acces:
    email = email.strip().lower()
    validate_email(email)
    if email == candidature.proprietaire.email.lower():
        raise ValidationError(_("Cette personne est déjà titulaire de la candidature."))
    with transaction.atomic():
        acces, cree = Acces.objects.get_or_create(
            candidature=candidature, email=email, defaults={"invite_par": par}
        )
        if not cree and acces.accepte_le:
            raise ValidationError(_("Cette personne co-édite déjà la candidature."))
        historique_ajouter(
            candidature,
            acteur=par,
            action="invitation",
            description=_("Invitation à co-éditer : %(email)s") % {"email": email},
        )
        courriel_preparer(
            cle=f"invitation-coediteur:{acces.jeton}",
            destinataires=[email],
            gabarit="candidatures/emails/invitation_coediteur",
            contexte={"candidature": candidature, "acces": acces, "par": par},
        )
    return acces


def acces_accepter(acces, user) -> Acces:
    """The invited person opens their link while logged in: the account joins the file."""
    with transaction.atomic():
        acces = Acces.objects.select_for_update(of=("self",)).get(pk=acces.pk)
        if acces.user_id and acces.user_id != user.pk:
            raise ValidationError(_("Cette invitation a déjà servi à un autre compte."))
        if acces.demande and acces.accepte_le is None:
            raise ValidationError(_("Votre demande attend l'accord de la personne titulaire."))
        acces.user = user
        acces.accepte_le = acces.accepte_le or timezone.now()
        acces.save(update_fields=["user", "accepte_le"])
        role_attribuer(user, Role.CANDIDAT)
        historique_ajouter(
            acces.candidature,
            acteur=user,
            action="acces_accepte",
            description=_("Co-édition acceptée par %(email)s") % {"email": user.email},
        )
    return acces


def acces_demander(candidature, *, demandeur, message="") -> Acces:
    """Another account asks the owner for access to an existing candidature."""
    with transaction.atomic():
        acces, cree = Acces.objects.get_or_create(
            candidature=candidature,
            email=demandeur.email.lower(),
            defaults={"user": demandeur, "demande": True, "message": message.strip()[:2000]},
        )
        if cree:
            courriel_preparer(
                cle=f"demande-acces:{acces.jeton}",
                destinataires=[candidature.proprietaire.email],
                gabarit="candidatures/emails/demande_acces",
                contexte={"candidature": candidature, "acces": acces, "demandeur": demandeur},
            )
            historique_ajouter(
                candidature,
                acteur=demandeur,
                action="demande_acces",
                description=_("Accès demandé par %(email)s") % {"email": demandeur.email},
            )
    return acces


def acces_accorder(acces, *, par) -> Acces:
    with transaction.atomic():
        acces.accepte_le = timezone.now()
        acces.save(update_fields=["accepte_le"])
        if acces.user_id:
            role_attribuer(acces.user, Role.CANDIDAT)
        historique_ajouter(
            acces.candidature,
            acteur=par,
            action="acces_accorde",
            description=_("Accès accordé à %(email)s") % {"email": acces.email},
        )
        courriel_preparer(
            cle=f"acces-accorde:{acces.jeton}",
            destinataires=[acces.email],
            gabarit="candidatures/emails/acces_accorde",
            contexte={"candidature": acces.candidature, "acces": acces},
        )
    return acces


def acces_retirer(acces, *, par) -> None:
    with transaction.atomic():
        historique_ajouter(
            acces.candidature,
            acteur=par,
            action="acces_retire",
            description=_("Accès retiré à %(email)s") % {"email": acces.email},
        )
        acces.delete()


# --- reminders ------------------------------------------------------------------------------

RAPPELS_JOURS = (7, 2)


def candidatures_relancer_brouillons(maintenant=None) -> int:
    """Periodic sweep: drafts not submitted get a reminder 7 and 2 days before the deadline.

    Safe to run any number of times: each reminder has its own key in the outbox.
    """
    maintenant = maintenant or timezone.now()
    envoyes = 0
    a_relancer = Candidature.objects.filter(
        statut__in=[StatutCandidature.BROUILLON, StatutCandidature.EN_MODIFICATION],
        cycle__ouverture_ami__lte=maintenant,
        cycle__date_limite__gt=maintenant,
        cycle__date_limite__lte=maintenant + timedelta(days=max(RAPPELS_JOURS)),
        prolongation_jusqua__isnull=True,
    ).select_related("cycle", "territoire", "proprietaire")
    for candidature in a_relancer:
        restant = candidature.cycle.date_limite - maintenant
        jours = min(j for j in RAPPELS_JOURS if restant <= timedelta(days=j))
        destinataires = [
            candidature.proprietaire.email,
            *candidature.acces.filter(accepte_le__isnull=False).values_list("email", flat=True),
        ]
        courriel = courriel_preparer(
            cle=f"rappel-date-limite:j{jours}:candidature={candidature.pk}",
            destinataires=destinataires,
            gabarit="candidatures/emails/rappel_date_limite",
            contexte={
                "candidature": candidature,
                "jours": jours,
                "manquants": candidature_manquants(candidature),
            },
        )
        envoyes += courriel.vient_d_etre_cree
    return envoyes
