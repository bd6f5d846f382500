"""Writes of the sessions layer: the cohort and its pairs, answers before a session,
attendance, evaluations, attestations, and the periodic sweeps that send what is due."""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.comptes.services import compte_inviter, lien_invitation
from cerdd_cycle.courriels.services import Fichier, cles_existantes, courriel_preparer
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.historique.services import historique_ajouter
from jury.selectors import candidatures_retenues

from . import calendrier, selectors
from .enums import (
    DemiJournee,
    Regime,
    ReponseConfirmation,
    RoleMembre,
    SourcePresence,
    StatutBinome,
    StatutPresence,
    ThemeBesoin,
    TypeAttestation,
)
from .models import (
    AgendaPrive,
    Attestation,
    Binome,
    Confirmation,
    Evaluation,
    Membre,
    Presence,
    Question,
    Reglages,
    ReponseBesoins,
    Seance,
)


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


def referents(candidature) -> list[tuple[str, str, str, str]]:
    """The pair named in the candidature: (role, email, name, mandate or position)."""
    return [
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
    ]


def cohorte_ouvrir(cycle, *, par) -> list[Binome]:
    """Give every retained collectivity its pair, from the referents of its candidature, and
    invite each person. Safe to run again: collectivities already open are left alone."""
    ouverts = []
    with transaction.atomic():
        deja = set(Binome.objects.filter(cycle=cycle).values_list("candidature_id", flat=True))
        for candidature in candidatures_retenues(cycle).exclude(pk__in=deja):
            binome = Binome.objects.create(cycle=cycle, candidature=candidature)
            for role, email, nom, fonction in referents(candidature):
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


# --- Settings -------------------------------------------------------------------------------


def reglages_obtenir(cycle) -> Reglages:
    reglages, _cree = Reglages.objects.get_or_create(cycle=cycle)
    return reglages


# --- Before the session ---------------------------------------------------------------------


def _verifier_membre(seance, membre) -> None:
    if membre.binome.cycle_id != seance.cycle_id or not membre.actif:
        raise ValidationError(_("Vous ne faites pas partie d'un binôme de ce cycle."))


def confirmation_enregistrer(
    seance,
    membre,
    *,
    reponse,
    matin=False,
    apres_midi=False,
    remplacant=None,
    dejeuner=False,
    regimes=(),
    precisions_repas="",
    aujourdhui=None,
) -> Confirmation:
    """A person says whether they come. Answers close the day before the session; naming a
    substitute tells them and counts them in."""
    aujourdhui = aujourdhui or timezone.localdate()
    _verifier_membre(seance, membre)
    if seance.date <= aujourdhui:
        raise ValidationError(
            _("Les réponses sont closes : contactez l'équipe du Cerdd pour tout changement.")
        )
    if reponse not in ReponseConfirmation.values:
        raise ValidationError(_("Choisissez une réponse."))
    regimes = [regime for regime in regimes if regime in Regime.values]
    if reponse == ReponseConfirmation.PRESENT:
        if not (matin or apres_midi):
            raise ValidationError(_("Indiquez si vous venez le matin, l'après-midi ou les deux."))
        remplacant = None
    else:
        matin = apres_midi = dejeuner = False
        regimes, precisions_repas = [], ""
    if reponse == ReponseConfirmation.REMPLACE:
        if remplacant is None:
            raise ValidationError(_("Choisissez la personne qui vous remplace."))
        if remplacant.binome_id != membre.binome_id or not remplacant.actif:
            raise ValidationError(
                _("La personne qui vous remplace doit être suppléante du binôme.")
            )
        if not remplacant.suppleant or remplacant.pk == membre.pk:
            raise ValidationError(
                _("La personne qui vous remplace doit être suppléante du binôme.")
            )
    elif reponse == ReponseConfirmation.EXCUSE:
        remplacant = None
    with transaction.atomic():
        confirmation, _cree = Confirmation.objects.update_or_create(
            seance=seance,
            membre=membre,
            defaults={
                "reponse": reponse,
                "matin": matin,
                "apres_midi": apres_midi,
                "remplacant": remplacant,
                "dejeuner": dejeuner,
                "regimes": regimes,
                "precisions_repas": (precisions_repas or "").strip()[:300],
            },
        )
        if remplacant is not None:
            _remplacant_prevenir(seance, membre, remplacant)
    return confirmation


