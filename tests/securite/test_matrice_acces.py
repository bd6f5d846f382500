"""Authorization matrix: every URL of the project × every role, with the expected answer.

The routes come from the URL conf itself (``routes_du_projet``), so a new URL without a line
in ``ATTENDU`` fails ``test_chaque_route_a_sa_ligne``, and so does a line left for a URL that
no longer exists. Each (route, role) pair is one test: GET, no redirect followed.

Expected answers: 200 (or another status given as an int), ``LOGIN`` (302 to the login page),
``AILLEURS`` (a 302 somewhere else than the login page), 404 (the object is not yours, or the
page is staff-only: see ``equipe_requise``), 405 (a POST-only view, reached by a role that
passes its login check). Every route whose GET answers 405 for some role also has a line in
``ATTENDU_POST``: the same roles then try a POST, which must be refused.

The admin (hundreds of generated URLs) is covered by a rule instead of lines: every URL of
the « admin » namespace sends anonymous visitors and every non-staff role to the admin login,
and opens to staff. It is tried on the index and on the changelist of every registered model.

The world (``monde``) is built once for the module; each test runs in a savepoint rolled back
afterwards. The « first » object of each kind belongs to the first person of its role
(candidate A's candidature, participant P1's pair…), so the « other » rows try cross access.
"""

import contextlib
import copy
import datetime
import functools
import shutil
import tempfile
import uuid

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from candidatures.grille import grille_par_defaut
from candidatures.models import Acces, ConfirmationReferent, VersionCandidature
from candidatures.services import instantane
from capitalisation.enums import EtatVersion
from capitalisation.models import Version
from cerdd_cycle.comptes.models import DemandeSuppression
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.comptes.services import lien_invitation
from cerdd_cycle.cycles.enums import StatutCycle
from journal.models import Experimentation, Relais
from seances.models import AgendaPrive, Attestation, Question, Ressource
from seances.views.jour import lien_pointage
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    DecisionFactory,
    ElementFactory,
    EntreeFactory,
    JureFactory,
    LienFactory,
    PieceJointeFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

ROLES = (
    "anonyme",
    "candidat",
    "autre_candidat",
    "jure",
    "jure_en_conflit",
    "participant",
    "autre_participant",
    "equipe",
)
LOGIN = "login"
AILLEURS = "ailleurs"

# --- the world ------------------------------------------------------------------------------


class Monde:
    """Everything the URL kwargs point at, and the person of each role."""


