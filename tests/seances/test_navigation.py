"""The ways in: the main menu and the home page per role, and the addresses they point to,
which find the staff's cycle and the participant's pair when clicked."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cerdd_cycle.comptes.roles import Role, role_attribuer
from tests.factories import CycleFactory, SeanceFactory, UserFactory, binome_complet

pytestmark = pytest.mark.django_db

ACCUEIL_EQUIPE = reverse("equipe_seances:accueil")
MON_BINOME = reverse("seances:mon_binome")


def _menu(html):
    debut = html.index('aria-label="Menu principal"')
    return html[debut : html.index("</nav>", debut)]


def _espace(html):
    debut = html.index('id="titre-votre-espace"')
    return html[debut : html.index("</section>", debut)]


def _cycle(slug, statut="en_cours", il_y_a=30):
    ouverture = timezone.now() - datetime.timedelta(days=il_y_a)
    return CycleFactory(
        slug=slug,
        statut=statut,
        ouverture_ami=ouverture,
        date_limite=ouverture + datetime.timedelta(days=20),
    )


def _participant(cycle):
    return binome_complet(cycle).membres.get(role="elu").user


# --- the menu -------------------------------------------------------------------------------


def test_menu_participant_mene_a_mes_seances(client):
    client.force_login(_participant(_cycle("cycle-2021")))

    menu = _menu(client.get(reverse("accueil")).content.decode())

    assert f'href="{reverse("seances:calendrier")}">Mes séances</a>' in menu
    assert ACCUEIL_EQUIPE not in menu


def test_menu_equipe_mene_aux_seances_du_cycle(client, equipe):
    client.force_login(equipe)

    menu = _menu(client.get(reverse("accueil")).content.decode())

    assert f'href="{ACCUEIL_EQUIPE}">Séances</a>' in menu
    assert "Mes séances" not in menu


@pytest.mark.parametrize("connecte", [False, True])
def test_menu_sans_role_ne_montre_pas_les_seances(client, utilisateur, connecte):
    if connecte:
        client.force_login(utilisateur)

    menu = _menu(client.get(reverse("accueil")).content.decode())

    assert "/seances/" not in menu


def test_menu_marque_la_page_des_seances_de_l_equipe(client, equipe):
    cycle = _cycle("cycle-2021")
    client.force_login(equipe)

    html = client.get(reverse("equipe_seances:cohorte", args=[cycle.slug])).content.decode()

    assert f'href="{ACCUEIL_EQUIPE}" aria-current="page">Séances</a>' in _menu(html)


def test_menu_marque_mes_seances_dans_l_espace_participant(client):
    client.force_login(_participant(_cycle("cycle-2021")))

    calendrier = reverse("seances:calendrier")

    menu = _menu(client.get(calendrier).content.decode())

    assert f'href="{calendrier}" aria-current="page">Mes séances</a>' in menu


# --- the home page --------------------------------------------------------------------------


def test_accueil_participant_liste_ses_entrees(client):
    client.force_login(_participant(_cycle("cycle-2021")))

    espace = _espace(client.get(reverse("accueil")).content.decode())

    for url, texte in (
        (reverse("seances:calendrier"), "Mes séances"),
        (reverse("seances:agenda"), "Mon agenda"),
        (MON_BINOME, "Mon binôme"),
    ):
        assert f'href="{url}">{texte}</a>' in espace
    assert ACCUEIL_EQUIPE not in espace


def test_accueil_equipe_liste_seances_et_assiduite(client, equipe):
    client.force_login(equipe)

    espace = _espace(client.get(reverse("accueil")).content.decode())

    assert f'href="{ACCUEIL_EQUIPE}">Séances</a>' in espace
    assert f'href="{ACCUEIL_EQUIPE}?vers=assiduite">Assiduité</a>' in espace
    assert "Mes séances" not in espace


def test_accueil_sans_role_ne_liste_pas_les_seances(client, utilisateur):
    client.force_login(utilisateur)

    espace = _espace(client.get(reverse("accueil")).content.decode())

    assert "/seances/" not in espace


# --- staff: the cycle behind « Séances » ----------------------------------------------------


def test_equipe_va_au_cycle_en_cours(client, equipe):
    en_cours = _cycle("cycle-2021", il_y_a=400)
    # More recent and with sessions, but not under way: the live cycle wins.
    SeanceFactory(cycle=_cycle("cycle-2023", statut="ami_ouvert", il_y_a=10))
    client.force_login(equipe)

    reponse = client.get(ACCUEIL_EQUIPE)

    assert reponse.status_code == 302
    assert reponse.url == reverse("equipe_seances:tableau", args=[en_cours.slug])


def test_equipe_sans_cycle_en_cours_va_au_dernier_cycle_avec_seances(client, equipe):
    SeanceFactory(cycle=_cycle("cycle-2019", statut="termine", il_y_a=900))
    recent = _cycle("cycle-2021", statut="termine", il_y_a=400)
    SeanceFactory(cycle=recent)
    _cycle("cycle-2023", statut="preparation", il_y_a=10)  # no session yet
    client.force_login(equipe)

    reponse = client.get(ACCUEIL_EQUIPE)

    assert reponse.url == reverse("equipe_seances:tableau", args=[recent.slug])


def test_equipe_sans_seance_va_au_cycle_de_l_accueil(client, equipe):
    selection = _cycle("cycle-2021", statut="selection")
    client.force_login(equipe)

    reponse = client.get(ACCUEIL_EQUIPE)

    assert reponse.url == reverse("equipe_seances:tableau", args=[selection.slug])


@pytest.mark.parametrize(
    ("vers", "page"),
    [("assiduite", "assiduite"), ("attestations", "attestations"), ("seance", "tableau")],
)
def test_equipe_vers_une_page_du_cycle(client, equipe, vers, page):
    cycle = _cycle("cycle-2021")
    client.force_login(equipe)

    reponse = client.get(ACCUEIL_EQUIPE, {"vers": vers})

    # Only pages that take the cycle alone; anything else lands on the board.
    assert reponse.url == reverse(f"equipe_seances:{page}", args=[cycle.slug])


def test_equipe_sans_aucun_cycle_va_a_l_administration(client, equipe):
    client.force_login(equipe)

    reponse = client.get(ACCUEIL_EQUIPE)

    assert reponse.url == reverse("admin:index")
    assert [str(m) for m in get_messages(reponse.wsgi_request)] == [
        "Aucun cycle pour l'instant : créez-le d'abord dans l'administration."
    ]


def test_accueil_equipe_refuse_aux_autres(client):
    cycle = _cycle("cycle-2021")
    participant = _participant(cycle)

    anonyme = client.get(ACCUEIL_EQUIPE)
    client.force_login(participant)
    refuse = client.get(ACCUEIL_EQUIPE)

    assert anonyme.status_code == 302
    assert anonyme.url.startswith(reverse("account_login"))
    assert refuse.status_code == 404


# --- participant: « Mon binôme » ------------------------------------------------------------


def test_mon_binome_mene_au_binome_du_cycle_en_cours(client):
    ancien = binome_complet(_cycle("cycle-2019", statut="termine", il_y_a=900))
    elu = ancien.membres.get(role="elu").user
    actuel = binome_complet(_cycle("cycle-2021", il_y_a=400))
    actuel.membres.filter(role="elu").update(user=elu)
    # A newer cycle being prepared, where the same person already sits.
    prepare = binome_complet(_cycle("cycle-2023", statut="preparation", il_y_a=10))
    prepare.membres.filter(role="elu").update(user=elu)
    client.force_login(elu)

    reponse = client.get(MON_BINOME)

    assert reponse.status_code == 302
    assert reponse.url == reverse("seances:binome", args=[actuel.pk])


def test_mon_binome_sinon_le_plus_recent(client):
    ancien = binome_complet(_cycle("cycle-2019", statut="termine", il_y_a=900))
    elu = ancien.membres.get(role="elu").user
    recent = binome_complet(_cycle("cycle-2021", statut="termine", il_y_a=400))
    recent.membres.filter(role="elu").update(user=elu)
    client.force_login(elu)

    assert client.get(MON_BINOME).url == reverse("seances:binome", args=[recent.pk])


def test_mon_binome_ignore_un_siege_quitte(client):
    binome = binome_complet(_cycle("cycle-2021"))
    membre = binome.membres.get(role="elu")
    membre.actif = False
    membre.save()
    client.force_login(membre.user)

    assert client.get(MON_BINOME).status_code == 404


def test_mon_binome_sans_binome_404_et_anonyme_connexion(client):
    sans_binome = UserFactory()
    role_attribuer(sans_binome, Role.PARTICIPANT)

    anonyme = client.get(MON_BINOME)
    client.force_login(sans_binome)

    assert anonyme.status_code == 302
    assert anonyme.url.startswith(reverse("account_login"))
    assert client.get(MON_BINOME).status_code == 404
