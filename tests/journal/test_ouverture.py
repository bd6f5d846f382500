"""The opening of each day (staff): what the group shared from the previous session, grouped by
heading, counted per collectivity; never a private item, a pair-only item or a free note, and
an anonymous item without its author nor their collectivity. Constant number of queries."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidatures.models import Candidature
from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.territoires.models import Territoire
from journal.models import Element, Entree
from seances.models import Binome, Membre
from tests.factories import (
    BinomeFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    CycleFactory,
    DepartementFactory,
    ElementFactory,
    MembreFactory,
    SeanceFactory,
    TerritoireFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

AUJOURDHUI = timezone.localdate()
NOMME = "Le tour de table en binôme a délié les langues"
ANONYME = "On sous-estime le temps nécessaire pour convaincre les services"
PRIVE = "Mon adjoint freine tout, je ne sais plus comment faire"
BINOME = "À reprendre ensemble : la réunion publique de mars"
NOTES = "Notes libres : appeler la DGS lundi"
IDEE = "Un budget participatif réservé aux moins de 25 ans"
ANCIEN = "Un élément de la séance 1, déjà discuté"
# The page's queries whatever the size of the cohort — session, user, roles, cycle, session and
# its speakers, previous session, shared items, pairs — equal at 13 and 100 collectivities.
REQUETES_MAX = 9


def _binome(cycle, collectivite, elu, technicien):
    territoire = TerritoireFactory(nom=collectivite, region=cycle.region)
    binome = BinomeFactory(
        candidature=CandidatureDeposeeFactory(cycle=cycle, territoire=territoire)
    )
    for role, nom_complet in (("elu", elu), ("technicien", technicien)):
        prenom, nom = nom_complet.split()
        user = UserFactory(first_name=prenom, last_name=nom)
        role_attribuer(user, Role.PARTICIPANT)
        MembreFactory(binome=binome, role=role, user=user)
    return binome


def _membre(binome, role):
    return binome.membres.get(role=role)


def _element(membre, seance, texte, audience, rubrique="points_forts"):
    entree, _cree = Entree.objects.get_or_create(membre=membre, seance=seance)
    return ElementFactory(entree=entree, texte=texte, audience=audience, rubrique=rubrique)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", slug="cycle-2021")


@pytest.fixture
def seances(cycle):
    return [
        SeanceFactory(cycle=cycle, numero=1, date=AUJOURDHUI - datetime.timedelta(days=80)),
        SeanceFactory(
            cycle=cycle,
            numero=2,
            date=AUJOURDHUI - datetime.timedelta(days=40),
            theme="Postures d'élu·es et de technicien·nes",
        ),
        SeanceFactory(
            cycle=cycle,
            numero=3,
            date=AUJOURDHUI + datetime.timedelta(days=1),
            theme="Des organisations coopératives",
        ),
    ]


@pytest.fixture
def binomes(cycle):
    return {
        "loos": _binome(cycle, "Loos-en-Gohelle", "Claire Leroy", "Julien Desmet"),
        "bethune": _binome(cycle, "Béthune", "Paul Martin", "Lucie Petit"),
        "arras": _binome(cycle, "Arras", "Sophie Carpentier", "Marc Dufresne"),
    }


@pytest.fixture
def partages(seances, binomes):
    """What was written of session 2: shared with the group, or not."""
    s1, s2, _s3 = seances
    claire = _membre(binomes["loos"], "elu")
    julien = _membre(binomes["loos"], "technicien")
    paul = _membre(binomes["bethune"], "elu")
    lucie = _membre(binomes["bethune"], "technicien")
    _element(claire, s2, NOMME, "groupe")
    _element(claire, s2, PRIVE, "prive", rubrique="vigilance")
    _element(claire, s2, BINOME, "binome", rubrique="idees")
    _element(claire, s2, "", "groupe", rubrique="idees")  # an empty line, never shown
    Entree.objects.filter(membre=claire, seance=s2).update(notes=NOTES)
    _element(julien, s2, "Trop de\nréunions <b>le soir</b>", "groupe", rubrique="vigilance")
    _element(paul, s2, IDEE, "groupe", rubrique="idees")
    _element(lucie, s2, ANONYME, "groupe_anonyme", rubrique="progres")
    _element(claire, s1, ANCIEN, "groupe")  # the session before: not this opening's
    return s2


def _url(cycle, numero):
    return reverse("equipe_journal:ouverture", args=[cycle.slug, numero])


def _page(client, cycle, numero):
    reponse = client.get(_url(cycle, numero))
    assert reponse.status_code == 200
    return reponse.content.decode()


def _aplatie(html):
    return re.sub(r"\s+", " ", html)


def _rubrique(html, titre):
    """The section of one heading, from its title to the end of the section."""
    debut = html.index(f">{titre} <span")
    return html[debut : html.index("</section>", debut)]


def _element_li(html, texte):
    debut = html.rindex("<li", 0, html.index(texte))
    return html[debut : html.index("</li>", debut)]


def _compteurs(html):
    """{collectivity: count} read from the table, and the anonymous count."""
    tableau = _aplatie(html[html.index('id="titre-compteurs"') :])
    lignes = dict(
        re.findall(
            r'<th scope="row" class="fw-normal">([^<]+)</th> <td class="text-end">(\d+)<', tableau
        )
    )
    anonymes = re.search(r"Contributions anonymes</th> <td class=\"text-end\">(\d+)<", tableau)
    return {nom: int(n) for nom, n in lignes.items()}, int(anonymes.group(1))


# --- what the page shows --------------------------------------------------------------------


def test_ouverture_regroupe_les_partages_par_rubrique(client, equipe, cycle, partages):
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    assert "Ce que le groupe a partagé de la séance 2" in html
    assert "Postures d&#x27;élu·es et de technicien·nes" in html
    titres = re.findall(r'class="ouverture-rubrique-titre">([^<]+) <span', html)
    assert titres == [
        "Points forts retenus",
        "Points de vigilance",
        "Idées",
        "Marges de progression",
    ]
    forts = _rubrique(html, "Points forts retenus")
    assert NOMME in forts
    assert "Claire Leroy" in forts and "Loos-en-Gohelle" in forts
    assert "1 élément" in forts
    vigilance = _rubrique(html, "Points de vigilance")
    # Typed text is escaped, its line breaks kept.
    assert "Trop de<br>réunions &lt;b&gt;le soir&lt;/b&gt;" in vigilance
    assert "<b>le soir</b>" not in html
    assert "Julien Desmet" in vigilance
    assert IDEE in _rubrique(html, "Idées") and "Paul Martin" in _rubrique(html, "Idées")
    assert ANONYME in _rubrique(html, "Marges de progression")
    # The session before the previous one is not this opening's.
    assert ANCIEN not in html


def test_ouverture_compte_par_collectivite_et_les_anonymes(client, equipe, cycle, partages):
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    par_collectivite, anonymes = _compteurs(html)
    # Every pair, zeros included; the anonymous item counts for nobody.
    assert par_collectivite == {"Loos-en-Gohelle": 2, "Béthune": 1, "Arras": 0}
    assert anonymes == 1
    chiffres = _aplatie(html)
    assert "<dt>Contributions</dt><dd>4</dd>" in chiffres
    assert "<dt>Personnes</dt><dd>4</dd>" in chiffres
    assert "<dt>Collectivités nommées</dt><dd>2 sur 3</dd>" in chiffres
    assert "<dt>Anonymes</dt><dd>1</dd>" in chiffres


def test_ouverture_ne_montre_ni_le_prive_ni_le_binome_ni_les_notes(client, equipe, cycle, partages):
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    assert NOMME in html
    for secret in (PRIVE, BINOME, NOTES):
        assert secret not in html
    # Only what the page lists: 4 items, the empty line left out.
    assert html.count('class="ouverture-element"') == 4


def test_ouverture_un_element_anonyme_sans_auteur_ni_collectivite(client, equipe, cycle, partages):
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    element = _element_li(html, ANONYME)
    assert "anonyme" in element
    assert "Béthune" not in element
    # Lucie shared nothing under her name: her name is nowhere on the page.
    assert "Lucie" not in html and "Petit" not in html


def test_ouverture_un_element_repasse_en_prive_disparait(client, equipe, cycle, partages):
    Element.objects.filter(texte=NOMME).update(audience="prive")
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    assert NOMME not in html
    par_collectivite, _anonymes = _compteurs(html)
    assert par_collectivite["Loos-en-Gohelle"] == 1


def test_premiere_seance_message_clair(client, equipe, cycle, partages):
    client.force_login(equipe)

    html = _page(client, cycle, 1)

    assert "C'est la première séance du cycle" in html
    assert 'class="ouverture-element"' not in html
    assert ANCIEN not in html
    assert 'id="titre-compteurs"' not in html


def test_rien_de_partage_message_et_compteurs_a_zero(client, equipe, cycle, seances, binomes):
    _element(_membre(binomes["loos"], "elu"), seances[1], PRIVE, "prive")
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    assert "Personne n'a encore partagé avec le groupe" in html
    assert PRIVE not in html
    assert _compteurs(html) == ({"Loos-en-Gohelle": 0, "Béthune": 0, "Arras": 0}, 0)


def test_seance_precedente_pas_encore_tenue(client, equipe, cycle, seances):
    SeanceFactory(cycle=cycle, numero=4, date=AUJOURDHUI + datetime.timedelta(days=40))
    client.force_login(equipe)

    html = _page(client, cycle, 4)

    assert "La séance 3 n'a pas encore eu lieu" in html


def test_prete_la_veille_dit_quand_et_la_fraicheur(client, equipe, cycle, partages):
    Element.objects.filter(texte=IDEE).update(
        modifie_le=timezone.now() + datetime.timedelta(minutes=5)
    )
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    assert "La séance a lieu demain." in html
    assert "Page calculée le" in html
    assert "Dernier partage ou modification le" in html


def test_seance_dans_plusieurs_jours_ou_passee(client, equipe, cycle, partages, seances):
    client.force_login(equipe)
    seances[2].date = AUJOURDHUI + datetime.timedelta(days=6)
    seances[2].save()

    assert "La séance a lieu dans 6 jours" in _page(client, cycle, 3)

    assert "La séance a eu lieu le" in _page(client, cycle, 2)


def test_page_projetable_et_imprimable_sans_script_ni_style_en_ligne(
    client, equipe, cycle, partages
):
    client.force_login(equipe)

    html = _page(client, cycle, 3)

    assert "/static/css/ouverture.css" in html
    assert re.search(r'<script src="/static/js/ouverture\.js" defer></script>', html)
    assert "data-plein-ecran hidden" in _aplatie(html)
    assert "style=" not in html
    assert " onclick=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    feuille = Path(finders.find("css/ouverture.css")).read_text(encoding="utf-8")
    assert "@media print" in feuille and ".ouverture:fullscreen" in feuille
    script = Path(finders.find("js/ouverture.js")).read_text(encoding="utf-8")
    assert "requestFullscreen" in script and "document.fullscreenEnabled" in script


def test_une_longue_ouverture_s_imprime_une_rubrique_par_page(client, equipe, cycle, partages):
    claire = _membre(Binome.objects.get(candidature__territoire__nom="Loos-en-Gohelle"), "elu")
    client.force_login(equipe)
    assert "ouverture--longue" not in _page(client, cycle, 3)

    for rang in range(10):
        _element(claire, partages, f"Encore une idée {rang}", "groupe", rubrique="idees")

    assert 'class="ouverture ouverture--longue"' in _page(client, cycle, 3)


# --- access ---------------------------------------------------------------------------------


def test_participant_404_anonyme_connexion(client, cycle, partages, binomes):
    url = _url(cycle, 3)

    anonyme = client.get(url)
    client.force_login(_membre(binomes["loos"], "elu").user)
    participant = client.get(url)

    assert anonyme.status_code == 302
    assert anonyme.url.startswith(reverse("account_login"))
    assert participant.status_code == 404


def test_seance_ou_cycle_inconnus_404_et_post_refuse(client, equipe, cycle, seances):
    client.force_login(equipe)

    assert client.get(_url(cycle, 9)).status_code == 404
    assert client.get(reverse("equipe_journal:ouverture", args=["inconnu", 1])).status_code == 404
    assert client.post(_url(cycle, 3)).status_code == 405


def test_un_autre_cycle_ne_se_melange_pas(client, equipe, cycle, partages):
    autre = CycleFactory(statut="en_cours", slug="cycle-2023")
    SeanceFactory(cycle=autre, numero=1, date=AUJOURDHUI - datetime.timedelta(days=10))
    SeanceFactory(cycle=autre, numero=2, date=AUJOURDHUI + datetime.timedelta(days=10))
    binome = binome_complet(autre)
    client.force_login(equipe)

    html = _page(client, autre, 2)

    assert NOMME not in html and IDEE not in html
    assert _compteurs(html) == ({str(binome): 0}, 0)


# --- the way in -----------------------------------------------------------------------------


def test_le_tableau_des_seances_mene_a_l_ouverture_de_chaque_seance(client, equipe, cycle, seances):
    client.force_login(equipe)

    html = client.get(reverse("equipe_seances:tableau", args=[cycle.slug])).content.decode()

    for seance in seances:
        assert f'href="{_url(cycle, seance.numero)}">Ouverture du jour<' in html


def test_les_onglets_de_la_seance_menent_a_l_ouverture(client, equipe, cycle, seances):
    client.force_login(equipe)

    autre_page = client.get(reverse("equipe_seances:seance", args=[cycle.slug, 3])).content.decode()
    ouverture = _page(client, cycle, 3)

    assert f'href="{_url(cycle, 3)}">Ouverture du jour</a>' in autre_page
    assert f'aria-current="page" href="{_url(cycle, 3)}">Ouverture du jour</a>' in ouverture


def _menu(html):
    debut = html.index('aria-label="Menu principal"')
    return html[debut : html.index("</nav>", debut)]


def _espace(html):
    debut = html.index('id="titre-votre-espace"')
    return html[debut : html.index("</section>", debut)]


def test_menu_et_accueil_du_participant_menent_au_journal(client, cycle, binomes):
    client.force_login(_membre(binomes["loos"], "elu").user)

    html = client.get(reverse("accueil")).content.decode()

    journal = reverse("journal:accueil")
    menu = _menu(html)
    assert f'href="{journal}">Mon journal</a>' in menu
    # Next to « Mes séances ».
    assert menu.index("Mes séances") < menu.index("Mon journal")
    assert f'href="{journal}">Mon journal de bord</a>' in _espace(html)


def test_menu_marque_le_journal_dans_l_espace_du_journal(client, cycle, binomes):
    client.force_login(_membre(binomes["loos"], "elu").user)

    journal = reverse("journal:accueil")

    html = client.get(journal).content.decode()

    assert f'href="{journal}" aria-current="page">Mon journal</a>' in _menu(html)
    assert 'aria-current="page">Mes séances</a>' not in _menu(html)


@pytest.mark.parametrize("connecte", ["equipe", "sans_role", "anonyme"])
def test_menu_sans_participation_ne_montre_pas_le_journal(client, equipe, connecte):
    if connecte == "equipe":
        client.force_login(equipe)
    elif connecte == "sans_role":
        client.force_login(UserFactory())

    html = client.get(reverse("accueil")).content.decode()

    assert "/journal/" not in _menu(html)
    assert "Mon journal" not in html


# --- queries --------------------------------------------------------------------------------


def _cohorte_en_masse(cycle, seance, nombre, prefixe):
    """``nombre`` pairs, each with a named item, one in three with an anonymous one and a
    private one too, written with bulk_create (factories one by one would be slow)."""
    departement = DepartementFactory()
    territoires = Territoire.objects.bulk_create(
        TerritoireFactory.build(
            nom=f"{prefixe} {rang:03d}", departement=departement, region=departement.region
        )
        for rang in range(nombre)
    )
    users = User.objects.bulk_create(
        UserFactory.build(email=f"{prefixe.lower()}{rang}-{role}@exemple.fr")
        for rang in range(nombre)
        for role in ("compte", "elu", "technicien")
    )
    candidatures = Candidature.objects.bulk_create(
        CandidatureFactory.build(
            cycle=cycle,
            territoire=territoire,
            departement=departement,
            proprietaire=users[3 * rang],
            statut="deposee",
        )
        for rang, territoire in enumerate(territoires)
    )
    binomes = Binome.objects.bulk_create(
        Binome(cycle=cycle, candidature=candidature) for candidature in candidatures
    )
    membres = Membre.objects.bulk_create(
        Membre(binome=binome, user=users[3 * rang + decalage], role=role)
        for rang, binome in enumerate(binomes)
        for decalage, role in ((1, "elu"), (2, "technicien"))
    )
    entrees = Entree.objects.bulk_create(
        Entree(membre=membre, seance=seance) for membre in membres[::2]
    )
    elements = []
    for rang, entree in enumerate(entrees):
        elements.append(
            Element(entree=entree, rubrique="idees", texte=f"Idée {rang}", audience="groupe")
        )
        if rang % 3 == 0:
            elements.append(
                Element(entree=entree, rubrique="progres", texte="Anon", audience="groupe_anonyme")
            )
            elements.append(
                Element(entree=entree, rubrique="vigilance", texte="Privé", audience="prive")
            )
    Element.objects.bulk_create(elements)


def test_nombre_de_requetes_constant_de_13_a_100_collectivites(
    client, equipe, cycle, seances, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(equipe)
    _cohorte_en_masse(cycle, seances[1], 13, "Treize")
    client.get(_url(cycle, 3))  # the session and the caches warmed

    with django_assert_max_num_queries(REQUETES_MAX), CaptureQueriesContext(connection) as treize:
        html = _page(client, cycle, 3)
    assert html.count('class="ouverture-element"') == 13 + 5
    assert _compteurs(html)[1] == 5
    assert len(_compteurs(html)[0]) == 13

    _cohorte_en_masse(cycle, seances[1], 87, "Cent")

    with django_assert_max_num_queries(REQUETES_MAX), django_assert_num_queries(len(treize)):
        html = _page(client, cycle, 3)
    par_collectivite, anonymes = _compteurs(html)
    assert len(par_collectivite) == 100
    assert set(par_collectivite.values()) == {1}
    assert anonymes == 5 + 29
    assert html.count('class="ouverture-element"') == 100 + anonymes
    assert "Privé" not in html
