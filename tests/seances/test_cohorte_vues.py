"""Staff cohort page: replacing a member of a pair, adding a substitute, the history."""

import pytest
from django.urls import reverse

from cerdd_cycle.courriels.models import Courriel
from seances.models import Membre
from tests.factories import CycleFactory, binome_complet

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle)


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


def _url(nom, binome):
    return reverse(f"equipe_seances:{nom}", args=[binome.cycle.slug, binome.pk])


def _donnees(sorte, binome, **valeurs):
    valeurs = {
        "role": "elu",
        "nom": "Sabrina Vasseur",
        "email": "sabrina.vasseur@mairie.fr",
        "fonction": "Adjointe à la démocratie locale",
        **valeurs,
    }
    return {f"{sorte}-{binome.pk}-{cle}": valeur for cle, valeur in valeurs.items()}


def _etat(binome):
    return sorted(
        binome.membres.values_list("user__email", "role", "suppleant", "actif"),
    )


def test_remplacer_l_elu_garde_l_ancien_dans_l_historique(client_equipe, binome):
    ancien = binome.membres.get(role="elu")

    reponse = client_equipe.post(_url("remplacer", binome), _donnees("remplacer", binome))

    assert reponse.status_code == 302
    assert reponse["Location"] == (
        reverse("equipe_seances:cohorte", args=[binome.cycle.slug]) + f"#binome-{binome.pk}"
    )
    ancien.refresh_from_db()
    assert (ancien.actif, ancien.jusqua is not None) == (False, True)
    nouveau = binome.membres.get(role="elu", actif=True)
    assert (nouveau.user.email, nouveau.fonction, nouveau.suppleant) == (
        "sabrina.vasseur@mairie.fr",
        "Adjointe à la démocratie locale",
        False,
    )
    assert Courriel.objects.filter(destinataires=["sabrina.vasseur@mairie.fr"]).count() == 1
    page = client_equipe.get(reponse["Location"])
    html = page.content.decode()
    assert "Sabrina Vasseur devient élu·e du binôme" in html
    assert "Historique : personnes remplacées" in html
    assert [m.pk for m in page.context["binomes"][0].anciens] == [ancien.pk]
    assert ancien.user.email in html


def test_remplacer_adresse_invalide_erreur_en_francais_rien_ne_change(client_equipe, binome):
    avant = _etat(binome)

    reponse = client_equipe.post(
        _url("remplacer", binome), _donnees("remplacer", binome, email="pas-une-adresse")
    )

    assert reponse.status_code == 400
    html = reponse.content.decode()
    assert "Cette adresse électronique n&#x27;est pas valide." in html
    assert "Le changement dans le binôme de" in html
    assert f'href="#binome-{binome.pk}"' in html
    assert 'value="pas-une-adresse"' in html
    assert 'value="Sabrina Vasseur"' in html
    assert _etat(binome) == avant
    assert not Courriel.objects.exists()
    form = reponse.context["binomes"][0].form_remplacer
    assert form.errors == {"email": ["Cette adresse électronique n'est pas valide."]}


def test_remplacer_par_la_meme_personne_erreur_du_service_saisie_gardee(client_equipe, binome):
    titulaire = binome.membres.get(role="technicien")
    avant = _etat(binome)

    reponse = client_equipe.post(
        _url("remplacer", binome),
        _donnees("remplacer", binome, role="technicien", email=titulaire.user.email.upper()),
    )

    assert reponse.status_code == 400
    form = reponse.context["binomes"][0].form_remplacer
    assert form.non_field_errors() == ["Cette personne occupe déjà ce rôle."]
    assert "Cette personne occupe déjà ce rôle." in reponse.content.decode()
    assert f'value="{titulaire.user.email.upper()}"' in reponse.content.decode()
    # The other form of the pair stays empty.
    assert not reponse.context["binomes"][0].form_suppleant.is_bound
    assert _etat(binome) == avant


