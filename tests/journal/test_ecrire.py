"""Writing the logbook (/journal/): the index, the entry page and its autosave (two tabs never
overwrite each other), adding, sharing and deleting items, what the others shared, the PDF copy,
and who may reach what."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from journal.models import Element, Entree, Experimentation, Relais
from journal.views.ecrire import contexte_pdf
from tests.factories import (
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
SCRIPT = "<script>alert('xss')</script>"


def jours(n) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def messages_de(reponse):
    return [str(message) for message in get_messages(reponse.wsgi_request)]


def membre_de(binome, role="elu"):
    return binome.membres.get(role=role, suppleant=False, actif=True)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", titre="Vers des territoires participatifs 2021")


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle)


@pytest.fixture
def elu(binome):
    return membre_de(binome)


@pytest.fixture
def technicien(binome):
    return membre_de(binome, "technicien")


@pytest.fixture
def seance(cycle):
    return SeanceFactory(cycle=cycle, numero=1, date=jours(-3), theme="Pourquoi faire participer ?")


@pytest.fixture
def a_venir(cycle):
    return SeanceFactory(cycle=cycle, numero=2, date=jours(40), theme="Mobiliser les publics")


@pytest.fixture
def client_elu(client, elu):
    client.force_login(elu.user)
    return client


@pytest.fixture
def entree(elu, seance):
    return EntreeFactory(membre=elu, seance=seance)


@pytest.fixture
def element(entree):
    return ElementFactory(entree=entree, rubrique="points_forts", texte="Écouter d'abord")


def url_entree(seance):
    return reverse("journal:entree", args=[seance.pk])


# --- the index ------------------------------------------------------------------------------


def test_accueil_liste_les_seances_ouvertes_et_a_venir(client_elu, seance, a_venir, elu):
    reponse = client_elu.get(reverse("journal:accueil"))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Pourquoi faire participer ?" in page
    assert url_entree(seance) in page
    assert "vide" in page
    # The session to come is listed, not open for writing.
    assert "Mobiliser les publics" in page
    assert "pas encore ouverte" in page
    assert url_entree(a_venir) not in page
    for nom in ("journal:relais", "journal:experimentations", "journal:autodiagnostic"):
        assert reverse(nom) in page
    assert reverse("journal:pdf") in page
    assert "Télécharger mon journal (PDF)" in page


def test_accueil_compte_les_elements_et_les_partages(client_elu, entree):
    ElementFactory(entree=entree, audience="prive")
    ElementFactory(entree=entree, audience="groupe")
    ElementFactory(entree=entree, audience="binome")
    ElementFactory(entree=entree, texte="")  # an empty item does not count
    page = client_elu.get(reverse("journal:accueil")).content.decode()
    assert "3 éléments" in page
    assert "dont 2 partagés" in page


def test_accueil_ne_compte_que_l_entree_de_la_personne(client_elu, entree, technicien, seance):
    """The pair-mate's items of the same session are theirs, not counted on this index."""
    ElementFactory(entree=entree, audience="groupe")
    autre = EntreeFactory(membre=technicien, seance=seance, notes="Les notes de l'autre")
    for _ in range(4):
        ElementFactory(entree=autre, audience="groupe")
    page = client_elu.get(reverse("journal:accueil")).content.decode()
    assert "1 élément" in page
    assert "dont 1 partagé" in page
    assert "notes libres" not in page


@pytest.mark.parametrize(
    ("notes", "attendu"), [("Penser au budget", "notes libres"), ("  \n ", "vide")]
)
def test_accueil_des_notes_seules(client_elu, entree, notes, attendu):
    """Free notes alone make the entry written; blanks do not."""
    entree.notes = notes
    entree.save()
    page = client_elu.get(reverse("journal:accueil")).content.decode()
    assert attendu in page
    assert "élément" not in page


def test_accueil_sans_binome_est_une_page_aimable(client):
    client.force_login(UserFactory())
    reponse = client.get(reverse("journal:accueil"))
    assert reponse.status_code == 200
    assert "Votre journal de bord s'ouvrira avec le cycle." in reponse.content.decode()


