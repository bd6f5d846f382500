"""Who reads what of the logbook, for every audience and every role: the author, their
pair-mate, a member of another pair of the same cycle, a participant of another cycle, staff,
an anonymous visitor — on the page of what was shared and through
``selectors.partages_visibles`` (the one place the rule is written).

- « Pour moi seul·e »: the author only (not their pair-mate, not staff);
- « Mon binôme »: the pair only (not staff, not the group);
- « Le groupe, avec mon nom »: every participant of the cycle and staff, with the name;
- « Le groupe, sans mon nom »: the same readers, never the author's name nor collectivity.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from journal import selectors
from tests.factories import (
    BinomeFactory,
    CandidatureDeposeeFactory,
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    MembreFactory,
    SeanceFactory,
    TerritoireFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

PRIVE = "Mon adjoint freine tout : je ne sais plus comment lui en parler."
BINOME = "À redire ensemble au bureau municipal de lundi."
GROUPE = "Le tour de table en binôme a délié les langues."
ANONYME = "Nos habitant·es ne viennent plus aux réunions publiques."

AUTEUR = ("Hortense", "Zébulon")
COLLECTIVITE = "Quasimodo-sur-Mer"
DISCRET = ("Zéphyrinette", "Quenouillard")
COLLECTIVITE_DISCRETE = "Discrétion-les-Bains"
# The badge that marks an item of one's own pair.
MARQUE_BINOME = ">votre binôme</span>"


def _binome(cycle, collectivite, elu=None):
    territoire = TerritoireFactory(nom=collectivite, region=cycle.region)
    binome = BinomeFactory(
        candidature=CandidatureDeposeeFactory(cycle=cycle, territoire=territoire)
    )
    MembreFactory(binome=binome, role="elu", **({"user": elu} if elu else {}))
    MembreFactory(binome=binome, role="technicien")
    return binome


@pytest.fixture
def monde(equipe):
    cycle = CycleFactory(statut="en_cours")
    seance = SeanceFactory(
        cycle=cycle, numero=1, date=timezone.localdate() - datetime.timedelta(days=2)
    )
    binome = _binome(cycle, COLLECTIVITE, UserFactory(first_name=AUTEUR[0], last_name=AUTEUR[1]))
    auteur = binome.membres.get(role="elu")
    entree = EntreeFactory(membre=auteur, seance=seance)
    for texte, audience in (
        (PRIVE, "prive"),
        (BINOME, "binome"),
        (GROUPE, "groupe"),
        (ANONYME, "groupe_anonyme"),
    ):
        ElementFactory(entree=entree, texte=texte, audience=audience)
    autre_cycle = binome_complet(CycleFactory(statut="en_cours"))
    return {
        "cycle": cycle,
        "seance": seance,
        "auteur": auteur.user,
        "binome": binome.membres.get(role="technicien").user,
        "autre_binome": _binome(cycle, "Béthune").membres.get(role="elu").user,
        "autre_cycle": autre_cycle.membres.get(role="elu").user,
        "equipe": equipe,
    }


def _lus(user, seance) -> set[str]:
    return set(selectors.partages_visibles(user, seance).values_list("texte", flat=True))


def _page(client, user, seance):
    client.force_login(user)
    return client.get(reverse("journal:partages", args=[seance.pk]))


# Who reads which of the author's items (the author reads theirs on the entry page: the page of
# what was shared shows the others' items).
ATTENDU = {
    "auteur": set(),
    "binome": {BINOME, GROUPE, ANONYME},
    "autre_binome": {GROUPE, ANONYME},
    "equipe": {GROUPE, ANONYME},
    "autre_cycle": set(),
}


@pytest.mark.parametrize("role", list(ATTENDU))
def test_partages_visibles_par_role(monde, role):
    assert _lus(monde[role], monde["seance"]) == ATTENDU[role]


def test_partages_visibles_pour_un_anonyme(monde):
    assert _lus(AnonymousUser(), monde["seance"]) == set()


@pytest.mark.parametrize("role", ["binome", "autre_binome", "equipe"])
def test_la_page_des_partages_par_role(client, monde, role):
    reponse = _page(client, monde[role], monde["seance"])
    assert reponse.status_code == 200
    page = reponse.content.decode()
    for texte in (PRIVE, BINOME, GROUPE, ANONYME):
        assert (texte.replace("'", "&#x27;") in page) == (texte in ATTENDU[role]), texte
    # A private item is never read by anyone else, staff included.
    assert PRIVE not in page


def test_l_auteur_lit_tout_sur_son_entree_et_rien_de_soi_dans_les_partages(client, monde):
    seance = monde["seance"]
    page = _page(client, monde["auteur"], seance).content.decode()
    for texte in (PRIVE, BINOME, GROUPE, ANONYME):
        assert texte not in page
    entree = client.get(reverse("journal:entree", args=[seance.pk])).content.decode()
    for texte in (PRIVE, BINOME, GROUPE, ANONYME):
        assert texte in entree


def test_le_nom_accompagne_ce_qui_est_partage_avec_le_groupe(client, monde):
    nom = " ".join(AUTEUR)
    for role in ("binome", "autre_binome", "equipe"):
        page = _page(client, monde[role], monde["seance"]).content.decode()
        assert nom in page, role
        assert COLLECTIVITE in page, role
    # The pair-mate sees which items come from their pair.
    assert MARQUE_BINOME in _page(client, monde["binome"], monde["seance"]).content.decode()
    assert (
        MARQUE_BINOME not in _page(client, monde["autre_binome"], monde["seance"]).content.decode()
    )


def test_un_auteur_sans_nom_ni_territoire(client, monde):
    """Named by their address, their collectivity by the structure's name, as elsewhere."""
    candidature = CandidatureDeposeeFactory(
        cycle=monde["cycle"],
        territoire=None,
        structure_nom="Parc naturel des Caps",
        departement=TerritoireFactory(region=monde["cycle"].region).departement,
    )
    auteur = MembreFactory(
        binome=BinomeFactory(candidature=candidature),
        role="elu",
        user=UserFactory(first_name="", last_name="", email="sans.nom@parc.fr"),
    )
    ElementFactory(
        entree=EntreeFactory(membre=auteur, seance=monde["seance"]),
        texte="Une idée du parc",
        audience="groupe",
    )
    page = _page(client, monde["autre_binome"], monde["seance"]).content.decode()
    assert "Une idée du parc" in page
    assert "sans.nom@parc.fr, Parc naturel des Caps" in page


