"""Writes of the sessions layer: the cohort and its pairs."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.comptes.services import compte_inviter, lien_invitation
from cerdd_cycle.courriels.services import courriel_preparer
from cerdd_cycle.historique.services import historique_ajouter
from jury.selectors import candidatures_retenues

from .enums import RoleMembre
from .models import Binome, Membre


def _nom_prenom(nom_complet):
    """« Claire Leroy » → ("Claire", "Leroy"); the referents' names are typed in one field."""
    morceaux = (nom_complet or "").split(maxsplit=1)
    return (morceaux[0], morceaux[1]) if len(morceaux) == 2 else ("", nom_complet or "")


def _membre_inviter(binome, *, email, nom, role, fonction="", suppleant=False, par=None):
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("Adresse électronique invalide pour %(nom)s : %(email)s.")
            % {"nom": nom or _("la personne"), "email": email or "—"}
        ) from None
    prenom, nom_famille = _nom_prenom(nom)
    user, cree = compte_inviter(email, prenom=prenom, nom=nom_famille)
    role_attribuer(user, Role.PARTICIPANT)
    membre = Membre.objects.create(
        binome=binome, user=user, role=role, fonction=fonction[:200], suppleant=suppleant
    )
    cycle = binome.cycle
    courriel_preparer(
        cle=f"participant-invitation:cycle={cycle.pk}:user={user.pk}",
        destinataires=[user.email],
        gabarit="seances/emails/invitation",
        contexte={
            "cycle": cycle,
            "binome": binome,
            "membre": membre,
            "user": user,
            "nouveau_compte": cree or not user.has_usable_password(),
            "lien": lien_invitation(user),
        },
    )
    return membre


def cohorte_ouvrir(cycle, *, par) -> list[Binome]:
    """Give every retained collectivity its pair, from the referents of its candidature, and
    invite each person. Safe to run again: collectivities already open are left alone."""
    ouverts = []
    with transaction.atomic():
        deja = set(Binome.objects.filter(cycle=cycle).values_list("candidature_id", flat=True))
        for candidature in candidatures_retenues(cycle).exclude(pk__in=deja):
            binome = Binome.objects.create(cycle=cycle, candidature=candidature)
            for role, email, nom, fonction in (
                (
                    RoleMembre.ELU,
                    candidature.politique_email,
                    candidature.politique_nom,
                    candidature.politique_mandat,
                ),
                (
                    RoleMembre.TECHNICIEN,
                    candidature.technique_email,
                    candidature.technique_nom,
                    candidature.technique_poste,
                ),
            ):
                _membre_inviter(binome, email=email, nom=nom, role=role, fonction=fonction, par=par)
            historique_ajouter(
                candidature,
                acteur=par,
                action="binome_ouvert",
                description=_("Binôme ouvert pour le cycle"),
            )
            ouverts.append(binome)
        if ouverts:
            historique_ajouter(
                cycle,
                acteur=par,
                action="cohorte_ouverte",
                description=_("%(nb)s binôme(s) ouvert(s)") % {"nb": len(ouverts)},
            )
    return ouverts


def membre_remplacer(binome, *, role, email, nom, fonction="", par) -> Membre:
    """A new holder for a seat; the previous one stays in the history, inactive."""
    if role not in RoleMembre.values:
        raise ValidationError(_("Choisissez élu·e ou technicien·ne."))
    with transaction.atomic():
        # Ordered by pk: the default ordering joins the collectivity (an outer join that
        # PostgreSQL refuses to lock).
        ancien = (
            Membre.objects.select_for_update(of=("self",))
            .filter(binome=binome, role=role, suppleant=False, actif=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if ancien is not None:
            if ancien.user.email.lower() == (email or "").strip().lower():
                raise ValidationError(_("Cette personne occupe déjà ce rôle."))
            ancien.actif, ancien.jusqua = False, timezone.now()
            ancien.save(update_fields=["actif", "jusqua"])
        membre = _membre_inviter(
            binome, email=email, nom=nom, role=role, fonction=fonction, par=par
        )
        historique_ajouter(
            binome.candidature,
            acteur=par,
            action="binome_membre_remplace",
            description=_("%(role)s du binôme : %(nouveau)s")
            % {"role": membre.get_role_display(), "nouveau": membre.user.nom_affiche},
            avant={"membre": ancien.user.email if ancien else ""},
            apres={"membre": membre.user.email},
        )
    return membre


def suppleant_ajouter(binome, *, role, email, nom, fonction="", par) -> Membre:
    if role not in RoleMembre.values:
        raise ValidationError(_("Choisissez élu·e ou technicien·ne."))
    with transaction.atomic():
        if binome.membres.filter(actif=True, user__email__iexact=(email or "").strip()).exists():
            raise ValidationError(_("Cette personne fait déjà partie du binôme."))
        membre = _membre_inviter(
            binome, email=email, nom=nom, role=role, fonction=fonction, suppleant=True, par=par
        )
        historique_ajouter(
            binome.candidature,
            acteur=par,
            action="binome_suppleant",
            description=_("Suppléant·e ajouté·e : %(nom)s") % {"nom": membre.user.nom_affiche},
        )
    return membre
