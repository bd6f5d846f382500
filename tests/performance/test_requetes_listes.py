"""Every list page costs a fixed number of SQL queries, whatever the number of its rows.

The same world is built twice, with ``PETIT`` then ``GRAND`` rows of every kind the pages list
(candidatures, jurors, assignments and their marks, pairs and members, sessions, attendance,
questions, evaluations, logbook items, relays, experiments, self-assessments, cycles…). Each
page is asked once to warm what is cached for the process (content types, the site), then
counted on a second request. The figure of each page is written in ``REQUETES``: a page that
starts querying per row changes between the two sizes, and any change to a page's cost fails
its line until the figure is updated on purpose. Issue 8's ceiling is ``PLAFOND``.

Both worlds are built and measured once for the module, in a transaction rolled back after
each size (the staff's home pages and the admin list every cycle: the sizes cannot share a
database).
"""

import datetime
import shutil
import tempfile

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.donnees import construire_grand_cycle
from candidatures.grille import grille_par_defaut
from candidatures.models import Acces, VersionCandidature
from candidatures.services import instantane
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.territoires.models import TypeTerritoire
from jury.services import deliberation_ouvrir, jury_obtenir
from seances.models import Binome, Membre, Seance
from seances.services import attestations_delivrer
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    CycleFactory,
    DecisionFactory,
    DepartementFactory,
    JureFactory,
    LienFactory,
    PieceJointeFactory,
    TerritoireFactory,
    UserFactory,
    noter,
)

PETIT, GRAND = 2, 8
PLAFOND = 12
# Not lists but one whole document each (a session with the pair's day, a collectivity's
# journey, the cycle's report): constant too, their figure fixed, above the lists' ceiling.
DOCUMENTS = {"seances:seance", "capitalisation:parcours", "equipe_capitalisation:apercu"}
STATUTS_DECISION = ("retenue", "attente", "non_retenue")


# --- the world ------------------------------------------------------------------------------


class Monde:
    """The people who ask for the pages, and what the URLs point at."""


def _territoires():
    # A few territories of the region instead of the official list (what the bench generator
    # draws its collectivities from): enough communes and EPCI for the larger cycle.
    for code, nom in [("02", "Aisne"), ("59", "Nord"), ("60", "Oise"), ("80", "Somme")]:
        departement = DepartementFactory(code=code, nom=nom)
        TerritoireFactory.create_batch(GRAND, departement=departement)
        TerritoireFactory(departement=departement, type=TypeTerritoire.CC, nom=f"CC {nom}")


def _selection(m, n):
    """A cycle in selection, results published: ``n`` candidatures (each with an attachment,
    a submitted version, a decision, a co-editor), ``n`` jurors assigned to all of them, their
    grids filled (the first juror's all submitted, the others' every other one)."""
    maintenant = timezone.now()
    m.cycle_selection = CycleFactory(
        statut=StatutCycle.SELECTION,
        ouverture_ami=maintenant - datetime.timedelta(days=60),
        date_limite=maintenant - datetime.timedelta(days=5),
        resultats_publies_le=maintenant - datetime.timedelta(days=1),
    )
    grille_par_defaut(cycle := m.cycle_selection)
    candidatures = [CandidatureDeposeeFactory(cycle=cycle) for _i in range(n)]
    for rang, candidature in enumerate(candidatures):
        PieceJointeFactory(candidature=candidature)
        VersionCandidature.objects.create(
            candidature=candidature,
            numero=1,
            donnees=instantane(candidature),
            deposee_le=maintenant - datetime.timedelta(days=10),
            deposee_par=candidature.proprietaire,
        )
        statut = STATUTS_DECISION[rang % 3]
        DecisionFactory(
            candidature=candidature,
            statut=statut,
            rang_attente=rang if statut == "attente" else None,
            motif="" if statut == "retenue" else "Les places étaient comptées.",
        )
        Acces.objects.create(
            candidature=candidature, email=f"coediteur{rang}@exemple.fr", invite_par=m.equipe
        )
    m.candidature = candidatures[0]
    m.candidat = m.candidature.proprietaire
    role_attribuer(m.candidat, Role.CANDIDAT)
    # The candidate's other candidatures, one per cycle whose call is open.
    for _i in range(n - 1):
        CandidatureFactory(proprietaire=m.candidat)

    jures = [JureFactory(cycle=cycle) for _i in range(n)]
    m.jure_obj = jures[0]
    m.jure = m.jure_obj.user
    for _i in range(n):
        LienFactory(jure=m.jure_obj)
    for rang_jure, jure in enumerate(jures):
        for rang, candidature in enumerate(candidatures):
            affectation = AffectationFactory(candidature=candidature, jure=jure)
            noter(
                affectation,
                {2: 1 + (rang + rang_jure) % 4, 3: 1 + rang % 4},
                # Every candidature has a submitted grid, some have one still open.
                soumettre=rang_jure == 0 or rang % 2 == 0,
            )
    deliberation_ouvrir(jury_obtenir(cycle), par=m.equipe)


