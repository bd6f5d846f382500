"""Relays and experiments: written and edited by both members of the pair, another pair's
answer 404, refused input keeps nothing, staff read every collectivity's."""

import datetime

import pytest
from django.urls import reverse

from journal.models import Experimentation, Relais
from tests.factories import CycleFactory, SeanceFactory, UserFactory, binome_complet

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours")


@pytest.fixture
def seance(cycle):
    return SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2021, 5, 20))


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle)


@pytest.fixture
def autre_binome(cycle):
    return binome_complet(cycle)


def _membre(binome, role):
    return binome.membres.get(role=role)


def _client(client, membre):
    client.force_login(membre.user)
    return client


def _relais(binome, auteur=None, **champs):
    valeurs = {
        "binome": binome,
        "auteur": auteur or _membre(binome, "elu"),
        "date": datetime.date(2021, 6, 3),
        "public": "Conseil municipal",
        "quoi": "Les trois niveaux de participation",
    }
    valeurs.update(champs)
    return Relais.objects.create(**valeurs)


def _experimentation(binome, **champs):
    valeurs = {"binome": binome, "titre": "Budget participatif", "statut": "prevue"}
    valeurs.update(champs)
    return Experimentation.objects.create(**valeurs)


def _etat_relais():
    return sorted(Relais.objects.values_list("binome_id", "date", "public", "quoi", "seance_id"))


def _etat_experimentations():
    return sorted(
        Experimentation.objects.values_list(
            "binome_id", "titre", "statut", "description", "resultats", "seance_id"
        )
    )


