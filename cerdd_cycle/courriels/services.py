"""The outbox: the one way the platform sends an email.

``courriel_preparer`` is called inside the transaction that causes the email; the row is
sent by a task once that transaction commits. A unique key makes a second call harmless,
and the claim in ``courriel_envoyer`` makes a retried or redelivered task harmless.
"""

import hashlib
import logging
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Courriel, EtatCourriel, PieceJointe

logger = logging.getLogger(__name__)

ERREURS_TRANSITOIRES = (SMTPException, OSError)


@dataclass(frozen=True)
class Fichier:
    nom: str
    type_mime: str
    contenu: bytes


def courriel_preparer(*, cle, destinataires, gabarit, contexte=None, pieces_jointes=()):
    """Render ``<gabarit>.subject.txt|.txt|.html`` and queue the email under ``cle``."""
    contexte = {"SITE_URL": settings.SITE_URL, **(contexte or {})}
    sujet = render_to_string(f"{gabarit}.subject.txt", contexte)
    texte = render_to_string(f"{gabarit}.txt", contexte)
    try:
        html = render_to_string(f"{gabarit}.html", contexte)
    except TemplateDoesNotExist:
        html = ""
    return courriel_creer(
        cle=cle,
        destinataires=destinataires,
        sujet=sujet,
        texte=texte,
        html=html,
        categorie=gabarit.rsplit("/", 1)[-1],
        pieces_jointes=pieces_jointes,
    )


def _injoignable():
    return {"etat": EtatCourriel.ECHEC, "derniere_erreur": _("Aucun destinataire joignable.")}


def courriel_creer(*, cle, destinataires, sujet, texte, html="", categorie="", pieces_jointes=()):
    """Queue an already rendered email. Returns the existing row if ``cle`` was used before."""
    cle = cle or f"{categorie or 'courriel'}:{uuid.uuid4()}"
    # The reserved .invalid domain is what an erased account's address becomes: the reminders of
    # every layer still address it, and no server would take it.
    destinataires = sorted(
        {
            adresse.strip().lower()
            for adresse in destinataires
            if adresse and not adresse.strip().lower().endswith(".invalid")
        }
    )
    sujet = " ".join(sujet.split())
    with transaction.atomic():
        courriel, cree = Courriel.objects.get_or_create(
            cle=cle,
            defaults={
                "destinataires": destinataires,
                "sujet": sujet[:255],
                "texte": texte,
                "html": html,
                "categorie": categorie[:80],
                # Kept (the key still guards against preparing it again), never sent.
                **({} if destinataires else _injoignable()),
            },
        )
        if cree:
            PieceJointe.objects.bulk_create(
                PieceJointe(courriel=courriel, nom=f.nom, type_mime=f.type_mime, contenu=f.contenu)
                for f in pieces_jointes
            )
            if destinataires:
                _envoyer_apres_commit(courriel.pk)
    courriel.vient_d_etre_cree = cree
    return courriel


def cles_existantes(cles) -> set[str]:
    """The keys among ``cles`` already in the outbox: a sweep asks once, not per email."""
    return set(Courriel.objects.filter(cle__in=list(cles)).values_list("cle", flat=True))


def _envoyer_apres_commit(courriel_id):
    from .tasks import courriel_envoyer_task

    transaction.on_commit(lambda: courriel_envoyer_task.delay(courriel_id))


