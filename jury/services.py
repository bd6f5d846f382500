"""Writes of the jury: one function per action, each in its transaction, with its history
entry and its emails queued in the outbox."""

import datetime
import hashlib
import re
import zoneinfo
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures.enums import STATUTS_DEPOSES
from candidatures.grille import grille_par_defaut
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.comptes.services import compte_inviter, lien_invitation
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.courriels.services import Fichier, courriel_creer, courriel_preparer
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.formats import date_en_toutes_lettres
from cerdd_cycle.historique.services import historique_ajouter

from . import selectors
from .enums import STATUTS_MOTIF_OBLIGATOIRE, NatureLien, Porte, StatutDecision
from .models import Affectation, Decision, Jure, Jury, Lien, ModeleDecision, NoteJury
from .repartition import repartir

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Results leave at this hour of the answer date.
HEURE_ENVOI_RESULTATS = datetime.time(9)
# Reminders to jurors with scores missing, this many days before the jury's deadline.
RAPPELS_JURY_JOURS = (3, 1)


def jury_obtenir(cycle) -> Jury:
    """The jury of ``cycle``, created with the call's default grid the first time."""
    grille_par_defaut(cycle)
    jury, _cree = Jury.objects.get_or_create(cycle=cycle)
    return jury


def jury_parametrer(jury, *, par, **valeurs) -> Jury:
    avant = {cle: str(getattr(jury, cle)) for cle in valeurs}
    for cle, valeur in valeurs.items():
        setattr(jury, cle, valeur)
    jury.full_clean()
    with transaction.atomic():
        jury.save(update_fields=list(valeurs))
        historique_ajouter(
            jury.cycle,
            acteur=par,
            action="jury_parametre",
            description=_("Réglages du jury modifiés"),
            avant=avant,
            apres={cle: str(valeur) for cle, valeur in valeurs.items()},
        )
    return jury


# --- jurors ---------------------------------------------------------------------------------


def jure_inviter(cycle, *, email, prenom="", nom="", par) -> Jure:
    """Name a juror: their account is created if needed, and they get an invitation link."""
    with transaction.atomic():
        user, cree = compte_inviter(email, prenom=prenom, nom=nom)
        role_attribuer(user, Role.JURE)
        jure, nouveau = Jure.objects.get_or_create(
            cycle=cycle, user=user, defaults={"invite_par": par}
        )
        if not nouveau and not jure.actif:
            jure.actif = True
            jure.save(update_fields=["actif"])
        historique_ajouter(
            cycle,
            acteur=par,
            action="jure_invite",
            description=_("%(personne)s invité·e au jury") % {"personne": user.nom_affiche},
        )
        courriel_preparer(
            cle=f"jury-invitation:cycle={cycle.pk}:user={user.pk}",
            destinataires=[user.email],
            gabarit="jury/emails/invitation",
            contexte={
                "cycle": cycle,
                "user": user,
                "nouveau_compte": cree or not user.has_usable_password(),
                "lien": lien_invitation(user),
                "invite_par": par,
            },
        )
    return jure


def jure_retirer(jure, *, par) -> None:
    """Take a juror off the jury; their unsubmitted assignments go back to the pool."""
    with transaction.atomic():
        retirees = jure.affectations.filter(soumise_le__isnull=True)
        nb = retirees.count()
        retirees.delete()
        jure.actif = False
        jure.save(update_fields=["actif"])
        historique_ajouter(
            jure.cycle,
            acteur=par,
            action="jure_retire",
            description=_("%(personne)s retiré·e du jury (%(nb)s affectation(s) libérée(s))")
            % {"personne": jure.user.nom_affiche, "nb": nb},
        )


