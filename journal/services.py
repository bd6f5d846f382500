"""Writes of the logbook, its reminders, and the line it adds to the context note."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cerdd_cycle.courriels.services import cles_existantes, courriel_preparer
from cerdd_cycle.cycles.enums import StatutCycle
from seances.models import Membre, Seance

from . import selectors
from .enums import Audience, Rubrique, StatutExperimentation, Temps
from .models import Diagnostic, Element, Entree, Experimentation, Relais, ReponseDiagnostic

TEXTE_MAX = 4000


class Conflit(Exception):
    """The text was changed elsewhere (another tab, another device) since this page read it."""

    def __init__(self, actuel):
        super().__init__("conflit")
        self.actuel = actuel


# --- Entries and items ----------------------------------------------------------------------


def _verifier_auteur(membre, seance, aujourdhui=None) -> None:
    aujourdhui = aujourdhui or timezone.localdate()
    if not membre.actif or membre.binome.cycle_id != seance.cycle_id:
        raise ValidationError(_("Vous ne faites pas partie d'un binôme de ce cycle."))
    if seance.date > aujourdhui:
        raise ValidationError(_("Le journal d'une séance s'ouvre le jour de la séance."))


def entree_obtenir(membre, seance, *, aujourdhui=None) -> Entree:
    _verifier_auteur(membre, seance, aujourdhui)
    entree, _cree = Entree.objects.get_or_create(membre=membre, seance=seance)
    return entree


def element_ajouter(entree, *, rubrique, texte="", audience=Audience.PRIVE) -> Element:
    if rubrique not in Rubrique.values:
        raise ValidationError(_("Choisissez une rubrique."))
    if audience not in Audience.values:
        raise ValidationError(_("Choisissez avec qui partager."))
    texte = (texte or "").strip()
    if len(texte) > TEXTE_MAX:
        raise ValidationError(_("Un élément tient en 4 000 caractères au plus."))
    return Element.objects.create(entree=entree, rubrique=rubrique, texte=texte, audience=audience)


def element_enregistrer(element, *, texte, version) -> Element:
    """Save the text typed on a page that read ``version``. If the item changed since, nothing
    is overwritten: ``Conflit`` carries the current item and the page keeps what was typed."""
    texte = (texte or "").strip()
    if len(texte) > TEXTE_MAX:
        raise ValidationError(_("Un élément tient en 4 000 caractères au plus."))
    return _enregistrer_si_a_jour(element, "texte", "version", texte, version)


def element_partager(element, audience) -> Element:
    if audience not in Audience.values:
        raise ValidationError(_("Choisissez avec qui partager."))
    element.audience = audience
    element.save(update_fields=["audience", "modifie_le"])
    return element


def element_supprimer(element) -> None:
    element.delete()


def notes_enregistrer(entree, *, notes, version) -> Entree:
    notes = notes or ""
    if len(notes) > 20000:
        raise ValidationError(_("Les notes libres tiennent en 20 000 caractères au plus."))
    return _enregistrer_si_a_jour(entree, "notes", "notes_version", notes, version)


def _enregistrer_si_a_jour(objet, champ, champ_version, valeur, version):
    """Write ``valeur`` only if nobody changed ``champ`` since the page read ``version``;
    the same value is never a conflict (a retried request, two tabs typing alike)."""
    with transaction.atomic():
        actuel = type(objet).objects.select_for_update().get(pk=objet.pk)
        if getattr(actuel, champ) == valeur:
            return actuel
        if version != getattr(actuel, champ_version):
            raise Conflit(actuel)
        setattr(actuel, champ, valeur)
        setattr(actuel, champ_version, getattr(actuel, champ_version) + 1)
        actuel.save(update_fields=[champ, champ_version, "modifie_le"])
    return actuel


# --- Relays and experiments -----------------------------------------------------------------


def relais_enregistrer(binome, *, auteur, date, public, quoi, seance=None, relais=None) -> Relais:
    public, quoi = (public or "").strip(), (quoi or "").strip()
    if not date or not public or not quoi:
        raise ValidationError(_("Indiquez la date, auprès de qui et ce qui a été relayé."))
    if seance is not None and seance.cycle_id != binome.cycle_id:
        raise ValidationError(_("Cette séance n'est pas de votre cycle."))
    relais = relais or Relais(binome=binome, auteur=auteur)
    relais.date, relais.public, relais.quoi, relais.seance = date, public[:250], quoi, seance
    relais.save()
    return relais


def experimentation_enregistrer(
    binome, *, par, titre, statut, description="", resultats="", seance=None, experimentation=None
) -> Experimentation:
    titre = (titre or "").strip()
    if not titre:
        raise ValidationError(_("Nommez l'outil ou la méthode essayée."))
    if statut not in StatutExperimentation.values:
        raise ValidationError(_("Choisissez l'état de l'expérimentation."))
    if seance is not None and seance.cycle_id != binome.cycle_id:
        raise ValidationError(_("Cette séance n'est pas de votre cycle."))
    experimentation = experimentation or Experimentation(binome=binome)
    experimentation.titre = titre[:250]
    experimentation.statut = statut
    experimentation.description = (description or "").strip()
    experimentation.resultats = (resultats or "").strip()
    experimentation.seance = seance
    experimentation.modifie_par = par
    experimentation.save()
    return experimentation


def relais_supprimer(relais) -> None:
    relais.delete()


def experimentation_supprimer(experimentation) -> None:
    experimentation.delete()


# --- Self-diagnosis -------------------------------------------------------------------------


def diagnostic_enregistrer(binome, *, temps, valeurs, par) -> Diagnostic:
    """``valeurs``: {question_id: value}. Every question of the grid must be answered."""
    if temps not in Temps.values:
        raise ValidationError(_("Moment inconnu."))
    questions = list(selectors.questions_diagnostic(binome.cycle))
    if not questions:
        raise ValidationError(_("La grille d'autodiagnostic de ce cycle est vide."))
    manquantes = [q for q in questions if valeurs.get(q.pk) is None]
    if manquantes:
        raise ValidationError(
            _("Répondez à chaque question (%(n)s sans réponse).") % {"n": len(manquantes)}
        )
    for question in questions:
        if not 1 <= int(valeurs[question.pk]) <= question.echelle:
            raise ValidationError(_("Réponse hors de l'échelle : %(q)s") % {"q": question.intitule})
    with transaction.atomic():
        diagnostic, _cree = Diagnostic.objects.update_or_create(
            binome=binome, temps=temps, defaults={"rempli_par": par}
        )
        for question in questions:
            ReponseDiagnostic.objects.update_or_create(
                diagnostic=diagnostic,
                question=question,
                defaults={"valeur": int(valeurs[question.pk])},
            )
    return diagnostic


# --- Reminders ------------------------------------------------------------------------------


def _membres_actifs(cycle):
    return Membre.objects.filter(binome__cycle=cycle, actif=True).select_related("user", "binome")


def rappels_envoyer(maintenant=None) -> int:
    """Some days after each session, those whose entry for it is still empty get one reminder."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    delai = datetime.timedelta(days=settings.JOURNAL_RAPPEL_JOURS)
    envoyes = 0
    for seance in Seance.objects.filter(
        cycle__statut=StatutCycle.EN_COURS,
        date__lte=aujourdhui - delai,
        date__gt=aujourdhui - delai - datetime.timedelta(days=7),
    ).select_related("cycle"):
        ecrits = set(
            Entree.objects.filter(seance=seance)
            .filter(~Q(notes="") | Q(elements__texte__gt=""))
            .values_list("membre_id", flat=True)
        )
        membres = [m for m in _membres_actifs(seance.cycle) if m.pk not in ecrits]
        cles = {m.pk: f"journal-rappel:seance={seance.pk}:membre={m.pk}" for m in membres}
        deja = cles_existantes(cles.values())
        for membre in membres:
            if cles[membre.pk] in deja:
                continue
            with transaction.atomic():
                courriel = courriel_preparer(
                    cle=cles[membre.pk],
                    destinataires=[membre.user.email],
                    gabarit="journal/emails/rappel",
                    contexte={"seance": seance, "membre": membre},
                )
            envoyes += courriel.vient_d_etre_cree
    return envoyes