def _en_cours(m, n):
    """A cycle under way from the bench generator: ``n`` pairs, ``n`` past sessions, their
    attendance, questions, evaluations, logbooks, relays, experiments and
    self-assessments, and the attestations issued."""
    aujourd_hui = timezone.localdate()
    debut = aujourd_hui - datetime.timedelta(days=28 * n)
    bilan = construire_grand_cycle(
        collectivites=n,
        seances=n,
        # 2n items shared with the group per session: a session's pages grow with n too.
        partages=2 * n * n,
        suppleants=n // 2,
        remplacements=1,
        graine=n,
        slug=f"requetes-{n}",
        debut=debut,
    )
    cycle = m.cycle_cours = bilan.cycle
    attestations_delivrer(cycle, par=m.equipe, aujourdhui=aujourd_hui + datetime.timedelta(400))
    cycle.statut = StatutCycle.EN_COURS
    cycle.save(update_fields=["statut"])
    m.seance = Seance.objects.filter(cycle=cycle).order_by("numero").first()
    m.binome = Binome.objects.filter(cycle=cycle).order_by("pk").first()
    m.membre = m.binome.membres.filter(actif=True, suppleant=False).order_by("pk").first()
    m.participant = m.membre.user
    assert Membre.objects.filter(binome__cycle=cycle).count() >= 2 * n


def _construire(n) -> Monde:
    m = Monde()
    m.anonyme = None
    # Staff as they are: not superusers, so the admin reads their permissions (two queries).
    m.equipe = UserFactory(is_staff=True, email=f"equipe{n}@requetes.test")
    m.equipe.user_permissions.set(
        Permission.objects.filter(
            codename__in=[f"view_{modele._meta.model_name}" for modele in admin.site._registry]
        )
    )
    m.cycle_ami = CycleFactory()
    _territoires()
    _selection(m, n)
    _en_cours(m, n)
    return m


# --- the pages ------------------------------------------------------------------------------