def liens_declarer(jure, *, liens, par) -> list[Affectation]:
    """Replace the juror's declared ties. ``liens``: [(territoire or None, siren, nom, nature)].

    Returns the assignments withdrawn because they are now in conflict.
    """
    sirens = set()
    lignes = []
    for territoire, siren, nom, nature in liens:
        siren = territoire.siren if territoire is not None else re.sub(r"\D", "", siren or "")
        if len(siren) != 9:
            raise ValidationError(
                _("Un lien doit désigner une collectivité ou un SIREN à 9 chiffres.")
            )
        if nature not in NatureLien.values:
            raise ValidationError(_("Précisez la nature du lien : membre ou partenaire."))
        if siren in sirens:
            continue
        sirens.add(siren)
        nom = territoire.nom if territoire is not None else (nom or "").strip() or siren
        lignes.append(
            Lien(
                jure=jure,
                territoire=territoire,
                siren=siren,
                nom=nom[:200],
                nature=nature,
            )
        )
    with transaction.atomic():
        jure = Jure.objects.select_for_update().get(pk=jure.pk)
        avant = sorted(jure.liens.values_list("nom", flat=True))
        jure.liens.all().delete()
        Lien.objects.bulk_create(lignes)
        jure.liens_declares_le = timezone.now()
        jure.save(update_fields=["liens_declares_le"])
        conflits = selectors.conflits_du_cycle(jure.cycle).get(jure.pk, set())
        retirees = list(
            jure.affectations.filter(candidature_id__in=conflits).select_related("candidature")
        )
        for affectation in retirees:
            historique_ajouter(
                affectation.candidature,
                acteur=par,
                action="affectation_retiree",
                description=_("Conflit d'intérêts déclaré par %(personne)s : affectation retirée")
                % {"personne": jure.user.nom_affiche},
            )
        Affectation.objects.filter(pk__in=[a.pk for a in retirees]).delete()
        historique_ajouter(
            jure.cycle,
            acteur=par,
            action="liens_declares",
            description=_("%(personne)s a déclaré %(nb)s lien(s)")
            % {"personne": jure.user.nom_affiche, "nb": len(lignes)},
            avant={"liens": avant},
            apres={"liens": sorted(lien.nom for lien in lignes)},
        )
    return retirees


# --- assignment -----------------------------------------------------------------------------


def affectations_proposer(jury, *, par):
    """Complete the assignment in a balanced way that respects conflicts; keeps what exists."""
    cycle = jury.cycle
    with transaction.atomic():
        Jury.objects.select_for_update().get(pk=jury.pk)
        jures = list(Jure.objects.filter(cycle=cycle, actif=True).values_list("pk", flat=True))
        candidatures = list(selectors.candidatures_a_evaluer(cycle).values_list("pk", flat=True))
        existantes = list(
            Affectation.objects.filter(jure__cycle=cycle, jure__actif=True).values_list(
                "jure_id", "candidature_id"
            )
        )
        resultat = repartir(
            candidatures,
            jures,
            par_candidature=jury.jures_par_candidature,
            charge_max=jury.charge_max,
            conflits=selectors.conflits_du_cycle(cycle),
            existantes=existantes,
        )
        Affectation.objects.bulk_create(
            Affectation(jure_id=jure, candidature_id=candidature, automatique=True, cree_par=par)
            for jure, candidature in resultat.nouvelles
        )
        historique_ajouter(
            cycle,
            acteur=par,
            action="affectations_proposees",
            description=_("Répartition automatique : %(nb)s affectation(s) ajoutée(s)")
            % {"nb": len(resultat.nouvelles)},
        )
    return resultat


def affectation_ajouter(jure, candidature, *, par) -> Affectation:
    if not jure.actif:
        raise ValidationError(_("Cette personne ne fait plus partie du jury."))
    if candidature.cycle_id != jure.cycle_id or candidature.statut not in STATUTS_DEPOSES:
        raise ValidationError(_("Seules les candidatures déposées de ce cycle sont notées."))
    if selectors.en_conflit(jure, candidature):
        raise ValidationError(
            _("%(personne)s a déclaré un lien avec %(collectivite)s : conflit d'intérêts.")
            % {"personne": jure.user.nom_affiche, "collectivite": candidature.nom_collectivite}
        )
    with transaction.atomic():
        affectation, cree = Affectation.objects.get_or_create(
            jure=jure, candidature=candidature, defaults={"cree_par": par}
        )
        if cree:
            historique_ajouter(
                candidature,
                acteur=par,
                action="affectation_ajoutee",
                description=_("Confiée à %(personne)s") % {"personne": jure.user.nom_affiche},
            )
    return affectation


def affectation_retirer(affectation, *, par) -> None:
    if affectation.soumise:
        raise ValidationError(
            _("%(personne)s a déjà soumis son évaluation : elle ne peut plus être retirée.")
            % {"personne": affectation.jure.user.nom_affiche}
        )
    with transaction.atomic():
        historique_ajouter(
            affectation.candidature,
            acteur=par,
            action="affectation_retiree",
            description=_("Retirée à %(personne)s")
            % {"personne": affectation.jure.user.nom_affiche},
        )
        affectation.delete()


def _empreinte(valeurs) -> str:
    return hashlib.sha256(",".join(map(str, sorted(valeurs))).encode()).hexdigest()[:12]