def courriel_envoyer(courriel_id) -> bool:
    """Send one queued email. True if sent now; False if gone, already sent or being sent.

    The row is claimed (state « en cours », committed) before the SMTP conversation, so a
    redelivered task or the sweep skips it while the attempt is alive; a claim older than
    ``COURRIELS_RESERVATION_SECONDES`` belongs to a dead worker and is taken over. A transient
    SMTP error is recorded on the row, then raised so the task retries.
    """
    maintenant = timezone.now()
    perimee = maintenant - timedelta(seconds=settings.COURRIELS_RESERVATION_SECONDES)
    reserve = (
        Courriel.objects.filter(pk=courriel_id)
        .filter(
            Q(etat=EtatCourriel.A_ENVOYER)
            | Q(etat=EtatCourriel.EN_COURS, derniere_tentative_le__lt=perimee)
        )
        .update(
            etat=EtatCourriel.EN_COURS,
            tentatives=F("tentatives") + 1,
            derniere_tentative_le=maintenant,
        )
    )
    if not reserve:
        return False
    courriel = Courriel.objects.get(pk=courriel_id)
    connexion = get_connection()
    try:
        connexion.open()
        connexion.send_messages([_message(courriel)])
    except Exception as exc:
        with suppress(*ERREURS_TRANSITOIRES):
            connexion.close()
        abandon = courriel.tentatives >= settings.COURRIELS_TENTATIVES_MAX
        Courriel.objects.filter(pk=courriel_id, etat=EtatCourriel.EN_COURS).update(
            etat=EtatCourriel.ECHEC if abandon else EtatCourriel.A_ENVOYER,
            derniere_erreur=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("Envoi du courriel %s échoué : %s", courriel.cle, exc)
        if abandon and isinstance(exc, ERREURS_TRANSITOIRES):
            return False
        raise
    # Marked before QUIT: the one window left is a kill between the server's acceptance of the
    # message and this update (one round trip and one write).
    Courriel.objects.filter(pk=courriel_id).update(
        etat=EtatCourriel.ENVOYE, envoye_le=timezone.now(), derniere_erreur=""
    )
    with suppress(*ERREURS_TRANSITOIRES):
        connexion.close()  # the message was accepted already
    return True


def message_id(cle) -> str:
    """The same Message-ID for every attempt at one email, so a receiver can drop a duplicate."""
    domaine = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "cerdd-cycle"
    return f"<{hashlib.sha256(cle.encode()).hexdigest()[:32]}@{domaine}>"


def _message(courriel):
    message = EmailMultiAlternatives(
        subject=courriel.sujet,
        body=courriel.texte,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=courriel.destinataires,
        headers={"X-Cerdd-Cle": courriel.cle, "Message-ID": message_id(courriel.cle)},
    )
    if courriel.html:
        message.attach_alternative(courriel.html, "text/html")
    for piece in courriel.pieces_jointes.all():
        message.attach(piece.nom, bytes(piece.contenu), piece.type_mime)
    return message


def courriels_relancer() -> int:
    """Periodic sweep: send what is still waiting (lost task, broker down, SMTP outage) and
    what a dead worker had claimed."""
    maintenant = timezone.now()
    limite = maintenant - timedelta(minutes=settings.COURRIELS_DELAI_RELANCE_MINUTES)
    perimee = maintenant - timedelta(seconds=settings.COURRIELS_RESERVATION_SECONDES)
    oublies = Q(etat=EtatCourriel.A_ENVOYER, cree_le__lte=limite) & ~Q(
        derniere_tentative_le__gt=limite
    )
    abandonnes = Q(etat=EtatCourriel.EN_COURS, derniere_tentative_le__lt=perimee)
    en_attente = Courriel.objects.filter(oublies | abandonnes)
    envoyes = 0
    for courriel_id in en_attente.values_list("pk", flat=True).order_by("cree_le")[:500]:
        try:
            envoyes += courriel_envoyer(courriel_id)
        except ERREURS_TRANSITOIRES:
            # Recorded on the row; the next sweep tries again.
            continue
    return envoyes


def courriel_renvoyer(courriel) -> None:
    """Staff action: put a sent or failed email back in the queue and send it."""
    with transaction.atomic():
        Courriel.objects.filter(pk=courriel.pk).update(
            etat=EtatCourriel.A_ENVOYER, tentatives=0, derniere_erreur=""
        )
        _envoyer_apres_commit(courriel.pk)
