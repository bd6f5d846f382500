"""The logbook in the admin never leaks a private item nor the free notes: a superuser who
browses every page of the app, searches, filters and opens addresses by hand sees only what
was shared with the group, without the author of an anonymous item."""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from journal.models import (
    Consigne,
    Diagnostic,
    Element,
    Experimentation,
    QuestionDiagnostic,
    Relais,
    ReponseDiagnostic,
)
from tests.factories import (
    CycleFactory,
    ElementFactory,
    EntreeFactory,
    SeanceFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

PRIVE = "Texte-prive-zebre-ecarlate"
BINOME = "Texte-binome-girafe-mauve"
NOTES = "Notes-libres-pingouin-dore"
GROUPE = "Texte-groupe-lion-vert"
ANONYME = "Texte-anonyme-koala-bleu"
SECRETS = (PRIVE, BINOME, NOTES)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours")


@pytest.fixture
def seance(cycle):
    return SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2021, 5, 20))


@pytest.fixture
def binome(cycle):
    binome = binome_complet(cycle)
    anonyme = binome.membres.get(role="technicien").user
    anonyme.first_name, anonyme.last_name = "Anatole", "Discretissime"
    anonyme.save(update_fields=["first_name", "last_name"])
    return binome


@pytest.fixture
def elements(binome, seance):
    elu = binome.membres.get(role="elu")
    technicien = binome.membres.get(role="technicien")
    entree_elu = EntreeFactory(membre=elu, seance=seance, notes=NOTES)
    entree_tech = EntreeFactory(membre=technicien, seance=seance, notes=NOTES + "-bis")
    return {
        "prive": ElementFactory(entree=entree_elu, texte=PRIVE, audience="prive"),
        "binome": ElementFactory(entree=entree_elu, texte=BINOME, audience="binome"),
        "groupe": ElementFactory(entree=entree_elu, texte=GROUPE, audience="groupe"),
        "anonyme": ElementFactory(
            entree=entree_tech, texte=ANONYME, audience="groupe_anonyme", rubrique="idees"
        ),
    }


@pytest.fixture
def journal_complet(binome, seance, elements, cycle):
    """One of everything the app's admin shows."""
    elu = binome.membres.get(role="elu")
    Relais.objects.create(
        binome=binome, auteur=elu, date=datetime.date(2021, 6, 1), public="Conseil", quoi="Q"
    )
    Experimentation.objects.create(binome=binome, titre="Budget participatif")
    Consigne.objects.create(seance=seance, texte="Qu'avez-vous retenu ?")
    question = QuestionDiagnostic.objects.create(cycle=cycle, intitule="Question")
    diagnostic = Diagnostic.objects.create(binome=binome, temps="debut")
    ReponseDiagnostic.objects.create(diagnostic=diagnostic, question=question, valeur=3)
    return elements


@pytest.fixture
def client_admin(client, equipe):
    client.force_login(equipe)
    return client


def _modeles_du_journal():
    return [modele for modele in admin.site._registry if modele._meta.app_label == "journal"]


def _sans_secret(texte):
    return [secret for secret in SECRETS if secret in texte]


def _url(modele, vue, *args):
    return reverse(f"admin:journal_{modele._meta.model_name}_{vue}", args=args)


def test_chaque_liste_du_journal_sans_texte_prive(client_admin, journal_complet):
    pages = {}
    for modele in _modeles_du_journal():
        reponse = client_admin.get(_url(modele, "changelist"))
        assert reponse.status_code == 200, modele
        pages[modele] = reponse.content.decode()
    pages["index"] = client_admin.get(reverse("admin:index")).content.decode()
    pages["app"] = client_admin.get(reverse("admin:app_list", args=["journal"])).content.decode()

    assert {cle: _sans_secret(page) for cle, page in pages.items()} == {cle: [] for cle in pages}
    assert len(pages) == 8  # six admins and the two indexes
    # The shared items are there, the anonymous one without its author.
    assert GROUPE in pages[Element] and ANONYME in pages[Element]
    assert "Discretissime" not in pages[Element]
    assert "Anatole" not in pages[Element]


def test_recherche_du_texte_prive_ne_trouve_rien(client_admin, journal_complet):
    for modele in _modeles_du_journal():
        if not admin.site._registry[modele].search_fields:
            continue
        for secret in SECRETS:
            reponse = client_admin.get(_url(modele, "changelist"), {"q": secret})
            assert reponse.status_code == 200
            assert list(reponse.context["cl"].result_list) == [], (modele, secret)
            # The search box and the filters' links keep what was typed; nothing else shows it.
            page = re.sub(rf'(value="|q=|q%3D){secret}', "", reponse.content.decode())
            assert _sans_secret(page) == [], (modele, secret)


def test_recherche_par_nom_ne_revele_pas_l_auteur_anonyme(client_admin, journal_complet):
    reponse = client_admin.get(_url(Element, "changelist"), {"q": "Discretissime"})

    assert list(reponse.context["cl"].result_list) == []


def test_liste_des_elements_strictement_partages_avec_le_groupe(client_admin, journal_complet):
    reponse = client_admin.get(_url(Element, "changelist"))

    assert sorted(e.texte for e in reponse.context["cl"].result_list) == [ANONYME, GROUPE]


@pytest.mark.parametrize("audience", ["prive", "binome"])
def test_filtre_par_audience_ne_montre_pas_les_elements_non_partages(
    client_admin, journal_complet, audience
):
    reponse = client_admin.get(_url(Element, "changelist"), {"audience": audience})

    assert reponse.status_code == 200
    assert _sans_secret(reponse.content.decode()) == []
    assert sorted(e.texte for e in reponse.context["cl"].result_list) == [ANONYME, GROUPE]