def digests_envoyer(maintenant=None) -> int:
    """A week before each session, every participant gets what the group shared from the
    previous one (nothing is sent when nothing was shared)."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    envoyes = 0
    for seance in Seance.objects.filter(
        cycle__statut=StatutCycle.EN_COURS,
        date__gt=aujourdhui,
        date__lte=aujourdhui + datetime.timedelta(days=settings.JOURNAL_DIGEST_JOURS),
    ).select_related("cycle"):
        precedente = (
            Seance.objects.filter(cycle_id=seance.cycle_id, numero__lt=seance.numero)
            .order_by("-numero")
            .first()
        )
        if precedente is None:
            continue
        ouverture = selectors.ouverture(precedente, seance.cycle)
        if not ouverture.total:
            continue
        membres = list(_membres_actifs(seance.cycle))
        cles = {m.pk: f"journal-digest:seance={seance.pk}:membre={m.pk}" for m in membres}
        deja = cles_existantes(cles.values())
        for membre in membres:
            if cles[membre.pk] in deja:
                continue
            with transaction.atomic():
                courriel = courriel_preparer(
                    cle=cles[membre.pk],
                    destinataires=[membre.user.email],
                    gabarit="journal/emails/digest",
                    contexte={
                        "seance": seance,
                        "precedente": precedente,
                        "ouverture": ouverture,
                        "membre": membre,
                    },
                )
            envoyes += courriel.vient_d_etre_cree
    return envoyes


def journal_balayer(maintenant=None) -> dict[str, int]:
    maintenant = maintenant or timezone.now()
    return {"rappels": rappels_envoyer(maintenant), "digests": digests_envoyer(maintenant)}


def ligne_note_contexte(seance, membre) -> str | None:
    """The logbook's line in the context note (registered with the sessions layer)."""
    precedente = (
        Seance.objects.filter(cycle_id=seance.cycle_id, numero__lt=seance.numero)
        .order_by("-numero")
        .first()
    )
    if precedente is None:
        return None
    if not selectors.entree_vide(Entree.objects.filter(membre=membre, seance=precedente).first()):
        return None
    return _(
        "Votre journal de la séance %(numero)s est vide : quelques lignes avant la prochaine "
        "journée, et vous pourrez les partager avec le groupe."
    ) % {"numero": precedente.numero}