def _construire() -> Monde:
    m = Monde()
    maintenant = timezone.now()
    aujourd_hui = timezone.localdate()

    # A cycle whose call is open (public pages, « new candidature »).
    m.cycle_ami = CycleFactory(slug="matrice-ami")

    # A cycle in selection, results published: candidates A and B, the jurors.
    m.candidature = CandidatureDeposeeFactory(cycle__slug="matrice-selection")
    m.cycle_selection = m.candidature.cycle
    m.cycle_selection.resultats_publies_le = maintenant - datetime.timedelta(days=1)
    m.cycle_selection.save(update_fields=["resultats_publies_le"])
    grille_par_defaut(m.cycle_selection)
    m.critere = m.cycle_selection.criteres.order_by("ordre").first()
    m.autre_candidature = CandidatureDeposeeFactory(cycle=m.cycle_selection)
    m.candidat = m.candidature.proprietaire
    m.autre_candidat = m.autre_candidature.proprietaire
    for user in (m.candidat, m.autre_candidat):
        role_attribuer(user, Role.CANDIDAT)
    m.piece = PieceJointeFactory(candidature=m.candidature)
    for candidature in (m.candidature, m.autre_candidature):
        VersionCandidature.objects.create(
            candidature=candidature,
            numero=1,
            donnees=instantane(candidature),
            deposee_le=maintenant - datetime.timedelta(days=10),
            deposee_par=candidature.proprietaire,
        )
        DecisionFactory(candidature=candidature, statut="retenue")
    m.acces = Acces.objects.create(
        candidature=m.candidature, email="coediteur@exemple.fr", invite_par=m.candidat
    )
    m.confirmation = ConfirmationReferent.objects.create(
        candidature=m.candidature, role="politique", nom="Jean Dupont", email="elu@mairie.fr"
    )

    # The juror assigned to A; the conflicted juror, tied to A's collectivity (and assigned to
    # it anyway, as if the assignment predated the tie: the conflict alone must close it).
    m.jure_obj = JureFactory(cycle=m.cycle_selection)
    AffectationFactory(candidature=m.candidature, jure=m.jure_obj)
    m.jure_conflit_obj = JureFactory(cycle=m.cycle_selection)
    LienFactory(jure=m.jure_conflit_obj, territoire=m.candidature.territoire)
    AffectationFactory(candidature=m.candidature, jure=m.jure_conflit_obj)
    AffectationFactory(candidature=m.autre_candidature, jure=m.jure_conflit_obj)
    m.jure = m.jure_obj.user
    m.jure_en_conflit = m.jure_conflit_obj.user

    # A cycle under way: pairs P1 and P2, a past session with everything a participant owns.
    m.cycle_cours = CycleFactory(
        slug="matrice-en-cours",
        statut=StatutCycle.EN_COURS,
        ouverture_ami=maintenant - datetime.timedelta(days=200),
        date_limite=maintenant - datetime.timedelta(days=150),
        date_reponse=aujourd_hui - datetime.timedelta(days=120),
        premiere_seance=aujourd_hui - datetime.timedelta(days=7),
    )
    m.seance = SeanceFactory(
        cycle=m.cycle_cours, numero=1, date=aujourd_hui - datetime.timedelta(days=7)
    )
    m.binome = binome_complet(m.cycle_cours)
    m.autre_binome = binome_complet(m.cycle_cours)
    m.membre = m.binome.membres.get(role="elu")
    m.participant = m.membre.user
    m.autre_participant = m.autre_binome.membres.get(role="elu").user
    m.element = ElementFactory(entree=EntreeFactory(membre=m.membre, seance=m.seance))
    m.relais = Relais.objects.create(
        binome=m.binome,
        auteur=m.membre,
        seance=m.seance,
        date=aujourd_hui,
        public="Conseil municipal",
        quoi="Présentation de la séance.",
    )
    m.experimentation = Experimentation.objects.create(
        binome=m.binome, titre="Budget participatif", modifie_par=m.participant
    )
    m.question = Question.objects.create(seance=m.seance, auteur=m.membre, texte="Comment ?")
    m.ressource = Ressource(seance=m.seance, titre="Support")
    m.ressource.fichier.save("support.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    m.agenda = AgendaPrive.objects.create(user=m.participant, jeton=uuid.uuid4().hex)
    m.attestation = Attestation.objects.create(
        cycle=m.cycle_cours,
        type="personne",
        membre=m.membre,
        binome=m.binome,
        code="MATR-ICE0-0001",
        titulaire=str(m.participant),
        collectivite=str(m.binome.candidature.territoire),
        seances_presentes=1,
        seances_total=1,
        seances_min=1,
    )
    m.version_rapport = Version.objects.create(
        cycle=m.cycle_cours,
        numero=1,
        etat=EtatVersion.PRETE,
        terminee_le=maintenant,
        pages=12,
        taille=15,
        duree=1.0,
    )
    m.version_rapport.fichier.save("rapport.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    # Staff: the ``is_staff`` status, and the right to view what the admin shows (not a
    # superuser, whose every ``has_perm`` is true: the matrix would test nothing for them).
    m.equipe = UserFactory(is_staff=True, email="equipe@matrice.test")
    m.equipe.user_permissions.set(
        Permission.objects.filter(
            codename__in=[f"view_{modele._meta.model_name}" for modele in admin.site._registry]
        )
    )
    # Candidate A's request to have their data erased.
    m.demande_suppression = DemandeSuppression.objects.create(user=m.candidat)
    m.invite = UserFactory(email="invite@matrice.test", password=None)
    m.invite.set_unusable_password()
    m.invite.save(update_fields=["password"])
    m.anonyme = None
    return m


@contextlib.contextmanager
def medias_temporaires(prefixe):
    """MEDIA_ROOT and PRIVATE_MEDIA_ROOT in a folder of their own, removed afterwards (for a
    world built once per module, outside the per-test folders of the root conftest)."""
    dossier = tempfile.mkdtemp(prefix=prefixe)
    try:
        with override_settings(
            MEDIA_ROOT=f"{dossier}/media", PRIVATE_MEDIA_ROOT=f"{dossier}/prive"
        ):
            yield
    finally:
        shutil.rmtree(dossier, ignore_errors=True)


@contextlib.contextmanager
def monde_du_module(django_db_blocker, prefixe, completer=None, roles=ROLES):
    """The world, built once and rolled back at the end; ``completer(m)`` adds to it.

    One session per role for the whole module (``m.cookies``): logging in again for each of
    the 1,400 cases would be most of the run time."""
    with medias_temporaires(prefixe), django_db_blocker.unblock(), transaction.atomic():
        m = _construire()
        if completer is not None:
            completer(m)
        m.cookies = {}
        for role in roles:
            user = getattr(m, role)
            if user is not None:
                client = Client()
                client.force_login(user)
                m.cookies[role] = client.cookies
        yield m
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def _monde(django_db_setup, django_db_blocker):
    with monde_du_module(django_db_blocker, "matrice-") as m:
        yield m


@pytest.fixture
def monde(_monde, db):
    """The world, and a savepoint rolled back after the test (what a request wrote goes)."""
    with transaction.atomic():
        yield _monde
        transaction.set_rollback(True)


# --- the routes -----------------------------------------------------------------------------


def _parcourir(resolver, prefixe="", parametres=()):
    for motif in resolver.url_patterns:
        ici = (*parametres, *motif.pattern.regex.groupindex)
        if isinstance(motif, URLResolver):
            espace = motif.namespace
            yield from _parcourir(motif, f"{prefixe}{espace}:" if espace else prefixe, ici)
        elif isinstance(motif, URLPattern) and motif.name:
            yield f"{prefixe}{motif.name}", ici


@functools.cache
def routes_du_projet() -> dict[str, tuple[str, ...]]:
    """Every named route, ``"namespace:name"`` → its parameter names (the admin's apart)."""
    return {nom: p for nom, p in _parcourir(get_resolver()) if not nom.startswith("admin:")}


def _jeton_de(lien) -> str:
    return resolve(lien.removeprefix(settings.SITE_URL)).kwargs["jeton"]


def _kwargs(route, parametres, m) -> dict:
    espace = route.rpartition(":")[0]
    cycle = {
        "jury": m.cycle_selection,
        "equipe_jury": m.cycle_selection,
        "deliberation": m.cycle_selection,
        "resultats": m.cycle_selection,
    }.get(espace, m.cycle_cours)
    pk = {
        "candidatures": m.candidature.pk,
        "equipe_candidatures": m.candidature.pk,
        "seances:ressource": m.ressource.pk,
        "seances:binome": m.binome.pk,
        "seances:attestation_pdf": m.attestation.pk,
        "seances": m.seance.pk,
        "equipe_seances": m.binome.pk,
        "journal:element": m.element.pk,
        "journal:element_partager": m.element.pk,
        "journal:element_supprimer": m.element.pk,
        "journal:relais_modifier": m.relais.pk,
        "journal:relais_supprimer": m.relais.pk,
        "journal:experimentation_modifier": m.experimentation.pk,
        "journal:experimentation_supprimer": m.experimentation.pk,
        "journal": m.seance.pk,
        "donnees": m.demande_suppression.pk,
        "equipe_donnees": m.demande_suppression.pk,
    }
    numero = {
        "candidatures": 1,
        "equipe_capitalisation": m.version_rapport.numero,
    }.get(espace, m.seance.numero)
    jeton = {
        "ami:confirmer_referent": lambda: m.confirmation.jeton,
        "candidatures:invitation": lambda: m.acces.jeton,
        "seances:pointer": lambda: _jeton_de(lien_pointage(m.seance)),
        "seances:agenda_ics": lambda: m.agenda.jeton,
        "invitation": lambda: _jeton_de(lien_invitation(m.invite)),
    }
    valeurs = {
        "cycle": cycle.slug,
        "cycle_slug": m.cycle_ami.slug,
        "slug": m.cycle_ami.slug,
        "pk": pk.get(route, pk.get(espace)),
        "candidature_pk": m.candidature.pk,
        "piece_pk": m.piece.pk,
        "acces_pk": m.acces.pk,
        "critere_pk": m.critere.pk,
        "numero": numero,
        "jeton": jeton[route]() if route in jeton else None,
        "jure": m.jure_obj.pk,
        "binome": m.binome.pk,
        "question": m.question.pk,
        "statut": "retenue",
        "demi_journee": "matin",
        "temps": "debut",
        # allauth's
        "key": "cle-inconnue",
        "uidb36": "1",
    }
    return {parametre: valeurs[parametre] for parametre in parametres}


def _url(route, m) -> str:
    return reverse(route, kwargs=_kwargs(route, routes_du_projet()[route], m))


# --- what each role should get --------------------------------------------------------------


def tous(valeur, **autres) -> dict:
    """A row: every role gets ``valeur`` except the ones named."""
    return {role: autres.get(role, valeur) for role in ROLES}


PUBLIC = tous(200)
CONNECTE = tous(200, anonyme=LOGIN)
# Staff pages (``equipe_requise``): login for anonymous visitors, 404 for anyone else.
EQUIPE = tous(404, anonyme=LOGIN, equipe=200)
EQUIPE_POST = tous(404, anonyme=LOGIN, equipe=405)
# POST-only views behind ``login_required`` alone: the object check runs on POST.
POST_CONNECTE = tous(405, anonyme=LOGIN)
# Candidate A's own pages.
DU_CANDIDAT = tous(404, anonyme=LOGIN, candidat=200)
# A participant's own objects (P1's item, relay, experiment…).
DU_PARTICIPANT = tous(404, anonyme=LOGIN, participant=200)
# Pages of any participant of the cycle (the session is everyone's; the page shows their own).
DES_PARTICIPANTS = tous(404, anonyme=LOGIN, participant=200, autre_participant=200)
# allauth pages only for signed-in accounts that send them on elsewhere.
CONNECTE_AILLEURS = tous(AILLEURS, anonyme=LOGIN)
HORS_CONNEXION = tous(AILLEURS, anonyme=200)

ATTENDU: dict[str, dict] = {
    # --- public ---
    "accueil": PUBLIC,
    "donnees_personnelles": PUBLIC,
    "sante": PUBLIC,
    "territoires:recherche": PUBLIC,
    "attestation_verifier": PUBLIC,
    "ami:appel": PUBLIC,
    "ami:compte_a_rebours": PUBLIC,
    # The referent's link is the credential: whoever holds it confirms.
    "ami:confirmer_referent": PUBLIC,
    # The invitation link (signed) sends to the password page, whoever opens it.
    "invitation": tous(AILLEURS),
    # The private calendar feed: its secret address is the credential.
    "seances:agenda_ics": PUBLIC,
    # --- accounts (allauth) ---
    "account_login": HORS_CONNEXION,
    "account_signup": HORS_CONNEXION,
    "account_logout": tous(200, anonyme=AILLEURS),
    "account_inactive": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_change_password": CONNECTE,
    "account_set_password": CONNECTE_AILLEURS,
    "account_email": CONNECTE,
    "account_reauthenticate": CONNECTE,
    "account_confirm_login_code": CONNECTE_AILLEURS,
    "mfa_index": CONNECTE,
    # --- a person's data: download, deletion request (A's request is A's alone) ---
    "donnees:accueil": CONNECTE,
    "donnees:telecharger": CONNECTE,
    # Candidate A has a pending request: the form leads to it instead.
    "donnees:demander": tous(200, anonyme=LOGIN, candidat=AILLEURS),
    "donnees:demande": DU_CANDIDAT,
    "equipe_donnees:demandes": EQUIPE,
    "equipe_donnees:demande": EQUIPE,
    "mfa_activate_totp": CONNECTE_AILLEURS,
    "mfa_authenticate": CONNECTE_AILLEURS,
    "mfa_reauthenticate": CONNECTE_AILLEURS,
    "mfa_generate_recovery_codes": CONNECTE_AILLEURS,
    # Nothing to deactivate or show before TOTP is set up.
    "mfa_deactivate_totp": tous(404, anonyme=LOGIN),
    "mfa_view_recovery_codes": tous(404, anonyme=LOGIN),
    "mfa_download_recovery_codes": tous(404, anonyme=LOGIN),
    # --- the candidate's space ---
    "candidatures:liste": CONNECTE,
    "candidatures:nouvelle": CONNECTE,
    "candidatures:demander_acces": POST_CONNECTE,
    # An access link is the credential (the page asks to accept it).
    "candidatures:invitation": CONNECTE,
    "candidatures:formulaire": DU_CANDIDAT,
    "candidatures:pdf": DU_CANDIDAT,
    # Staff open receipts from their detail page.
    "candidatures:recu": tous(404, anonyme=LOGIN, candidat=200, equipe=200),
    "candidatures:enregistrer": POST_CONNECTE,
    "candidatures:soumettre": POST_CONNECTE,
    "candidatures:rouvrir": POST_CONNECTE,
    "candidatures:inviter": POST_CONNECTE,
    "candidatures:accorder": POST_CONNECTE,
    "candidatures:retirer": POST_CONNECTE,
    "pieces:ajouter": POST_CONNECTE,
    "pieces:telecharger": tous(404, anonyme=LOGIN, candidat=200, equipe=200),
    "pieces:supprimer": POST_CONNECTE,
    "resultat_candidat:resultat": DU_CANDIDAT,
    "resultat_candidat:lettre": DU_CANDIDAT,
    # --- staff: candidatures ---
    "equipe_candidatures:liste": EQUIPE,
    "equipe_candidatures:export_csv": EQUIPE,
    "equipe_candidatures:export_xlsx": EQUIPE,
    "equipe_candidatures:detail": EQUIPE,
    # --- the juror's space (the conflicted juror is assigned to A: the tie alone closes it) ---
    "jury:accueil": CONNECTE,
    "jury:liens": tous(404, anonyme=LOGIN, jure=200, jure_en_conflit=200),
    "jury:candidatures": tous(404, anonyme=LOGIN, jure=200, jure_en_conflit=200),
    "jury:evaluation": tous(404, anonyme=LOGIN, jure=200),
    "jury:piece": tous(404, anonyme=LOGIN, jure=200),
    "jury:note": POST_CONNECTE,
    "jury:commentaire": POST_CONNECTE,
    "jury:soumettre": POST_CONNECTE,
    # --- staff: jury, deliberation, results ---
    "equipe_jury:accueil": tous(404, anonyme=LOGIN, equipe=AILLEURS),
    "equipe_jury:tableau": EQUIPE,
    "equipe_jury:affectations": EQUIPE,
    "equipe_jury:parametrer": EQUIPE_POST,
    "equipe_jury:inviter": EQUIPE_POST,
    "equipe_jury:retirer": EQUIPE_POST,
    "equipe_jury:proposer": EQUIPE_POST,
    "equipe_jury:prevenir": EQUIPE_POST,
    "equipe_jury:affecter": EQUIPE_POST,
    "equipe_jury:desaffecter": EQUIPE_POST,
    "equipe_jury:rouvrir": EQUIPE_POST,
    "deliberation:classement": EQUIPE,
    "deliberation:composition": EQUIPE,
    "deliberation:export_xlsx": EQUIPE,
    "deliberation:synthese_pdf": EQUIPE,
    "deliberation:ouvrir": EQUIPE_POST,
    # GET: the row's editor (htmx); without htmx, a redirect to the ranking with it open.
    "deliberation:decision": tous(404, anonyme=LOGIN, equipe=AILLEURS),
    "resultats:resultats": EQUIPE,
    "resultats:lettre": EQUIPE,
    # Results already published: the page sends staff back to the results.
    "resultats:envoyer": tous(404, anonyme=LOGIN, equipe=AILLEURS),
    "resultats:modele": EQUIPE_POST,
    "resultats:programmer": EQUIPE_POST,
    "resultats:deprogrammer": EQUIPE_POST,
    # --- sessions: participants ---
    "seances:calendrier": CONNECTE,
    "seances:agenda": CONNECTE,
    "seances:attestations": CONNECTE,
    "seances:seance": tous(404, anonyme=LOGIN, participant=200, autre_participant=200, equipe=200),
    "seances:ressource": tous(
        404, anonyme=LOGIN, participant=200, autre_participant=200, equipe=200
    ),
    "seances:confirmer": DES_PARTICIPANTS,
    # Staff are sent to their own page of the session / of the needs.
    "seances:evaluer": tous(
        404, anonyme=LOGIN, participant=200, autre_participant=200, equipe=AILLEURS
    ),
    "seances:besoins": tous(
        404, anonyme=LOGIN, participant=200, autre_participant=200, equipe=AILLEURS
    ),
    "seances:questions": POST_CONNECTE,
    "seances:question_retirer": POST_CONNECTE,
    # The page says « je suis là »; the POST checks the code and the account.
    "seances:pointer": CONNECTE,
    "seances:mon_binome": tous(
        404, anonyme=LOGIN, participant=AILLEURS, autre_participant=AILLEURS
    ),
    "seances:binome": tous(404, anonyme=LOGIN, participant=200, equipe=200),
    "seances:attestation_pdf": tous(404, anonyme=LOGIN, participant=200, equipe=200),
    # --- sessions: staff ---
    "equipe_seances:accueil": tous(404, anonyme=LOGIN, equipe=AILLEURS),
    "equipe_seances:tableau": EQUIPE,
    "equipe_seances:cohorte": EQUIPE,
    "equipe_seances:remplacer": EQUIPE_POST,
    "equipe_seances:suppleant": EQUIPE_POST,
    "equipe_seances:besoins": EQUIPE,
    "equipe_seances:seance": EQUIPE,
    "equipe_seances:questions": EQUIPE,
    "equipe_seances:questions_pdf": EQUIPE,
    "equipe_seances:appel": EQUIPE,
    "equipe_seances:marquer": EQUIPE_POST,
    "equipe_seances:qr": EQUIPE,
    "equipe_seances:emargement": EQUIPE,
    "equipe_seances:evaluations": EQUIPE,
    "equipe_seances:assiduite": EQUIPE,
    "equipe_seances:assiduite_xlsx": EQUIPE,
    "equipe_seances:attestations": EQUIPE,
    # --- logbook ---
    # Without a pair the home page says so (200), it does not hide.
    "journal:accueil": CONNECTE,
    "journal:entree": DES_PARTICIPANTS,
    "journal:element_ajouter": POST_CONNECTE,
    "journal:notes": POST_CONNECTE,
    # Staff read what was shared with the group.
    "journal:partages": tous(
        404, anonyme=LOGIN, participant=200, autre_participant=200, equipe=200
    ),
    "journal:element": POST_CONNECTE,
    "journal:element_partager": POST_CONNECTE,
    "journal:element_supprimer": DU_PARTICIPANT,
    "journal:pdf": DES_PARTICIPANTS,
    "journal:relais": DES_PARTICIPANTS,
    "journal:relais_modifier": DU_PARTICIPANT,
    "journal:relais_supprimer": POST_CONNECTE,
    "journal:experimentations": DES_PARTICIPANTS,
    "journal:experimentation_modifier": DU_PARTICIPANT,
    "journal:experimentation_supprimer": POST_CONNECTE,
    "journal:autodiagnostic": DES_PARTICIPANTS,
    # The first moment is open: the page sends on to the form's current step.
    "journal:autodiagnostic_remplir": tous(
        404, anonyme=LOGIN, participant=AILLEURS, autre_participant=AILLEURS
    ),
    "equipe_journal:ouverture": EQUIPE,
    "equipe_journal:engagements": EQUIPE,
    "equipe_journal:autodiagnostics": EQUIPE,
    # --- capitalisation ---
    "capitalisation:parcours": tous(404, anonyme=LOGIN, participant=200, equipe=200),
    "capitalisation:parcours_pdf": tous(404, anonyme=LOGIN, participant=200, equipe=200),
    "equipe_capitalisation:accueil": tous(404, anonyme=LOGIN, equipe=AILLEURS),
    "equipe_capitalisation:rapport": EQUIPE,
    "equipe_capitalisation:apercu": EQUIPE,
    "equipe_capitalisation:generer": EQUIPE_POST,
    "equipe_capitalisation:version_etat": EQUIPE,
    "equipe_capitalisation:version_telecharger": EQUIPE,
}

# POST by the roles that must not act (an empty form: refused before any validation).
POST_EQUIPE = tous(404, anonyme=LOGIN, equipe=None)
POST_CANDIDAT = tous(404, anonyme=LOGIN, candidat=None)
POST_JURE = tous(404, anonyme=LOGIN, jure=None)
POST_PARTICIPANT = tous(404, anonyme=LOGIN, participant=None)
POST_PARTICIPANTS = tous(404, anonyme=LOGIN, participant=None, autre_participant=None)

ATTENDU_POST: dict[str, dict] = {
    # Anyone signed in may ask the holder of a candidature for access.
    "candidatures:demander_acces": tous(None, anonyme=LOGIN),
    "candidatures:enregistrer": POST_CANDIDAT,
    "candidatures:soumettre": POST_CANDIDAT,
    "candidatures:rouvrir": POST_CANDIDAT,
    "candidatures:inviter": POST_CANDIDAT,
    "candidatures:accorder": POST_CANDIDAT,
    "candidatures:retirer": POST_CANDIDAT,
    "pieces:ajouter": POST_CANDIDAT,
    "pieces:supprimer": POST_CANDIDAT,
    "jury:note": POST_JURE,
    "jury:commentaire": POST_JURE,
    "jury:soumettre": POST_JURE,
    "seances:questions": POST_PARTICIPANTS,
    "seances:question_retirer": POST_PARTICIPANT,
    "journal:element_ajouter": POST_PARTICIPANTS,
    "journal:notes": POST_PARTICIPANTS,
    "journal:element": POST_PARTICIPANT,
    "journal:element_partager": POST_PARTICIPANT,
    "journal:relais_supprimer": POST_PARTICIPANT,
    "journal:experimentation_supprimer": POST_PARTICIPANT,
    **{route: POST_EQUIPE for route, ligne in ATTENDU.items() if ligne is EQUIPE_POST},
}

# --- the tests ------------------------------------------------------------------------------


def test_chaque_route_a_sa_ligne():
    routes = set(routes_du_projet())
    assert sorted(routes - set(ATTENDU)) == [], "routes sans ligne dans ATTENDU"
    assert sorted(set(ATTENDU) - routes) == [], "lignes d'ATTENDU pour des routes disparues"
    assert sorted(set(ATTENDU_POST) - routes) == []
    sans_post = [r for r, ligne in ATTENDU.items() if 405 in ligne.values()]
    assert sorted(set(sans_post) - set(ATTENDU_POST)) == [], "405 sans essai de POST"


def _client(m, role) -> Client:
    client = Client(raise_request_exception=False)
    if role in m.cookies:
        client.cookies = copy.deepcopy(m.cookies[role])
    return client


def _verdict(reponse) -> object:
    if reponse.streaming:
        # Read to the end: the test client then closes the file (attachments, resources).
        b"".join(reponse.streaming_content)
    if reponse.status_code == 302:
        connexion = reverse("account_login")
        return LOGIN if reponse["Location"].startswith(connexion) else AILLEURS
    return reponse.status_code


# Known access bugs: (route, role) → reason; the case is a strict xfail until fixed.
BOGUES: dict[tuple[str, str], str] = {}
BOGUES_POST: dict[tuple[str, str], str] = {}


def _cas(table, bogues):
    for route in sorted(table):
        for role, attendu in table[route].items():
            if attendu is None:
                continue
            marques = ()
            if (route, role) in bogues:
                marques = pytest.mark.xfail(strict=True, reason=bogues[route, role])
            yield pytest.param(route, role, attendu, id=f"{route}-{role}", marks=marques)


@pytest.mark.parametrize(("route", "role", "attendu"), list(_cas(ATTENDU, BOGUES)))
def test_get(monde, route, role, attendu):
    reponse = _client(monde, role).get(_url(route, monde))

    assert _verdict(reponse) == attendu


@pytest.mark.parametrize(("route", "role", "attendu"), list(_cas(ATTENDU_POST, BOGUES_POST)))
def test_post_refuse(monde, route, role, attendu):
    reponse = _client(monde, role).post(_url(route, monde), {})

    assert _verdict(reponse) == attendu


# --- the admin, by rule ---------------------------------------------------------------------


def _urls_admin() -> list[str]:
    urls = [reverse("admin:index")]
    for modele in admin.site._registry:
        meta = modele._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_admin_reservee_a_l_equipe(monde, role):
    """Every admin URL: the admin login for anonymous visitors and non-staff, 200 for staff."""
    client = _client(monde, role)
    connexion = reverse("admin:login")
    verdicts = {}
    for url in _urls_admin():
        reponse = client.get(url)
        if reponse.status_code == 302 and reponse["Location"].startswith(connexion):
            verdicts[url] = "connexion admin"
        else:
            verdicts[url] = reponse.status_code

    attendu = 200 if role == "equipe" else "connexion admin"
    assert verdicts == dict.fromkeys(_urls_admin(), attendu)