def _cles_existantes(prefixe) -> set[str]:
    """The outbox keys already used under ``prefixe`` (one query for a whole sweep)."""
    return set(Courriel.objects.filter(cle__startswith=prefixe).values_list("cle", flat=True))


def jures_prevenir(jury, *, par) -> int:
    """Send each active juror their list and the deadline; a juror whose list has not changed
    since the last message gets nothing new."""
    cycle = jury.cycle
    nb = 0
    par_jure = defaultdict(list)
    for affectation in (
        Affectation.objects.filter(jure__cycle=cycle, jure__actif=True)
        .select_related("candidature__territoire")
        .order_by("candidature__territoire__nom", "candidature__structure_nom", "pk")
    ):
        par_jure[affectation.jure_id].append(affectation)
    prefixe = f"jury-affectations:cycle={cycle.pk}:"
    # Lists already sent are skipped without rendering their email again.
    envoyees = _cles_existantes(prefixe)
    with transaction.atomic():
        for jure in Jure.objects.filter(cycle=cycle, actif=True).select_related("user"):
            affectations = par_jure.get(jure.pk)
            if not affectations:
                continue
            liste = _empreinte(a.candidature_id for a in affectations)
            cle = f"{prefixe}jure={jure.pk}:liste={liste}"
            if cle in envoyees:
                continue
            courriel = courriel_preparer(
                cle=cle,
                destinataires=[jure.user.email],
                gabarit="jury/emails/affectations",
                contexte={
                    "cycle": cycle,
                    "jury": jury,
                    "user": jure.user,
                    "affectations": affectations,
                    "date_limite": date_en_toutes_lettres(jury.date_limite)
                    if jury.date_limite
                    else "",
                },
            )
            nb += courriel.vient_d_etre_cree
        historique_ajouter(
            cycle,
            acteur=par,
            action="jures_prevenus",
            description=_("Listes envoyées à %(nb)s juré·e(s)") % {"nb": nb},
        )
    return nb


def jures_relancer(maintenant=None) -> int:
    """Periodic sweep: before a jury's deadline, remind jurors with evaluations missing.
    Safe to run any number of times: each reminder has its own key."""
    maintenant = maintenant or timezone.now()
    nb = 0
    horizon = maintenant + datetime.timedelta(days=max(RAPPELS_JURY_JOURS))
    for jury in Jury.objects.filter(
        date_limite__gt=maintenant, date_limite__lte=horizon
    ).select_related("cycle"):
        jours = (jury.date_limite - maintenant).total_seconds() / 86400
        echeance = min(j for j in RAPPELS_JURY_JOURS if jours <= j)
        jures = (
            Jure.objects.filter(cycle=jury.cycle, actif=True)
            .annotate(
                total=Count("affectations"),
                restantes=Count("affectations", filter=Q(affectations__soumise_le__isnull=True)),
            )
            .filter(restantes__gt=0)
            .select_related("user")
        )
        prefixe = f"jury-rappel:jury={jury.pk}:"
        envoyes = _cles_existantes(prefixe)
        for jure in jures:
            cle = f"{prefixe}jure={jure.pk}:j-{echeance}"
            if cle in envoyes:
                continue
            with transaction.atomic():
                courriel = courriel_preparer(
                    cle=cle,
                    destinataires=[jure.user.email],
                    gabarit="jury/emails/rappel",
                    contexte={
                        "cycle": jury.cycle,
                        "user": jure.user,
                        "restantes": jure.restantes,
                        "total": jure.total,
                        "date_limite": date_en_toutes_lettres(jury.date_limite),
                    },
                )
            nb += courriel.vient_d_etre_cree
    return nb


# --- scoring --------------------------------------------------------------------------------


def _modifiable(affectation):
    if affectation.soumise:
        raise ValidationError(_("Votre évaluation est soumise : elle ne peut plus être modifiée."))
    if affectation.candidature.cycle.resultats_publies_le is not None:
        raise ValidationError(_("Les résultats sont publiés : les notes sont closes."))