@pytest.mark.parametrize(
    "recherche",
    [
        {"entree__notes__icontains": "pingouin"},
        {"entree__elements__texte__icontains": "zebre"},
        {"entree__membre__user__last_name": "Discretissime"},
        {"entree__membre": "1"},
        {"entree": "1"},
    ],
)
def test_filtres_forges_dans_l_adresse_refuses(client_admin, journal_complet, recherche):
    reponse = client_admin.get(_url(Element, "changelist"), recherche)

    assert reponse.status_code == 400
    assert _sans_secret(reponse.content.decode()) == []


@pytest.mark.parametrize("cle", ["prive", "binome"])
@pytest.mark.parametrize("vue", ["change", "history", "delete"])
def test_adresse_d_un_element_non_partage_repond_404(client_admin, journal_complet, cle, vue):
    element = journal_complet[cle]

    reponse = client_admin.get(_url(Element, vue, element.pk))

    assert reponse.status_code == 404
    assert _sans_secret(reponse.content.decode()) == []


def test_element_partage_en_lecture_seule_avec_son_auteur(client_admin, journal_complet):
    element = journal_complet["groupe"]

    reponse = client_admin.get(_url(Element, "change", element.pk))
    modifier = client_admin.post(
        _url(Element, "change", element.pk), {"texte": "Réécrit par l'équipe"}
    )

    texte = reponse.content.decode()
    assert reponse.status_code == 200
    assert GROUPE in texte
    assert element.entree.membre.user.nom_affiche in texte
    assert _sans_secret(texte) == []
    assert modifier.status_code == 403
    element.refresh_from_db()
    assert element.texte == GROUPE


def test_element_anonyme_sans_auteur_ni_collectivite(client_admin, journal_complet, binome):
    element = journal_complet["anonyme"]

    texte = client_admin.get(_url(Element, "change", element.pk)).content.decode()

    assert ANONYME in texte
    assert "anonyme" in texte
    assert "Discretissime" not in texte
    assert str(binome) not in texte


def test_pas_d_administration_des_entrees(client_admin, journal_complet):
    with pytest.raises(NoReverseMatch):
        reverse("admin:journal_entree_changelist")

    reponse = client_admin.get("/admin/journal/entree/")

    assert reponse.status_code == 404
    assert _sans_secret(reponse.content.decode()) == []


def test_suppression_d_une_seance_ne_liste_pas_les_textes(client_admin, journal_complet, seance):
    # Django lists what a deletion would take with it, each object by its name.
    reponse = client_admin.get(reverse("admin:seances_seance_delete", args=[seance.pk]))

    texte = reponse.content.decode()
    assert reponse.status_code == 200
    assert "élément du journal" in texte
    assert _sans_secret(texte) == []
    assert GROUPE not in texte


def test_suppression_d_une_personne_ne_liste_pas_les_textes(client_admin, journal_complet, binome):
    user = binome.membres.get(role="elu").user

    reponse = client_admin.get(reverse("admin:comptes_user_delete", args=[user.pk]))

    assert _sans_secret(reponse.content.decode()) == []


def test_nom_d_un_element_sans_son_texte(journal_complet):
    assert str(journal_complet["prive"]) == "Points forts retenus (Pour moi seul·e)"


# --- What staff maintain ---------------------------------------------------------------------


def test_grille_par_defaut_depuis_l_administration(client_admin, cycle):
    url = reverse("admin:journal_questiondiagnostic_grille_par_defaut")

    liste = client_admin.get(_url(QuestionDiagnostic, "changelist")).content.decode()
    premiere = client_admin.post(url, {"cycle": cycle.pk})
    seconde = client_admin.post(url, {"cycle": cycle.pk}, follow=True)

    assert "Créer les six questions par défaut" in liste
    assert premiere.status_code == 302
    assert QuestionDiagnostic.objects.filter(cycle=cycle).count() == 6
    assert "a déjà des questions" in seconde.content.decode()
    assert client_admin.get(url).status_code == 405


def test_grille_par_defaut_refusee_hors_equipe(client, cycle, binome):
    client.force_login(binome.membres.get(role="elu").user)

    reponse = client.post(
        reverse("admin:journal_questiondiagnostic_grille_par_defaut"), {"cycle": cycle.pk}
    )

    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("admin:login"))
    assert not QuestionDiagnostic.objects.exists()


def test_relais_de_l_administration_refuse_une_seance_d_un_autre_cycle(
    client_admin, binome, seance
):
    ailleurs = SeanceFactory(cycle=CycleFactory())
    donnees = {
        "binome": binome.pk,
        "auteur": binome.membres.get(role="elu").pk,
        "date": "2021-06-01",
        "public": "Conseil",
        "quoi": "Les niveaux de participation",
        "seance": ailleurs.pk,
    }

    refuse = client_admin.post(_url(Relais, "add"), donnees)
    accepte = client_admin.post(_url(Relais, "add"), {**donnees, "seance": seance.pk})

    assert refuse.status_code == 200
    assert "Cette séance n&#x27;est pas du cycle de la collectivité." in refuse.content.decode()
    assert accepte.status_code == 302
    assert list(Relais.objects.values_list("seance_id", flat=True)) == [seance.pk]


def test_autodiagnostic_en_lecture_seule(client_admin, journal_complet):
    diagnostic = Diagnostic.objects.get()

    reponse = client_admin.get(_url(Diagnostic, "change", diagnostic.pk))

    assert reponse.status_code == 200
    assert "Question" in reponse.content.decode()
    assert client_admin.get(_url(Diagnostic, "add")).status_code == 403