# (route, role, kwargs from the world, query string) — the kwargs name attributes of ``Monde``.
PAGES = {
    "accueil-anonyme": ("accueil", "anonyme", {}, ""),
    "accueil-candidat": ("accueil", "candidat", {}, ""),
    "accueil-jure": ("accueil", "jure", {}, ""),
    "accueil-participant": ("accueil", "participant", {}, ""),
    "accueil-equipe": ("accueil", "equipe", {}, ""),
    "ami:appel": ("ami:appel", "anonyme", {"slug": "cycle_ami.slug"}, ""),
    "territoires:recherche": ("territoires:recherche", "anonyme", {}, "?q=commune"),
    "candidatures:liste": ("candidatures:liste", "candidat", {}, ""),
    "candidatures:formulaire": (
        "candidatures:formulaire",
        "candidat",
        {"pk": "candidature.pk"},
        "",
    ),
    "equipe_candidatures:liste": ("equipe_candidatures:liste", "equipe", {}, ""),
    "equipe_candidatures:detail": (
        "equipe_candidatures:detail",
        "equipe",
        {"pk": "candidature.pk"},
        "",
    ),
    "jury:accueil": ("jury:accueil", "jure", {}, ""),
    "jury:liens": ("jury:liens", "jure", {"cycle": "cycle_selection.slug"}, ""),
    "jury:candidatures": ("jury:candidatures", "jure", {"cycle": "cycle_selection.slug"}, ""),
    "jury:evaluation": (
        "jury:evaluation",
        "jure",
        {"cycle": "cycle_selection.slug", "candidature_pk": "candidature.pk"},
        "",
    ),
    "equipe_jury:tableau": ("equipe_jury:tableau", "equipe", {"cycle": "cycle_selection.slug"}, ""),
    "equipe_jury:affectations": (
        "equipe_jury:affectations",
        "equipe",
        {"cycle": "cycle_selection.slug"},
        "",
    ),
    "deliberation:classement": (
        "deliberation:classement",
        "equipe",
        {"cycle": "cycle_selection.slug"},
        "",
    ),
    "deliberation:composition": (
        "deliberation:composition",
        "equipe",
        {"cycle": "cycle_selection.slug"},
        "",
    ),
    "resultats:resultats": (
        "resultats:resultats",
        "equipe",
        {"cycle": "cycle_selection.slug"},
        "",
    ),
    "seances:calendrier": ("seances:calendrier", "participant", {}, ""),
    "seances:agenda": ("seances:agenda", "participant", {}, ""),
    "seances:attestations": ("seances:attestations", "participant", {}, ""),
    "seances:seance": ("seances:seance", "participant", {"pk": "seance.pk"}, ""),
    "seances:binome": ("seances:binome", "participant", {"pk": "binome.pk"}, ""),
    "seances:besoins": ("seances:besoins", "participant", {"cycle": "cycle_cours.slug"}, ""),
    "equipe_seances:tableau": (
        "equipe_seances:tableau",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "equipe_seances:cohorte": (
        "equipe_seances:cohorte",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "equipe_seances:besoins": (
        "equipe_seances:besoins",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "equipe_seances:seance": (
        "equipe_seances:seance",
        "equipe",
        {"cycle": "cycle_cours.slug", "numero": "seance.numero"},
        "",
    ),
    "equipe_seances:questions": (
        "equipe_seances:questions",
        "equipe",
        {"cycle": "cycle_cours.slug", "numero": "seance.numero"},
        "",
    ),
    "equipe_seances:appel": (
        "equipe_seances:appel",
        "equipe",
        {"cycle": "cycle_cours.slug", "numero": "seance.numero"},
        "",
    ),
    "equipe_seances:evaluations": (
        "equipe_seances:evaluations",
        "equipe",
        {"cycle": "cycle_cours.slug", "numero": "seance.numero"},
        "",
    ),
    "equipe_seances:assiduite": (
        "equipe_seances:assiduite",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "equipe_seances:attestations": (
        "equipe_seances:attestations",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "journal:accueil": ("journal:accueil", "participant", {}, ""),
    "journal:entree": ("journal:entree", "participant", {"pk": "seance.pk"}, ""),
    "journal:partages-participant": ("journal:partages", "participant", {"pk": "seance.pk"}, ""),
    "journal:partages-equipe": ("journal:partages", "equipe", {"pk": "seance.pk"}, ""),
    "journal:relais": ("journal:relais", "participant", {}, ""),
    "journal:experimentations": ("journal:experimentations", "participant", {}, ""),
    "journal:autodiagnostic": ("journal:autodiagnostic", "participant", {}, ""),
    "equipe_journal:ouverture": (
        "equipe_journal:ouverture",
        "equipe",
        {"cycle": "cycle_cours.slug", "numero": "seance.numero"},
        "",
    ),
    "equipe_journal:engagements": (
        "equipe_journal:engagements",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "equipe_journal:autodiagnostics": (
        "equipe_journal:autodiagnostics",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "capitalisation:parcours": (
        "capitalisation:parcours",
        "participant",
        {"binome": "binome.pk"},
        "",
    ),
    "equipe_capitalisation:rapport": (
        "equipe_capitalisation:rapport",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
    "equipe_capitalisation:apercu": (
        "equipe_capitalisation:apercu",
        "equipe",
        {"cycle": "cycle_cours.slug"},
        "",
    ),
}

# The admin's changelists (paginated), for every registered model.
ADMIN = sorted(
    f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist"
    for modele in admin.site._registry
)

# Queries of each page, the same at both sizes, on SQLite and on PostgreSQL. Three of them
# come with every signed-in page: the session, the user, their roles (the menu).
REQUETES: dict[str, int] = {
    "accueil-anonyme": 3,
    "accueil-candidat": 6,
    "accueil-jure": 6,
    "accueil-participant": 6,
    "accueil-equipe": 6,
    "ami:appel": 2,
    "territoires:recherche": 1,
    "candidatures:liste": 7,
    # The access check and the detail (attachments, referents…) in one fetch.
    "candidatures:formulaire": 8,
    "equipe_candidatures:liste": 8,
    "equipe_candidatures:detail": 11,
    "jury:accueil": 5,
    "jury:liens": 7,
    "jury:candidatures": 5,
    "jury:evaluation": 12,
    "equipe_jury:tableau": 11,
    "equipe_jury:affectations": 12,
    "deliberation:classement": 12,
    "deliberation:composition": 12,
    "resultats:resultats": 11,
    "seances:calendrier": 9,
    "seances:agenda": 5,
    "seances:attestations": 6,
    "seances:seance": 16,
    "seances:binome": 6,
    "seances:besoins": 8,
    "equipe_seances:tableau": 8,
    "equipe_seances:cohorte": 7,
    "equipe_seances:besoins": 6,
    "equipe_seances:seance": 10,
    "equipe_seances:questions": 7,
    "equipe_seances:appel": 10,
    "equipe_seances:evaluations": 10,
    "equipe_seances:assiduite": 9,
    "equipe_seances:attestations": 12,
    "journal:accueil": 5,  # sessions and entry counts in one query, no speakers
    "journal:entree": 10,
    "journal:partages-participant": 5,  # the seat read with the session, in one query
    "journal:partages-equipe": 5,  # the seat read with the session, in one query
    "journal:relais": 6,
    "journal:experimentations": 6,
    "journal:autodiagnostic": 7,
    "equipe_journal:ouverture": 7,
    "equipe_journal:engagements": 7,
    "equipe_journal:autodiagnostics": 8,
    "capitalisation:parcours": 14,
    "equipe_capitalisation:rapport": 8,
    "equipe_capitalisation:apercu": 29,
    # The admin shows no site menu: the roles (read lazily) cost it no query.
    "admin:account_emailaddress_changelist": 7,
    "admin:auth_group_changelist": 7,
    "admin:candidatures_candidature_changelist": 9,
    "admin:candidatures_critere_changelist": 8,
    "admin:capitalisation_rapport_changelist": 7,
    "admin:capitalisation_version_changelist": 10,
    "admin:comptes_demandesuppression_changelist": 7,
    "admin:comptes_user_changelist": 8,
    "admin:courriels_courriel_changelist": 10,
    "admin:cycles_cycle_changelist": 8,
    "admin:django_celery_beat_clockedschedule_changelist": 7,
    "admin:django_celery_beat_crontabschedule_changelist": 7,
    "admin:django_celery_beat_intervalschedule_changelist": 7,
    "admin:django_celery_beat_periodictask_changelist": 10,
    "admin:django_celery_beat_solarschedule_changelist": 7,
    "admin:historique_historique_changelist": 9,
    "admin:journal_consigne_changelist": 8,
    "admin:journal_diagnostic_changelist": 8,
    "admin:journal_element_changelist": 8,
    "admin:journal_experimentation_changelist": 9,
    "admin:journal_questiondiagnostic_changelist": 9,
    "admin:journal_relais_changelist": 11,
    "admin:jury_affectation_changelist": 8,
    "admin:jury_decision_changelist": 8,
    "admin:jury_jure_changelist": 8,
    "admin:jury_jury_changelist": 7,
    "admin:jury_modeledecision_changelist": 8,
    "admin:mfa_authenticator_changelist": 7,
    "admin:seances_attestation_changelist": 8,
    "admin:seances_binome_changelist": 8,
    "admin:seances_confirmation_changelist": 8,
    "admin:seances_evaluation_changelist": 9,
    "admin:seances_presence_changelist": 8,
    "admin:seances_question_changelist": 9,
    "admin:seances_reglages_changelist": 7,
    "admin:seances_seance_changelist": 10,
    "admin:sites_site_changelist": 7,
    "admin:territoires_departement_changelist": 8,
    "admin:territoires_region_changelist": 7,
    "admin:territoires_territoire_changelist": 8,
}


def _valeur(m, chemin):
    objet = m
    for attribut in chemin.split("."):
        objet = getattr(objet, attribut)
    return objet


def _url(m, page) -> str:
    if page in PAGES:
        route, _role, kwargs, requete = PAGES[page]
        return reverse(route, kwargs={k: _valeur(m, v) for k, v in kwargs.items()}) + requete
    return reverse(page)


def _role(page) -> str:
    return PAGES[page][1] if page in PAGES else "equipe"


def _mesurer(m) -> dict[str, tuple[int, int, list[str]]]:
    """Each page → (status, queries, their SQL), on a second request."""
    clients = {}
    for role in ("anonyme", "candidat", "jure", "participant", "equipe"):
        clients[role] = Client(raise_request_exception=False)
        if getattr(m, role) is not None:
            clients[role].force_login(getattr(m, role))
    mesures = {}
    for page in [*PAGES, *ADMIN]:
        client, url = clients[_role(page)], _url(m, page)
        client.get(url)
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url)
        mesures[page] = (reponse.status_code, len(requetes), [q["sql"] for q in requetes])
    return mesures


@pytest.fixture(scope="module")
def mesures(django_db_setup, django_db_blocker):
    dossier = tempfile.mkdtemp(prefix="requetes-")
    medias = override_settings(MEDIA_ROOT=f"{dossier}/media", PRIVATE_MEDIA_ROOT=f"{dossier}/prive")
    medias.enable()
    resultats = {}
    try:
        with django_db_blocker.unblock():
            for n in (PETIT, GRAND):
                cache.clear()
                with transaction.atomic():
                    resultats[n] = _mesurer(_construire(n))
                    transaction.set_rollback(True)
    finally:
        cache.clear()
        medias.disable()
        shutil.rmtree(dossier, ignore_errors=True)
    return resultats


@pytest.mark.parametrize("page", [*PAGES, *ADMIN])
def test_nombre_de_requetes_fixe(mesures, db, page):
    statut_petit, petit, _sql = mesures[PETIT][page]
    statut_grand, grand, sql = mesures[GRAND][page]
    detail = f"{petit} requêtes à {PETIT} lignes, {grand} à {GRAND} :\n" + "\n".join(sql)

    assert (statut_petit, statut_grand) == (200, 200)
    assert grand == petit, detail
    assert grand <= PLAFOND or page in DOCUMENTS, detail
    assert grand == REQUETES.get(page), detail
