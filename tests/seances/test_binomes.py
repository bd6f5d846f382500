import pytest
from django.core.exceptions import ValidationError

from cerdd_cycle.comptes.roles import Role, roles_de
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.historique.models import Historique
from seances.models import Binome, Membre
from seances.services import cohorte_ouvrir, membre_remplacer, suppleant_ajouter
from tests.factories import CandidatureDeposeeFactory, DecisionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def retenue():
    candidature = CandidatureDeposeeFactory(
        politique_nom="Claire Leroy",
        politique_email="claire.leroy@mairie.fr",
        politique_mandat="Maire",
        technique_nom="Julien Desmet",
        technique_email="julien.desmet@mairie.fr",
        technique_poste="Chargé de mission",
    )
    DecisionFactory(candidature=candidature, statut="retenue")
    return candidature


def test_cohorte_ouvrir_forme_le_binome_des_referents_et_les_invite(retenue, equipe):
    non_retenue = CandidatureDeposeeFactory(cycle=retenue.cycle)
    DecisionFactory(candidature=non_retenue, statut="non_retenue", motif="Places comptées.")

    [binome] = cohorte_ouvrir(retenue.cycle, par=equipe)

    assert binome.candidature == retenue
    membres = [
        (m.user.email, m.user.first_name, m.user.last_name, m.role, m.fonction)
        for m in binome.membres.order_by("role")
    ]
    assert membres == [
        ("claire.leroy@mairie.fr", "Claire", "Leroy", "elu", "Maire"),
        ("julien.desmet@mairie.fr", "Julien", "Desmet", "technicien", "Chargé de mission"),
    ]
    for membre in binome.membres.all():
        assert Role.PARTICIPANT in roles_de(membre.user)
        assert not membre.user.has_usable_password()
    invitations = Courriel.objects.filter(cle__startswith="participant-invitation:")
    assert sorted(c.destinataires[0] for c in invitations) == [
        "claire.leroy@mairie.fr",
        "julien.desmet@mairie.fr",
    ]
    assert all("/comptes/invitation/" in c.texte for c in invitations)


def test_cohorte_ouvrir_deux_fois_ne_double_rien(retenue, equipe):
    cohorte_ouvrir(retenue.cycle, par=equipe)

    assert cohorte_ouvrir(retenue.cycle, par=equipe) == []
    assert Binome.objects.count() == 1
    assert Membre.objects.count() == 2
    assert Courriel.objects.filter(cle__startswith="participant-invitation:").count() == 2


def test_cohorte_ouvrir_relie_un_compte_existant(retenue, equipe):
    existant = UserFactory(email="claire.leroy@mairie.fr")

    [binome] = cohorte_ouvrir(retenue.cycle, par=equipe)

    assert binome.membres.get(role="elu").user == existant
    courriel = Courriel.objects.get(destinataires=["claire.leroy@mairie.fr"])
    assert "déjà un compte" in courriel.texte


def test_cohorte_ouvrir_adresse_invalide_n_ouvre_rien(retenue, equipe):
    retenue.technique_email = "pas-une-adresse"
    retenue.save()

    with pytest.raises(ValidationError, match="Adresse électronique invalide"):
        cohorte_ouvrir(retenue.cycle, par=equipe)

    assert Binome.objects.count() == 0
    assert Membre.objects.count() == 0
    assert not Courriel.objects.exists()


def test_membre_remplacer_garde_l_ancien_dans_l_historique(retenue, equipe):
    [binome] = cohorte_ouvrir(retenue.cycle, par=equipe)

    nouveau = membre_remplacer(
        binome, role="elu", email="sabrina.vasseur@mairie.fr", nom="Sabrina Vasseur", par=equipe
    )

    ancien = binome.membres.get(user__email="claire.leroy@mairie.fr")
    assert (ancien.actif, ancien.jusqua is not None) == (False, True)
    assert list(binome.membres.filter(actif=True, role="elu")) == [nouveau]
    entree = Historique.objects.get(action="binome_membre_remplace")
    assert (entree.avant, entree.apres) == (
        {"membre": "claire.leroy@mairie.fr"},
        {"membre": "sabrina.vasseur@mairie.fr"},
    )


def test_membre_remplacer_par_la_meme_personne_refuse(retenue, equipe):
    [binome] = cohorte_ouvrir(retenue.cycle, par=equipe)

    with pytest.raises(ValidationError, match="occupe déjà"):
        membre_remplacer(
            binome, role="elu", email="Claire.Leroy@mairie.fr", nom="Claire Leroy", par=equipe
        )

    assert binome.membres.filter(actif=True).count() == 2


def test_suppleant_ajouter_a_cote_du_titulaire(retenue, equipe):
    [binome] = cohorte_ouvrir(retenue.cycle, par=equipe)

    suppleant = suppleant_ajouter(
        binome, role="technicien", email="karim.kaci@mairie.fr", nom="Karim Kaci", par=equipe
    )

    assert suppleant.suppleant
    assert binome.membres.filter(actif=True).count() == 3
    with pytest.raises(ValidationError, match="fait déjà partie"):
        suppleant_ajouter(
            binome, role="elu", email="karim.kaci@mairie.fr", nom="Karim Kaci", par=equipe
        )


# --- the staff page -------------------------------------------------------------------------


def _url(cycle):
    from django.urls import reverse

    return reverse("equipe_seances:cohorte", args=[cycle.slug])


def test_page_cohorte_ouvre_les_binomes(client, retenue, equipe):
    client.force_login(equipe)
    avant = client.get(_url(retenue.cycle)).content.decode()

    reponse = client.post(_url(retenue.cycle), follow=True)

    assert "1 collectivité retenue sans binôme" in avant
    html = reponse.content.decode()
    assert "1 binôme ouvert" in html
    assert "claire.leroy@mairie.fr" in html
    assert "invitation en attente" in html
    assert Binome.objects.filter(candidature=retenue).exists()


def test_page_cohorte_adresse_invalide_message_et_rien_d_ouvert(client, retenue, equipe):
    retenue.technique_email = "pas-une-adresse"
    retenue.save()
    client.force_login(equipe)

    reponse = client.post(_url(retenue.cycle), follow=True)

    assert "Adresse électronique invalide" in reponse.content.decode()
    assert not Binome.objects.exists()


@pytest.mark.parametrize("role", [None, Role.JURE, Role.PARTICIPANT])
def test_page_cohorte_reservee_a_l_equipe(client, retenue, utilisateur, role):
    from cerdd_cycle.comptes.roles import role_attribuer

    if role is None:
        reponse = client.get(_url(retenue.cycle))
        assert reponse.status_code == 302
        assert "/comptes/login/" in reponse["Location"]
        return
    role_attribuer(utilisateur, role)
    client.force_login(utilisateur)

    assert client.get(_url(retenue.cycle)).status_code == 404
    assert client.post(_url(retenue.cycle)).status_code == 404
    assert not Binome.objects.exists()


@pytest.mark.parametrize("nombre", [1, 3])
def test_page_cohorte_nombre_de_requetes_fixe(
    client, equipe, django_assert_num_queries, nombre, retenue
):
    cohorte_ouvrir(retenue.cycle, par=equipe)
    for _ in range(nombre - 1):
        autre = CandidatureDeposeeFactory(cycle=retenue.cycle)
        DecisionFactory(candidature=autre, statut="retenue")
    cohorte_ouvrir(retenue.cycle, par=equipe)
    client.force_login(equipe)

    with django_assert_num_queries(7):
        reponse = client.get(_url(retenue.cycle))

    assert len(reponse.context["binomes"]) == nombre