@pytest.mark.parametrize(
    ("champ", "valeur", "erreur"),
    [
        ("role", "maire", "Choisissez élu·e ou technicien·ne."),
        ("nom", "", "Indiquez le prénom et le nom de la personne."),
        ("email", "", "Indiquez l'adresse électronique de la personne."),
    ],
)
def test_remplacer_champ_manquant_refuse(client_equipe, binome, champ, valeur, erreur):
    avant = _etat(binome)

    reponse = client_equipe.post(
        _url("remplacer", binome), _donnees("remplacer", binome, **{champ: valeur})
    )

    assert reponse.status_code == 400
    assert reponse.context["binomes"][0].form_remplacer.errors == {champ: [erreur]}
    assert _etat(binome) == avant


def test_suppleant_ajoute(client_equipe, binome):
    reponse = client_equipe.post(
        _url("suppleant", binome),
        _donnees("suppleant", binome, role="technicien", email="karim.kaci@mairie.fr"),
        follow=True,
    )

    suppleant = binome.membres.get(user__email="karim.kaci@mairie.fr")
    assert (suppleant.role, suppleant.suppleant, suppleant.actif) == ("technicien", True, True)
    assert binome.membres.filter(actif=True, suppleant=False).count() == 2
    html = reponse.content.decode()
    assert "Sabrina Vasseur est suppléant·e (technicien·ne) du binôme" in html
    assert "karim.kaci@mairie.fr" in html
    assert Courriel.objects.filter(destinataires=["karim.kaci@mairie.fr"]).count() == 1


def test_suppleant_deja_membre_refuse(client_equipe, binome):
    titulaire = binome.membres.get(role="elu")

    reponse = client_equipe.post(
        _url("suppleant", binome), _donnees("suppleant", binome, email=titulaire.user.email)
    )

    assert reponse.status_code == 400
    form = reponse.context["binomes"][0].form_suppleant
    assert form.non_field_errors() == ["Cette personne fait déjà partie du binôme."]
    assert Membre.objects.filter(suppleant=True).count() == 0


@pytest.mark.parametrize("sorte", ["remplacer", "suppleant"])
def test_binome_d_un_autre_cycle_404(client_equipe, binome, sorte):
    autre_cycle = CycleFactory()
    url = reverse(f"equipe_seances:{sorte}", args=[autre_cycle.slug, binome.pk])
    avant = _etat(binome)

    reponse = client_equipe.post(url, _donnees(sorte, binome))

    assert reponse.status_code == 404
    assert _etat(binome) == avant


@pytest.mark.parametrize("sorte", ["remplacer", "suppleant"])
def test_get_refuse(client_equipe, binome, sorte):
    assert client_equipe.get(_url(sorte, binome)).status_code == 405


@pytest.mark.parametrize("sorte", ["remplacer", "suppleant"])
def test_participant_404_et_anonyme_connexion(client, binome, sorte):
    avant = _etat(binome)

    anonyme = client.post(_url(sorte, binome), _donnees(sorte, binome))
    client.force_login(binome.membres.get(role="elu").user)
    participant = client.post(_url(sorte, binome), _donnees(sorte, binome))

    assert anonyme.status_code == 302
    assert anonyme["Location"].startswith(reverse("account_login"))
    assert participant.status_code == 404
    assert _etat(binome) == avant


def test_page_cohorte_onglets_et_lien_vers_le_tableau(client_equipe, binome):
    html = client_equipe.get(
        reverse("equipe_seances:cohorte", args=[binome.cycle.slug])
    ).content.decode()

    tableau = reverse("equipe_seances:tableau", args=[binome.cycle.slug])
    assert f'href="{tableau}"' in html
    assert (
        'aria-current="page" href="{}"'.format(
            reverse("equipe_seances:cohorte", args=[binome.cycle.slug])
        )
        in html
    )
    assert f'id="id_remplacer-{binome.pk}-email"' in html
    assert f'id="id_suppleant-{binome.pk}-email"' in html