def note_enregistrer(affectation, critere, *, valeur=None, porte=None, commentaire=None, par):
    """Save what the juror just typed for one criterion (autosave: one field at a time)."""
    _modifiable(affectation)
    if critere.cycle_id != affectation.jure.cycle_id:
        raise ValidationError(_("Ce critère n'appartient pas à la grille de ce cycle."))
    champs = {}
    if valeur is not None:
        if critere.est_porte:
            raise ValidationError(_("Ce critère se renseigne par oui, non ou à vérifier."))
        if valeur == "":
            champs["valeur"] = None
        else:
            niveaux = set(critere.niveaux.values_list("valeur", flat=True)) or {1, 2, 3, 4}
            try:
                entier = int(valeur)
            except (TypeError, ValueError):
                entier = None
            if entier not in niveaux:
                raise ValidationError(
                    _("Choisissez un des niveaux de l'échelle (%(niveaux)s).")
                    % {"niveaux": ", ".join(map(str, sorted(niveaux)))}
                )
            champs["valeur"] = entier
    if porte is not None:
        if not critere.est_porte:
            raise ValidationError(_("Ce critère se note sur l'échelle."))
        if porte not in {"", *Porte.values}:
            raise ValidationError(_("Répondez oui, non ou à vérifier."))
        champs["porte"] = porte
    if commentaire is not None:
        champs["commentaire"] = commentaire.strip()[:5000]
    with transaction.atomic():
        note, _cree = NoteJury.objects.get_or_create(affectation=affectation, critere=critere)
        for cle, val in champs.items():
            setattr(note, cle, val)
        if champs:
            note.save(update_fields=list(champs))
        Affectation.objects.filter(pk=affectation.pk).update(modifie_le=timezone.now())
    return note


def commentaire_enregistrer(affectation, texte, *, par) -> Affectation:
    _modifiable(affectation)
    affectation.commentaire = texte.strip()[:10000]
    affectation.modifie_le = timezone.now()
    affectation.save(update_fields=["commentaire", "modifie_le"])
    return affectation


def criteres_manquants(affectation) -> list:
    notes = selectors.notes_par_critere(affectation)
    manquants = []
    for critere in selectors.grille(affectation.jure.cycle):
        note = notes.get(critere.pk)
        if note is None or not (note.porte if critere.est_porte else note.valeur is not None):
            manquants.append(critere)
    return manquants


def evaluation_soumettre(affectation, *, par) -> Affectation:
    """Submit: every criterion answered; after that the juror may read the others' scores."""
    with transaction.atomic():
        affectation = (
            Affectation.objects.select_for_update(of=("self",))
            .select_related("jure__cycle", "jure__user", "candidature__cycle")
            .get(pk=affectation.pk)
        )
        _modifiable(affectation)
        manquants = criteres_manquants(affectation)
        if manquants:
            raise ValidationError(
                _("Il reste à noter : %(criteres)s.")
                % {"criteres": " ; ".join(c.intitule for c in manquants)}
            )
        affectation.soumise_le = timezone.now()
        affectation.save(update_fields=["soumise_le"])
        historique_ajouter(
            affectation.candidature,
            acteur=par,
            action="evaluation_soumise",
            description=_("Évaluation soumise par %(personne)s")
            % {"personne": affectation.jure.user.nom_affiche},
        )
    return affectation


def evaluation_rouvrir(affectation, *, par) -> Affectation:
    """Staff give an evaluation back to its juror (a mistake to correct)."""
    if affectation.candidature.cycle.resultats_publies_le is not None:
        raise ValidationError(_("Les résultats sont publiés : les notes sont closes."))
    with transaction.atomic():
        affectation.soumise_le = None
        affectation.save(update_fields=["soumise_le"])
        historique_ajouter(
            affectation.candidature,
            acteur=par,
            action="evaluation_rouverte",
            description=_("Évaluation de %(personne)s rouverte")
            % {"personne": affectation.jure.user.nom_affiche},
        )
    return affectation


# --- deliberation and decisions -------------------------------------------------------------


def deliberation_ouvrir(jury, *, par) -> Jury:
    with transaction.atomic():
        jury.deliberation_ouverte_le = jury.deliberation_ouverte_le or timezone.now()
        jury.save(update_fields=["deliberation_ouverte_le"])
        historique_ajouter(
            jury.cycle,
            acteur=par,
            action="deliberation_ouverte",
            description=_("Délibération ouverte"),
        )
    return jury