def test_accueil_de_l_equipe_mene_a_l_ouverture(client, equipe, cycle, seance, a_venir):
    client.force_login(equipe)
    reponse = client.get(reverse("journal:accueil"))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert reverse("equipe_journal:ouverture", args=[cycle.slug, a_venir.numero]) in page
    assert reverse("journal:pdf") not in page


# --- the entry ------------------------------------------------------------------------------


def test_l_entree_est_creee_une_seule_fois(client_elu, elu, seance):
    for _ in range(2):
        reponse = client_elu.get(url_entree(seance))
        assert reponse.status_code == 200
    assert Entree.objects.filter(membre=elu, seance=seance).count() == 1
    page = reponse.content.decode()
    for titre in (
        "Points forts retenus",
        "Points de vigilance",
        "Idées",
        "Marges de progression",
        "privées, pour vous seul·e",
    ):
        assert titre in page
    assert reverse("journal:partages", args=[seance.pk]) in page


def test_l_entree_montre_les_consignes_et_les_elements(client_elu, seance, element):
    seance.consignes_journal.create(rubrique="vigilance", texte="Qu'est-ce qui vous a inquiété ?")
    seance.consignes_journal.create(rubrique="", texte="Relisez vos notes du matin.")
    ElementFactory(entree=element.entree, rubrique="points_forts", audience="groupe_anonyme")
    page = client_elu.get(url_entree(seance)).content.decode()
    assert escape("Qu'est-ce qui vous a inquiété ?") in page
    assert "Relisez vos notes du matin." in page
    assert escape("Écouter d'abord") in page
    assert f'name="version-{element.pk}" value="1"' in page
    assert "Point fort 1" not in page  # the number is its own span, for the script
    assert "Point fort <span data-numero>2</span>" in page
    assert "Le groupe, sans mon nom" in page


def test_une_seance_a_venir_ne_s_ecrit_pas(client_elu, a_venir):
    assert client_elu.get(url_entree(a_venir)).status_code == 404
    ajout = client_elu.post(
        reverse("journal:element_ajouter", args=[a_venir.pk]), {"rubrique": "idees"}
    )
    assert ajout.status_code == 404
    notes = client_elu.post(
        reverse("journal:notes", args=[a_venir.pk]), {"notes": "Avant", "version": 0}
    )
    assert notes.status_code == 404
    assert client_elu.get(reverse("journal:partages", args=[a_venir.pk])).status_code == 404
    assert not Entree.objects.exists()


def test_une_seance_d_un_autre_cycle_repond_404(client_elu):
    ailleurs = SeanceFactory(cycle=CycleFactory(statut="en_cours"), date=jours(-5))
    assert client_elu.get(url_entree(ailleurs)).status_code == 404
    assert client_elu.get(reverse("journal:partages", args=[ailleurs.pk])).status_code == 404
    assert not Entree.objects.exists()


# --- items: add, save, share, delete --------------------------------------------------------


def test_ajouter_un_element_sans_javascript(client_elu, entree, seance):
    reponse = client_elu.post(
        url_entree(seance), {"ajouter": "idees", "notes": "", "notes_version": 0}
    )
    nouvel = Element.objects.get(entree=entree)
    assert nouvel.rubrique == "idees"
    assert nouvel.audience == "prive"
    assert reponse.status_code == 302
    assert reponse.url == f"{url_entree(seance)}#element-{nouvel.pk}"