# --- Relays ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["elu", "technicien"])
def test_relais_ajoute_par_chaque_membre_du_binome(client, binome, seance, role):
    membre = _membre(binome, role)

    reponse = _client(client, membre).post(
        reverse("journal:relais"),
        {
            "date": "2021-06-03",
            "public": "  Réunion des services  ",
            "quoi": "La posture d'écoute <b>active</b>",
            "seance": str(seance.pk),
        },
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("journal:relais")
    relais = Relais.objects.get()
    assert (
        relais.binome,
        relais.auteur,
        relais.date,
        relais.public,
        relais.quoi,
        relais.seance,
    ) == (
        binome,
        membre,
        datetime.date(2021, 6, 3),
        "Réunion des services",
        "La posture d'écoute <b>active</b>",
        seance,
    )
    page = client.get(reverse("journal:relais")).content.decode()
    assert "Réunion des services" in page
    assert "La posture d&#x27;écoute &lt;b&gt;active&lt;/b&gt;" in page
    assert "<b>active</b>" not in page
    assert membre.user.nom_affiche in page
    assert "la séance 1" in page


def test_relais_liste_ceux_du_binome_seulement(client, binome, autre_binome):
    _relais(binome, public="Public de mon binôme")
    _relais(autre_binome, public="Public de l'autre binôme")

    page = _client(client, _membre(binome, "technicien")).get(reverse("journal:relais"))

    assert page.status_code == 200
    texte = page.content.decode()
    assert "Public de mon binôme" in texte
    assert "Public de l&#x27;autre binôme" not in texte


def test_relais_modifie_par_l_autre_membre(client, binome, seance):
    elu, technicien = _membre(binome, "elu"), _membre(binome, "technicien")
    relais = _relais(binome, auteur=elu)
    url = reverse("journal:relais_modifier", args=[relais.pk])
    client = _client(client, technicien)

    formulaire = client.get(url)
    reponse = client.post(
        url,
        {"date": "2021-06-10", "public": "Bureau municipal", "quoi": "Le débat mouvant"},
    )

    assert formulaire.status_code == 200
    assert 'value="Conseil municipal"' in formulaire.content.decode()
    assert reponse.status_code == 302
    relais.refresh_from_db()
    assert (relais.date, relais.public, relais.quoi, relais.seance, relais.auteur) == (
        datetime.date(2021, 6, 10),
        "Bureau municipal",
        "Le débat mouvant",
        None,
        elu,
    )
    assert Relais.objects.count() == 1


@pytest.mark.parametrize("role", ["elu", "technicien"])
def test_relais_supprime_par_un_membre(client, binome, role):
    relais = _relais(binome)
    garde = _relais(binome, public="Un autre")

    reponse = _client(client, _membre(binome, role)).post(
        reverse("journal:relais_supprimer", args=[relais.pk])
    )

    assert reponse.status_code == 302
    assert list(Relais.objects.all()) == [garde]


def test_relais_d_un_autre_binome_repond_404(client, binome, autre_binome):
    relais = _relais(autre_binome)
    avant = _etat_relais()
    client = _client(client, _membre(binome, "elu"))

    reponses = [
        client.get(reverse("journal:relais_modifier", args=[relais.pk])),
        client.post(
            reverse("journal:relais_modifier", args=[relais.pk]),
            {"date": "2021-06-10", "public": "Piraté", "quoi": "Piraté"},
        ),
        client.post(reverse("journal:relais_supprimer", args=[relais.pk])),
    ]

    assert [r.status_code for r in reponses] == [404, 404, 404]
    assert _etat_relais() == avant


def test_relais_d_un_ancien_membre_repond_404(client, binome):
    relais = _relais(binome)
    ancien = _membre(binome, "elu")
    ancien.actif = False
    ancien.save(update_fields=["actif"])

    client = _client(client, ancien)

    assert client.get(reverse("journal:relais")).status_code == 404
    assert client.post(reverse("journal:relais_supprimer", args=[relais.pk])).status_code == 404
    assert Relais.objects.count() == 1


def test_relais_sans_binome_repond_404_et_anonyme_va_a_la_connexion(client, binome):
    anonyme = client.get(reverse("journal:relais"))
    client.force_login(UserFactory())
    sans_binome = client.get(reverse("journal:relais"))

    assert anonyme.status_code == 302
    assert anonyme["Location"].startswith(reverse("account_login"))
    assert sans_binome.status_code == 404


def test_relais_champs_vides_refuses_en_francais(client, binome):
    reponse = _client(client, _membre(binome, "elu")).post(
        reverse("journal:relais"), {"date": "", "public": "   ", "quoi": ""}
    )

    assert reponse.status_code == 422
    texte = reponse.content.decode()
    assert "Indiquez la date du relais." in texte
    assert "Indiquez auprès de qui vous avez relayé." in texte
    assert "Écrivez ce que vous avez relayé." in texte
    assert not Relais.objects.exists()


def test_relais_seance_d_un_autre_cycle_refusee(client, binome):
    ailleurs = SeanceFactory(cycle=CycleFactory(statut="en_cours"), date=datetime.date(2021, 5, 1))
    donnees = {
        "date": "2021-06-03",
        "public": "Conseil municipal",
        "quoi": "Une idée gardée",
        "seance": str(ailleurs.pk),
    }

    reponse = _client(client, _membre(binome, "elu")).post(reverse("journal:relais"), donnees)

    assert reponse.status_code == 422
    texte = reponse.content.decode()
    assert "Choisissez une séance de votre cycle dans la liste." in texte
    # What was typed stays on the page.
    assert "Une idée gardée" in texte
    assert not Relais.objects.exists()


def test_relais_modification_refusee_ne_change_rien(client, binome):
    relais = _relais(binome)
    avant = _etat_relais()

    reponse = _client(client, _membre(binome, "technicien")).post(
        reverse("journal:relais_modifier", args=[relais.pk]),
        {"date": "pas une date", "public": "Nouveau public", "quoi": "Nouveau contenu"},
    )

    assert reponse.status_code == 422
    assert "Indiquez une date valide" in reponse.content.decode()
    assert _etat_relais() == avant


# --- Experiments ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["elu", "technicien"])
def test_experimentation_ajoutee_par_chaque_membre(client, binome, seance, role):
    membre = _membre(binome, role)

    reponse = _client(client, membre).post(
        reverse("journal:experimentations"),
        {
            "titre": "Marche exploratoire",
            "description": "Avec le conseil de quartier",
            "statut": "en_cours",
            "resultats": "",
            "seance": str(seance.pk),
        },
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("journal:experimentations")
    experimentation = Experimentation.objects.get()
    assert (
        experimentation.binome,
        experimentation.titre,
        experimentation.description,
        experimentation.statut,
        experimentation.resultats,
        experimentation.seance,
        experimentation.modifie_par,
    ) == (
        binome,
        "Marche exploratoire",
        "Avec le conseil de quartier",
        "en_cours",
        "",
        seance,
        membre.user,
    )
    page = client.get(reverse("journal:experimentations")).content.decode()
    assert '<span class="badge text-bg-primary">En cours</span>' in page
    assert "Inspirée par la séance 1" in page


def test_experimentation_modifiee_par_l_autre_membre(client, binome):
    experimentation = _experimentation(binome, modifie_par=_membre(binome, "elu").user)
    technicien = _membre(binome, "technicien")
    url = reverse("journal:experimentation_modifier", args=[experimentation.pk])
    client = _client(client, technicien)

    formulaire = client.get(url)
    reponse = client.post(
        url,
        {
            "titre": "Budget participatif",
            "description": "Premier appel à projets",
            "statut": "faite",
            "resultats": "42 projets déposés",
            "seance": "",
        },
    )

    assert formulaire.status_code == 200
    assert 'value="Budget participatif"' in formulaire.content.decode()
    assert reponse.status_code == 302
    experimentation.refresh_from_db()
    assert (
        experimentation.statut,
        experimentation.resultats,
        experimentation.modifie_par,
    ) == ("faite", "42 projets déposés", technicien.user)
    page = client.get(reverse("journal:experimentations")).content.decode()
    assert '<span class="badge text-bg-success">Faite</span>' in page
    assert "42 projets déposés" in page


def test_experimentation_supprimee(client, binome):
    experimentation = _experimentation(binome)
    garde = _experimentation(binome, titre="Conseil citoyen")

    reponse = _client(client, _membre(binome, "technicien")).post(
        reverse("journal:experimentation_supprimer", args=[experimentation.pk])
    )

    assert reponse.status_code == 302
    assert list(Experimentation.objects.all()) == [garde]


def test_experimentation_d_un_autre_binome_repond_404(client, binome, autre_binome):
    experimentation = _experimentation(autre_binome, description="Secret de l'autre")
    avant = _etat_experimentations()
    client = _client(client, _membre(binome, "elu"))
    url = reverse("journal:experimentation_modifier", args=[experimentation.pk])

    reponses = [
        client.get(url),
        client.post(url, {"titre": "Piraté", "statut": "faite"}),
        client.post(reverse("journal:experimentation_supprimer", args=[experimentation.pk])),
    ]
    liste = client.get(reverse("journal:experimentations")).content.decode()

    assert [r.status_code for r in reponses] == [404, 404, 404]
    assert _etat_experimentations() == avant
    assert "Secret de l" not in liste


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"titre": "  ", "statut": "prevue"}, "Nommez l&#x27;outil ou la méthode essayée."),
        ({"titre": "Atelier", "statut": "abandonnee"}, "Choisissez l&#x27;état"),
        ({"titre": "Atelier", "statut": ""}, "Choisissez l&#x27;état"),
    ],
)
def test_experimentation_saisie_incomplete_refusee(client, binome, donnees, message):
    reponse = _client(client, _membre(binome, "elu")).post(
        reverse("journal:experimentations"), donnees
    )

    assert reponse.status_code == 422
    assert message in reponse.content.decode()
    assert not Experimentation.objects.exists()