def _remplacant_prevenir(seance, membre, remplacant) -> None:
    """The substitute is counted in (unless they answered themselves) and told."""
    Confirmation.objects.get_or_create(
        seance=seance,
        membre=remplacant,
        defaults={
            "reponse": ReponseConfirmation.PRESENT,
            "matin": True,
            "apres_midi": True,
            "dejeuner": True,
        },
    )
    courriel_preparer(
        cle=f"remplacement:seance={seance.pk}:membre={membre.pk}:remplacant={remplacant.pk}",
        destinataires=[remplacant.user.email],
        gabarit="seances/emails/remplacement",
        contexte={"seance": seance, "membre": membre, "remplacant": remplacant},
    )


def besoins_enregistrer(membre, *, themes, attentes="", projet="", difficultes=""):
    themes = [theme for theme in themes if theme in ThemeBesoin.values]
    if not (themes or attentes.strip() or projet.strip() or difficultes.strip()):
        raise ValidationError(_("Répondez à au moins une question avant d'envoyer."))
    reponse, _cree = ReponseBesoins.objects.update_or_create(
        membre=membre,
        defaults={
            "themes": themes,
            "attentes": attentes.strip(),
            "projet": projet.strip(),
            "difficultes": difficultes.strip(),
        },
    )
    return reponse


def question_poser(seance, membre, texte, *, maintenant=None) -> Question:
    maintenant = maintenant or timezone.now()
    _verifier_membre(seance, membre)
    texte = " ".join((texte or "").split())
    if not texte:
        raise ValidationError(_("Écrivez votre question."))
    if len(texte) > 1000:
        raise ValidationError(_("Une question tient en 1 000 caractères au plus."))
    if maintenant >= seance.limite_questions:
        raise ValidationError(_("Les questions pour l'intervenant·e sont closes."))
    deja = Question.objects.filter(seance=seance, auteur=membre, texte__iexact=texte).first()
    return deja or Question.objects.create(seance=seance, auteur=membre, texte=texte)


def question_retirer(question, membre, *, maintenant=None) -> None:
    maintenant = maintenant or timezone.now()
    if question.auteur_id != membre.pk:
        raise ValidationError(_("Vous ne pouvez retirer que vos propres questions."))
    if maintenant >= question.seance.limite_questions:
        raise ValidationError(_("Les questions pour l'intervenant·e sont closes."))
    question.delete()


def questions_fusionner(principale, doublons) -> int:
    """Fold ``doublons`` into ``principale`` (and what had been folded into them)."""
    ids = {question.pk for question in doublons} - {principale.pk}
    if principale.doublon_de_id:
        raise ValidationError(_("Choisissez comme question principale une question non fusionnée."))
    if Question.objects.filter(pk__in=ids).exclude(seance_id=principale.seance_id).exists():
        raise ValidationError(_("Les questions à fusionner doivent être de la même séance."))
    with transaction.atomic():
        Question.objects.filter(doublon_de_id__in=ids).update(doublon_de=principale)
        return Question.objects.filter(pk__in=ids).update(
            doublon_de=principale, groupe=principale.groupe
        )


def question_separer(question) -> None:
    question.doublon_de = None
    question.save(update_fields=["doublon_de"])


def question_grouper(question, groupe) -> None:
    """Sort a question (and its duplicates) into a group; an empty name ungroups it."""
    groupe = " ".join((groupe or "").split())[:120]
    Question.objects.filter(models.Q(pk=question.pk) | models.Q(doublon_de=question)).update(
        groupe=groupe
    )


# --- On the day -----------------------------------------------------------------------------