def decision_enregistrer(candidature, *, statut, motif="", rang_attente=None, par) -> Decision:
    """Record or change the decision on a candidature; the history keeps before and after."""
    if statut not in StatutDecision.values:
        raise ValidationError(_("Choisissez retenue, liste d'attente ou non retenue."))
    motif = (motif or "").strip()
    if statut in STATUTS_MOTIF_OBLIGATOIRE and not motif:
        raise ValidationError(
            _("Écrivez le motif : il est adressé à la collectivité avec la décision.")
        )
    if statut != StatutDecision.ATTENTE:
        rang_attente = None
    if candidature.statut not in STATUTS_DEPOSES:
        raise ValidationError(_("Seules les candidatures déposées reçoivent une décision."))
    with transaction.atomic():
        # Lock the cycle, as the publication does: a decision cannot change while the results
        # leave, and two first decisions saved at once cannot both create the row. Read from
        # the database: the caller's cycle may predate the publication.
        cycle = Cycle.objects.select_for_update().get(pk=candidature.cycle_id)
        if cycle.resultats_publies_le is not None:
            raise ValidationError(
                _("Les résultats sont publiés : la décision ne peut plus changer ici.")
            )
        decision = Decision.objects.filter(candidature=candidature).first()
        avant = (
            {
                "statut": decision.statut,
                "motif": decision.motif,
                "rang_attente": decision.rang_attente,
            }
            if decision
            else {}
        )
        apres = {"statut": statut, "motif": motif, "rang_attente": rang_attente}
        if avant == apres:
            return decision
        if decision is None:
            decision = Decision(candidature=candidature)
        decision.statut, decision.motif, decision.rang_attente = statut, motif, rang_attente
        decision.decide_par = par if par is not None and par.is_authenticated else None
        decision.save()
        historique_ajouter(
            candidature,
            acteur=par,
            action="decision",
            description=_("Décision : %(statut)s") % {"statut": decision.get_statut_display()},
            avant=avant,
            apres=apres,
        )
    return decision


# --- results --------------------------------------------------------------------------------

# The words a template may use, with what they stand for (shown beside the template form).
VARIABLES_MODELE = {
    "collectivite": "nom de la collectivité",
    "cycle": "titre du cycle",
    "motif": "motif de la décision",
    "rang_attente": "rang sur la liste d'attente",
    "premiere_seance": "date de la première séance",
    "porteur": "structure porteuse",
    "contact": "contact de l'appel",
}
_VARIABLE = re.compile(r"\{(\w+)\}")


def variables_inconnues(texte) -> list[str]:
    return sorted({nom for nom in _VARIABLE.findall(texte) if nom not in VARIABLES_MODELE})


def modele_rendre(texte, decision) -> str:
    """Replace the ``{variables}`` of an editable template; unknown ones stay as typed."""
    candidature = decision.candidature
    cycle = candidature.cycle
    valeurs = {
        "collectivite": str(candidature.nom_collectivite),
        "cycle": cycle.titre,
        "motif": decision.motif,
        "rang_attente": str(decision.rang_attente or ""),
        "premiere_seance": date_en_toutes_lettres(cycle.premiere_seance),
        "porteur": cycle.porteur,
        "contact": cycle.contact_ami,
    }
    return _VARIABLE.sub(lambda m: valeurs.get(m.group(1), m.group(0)), texte)


def modeles_par_defaut(cycle) -> dict[str, ModeleDecision]:
    """The cycle's templates, created from the defaults the first time they are needed."""
    from .textes import MODELES_PAR_DEFAUT

    existants = {m.statut: m for m in ModeleDecision.objects.filter(cycle=cycle)}
    for statut, (sujet, corps) in MODELES_PAR_DEFAUT.items():
        if statut not in existants:
            existants[statut] = ModeleDecision.objects.create(
                cycle=cycle, statut=statut, sujet=str(sujet), corps=str(corps)
            )
    return existants


def modele_modifier(modele, *, sujet, corps, par) -> ModeleDecision:
    if modele.cycle.resultats_publies_le is not None:
        # The emails are gone and the letters must stay the ones the collectivities received.
        raise ValidationError(_("Les résultats sont publiés : les modèles ne changent plus."))
    inconnues = variables_inconnues(sujet + corps)
    if inconnues:
        raise ValidationError(
            _("Variables inconnues : %(noms)s. Celles qui existent : %(connues)s.")
            % {
                "noms": ", ".join(f"{{{n}}}" for n in inconnues),
                "connues": ", ".join(f"{{{n}}}" for n in VARIABLES_MODELE),
            }
        )
    with transaction.atomic():
        avant = {"sujet": modele.sujet, "corps": modele.corps}
        modele.sujet, modele.corps = sujet.strip(), corps.strip()
        modele.save(update_fields=["sujet", "corps"])
        historique_ajouter(
            modele.cycle,
            acteur=par,
            action="modele_decision",
            description=_("Modèle « %(statut)s » modifié")
            % {"statut": modele.get_statut_display()},
            avant=avant,
            apres={"sujet": modele.sujet, "corps": modele.corps},
        )
    return modele