def test_ajouter_un_element_avec_javascript(client_elu, entree, seance, element):
    reponse = client_elu.post(
        reverse("journal:element_ajouter", args=[seance.pk]), {"rubrique": "points_forts"}, **JSON
    )
    assert reponse.status_code == 201
    nouvel = Element.objects.exclude(pk=element.pk).get()
    donnees = reponse.json()
    assert donnees["id"] == nouvel.pk
    assert f'name="texte-{nouvel.pk}"' in donnees["html"]
    assert "Point fort <span data-numero>2</span>" in donnees["html"]
    # htmx gets the partial alone.
    htmx = client_elu.post(
        reverse("journal:element_ajouter", args=[seance.pk]),
        {"rubrique": "vigilance"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 201
    assert 'class="journal-element"' in htmx.content.decode()


def test_ajouter_dans_une_rubrique_inconnue_est_refuse(client_elu, entree, seance):
    reponse = client_elu.post(
        reverse("journal:element_ajouter", args=[seance.pk]), {"rubrique": "secrets"}, **JSON
    )
    assert reponse.status_code == 422
    assert reponse.json()["erreur"] == "Choisissez une rubrique."
    assert not Element.objects.exists()


def test_enregistrer_un_element(client_elu, element):
    reponse = client_elu.post(
        reverse("journal:element", args=[element.pk]),
        {"texte": "  Écouter avant de proposer  ", "version": 1},
        **JSON,
    )
    assert reponse.status_code == 200
    assert reponse.json()["version"] == 2
    assert reponse.json()["message"].startswith("Enregistré à ")
    element.refresh_from_db()
    assert element.texte == "Écouter avant de proposer"
    assert element.version == 2


def test_la_balise_de_fin_de_page_enregistre(client_elu, element):
    reponse = client_elu.post(
        reverse("journal:element", args=[element.pk]),
        {"texte": "Dernière frappe", "version": 1, "_balise": "1"},
    )
    assert reponse.status_code == 204
    element.refresh_from_db()
    assert element.texte == "Dernière frappe"


def test_conflit_entre_deux_onglets(client_elu, element):
    url = reverse("journal:element", args=[element.pk])
    # Both tabs read version 1; the first saves.
    premier = client_elu.post(url, {"texte": "Version de l'onglet 1", "version": 1}, **JSON)
    assert premier.json()["version"] == 2
    # The second, still on version 1, is refused with the text saved by the first.
    second = client_elu.post(url, {"texte": "Version de l'onglet 2", "version": 1}, **JSON)
    assert second.status_code == 409
    donnees = second.json()
    assert donnees["conflit"] is True
    assert donnees["texte"] == "Version de l'onglet 1"
    assert donnees["version"] == 2
    assert "modifié dans un autre onglet ou appareil" in donnees["message"]
    element.refresh_from_db()
    assert element.texte == "Version de l'onglet 1"
    # « Garder mon texte »: saved again against the version found on the server.
    reprise = client_elu.post(url, {"texte": "Version de l'onglet 2", "version": 2}, **JSON)
    assert reprise.status_code == 200
    assert reprise.json()["version"] == 3
    element.refresh_from_db()
    assert element.texte == "Version de l'onglet 2"


def test_conflit_sans_javascript_garde_les_deux_textes(client_elu, seance, element, entree):
    autre = ElementFactory(entree=entree, rubrique="idees", texte="Une idée")
    Element.objects.filter(pk=element.pk).update(texte="Changé ailleurs", version=2)
    donnees = {
        f"texte-{element.pk}": "Mon texte",
        f"version-{element.pk}": 1,
        f"audience-{element.pk}": "groupe",
        f"texte-{autre.pk}": "Une idée, mûrie",
        f"version-{autre.pk}": 1,
        f"audience-{autre.pk}": "prive",
        "notes": "Mes notes",
        "notes_version": 0,
    }
    reponse = client_elu.post(url_entree(seance), donnees)
    assert reponse.status_code == 422
    page = reponse.content.decode()
    assert "modifié dans un autre onglet ou appareil" in page
    assert "Mon texte" in page and "Changé ailleurs" in page
    assert "Une idée, mûrie" in page and "Mes notes" in page
    # « Garder mon texte » saves against the version found on the server.
    assert f'name="version-{element.pk}" value="2"' in page
    # Nothing was saved: all or nothing.
    element.refresh_from_db()
    autre.refresh_from_db()
    entree.refresh_from_db()
    assert (element.texte, element.audience) == ("Changé ailleurs", "prive")
    assert autre.texte == "Une idée"
    assert entree.notes == ""
    # Sent again against the new version: saved.
    donnees[f"version-{element.pk}"] = 2
    assert client_elu.post(url_entree(seance), donnees).status_code == 302
    element.refresh_from_db()
    autre.refresh_from_db()
    assert (element.texte, element.audience) == ("Mon texte", "groupe")
    assert autre.texte == "Une idée, mûrie"


def test_prendre_l_autre_version_sans_javascript(client_elu, seance, element):
    Element.objects.filter(pk=element.pk).update(texte="Changé ailleurs", version=2)
    reponse = client_elu.post(
        url_entree(seance),
        {
            f"texte-{element.pk}": "Mon texte",
            f"version-{element.pk}": 2,
            "garder_autre": str(element.pk),
            "notes": "Aussi",
            "notes_version": 0,
        },
    )
    assert reponse.status_code == 302
    element.refresh_from_db()
    assert element.texte == "Changé ailleurs"
    assert Entree.objects.get(pk=element.entree_id).notes == "Aussi"


def test_conflit_des_notes(client_elu, seance, entree):
    url = reverse("journal:notes", args=[seance.pk])
    premier = client_elu.post(url, {"notes": "Onglet 1", "version": 0}, **JSON)
    assert premier.status_code == 200
    assert premier.json()["version"] == 1
    second = client_elu.post(url, {"notes": "Onglet 2", "version": 0}, **JSON)
    assert second.status_code == 409
    assert second.json()["texte"] == "Onglet 1"
    assert second.json()["version"] == 1
    entree.refresh_from_db()
    assert entree.notes == "Onglet 1"
    reprise = client_elu.post(url, {"notes": "Onglet 2", "version": 1}, **JSON)
    assert reprise.status_code == 200
    entree.refresh_from_db()
    assert (entree.notes, entree.notes_version) == ("Onglet 2", 2)


def test_un_texte_trop_long_est_refuse_en_francais(client_elu, seance, element):
    trop_long = "a" * 4001
    reponse = client_elu.post(
        reverse("journal:element", args=[element.pk]), {"texte": trop_long, "version": 1}, **JSON
    )
    assert reponse.status_code == 422
    assert reponse.json()["erreur"] == "Un élément tient en 4 000 caractères au plus."
    element.refresh_from_db()
    assert (element.texte, element.version) == ("Écouter d'abord", 1)
    # Without JavaScript: the page comes back with the text, and nothing is saved.
    page = client_elu.post(
        url_entree(seance),
        {
            f"texte-{element.pk}": trop_long,
            f"version-{element.pk}": 1,
            "notes": "Des notes",
            "notes_version": 0,
        },
    )
    assert page.status_code == 422
    contenu = page.content.decode()
    assert "Un élément tient en 4 000 caractères au plus." in contenu
    assert trop_long in contenu
    element.refresh_from_db()
    assert element.texte == "Écouter d'abord"
    assert Entree.objects.get(pk=element.entree_id).notes == ""


def test_des_notes_trop_longues_sont_refusees(client_elu, seance, entree):
    reponse = client_elu.post(
        reverse("journal:notes", args=[seance.pk]), {"notes": "n" * 20001, "version": 0}, **JSON
    )
    assert reponse.status_code == 422
    assert "20 000 caractères" in reponse.json()["erreur"]
    entree.refresh_from_db()
    assert entree.notes == ""


def test_tout_enregistrer_sans_javascript(client_elu, seance, element, entree):
    reponse = client_elu.post(
        url_entree(seance),
        {
            f"texte-{element.pk}": "Écouter d'abord, toujours",
            f"version-{element.pk}": 1,
            f"audience-{element.pk}": "binome",
            "notes": "À relire",
            "notes_version": 0,
        },
    )
    assert reponse.status_code == 302
    assert any(m.startswith("Votre journal est enregistré") for m in messages_de(reponse))
    element.refresh_from_db()
    entree.refresh_from_db()
    assert (element.texte, element.audience, element.version) == (
        "Écouter d'abord, toujours",
        "binome",
        2,
    )
    assert (entree.notes, entree.notes_version) == ("À relire", 1)


def test_partager_un_element(client_elu, element):
    url = reverse("journal:element_partager", args=[element.pk])
    reponse = client_elu.post(url, {"audience": "groupe"}, **JSON)
    assert reponse.status_code == 200
    assert reponse.json()["libelle"] == "Le groupe, avec mon nom"
    element.refresh_from_db()
    assert element.audience == "groupe"
    refus = client_elu.post(url, {"audience": "tout_le_monde"}, **JSON)
    assert refus.status_code == 422
    assert refus.json()["erreur"] == "Choisissez avec qui partager."
    element.refresh_from_db()
    assert element.audience == "groupe"
    # Without JavaScript: back to the item.
    retour = client_elu.post(url, {"audience": "prive"})
    assert retour.status_code == 302
    assert retour.url.endswith(f"#element-{element.pk}")
    element.refresh_from_db()
    assert element.audience == "prive"


def test_supprimer_un_element_avec_confirmation(client_elu, seance, element):
    url = reverse("journal:element_supprimer", args=[element.pk])
    confirmation = client_elu.get(url)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Supprimer « Point fort 1 » ?" in page
    assert f'action="{url}"' in page
    assert Element.objects.filter(pk=element.pk).exists()
    reponse = client_elu.post(url)
    assert reponse.status_code == 302
    assert reponse.url == f"{url_entree(seance)}#rubrique-points_forts"
    assert not Element.objects.filter(pk=element.pk).exists()


def test_supprimer_depuis_la_page_passe_par_la_confirmation(client_elu, seance, element):
    reponse = client_elu.post(
        url_entree(seance),
        {
            f"texte-{element.pk}": "Écrit juste avant",
            f"version-{element.pk}": 1,
            "supprimer": str(element.pk),
        },
    )
    assert reponse.status_code == 302
    assert reponse.url == reverse("journal:element_supprimer", args=[element.pk])
    element.refresh_from_db()  # not deleted yet, and what was typed is saved
    assert element.texte == "Écrit juste avant"


def test_supprimer_avec_javascript(client_elu, element):
    reponse = client_elu.post(reverse("journal:element_supprimer", args=[element.pk]), **JSON)
    assert reponse.status_code == 200
    assert reponse.json()["supprime"] == element.pk
    assert not Element.objects.exists()


# --- access ---------------------------------------------------------------------------------


def test_l_element_d_un_autre_repond_404(client, element, technicien, cycle):
    autre_binome = binome_complet(cycle)
    for personne in (technicien.user, membre_de(autre_binome).user):
        client.force_login(personne)
        for nom, donnees in (
            ("journal:element", {"texte": "Pris", "version": 1}),
            ("journal:element_partager", {"audience": "groupe"}),
            ("journal:element_supprimer", {}),
        ):
            url = reverse(nom, args=[element.pk])
            assert client.post(url, donnees, **JSON).status_code == 404, nom
        assert (
            client.get(reverse("journal:element_supprimer", args=[element.pk])).status_code == 404
        )
    element.refresh_from_db()
    assert (element.texte, element.audience, element.version) == ("Écouter d'abord", "prive", 1)


def test_un_element_d_un_autre_envoye_avec_la_page_est_ignore(client, seance, element, technicien):
    """The whole-page POST only reads the person's own items."""
    client.force_login(technicien.user)
    reponse = client.post(
        url_entree(seance),
        {f"texte-{element.pk}": "Pris", f"version-{element.pk}": 1, "supprimer": element.pk},
    )
    assert reponse.status_code == 404
    element.refresh_from_db()
    assert element.texte == "Écouter d'abord"


def test_anonyme_renvoye_vers_la_connexion(client, seance, element):
    urls_get = [
        reverse("journal:accueil"),
        url_entree(seance),
        reverse("journal:partages", args=[seance.pk]),
        reverse("journal:pdf"),
        reverse("journal:element_supprimer", args=[element.pk]),
    ]
    for url in urls_get:
        reponse = client.get(url)
        assert reponse.status_code == 302, url
        assert reponse.url.startswith(reverse("account_login")), url
    urls_post = [
        (url_entree(seance), {"notes": "x", "notes_version": 0}),
        (reverse("journal:element", args=[element.pk]), {"texte": "x", "version": 1}),
        (reverse("journal:element_partager", args=[element.pk]), {"audience": "groupe"}),
        (reverse("journal:element_supprimer", args=[element.pk]), {}),
        (reverse("journal:element_ajouter", args=[seance.pk]), {"rubrique": "idees"}),
        (reverse("journal:notes", args=[seance.pk]), {"notes": "x", "version": 0}),
    ]
    for url, donnees in urls_post:
        reponse = client.post(url, donnees)
        assert reponse.status_code == 302, url
        assert reponse.url.startswith(reverse("account_login")), url
    element.refresh_from_db()
    assert (element.texte, element.audience) == ("Écouter d'abord", "prive")
    assert Element.objects.count() == 1


# --- escaping -------------------------------------------------------------------------------


def test_le_texte_tape_est_echappe_partout(client, seance, element, elu, technicien):
    element.texte = SCRIPT
    element.audience = "binome"
    element.save()
    entree = element.entree
    entree.notes = SCRIPT
    entree.save()
    client.force_login(elu.user)
    page = client.get(url_entree(seance)).content.decode()
    assert SCRIPT not in page
    assert escape(SCRIPT) in page
    # The pair-mate reads it on the page of what was shared.
    client.force_login(technicien.user)
    partages = client.get(reverse("journal:partages", args=[seance.pk])).content.decode()
    assert escape(SCRIPT) in partages
    assert SCRIPT not in partages
    # The PDF copy.
    html = render_to_string("journal/pdf/journal.html", contexte_pdf(elu))
    assert SCRIPT not in html
    assert html.count(escape(SCRIPT)) == 2  # the item and the notes


# --- the PDF copy ---------------------------------------------------------------------------


def test_le_pdf_est_un_pdf(client_elu, element):
    reponse = client_elu.get(reverse("journal:pdf"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert reponse["Cache-Control"] == "private, no-store"
    assert "attachment" in reponse["Content-Disposition"]


def test_le_pdf_d_une_personne_sans_binome_repond_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("journal:pdf")).status_code == 404


def test_le_pdf_ne_contient_que_le_journal_de_son_auteur(
    seance, a_venir, elu, technicien, cycle, entree
):
    ElementFactory(entree=entree, texte="Mon secret", audience="prive")
    ElementFactory(entree=entree, texte="Pour le groupe", audience="groupe", rubrique="idees")
    entree.notes = "Mes notes privées"
    entree.save()
    # The pair-mate's items, even shared with the pair, and another pair's: not in this copy.
    du_binome = EntreeFactory(membre=technicien, seance=seance)
    ElementFactory(entree=du_binome, texte="Du technicien", audience="binome")
    autre = membre_de(binome_complet(cycle))
    ElementFactory(
        entree=EntreeFactory(membre=autre, seance=seance), texte="D'ailleurs", audience="groupe"
    )
    Relais.objects.create(
        binome=elu.binome,
        auteur=technicien,
        date=jours(-1),
        public="Le conseil municipal",
        quoi="Les messages",
    )
    Relais.objects.create(
        binome=autre.binome, auteur=autre, date=jours(-1), public="Autre public", quoi="Autre"
    )
    Experimentation.objects.create(binome=elu.binome, titre="Budget participatif")
    Experimentation.objects.create(binome=autre.binome, titre="Conférence de citoyens")

    contexte = contexte_pdf(elu)
    assert contexte["personne"] == elu.user
    assert contexte["binome"] == elu.binome
    # Sessions that have begun only.
    assert [page.seance for page in contexte["pages"]] == [seance]
    textes = [e.texte for _titre, elements in contexte["pages"][0].rubriques for e in elements]
    assert sorted(textes) == sorted(["Mon secret", "Pour le groupe"])
    assert contexte["pages"][0].notes == "Mes notes privées"
    assert [r.public for r in contexte["relais"]] == ["Le conseil municipal"]
    assert [x.titre for x in contexte["experimentations"]] == ["Budget participatif"]

    html = render_to_string("journal/pdf/journal.html", contexte)
    assert "Mon secret" in html and "Mes notes privées" in html
    assert "Pour moi seul·e" in html and "Le groupe, avec mon nom" in html
    assert "Du technicien" not in html and "D&#x27;ailleurs" not in html
    assert elu.user.nom_affiche in html
    assert str(elu.binome) in html
    assert cycle.titre in html