def presence_marquer(seance, membre, demi_journee, statut, *, par, source=SourcePresence.EQUIPE):
    if membre.binome.cycle_id != seance.cycle_id:
        raise ValidationError(_("Cette personne ne fait pas partie d'un binôme de ce cycle."))
    if demi_journee not in DemiJournee.values or statut not in StatutPresence.values:
        raise ValidationError(_("Choix de présence inconnu."))
    presence, _cree = Presence.objects.update_or_create(
        seance=seance,
        membre=membre,
        demi_journee=demi_journee,
        defaults={"statut": statut, "source": source, "marque_par": par},
    )
    return presence


def presence_effacer(seance, membre, demi_journee) -> None:
    Presence.objects.filter(seance=seance, membre=membre, demi_journee=demi_journee).delete()


SEL_POINTAGE = "seances.pointage"


def pointage_jeton(seance) -> str:
    """What the QR code in the room carries: the session and its day, signed."""
    return signing.dumps({"s": seance.pk, "j": seance.date.isoformat()}, salt=SEL_POINTAGE)


def demi_journee_a(seance, moment) -> str:
    heure = timezone.localtime(moment).time()
    return DemiJournee.MATIN if heure < seance.fin_matinee else DemiJournee.APRES_MIDI


def pointer(seance, jeton, user, *, maintenant=None) -> Presence:
    """A participant checks themselves in by scanning the QR code of the room: the code must
    be this session's, today's, and the account must sit in a pair of the cycle."""
    maintenant = maintenant or timezone.now()
    try:
        donnees = signing.loads(jeton, salt=SEL_POINTAGE, max_age=36 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(_("Ce QR code a expiré.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Ce QR code n'est pas valable.")) from None
    if donnees.get("s") != seance.pk:
        raise ValidationError(_("Ce QR code est celui d'une autre séance."))
    aujourdhui = timezone.localdate(maintenant)
    if donnees.get("j") != aujourdhui.isoformat() or seance.date != aujourdhui:
        raise ValidationError(_("Ce QR code ne vaut que le jour de la séance."))
    membre = (
        Membre.objects.filter(user=user, actif=True, binome__cycle_id=seance.cycle_id)
        .select_related("binome")
        .order_by("suppleant", "pk")
        .first()
    )
    if membre is None:
        raise ValidationError(_("Votre compte ne fait pas partie d'un binôme de ce cycle."))
    demi_journee = demi_journee_a(seance, maintenant)
    deja = Presence.objects.filter(seance=seance, membre=membre, demi_journee=demi_journee).first()
    if deja is not None and deja.statut in (StatutPresence.PRESENT, StatutPresence.RETARD):
        return deja
    return presence_marquer(
        seance, membre, demi_journee, StatutPresence.PRESENT, par=user, source=SourcePresence.QR
    )


# --- After ----------------------------------------------------------------------------------


def evaluation_ouverte(seance, maintenant=None) -> bool:
    """From the afternoon of the day (the closing round) to 30 days after."""
    maintenant = maintenant or timezone.now()
    ouverture = datetime.datetime.combine(
        seance.date, seance.fin_matinee, tzinfo=seance.debut.tzinfo
    )
    return ouverture <= maintenant < seance.fin + datetime.timedelta(days=30)


def evaluation_enregistrer(seance, membre, *, note, bien="", craint="", demain="", maintenant=None):
    _verifier_membre(seance, membre)
    if not evaluation_ouverte(seance, maintenant):
        raise ValidationError(_("L'évaluation de cette séance n'est pas ouverte."))
    try:
        note = int(note)
    except (TypeError, ValueError):
        note = 0
    if not 1 <= note <= 5:
        raise ValidationError(_("Donnez une note de 1 à 5."))
    evaluation, _cree = Evaluation.objects.update_or_create(
        seance=seance,
        membre=membre,
        defaults={
            "note": note,
            "bien": (bien or "").strip()[:2000],
            "craint": (craint or "").strip()[:2000],
            "demain": (demain or "").strip()[:2000],
        },
    )
    return evaluation


# --- Private calendar feed ------------------------------------------------------------------


def agenda_jeton(user) -> str:
    agenda = AgendaPrive.objects.filter(user=user).first()
    if agenda is None:
        agenda, _cree = AgendaPrive.objects.get_or_create(
            user=user, defaults={"jeton": secrets.token_urlsafe(32)}
        )
    return agenda.jeton


def agenda_renouveler(user) -> str:
    """A new secret address; the old one stops working at once."""
    jeton = secrets.token_urlsafe(32)
    AgendaPrive.objects.update_or_create(user=user, defaults={"jeton": jeton})
    return jeton


def agenda_par_jeton(jeton):
    """The user of a feed address, or None."""
    agenda = AgendaPrive.objects.select_related("user").filter(jeton=jeton or "").first()
    if agenda is None or not agenda.user.is_active:
        return None
    return agenda.user


# --- Attestations ---------------------------------------------------------------------------

ALPHABET_CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _code_attestation() -> str:
    brut = "".join(secrets.choice(ALPHABET_CODE) for _i in range(12))
    return "-".join(brut[i : i + 4] for i in range(0, 12, 4))


def attestations_delivrer(cycle, *, par, aujourdhui=None) -> list[Attestation]:
    """Issue (or bring up to date) the attestations of everyone, and every collectivity, who
    reached the rule, from recorded attendance only. Codes already given stay the same; an
    attestation whose holder no longer reaches the rule is withdrawn."""
    aujourdhui = aujourdhui or timezone.localdate()
    seances = list(Seance.objects.filter(cycle=cycle))
    if not seances:
        raise ValidationError(_("Ce cycle n'a pas de séance."))
    if any(seance.date >= aujourdhui for seance in seances):
        raise ValidationError(
            _("Les attestations se délivrent quand toutes les séances du cycle ont eu lieu.")
        )
    minimum = reglages_obtenir(cycle).attestation_seances_min
    par_membre = selectors.seances_suivies_par_membre(cycle)
    par_binome = selectors.seances_suivies_par_binome(cycle)
    delivrees = []
    with transaction.atomic():
        for binome in selectors.binomes_du_cycle(cycle):
            collectivite = str(binome)
            for membre in binome.membres.all():
                if par_membre.get(membre.pk, 0) >= minimum:
                    delivrees.append(
                        _attestation(
                            cycle,
                            TypeAttestation.PERSONNE,
                            binome,
                            membre,
                            titulaire=membre.user.nom_affiche,
                            collectivite=collectivite,
                            presentes=par_membre[membre.pk],
                            total=len(seances),
                            minimum=minimum,
                            par=par,
                        )
                    )
            if par_binome.get(binome.pk, 0) >= minimum:
                delivrees.append(
                    _attestation(
                        cycle,
                        TypeAttestation.COLLECTIVITE,
                        binome,
                        None,
                        titulaire=collectivite,
                        collectivite=collectivite,
                        presentes=par_binome[binome.pk],
                        total=len(seances),
                        minimum=minimum,
                        par=par,
                    )
                )
        # Attendance corrected below the rule: the earlier attestation no longer holds, and
        # its code must stop verifying.
        retirees, _detail = (
            Attestation.objects.filter(cycle=cycle)
            .exclude(pk__in=[attestation.pk for attestation in delivrees])
            .delete()
        )
        historique_ajouter(
            cycle,
            acteur=par,
            action="attestations_delivrees",
            description=_("%(nb)s attestation(s) délivrée(s), %(retirees)s retirée(s)")
            % {"nb": len(delivrees), "retirees": retirees},
        )
    return delivrees


def _attestation(
    cycle, type_, binome, membre, *, titulaire, collectivite, presentes, total, minimum, par
):
    attestation = Attestation.objects.filter(
        cycle=cycle, type=type_, binome=binome, membre=membre
    ).first()
    if attestation is None:
        attestation = Attestation(
            cycle=cycle, type=type_, binome=binome, membre=membre, code=_code_attestation()
        )
    attestation.titulaire = titulaire[:250]
    attestation.collectivite = collectivite[:250]
    attestation.seances_presentes = presentes
    attestation.seances_total = total
    attestation.seances_min = minimum
    attestation.delivree_par = par
    attestation.save()
    if membre is not None:
        courriel_preparer(
            cle=f"attestation:cycle={cycle.pk}:membre={membre.pk}",
            destinataires=[membre.user.email],
            gabarit="seances/emails/attestation",
            contexte={"attestation": attestation, "cycle": cycle, "membre": membre},
        )
    return attestation


# --- Periodic sweeps ------------------------------------------------------------------------
# Each is safe to run any number of times: the outbox key says what was already sent.

# Providers of a personal line for the context note, registered by upper layers (the logbook
# says « votre journal de la séance précédente est vide »). Each: (seance, membre) -> str | None.
PARTIES_PERSONNELLES = []


def partie_personnelle_ajouter(fournisseur) -> None:
    if fournisseur not in PARTIES_PERSONNELLES:
        PARTIES_PERSONNELLES.append(fournisseur)


def _cycles_en_cours():
    return Cycle.objects.filter(statut=StatutCycle.EN_COURS)


def notes_contexte_envoyer(maintenant=None) -> int:
    """N days before each session (cycle setting), each person of the cycle gets the context
    note, the calendar invitation, and where their pair stands."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    envoyes = 0
    for cycle in _cycles_en_cours():
        jours = reglages_obtenir(cycle).note_contexte_jours
        seances = selectors.seances_du_cycle(cycle).filter(
            date__gt=aujourdhui, date__lte=aujourdhui + datetime.timedelta(days=jours)
        )
        for seance in seances:
            lignes = selectors.confirmations_par_binome(seance)
            cles = {
                f"note-contexte:seance={seance.pk}:personne={membre.user_id}": (ligne, membre)
                for ligne in lignes
                for membre, _confirmation in ligne.membres
            }
            deja = cles_existantes(cles)
            a_envoyer = [(cle, valeur) for cle, valeur in cles.items() if cle not in deja]
            if not a_envoyer:
                continue
            invitation = Fichier(
                nom=f"seance-{seance.numero}.ics",
                type_mime="text/calendar",
                contenu=calendrier.ics([seance], nom=str(seance), methode="PUBLISH"),
            )
            for cle, (ligne, membre) in a_envoyer:
                with transaction.atomic():
                    courriel = courriel_preparer(
                        cle=cle,
                        destinataires=[membre.user.email],
                        gabarit="seances/emails/note_contexte",
                        contexte={
                            "seance": seance,
                            "membre": membre,
                            "binome": ligne.membres,
                            "complet": ligne.complet,
                            "personnel": _parties_personnelles(seance, membre),
                        },
                        pieces_jointes=[invitation],
                    )
                envoyes += courriel.vient_d_etre_cree
    return envoyes


def _parties_personnelles(seance, membre) -> list[str]:
    return [texte for fournisseur in PARTIES_PERSONNELLES if (texte := fournisseur(seance, membre))]


def confirmations_relancer(maintenant=None) -> int:
    """Some days before each session (7 by default), the collectivities whose pair is not
    confirmed complete get one reminder."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    envoyes = 0
    for cycle in _cycles_en_cours():
        jours = reglages_obtenir(cycle).rappel_confirmation_jours
        for seance in selectors.seances_du_cycle(cycle).filter(
            date__gt=aujourdhui, date__lte=aujourdhui + datetime.timedelta(days=jours)
        ):
            incomplets = {
                f"rappel-confirmation:seance={seance.pk}:binome={ligne.binome.pk}": ligne
                for ligne in selectors.binomes_incomplets(seance)
            }
            deja = cles_existantes(incomplets)
            for cle, ligne in incomplets.items():
                destinataires = [membre.user.email for membre, _c in ligne.membres]
                if not destinataires or cle in deja:
                    continue
                with transaction.atomic():
                    courriel = courriel_preparer(
                        cle=cle,
                        destinataires=destinataires,
                        gabarit="seances/emails/rappel_confirmation",
                        contexte={"seance": seance, "ligne": ligne},
                    )
                envoyes += courriel.vient_d_etre_cree
    return envoyes


def evaluations_envoyer(maintenant=None) -> int:
    """At the end of the day, those who came get the evaluation form; those who have not
    answered some days later (3 by default) get one reminder."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    envoyes = 0
    for cycle in _cycles_en_cours():
        relance = reglages_obtenir(cycle).relance_evaluation_jours
        for seance in Seance.objects.filter(
            cycle=cycle,
            date__lte=aujourdhui,
            date__gte=aujourdhui - datetime.timedelta(days=relance + 7),
        ).select_related("cycle"):
            if maintenant < seance.fin:
                continue
            attendus = selectors.attendus_evaluation(seance)
            ont_repondu = set(
                Evaluation.objects.filter(seance=seance).values_list("membre_id", flat=True)
            )
            relancer = maintenant >= seance.fin + datetime.timedelta(days=relance)
            invitation_possible = seance.date >= aujourdhui - datetime.timedelta(days=7)
            cles = {
                membre.pk: (
                    f"evaluation:seance={seance.pk}:membre={membre.pk}",
                    f"evaluation-relance:seance={seance.pk}:membre={membre.pk}",
                )
                for membre in attendus
                if membre.pk not in ont_repondu
            }
            deja = cles_existantes(cle for paire in cles.values() for cle in paire)
            for membre in attendus:
                if membre.pk not in cles:
                    continue
                invitation, rappel = cles[membre.pk]
                if invitation not in deja:
                    if not invitation_possible:
                        continue  # too late to invite for the first time
                    cle, gabarit = invitation, "seances/emails/evaluation"
                elif relancer and rappel not in deja:
                    cle, gabarit = rappel, "seances/emails/evaluation_relance"
                else:
                    continue
                with transaction.atomic():
                    courriel = courriel_preparer(
                        cle=cle,
                        destinataires=[membre.user.email],
                        gabarit=gabarit,
                        contexte={"seance": seance, "membre": membre},
                    )
                envoyes += courriel.vient_d_etre_cree
    return envoyes


def alertes_envoyer(maintenant=None) -> int:
    """Staff are told when a pair has missed being complete at two sessions in a row."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    equipe = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .values_list("email", flat=True)
    )
    envoyes = 0
    if not equipe:
        return 0
    for cycle in _cycles_en_cours():
        matrice = selectors.matrice_assiduite(cycle, aujourdhui)
        for ligne in matrice.lignes:
            if not ligne.alerte:
                continue
            derniere = next(
                seance
                for seance, statut in zip(
                    reversed(matrice.seances), reversed(ligne.statuts), strict=True
                )
                if statut != StatutBinome.NON_RENSEIGNE
            )
            if derniere.date < aujourdhui - datetime.timedelta(days=30):
                continue
            cle = f"alerte-assiduite:binome={ligne.binome.pk}:seance={derniere.pk}"
            if cles_existantes([cle]):
                continue
            with transaction.atomic():
                courriel = courriel_preparer(
                    cle=cle,
                    destinataires=equipe,
                    gabarit="seances/emails/alerte_assiduite",
                    contexte={
                        "cycle": cycle,
                        "ligne": ligne,
                        "cellules": list(zip(matrice.seances, ligne.statuts, strict=True)),
                    },
                )
            envoyes += courriel.vient_d_etre_cree
    return envoyes


def seances_balayer(maintenant=None) -> dict[str, int]:
    maintenant = maintenant or timezone.now()
    return {
        "notes_contexte": notes_contexte_envoyer(maintenant),
        "rappels_confirmation": confirmations_relancer(maintenant),
        "evaluations": evaluations_envoyer(maintenant),
        "alertes": alertes_envoyer(maintenant),
    }