def resultats_problemes(cycle, *, sans_decision=None) -> list[str]:
    """What prevents sending the results (empty when ready); ``sans_decision`` when the caller
    has already counted the candidatures without a decision."""
    problemes = []
    sans = sans_decision
    if sans is None:
        sans = selectors.candidatures_sans_decision(cycle).count()
    if sans:
        problemes.append(_("%(nb)s candidature(s) déposée(s) sans décision.") % {"nb": sans})
    if not selectors.candidatures_retenues(cycle).exists():
        problemes.append(_("Aucune candidature n'est retenue."))
    return problemes


def resultats_programmer(jury, *, par, quand=None) -> Jury:
    """Validate the decisions; the sweep sends them at ``quand`` (the answer date by default)."""
    cycle = jury.cycle
    if cycle.resultats_publies_le is not None:
        raise ValidationError(_("Les résultats sont déjà publiés."))
    problemes = resultats_problemes(cycle)
    if problemes:
        raise ValidationError(problemes)
    quand = quand or datetime.datetime.combine(
        cycle.date_reponse, HEURE_ENVOI_RESULTATS, tzinfo=PARIS
    )
    with transaction.atomic():
        jury.envoi_prevu_le = quand
        jury.save(update_fields=["envoi_prevu_le"])
        historique_ajouter(
            cycle,
            acteur=par,
            action="resultats_programmes",
            description=_("Envoi des résultats prévu le %(date)s")
            % {"date": date_en_toutes_lettres(quand)},
        )
    return jury


def resultats_deprogrammer(jury, *, par) -> Jury:
    if jury.cycle.resultats_publies_le is not None:
        raise ValidationError(_("Les résultats sont déjà publiés."))
    with transaction.atomic():
        jury.envoi_prevu_le = None
        jury.save(update_fields=["envoi_prevu_le"])
        historique_ajouter(
            jury.cycle, acteur=par, action="resultats_deprogrammes", description=_("Envoi annulé")
        )
    return jury


def destinataires_decision(candidature) -> list[str]:
    return [
        adresse
        for adresse in (
            candidature.proprietaire.email,
            candidature.contact_email,
            candidature.politique_email,
            candidature.technique_email,
        )
        if adresse
    ]


def resultats_publier(jury, *, par=None) -> int:
    """Publish: candidates see their result, and each decision email leaves once."""
    from .pdf import lettre_decision_pdf, nom_lettre

    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=jury.cycle_id)
        if cycle.resultats_publies_le is not None:
            return 0
        problemes = resultats_problemes(cycle)
        if problemes:
            raise ValidationError(problemes)
        modeles = modeles_par_defaut(cycle)
        cycle.resultats_publies_le = timezone.now()
        cycle.save(update_fields=["resultats_publies_le"])
        nb = 0
        decisions = (
            selectors.decisions_du_cycle(cycle)
            .select_related("candidature__proprietaire")
            .filter(candidature__statut__in=STATUTS_DEPOSES)
        )
        for decision in decisions:
            modele = modeles[decision.statut]
            courriel = courriel_creer(
                cle=selectors.cle_courriel_decision(decision.candidature_id),
                destinataires=destinataires_decision(decision.candidature),
                sujet=modele_rendre(modele.sujet, decision),
                texte=modele_rendre(modele.corps, decision),
                categorie="decision",
                pieces_jointes=[
                    Fichier(
                        nom=nom_lettre(decision),
                        type_mime="application/pdf",
                        contenu=lettre_decision_pdf(decision, modele),
                    )
                ],
            )
            nb += courriel.vient_d_etre_cree
        historique_ajouter(
            cycle,
            acteur=par,
            action="resultats_publies",
            description=_("Résultats publiés : %(nb)s courriel(s) de décision") % {"nb": nb},
        )
    return nb


def resultats_envoyer(maintenant=None) -> int:
    """Periodic sweep: publish the results whose sending time has come. Safe to rerun."""
    maintenant = maintenant or timezone.now()
    nb = 0
    for jury in Jury.objects.filter(
        Q(envoi_prevu_le__lte=maintenant), cycle__resultats_publies_le__isnull=True
    ).select_related("cycle"):
        try:
            nb += resultats_publier(jury)
        except ValidationError:
            # A decision was removed after validation: staff see it on the results page.
            continue
    return nb