def test_l_anonyme_ne_montre_ni_nom_ni_collectivite(client, monde):
    """An author who shares only anonymously: nobody finds their name or collectivity."""
    seance = monde["seance"]
    discret = _binome(
        monde["cycle"],
        COLLECTIVITE_DISCRETE,
        UserFactory(first_name=DISCRET[0], last_name=DISCRET[1], email="zq@discret.fr"),
    ).membres.get(role="elu")
    secret_anonyme = "Personne ne doit savoir que c'est nous."
    ElementFactory(
        entree=EntreeFactory(membre=discret, seance=seance),
        texte=secret_anonyme,
        audience="groupe_anonyme",
        rubrique="vigilance",
    )
    # Its pair-mate reads it like everyone else: no « votre binôme » marker either.
    mate = discret.binome.membres.get(role="technicien").user
    for user in (monde["binome"], monde["autre_binome"], monde["equipe"], mate):
        page = _page(client, user, seance).content.decode()
        assert secret_anonyme.replace("'", "&#x27;") in page
        assert "anonyme" in page
        for indice in (
            DISCRET[0],
            DISCRET[1],
            "zq@discret.fr",
            COLLECTIVITE_DISCRETE,
            "Discr",
        ):
            assert indice not in page, indice
        if user == mate:
            assert MARQUE_BINOME not in page


def test_un_participant_d_un_autre_cycle_ne_lit_rien(client, monde):
    reponse = _page(client, monde["autre_cycle"], monde["seance"])
    assert reponse.status_code == 404


def test_un_anonyme_est_renvoye_vers_la_connexion(client, monde):
    reponse = client.get(reverse("journal:partages", args=[monde["seance"].pk]))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("account_login"))


def test_l_equipe_n_ouvre_pas_l_entree_d_un_participant(client, monde):
    """Staff read what the group was given, never someone's entry, item or PDF copy."""
    element = selectors.partages_visibles(monde["binome"], monde["seance"]).first()
    client.force_login(monde["equipe"])
    seance = monde["seance"]
    assert client.get(reverse("journal:entree", args=[seance.pk])).status_code == 404
    assert client.get(reverse("journal:pdf")).status_code == 404
    for nom in ("journal:element", "journal:element_partager", "journal:element_supprimer"):
        assert client.post(reverse(nom, args=[element.pk]), {}).status_code == 404


def test_un_partage_retire_disparait(client, monde):
    """Back to « Pour moi seul·e »: the others no longer read it."""
    element = selectors.partages_visibles(monde["autre_binome"], monde["seance"]).get(texte=GROUPE)
    client.force_login(monde["auteur"])
    client.post(reverse("journal:element_partager", args=[element.pk]), {"audience": "prive"})
    for role in ("binome", "autre_binome", "equipe"):
        assert GROUPE not in _lus(monde[role], monde["seance"]), role
        assert GROUPE not in _page(client, monde[role], monde["seance"]).content.decode()