def test_experimentation_seance_d_un_autre_cycle_refusee(client, binome):
    experimentation = _experimentation(binome)
    avant = _etat_experimentations()
    ailleurs = SeanceFactory(cycle=CycleFactory(statut="en_cours"))

    reponse = _client(client, _membre(binome, "elu")).post(
        reverse("journal:experimentation_modifier", args=[experimentation.pk]),
        {"titre": "Atelier", "statut": "faite", "seance": str(ailleurs.pk)},
    )

    assert reponse.status_code == 422
    assert "Choisissez une séance de votre cycle dans la liste." in reponse.content.decode()
    assert _etat_experimentations() == avant


# --- Staff ----------------------------------------------------------------------------------


def _url_equipe(cycle, **params):
    url = reverse("equipe_journal:engagements", args=[cycle.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_page_equipe_liste_les_engagements_de_chaque_collectivite(
    client, equipe, cycle, binome, autre_binome
):
    _relais(binome, public="Le bureau municipal")
    _relais(binome, public="Les agents du CCAS")
    _relais(autre_binome, public="La commission transition")
    _experimentation(binome, titre="Budget participatif", statut="faite")
    _experimentation(autre_binome, titre="Conseil de jeunes", statut="prevue")
    ailleurs = binome_complet(CycleFactory(statut="en_cours"))
    _relais(ailleurs, public="Relais d'un autre cycle")
    client.force_login(equipe)

    reponse = client.get(_url_equipe(cycle))

    assert reponse.status_code == 200
    texte = reponse.content.decode()
    for attendu in [
        "Le bureau municipal",
        "Les agents du CCAS",
        "La commission transition",
        "Budget participatif",
        "Conseil de jeunes",
        str(binome),
        str(autre_binome),
    ]:
        assert attendu in texte
    assert "Relais d&#x27;un autre cycle" not in texte
    lignes = {ligne["binome"]: ligne for ligne in reponse.context["lignes"]}
    assert (len(lignes[binome]["relais"]), lignes[binome]["statuts"]) == (2, [0, 0, 1])
    assert (len(lignes[autre_binome]["relais"]), lignes[autre_binome]["statuts"]) == (1, [1, 0, 0])
    assert reponse.context["total_relais"] == 3


def test_page_equipe_filtre_par_etat(client, equipe, cycle, binome, autre_binome):
    _experimentation(binome, titre="Budget participatif", statut="faite")
    _experimentation(autre_binome, titre="Conseil de jeunes", statut="prevue")
    client.force_login(equipe)

    reponse = client.get(_url_equipe(cycle, statut="faite"))

    texte = reponse.content.decode()
    assert "Budget participatif" in texte
    assert "Conseil de jeunes" not in texte
    assert reponse.context["nombre_affichees"] == 1


def test_page_equipe_nombre_de_requetes_constant(
    client, equipe, cycle, django_assert_max_num_queries
):
    client.force_login(equipe)

    def remplir(n):
        for _ in range(n):
            binome = binome_complet(cycle)
            _relais(binome)
            _experimentation(binome, modifie_par=_membre(binome, "elu").user)

    remplir(1)
    with django_assert_max_num_queries(8) as un:
        client.get(_url_equipe(cycle))
    remplir(5)
    with django_assert_max_num_queries(len(un.captured_queries)):
        reponse = client.get(_url_equipe(cycle))
    assert len(reponse.context["lignes"]) == 6


def test_page_equipe_refusee_aux_participants(client, cycle, binome):
    _relais(binome, public="Le bureau municipal")

    reponse = _client(client, _membre(binome, "elu")).get(_url_equipe(cycle))

    assert reponse.status_code == 404
    assert "Le bureau municipal" not in reponse.content.decode()
