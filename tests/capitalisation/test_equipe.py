"""Staff pages of the report: who may open them, the settings form (cleaned, refused input kept
on screen), the versions table and its download, the ways in (menu, tabs) and the admin."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from capitalisation import services
from capitalisation.enums import EtatVersion, Section
from capitalisation.forms import html_vers_texte
from capitalisation.models import Rapport, Version
from cerdd_cycle.comptes.roles import Role, role_attribuer
from tests.factories import CandidatureFactory, CycleFactory, UserFactory, binome_complet

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% rapport d'essai\n%%EOF\n"


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", slug="cycle-2021", titre="Cycle 2021")


@pytest.fixture
def autre_cycle():
    return CycleFactory(slug="cycle-2019")


def _version(cycle, numero=1, etat=EtatVersion.PRETE, **champs):
    version = Version(cycle=cycle, numero=numero, etat=etat, **champs)
    if etat == EtatVersion.PRETE:
        version.fichier.save(services.nom_fichier(version), ContentFile(PDF), save=False)
        version.pages = champs.get("pages", 12)
        version.taille = champs.get("taille", 1_250_000)
        version.duree = champs.get("duree", 3.42)
    version.save()
    return version


def _participant(cycle):
    return binome_complet(cycle).membres.get(role="elu").user


def _candidat(cycle):
    user = CandidatureFactory(cycle=cycle).proprietaire
    role_attribuer(user, Role.CANDIDAT)
    return user


def _urls(cycle, numero=1):
    return {
        "accueil": ("get", reverse("equipe_capitalisation:accueil")),
        "rapport": ("get", reverse("equipe_capitalisation:rapport", args=[cycle.slug])),
        "apercu": ("get", reverse("equipe_capitalisation:apercu", args=[cycle.slug])),
        "generer": ("post", reverse("equipe_capitalisation:generer", args=[cycle.slug])),
        "version_etat": (
            "get",
            reverse("equipe_capitalisation:version_etat", args=[cycle.slug, numero]),
        ),
        "version_telecharger": (
            "get",
            reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, numero]),
        ),
    }


# --- Who may open the pages -----------------------------------------------------------------

VUES = ["accueil", "rapport", "apercu", "generer", "version_etat", "version_telecharger"]


@pytest.mark.parametrize("vue", VUES)
def test_anonyme_va_se_connecter(client, cycle, vue):
    _version(cycle)
    methode, url = _urls(cycle)[vue]

    reponse = getattr(client, methode)(url)

    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("account_login"))
    assert Version.objects.count() == 1


@pytest.mark.parametrize("qui", ["participant", "candidat", "sans_role"])
@pytest.mark.parametrize("vue", VUES)
def test_hors_equipe_404(client, cycle, vue, qui):
    _version(cycle)
    user = {
        "participant": _participant,
        "candidat": _candidat,
        "sans_role": lambda c: UserFactory(),
    }[qui](cycle)
    client.force_login(user)
    methode, url = _urls(cycle)[vue]

    reponse = getattr(client, methode)(url)

    assert reponse.status_code == 404
    assert Version.objects.count() == 1  # « generer » asked for nothing


@pytest.mark.parametrize(
    "vue,attendu",
    [
        ("accueil", 302),
        ("rapport", 200),
        ("apercu", 200),
        ("generer", 302),
        ("version_etat", 200),
        ("version_telecharger", 200),
    ],
)
def test_equipe_ouvre_chaque_page(
    client, equipe, cycle, vue, attendu, django_capture_on_commit_callbacks
):
    _version(cycle)
    client.force_login(equipe)
    methode, url = _urls(cycle)[vue]

    with django_capture_on_commit_callbacks(execute=False):
        reponse = getattr(client, methode)(url)
    reponse.close()  # a file answer holds the file open until closed

    assert reponse.status_code == attendu


@pytest.mark.parametrize("vue", ["version_etat", "version_telecharger"])
def test_version_d_un_autre_cycle_404(client, equipe, cycle, autre_cycle, vue):
    _version(autre_cycle, numero=1)
    _version(cycle, numero=1)
    _version(autre_cycle, numero=2)
    client.force_login(equipe)

    assert client.get(_urls(cycle, numero=2)[vue][1]).status_code == 404
    reponse = client.get(_urls(cycle, numero=1)[vue][1])
    reponse.close()
    assert reponse.status_code == 200


def test_cycle_inconnu_404(client, equipe):
    client.force_login(equipe)

    assert client.get(reverse("equipe_capitalisation:rapport", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize("vue", ["generer"])
def test_generer_refuse_get(client, equipe, cycle, vue):
    client.force_login(equipe)

    assert client.get(_urls(cycle)[vue][1]).status_code == 405
    assert not Version.objects.exists()


@pytest.mark.parametrize("vue", ["rapport", "version_etat", "version_telecharger", "apercu"])
def test_pages_de_lecture_refusent_delete(client, equipe, cycle, vue):
    _version(cycle)
    client.force_login(equipe)

    assert client.delete(_urls(cycle)[vue][1]).status_code == 405


# --- The way in -----------------------------------------------------------------------------


def test_accueil_mene_au_cycle_des_seances(client, equipe, cycle):
    CycleFactory(slug="cycle-2019", statut="termine")
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_capitalisation:accueil"))

    assert reponse["Location"] == reverse("equipe_capitalisation:rapport", args=[cycle.slug])


def test_accueil_sans_cycle_mene_a_l_administration(client, equipe):
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_capitalisation:accueil"))

    assert reponse["Location"] == reverse("admin:index")
    assert "Aucun cycle" in str(next(iter(get_messages(reponse.wsgi_request))))


def _menu(html):
    debut = html.index('aria-label="Menu principal"')
    return html[debut : html.index("</nav>", debut)]


def test_menu_de_l_equipe_mene_a_la_capitalisation(client, equipe, cycle):
    client.force_login(equipe)
    accueil = reverse("equipe_capitalisation:accueil")

    menu_ailleurs = _menu(client.get(reverse("accueil")).content.decode())
    menu_ici = _menu(
        client.get(reverse("equipe_capitalisation:rapport", args=[cycle.slug])).content.decode()
    )

    assert f'href="{accueil}">Capitalisation</a>' in menu_ailleurs
    assert f'href="{accueil}" aria-current="page">Capitalisation</a>' in menu_ici


def test_menu_d_un_participant_sans_capitalisation(client, cycle):
    client.force_login(_participant(cycle))

    menu = _menu(client.get(reverse("accueil")).content.decode())

    assert reverse("equipe_capitalisation:accueil") not in menu


def test_onglets_du_rapport_et_des_autres_pages(client, equipe, cycle):
    client.force_login(equipe)
    url = reverse("equipe_capitalisation:rapport", args=[cycle.slug])

    ici = client.get(url).content.decode()
    engagements = client.get(reverse("equipe_journal:engagements", args=[cycle.slug]))

    assert f'aria-current="page" href="{url}">Rapport</a>' in ici
    assert reverse("equipe_journal:autodiagnostics", args=[cycle.slug]) in ici
    assert f'href="{url}">Rapport</a>' in engagements.content.decode()


# --- The settings form ----------------------------------------------------------------------


def _rapport_url(cycle):
    return reverse("equipe_capitalisation:rapport", args=[cycle.slug])


def test_formulaire_montre_les_chapitres_coches_par_defaut(client, equipe, cycle):
    client.force_login(equipe)

    html = client.get(_rapport_url(cycle)).content.decode()

    for section in Section:
        assert f'value="{section.value}" id="id_sections_' in html
        assert str(section.label).replace("'", "&#x27;") in html
    assert html.count(" checked aria-describedby") == len(Section)
    assert "une ligne vide sépare deux paragraphes" in html
    # The tags the help text names are shown, not interpreted.
    assert "gardé (&lt;p&gt;, &lt;strong&gt;, &lt;em&gt;" in html
    assert reverse("equipe_capitalisation:apercu", args=[cycle.slug]) in html


def test_enregistrer_nettoie_et_garde_les_chapitres(client, equipe, cycle):
    client.force_login(equipe)

    reponse = client.post(
        _rapport_url(cycle),
        {
            "titre": "  Le cycle 2021 raconté  ",
            "introduction": "Premier paragraphe.\n\nSecond & dernier.",
            "conclusion": "<p>Merci <strong>à tous</strong></p><script>alert(1)</script>",
            "sections": ["seances", "cycle"],
        },
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == _rapport_url(cycle)
    rapport = Rapport.objects.get(cycle=cycle)
    assert rapport.titre == "Le cycle 2021 raconté"
    assert rapport.introduction == "<p>Premier paragraphe.</p><p>Second &amp; dernier.</p>"
    assert "<script" not in rapport.conclusion and "alert" not in rapport.conclusion
    assert rapport.conclusion == "<p>Merci <strong>à tous</strong></p>"
    assert rapport.sections == ["cycle", "seances"]  # in the report's order
    assert rapport.modifie_par == equipe
    assert not Version.objects.exists()  # « Enregistrer » does not generate


def test_texte_simple_relu_sans_balises(client, equipe, cycle):
    """What a person typed as plain text comes back as plain text in the field."""
    client.force_login(equipe)
    client.post(
        _rapport_url(cycle),
        {"introduction": "Un.\nDeux lignes.\n\nTrois & quatre < cinq.", "sections": []},
    )

    html = client.get(_rapport_url(cycle)).content.decode()

    assert "Un.\nDeux lignes.\n\nTrois &amp; quatre &lt; cinq.</textarea>" in html
    assert "&lt;p&gt;Un" not in html


def test_html_vers_texte_garde_le_html_riche():
    assert html_vers_texte("<p>Un</p><p>Deux<br>trois</p>") == "Un\n\nDeux\ntrois"
    riche = "<p>Un <strong>fort</strong></p>"
    assert html_vers_texte(riche) == riche
    assert html_vers_texte("<ul><li>a</li></ul>") == "<ul><li>a</li></ul>"
    assert html_vers_texte("") == ""


def test_aucun_chapitre_est_permis(client, equipe, cycle):
    client.force_login(equipe)

    client.post(_rapport_url(cycle), {"titre": "Court"})

    assert Rapport.objects.get(cycle=cycle).sections == []


def test_chapitre_inconnu_refuse_et_saisie_gardee(client, equipe, cycle):
    services.rapport_enregistrer(cycle, par=equipe, titre="Avant", sections=["cycle"])
    client.force_login(equipe)

    reponse = client.post(
        _rapport_url(cycle),
        {
            "titre": "Titre tapé",
            "introduction": "Une introduction longue, tapée avec soin.",
            "sections": ["seances", "inexistant"],
            "generer": "1",
        },
    )

    assert reponse.status_code == 422
    html = reponse.content.decode()
    assert "Chapitre inconnu : « inexistant »" in html
    assert 'value="Titre tapé"' in html
    assert "Une introduction longue, tapée avec soin.</textarea>" in html
    rapport = Rapport.objects.get(cycle=cycle)
    assert (rapport.titre, rapport.sections) == ("Avant", ["cycle"])
    assert not Version.objects.exists()


def test_titre_trop_long_refuse(client, equipe, cycle):
    client.force_login(equipe)

    reponse = client.post(_rapport_url(cycle), {"titre": "x" * 201, "sections": ["cycle"]})

    assert reponse.status_code == 422
    assert "200 caractères" in reponse.content.decode()
    assert not Rapport.objects.exists()


def test_enregistrer_et_generer(client, equipe, cycle, django_capture_on_commit_callbacks):
    client.force_login(equipe)

    with django_capture_on_commit_callbacks(execute=False) as rappels:
        reponse = client.post(
            _rapport_url(cycle),
            {"titre": "Nouveau titre", "sections": ["cycle"], "generer": "1"},
        )

    assert reponse.status_code == 302
    assert reponse["Location"] == _rapport_url(cycle) + "#versions"
    version = Version.objects.get()
    assert version.numero == 1
    assert version.demandee_par == equipe
    # The version takes the settings just typed, not those saved before.
    assert version.reglages["titre"] == "Nouveau titre"
    assert version.reglages["sections"] == ["cycle"]
    assert len(rappels) == 1  # its task starts after commit
    textes = [str(m) for m in get_messages(reponse.wsgi_request)]
    assert "Version 1 demandée : la génération est en cours." in textes


# --- The versions table ---------------------------------------------------------------------


def test_tableau_des_versions(client, equipe, cycle):
    personne = UserFactory(first_name="Camille", last_name="Delattre")
    _version(
        cycle,
        numero=1,
        demandee_par=personne,
        reglages={"sections": ["seances", "cycle"]},
        pages=42,
        taille=1_250_000,
        duree=3.42,
    )
    _version(
        cycle,
        numero=2,
        etat=EtatVersion.ECHEC,
        erreur="OSError: plus de place sur le disque",
        reglages={"sections": list(Section.values)},
    )
    client.force_login(equipe)

    html = client.get(_rapport_url(cycle)).content.decode()

    ligne_1 = html[html.index('id="version-1"') : html.index("</tr>", html.index('id="version-1"'))]
    assert "Camille Delattre" in ligne_1
    assert "Le cycle et les collectivités" in ligne_1 and "Les séances" in ligne_1
    assert "L&#x27;assiduité" not in ligne_1
    # filesizeformat, as on the other pages of the platform: « 1,2 Mio ».
    assert "42 pages, 1,2\xa0Mio, générée en 3,4 s" in ligne_1
    telecharger = reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1])
    assert f'href="{telecharger}"' in ligne_1
    assert "hx-trigger" not in ligne_1
    ligne_2 = html[html.index('id="version-2"') : html.index("</tr>", html.index('id="version-2"'))]
    assert "ligne de commande" in ligne_2
    assert "Tous les chapitres" in ligne_2
    assert "plus de place sur le disque" in ligne_2
    assert "Vous pouvez générer à nouveau" in ligne_2
    assert reverse("equipe_capitalisation:generer", args=[cycle.slug]) in ligne_2
    assert html.index('id="version-2"') < html.index('id="version-1"')  # newest first


def test_seul_le_dernier_echec_propose_de_generer_a_nouveau(client, equipe, cycle):
    _version(cycle, numero=1, etat=EtatVersion.ECHEC, erreur="OSError: disque plein")
    _version(cycle, numero=2)
    client.force_login(equipe)

    html = client.get(_rapport_url(cycle)).content.decode()
    fragment = client.get(_urls(cycle, numero=1)["version_etat"][1]).content.decode()

    assert "disque plein" in html and "disque plein" in fragment
    assert "Générer à nouveau" not in html
    assert "Générer à nouveau" not in fragment


def test_page_liste_les_parcours_des_collectivites(client, equipe, cycle):
    binome = binome_complet(cycle)
    client.force_login(equipe)

    html = client.get(_rapport_url(cycle)).content.decode()

    assert reverse("capitalisation:parcours", args=[binome.pk]) in html
    assert reverse("capitalisation:parcours_pdf", args=[binome.pk]) in html
    assert str(binome) in html
    assert "jamais une note privée" in html.lower()


def test_nombre_de_requetes_borne(client, equipe, cycle, django_assert_max_num_queries):
    for _ in range(3):
        binome_complet(cycle)
    client.force_login(equipe)
    client.get(_rapport_url(cycle))  # session, roles: the steady state is measured below

    def mesure():
        with django_assert_max_num_queries(12) as requetes:
            assert client.get(_rapport_url(cycle)).status_code == 200
        return len(requetes)

    une = mesure()
    _version(cycle, numero=1, demandee_par=equipe)
    for numero in range(2, 12):
        _version(
            cycle,
            numero=numero,
            etat=EtatVersion.EN_COURS if numero == 11 else EtatVersion.ECHEC,
            demandee_par=UserFactory(),
        )
    for _ in range(3):
        binome_complet(cycle)

    assert mesure() == une


# --- Download -------------------------------------------------------------------------------


def test_telecharger_une_version(client, equipe, cycle):
    _version(cycle, numero=3)
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 3]))

    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == PDF
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == (
        'attachment; filename="rapport-capitalisation-cycle-2021-v3.pdf"'
    )
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("etat", [EtatVersion.EN_COURS, EtatVersion.ECHEC, EtatVersion.EN_ATTENTE])
def test_pas_de_telechargement_avant_d_etre_prete(client, equipe, cycle, etat):
    _version(cycle, etat=etat)
    client.force_login(equipe)

    url = reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1])

    assert client.get(url).status_code == 404


def test_fichier_perdu_404_et_trace(client, equipe, cycle, caplog):
    version = _version(cycle)
    version.fichier.storage.delete(version.fichier.name)
    client.force_login(equipe)

    reponse = client.get(reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1]))

    assert reponse.status_code == 404
    assert "Fichier absent du stockage" in caplog.text


# --- Admin ----------------------------------------------------------------------------------


def test_admin_rapport_nettoie_par_le_service(client, equipe, cycle):
    client.force_login(equipe)

    reponse = client.post(
        reverse("admin:capitalisation_rapport_add"),
        {
            "cycle": cycle.pk,
            "titre": "Rapport",
            "introduction": "Bonjour\n\nà toutes",
            "conclusion": '<p onclick="x()">Fin</p><script>alert(1)</script>',
            "sections": ["relais", "cycle"],
        },
    )

    assert reponse.status_code == 302
    rapport = Rapport.objects.get(cycle=cycle)
    assert rapport.introduction == "<p>Bonjour</p><p>à toutes</p>"
    assert rapport.conclusion == "<p>Fin</p>"
    assert rapport.sections == ["cycle", "relais"]
    assert rapport.modifie_par == equipe


def test_admin_rapport_relu_en_texte_simple(client, equipe, cycle):
    rapport = services.rapport_enregistrer(cycle, par=equipe, introduction="Un.\n\nDeux.")
    client.force_login(equipe)

    html = client.get(
        reverse("admin:capitalisation_rapport_change", args=[rapport.pk])
    ).content.decode()

    assert "Un.\n\nDeux.</textarea>" in html


def test_admin_rapport_refuse_un_chapitre_inconnu(client, equipe, cycle):
    rapport = services.rapport_enregistrer(cycle, par=equipe, sections=["cycle"])
    client.force_login(equipe)

    reponse = client.post(
        reverse("admin:capitalisation_rapport_change", args=[rapport.pk]),
        {"titre": "x", "introduction": "", "conclusion": "", "sections": ["pirate"]},
    )

    assert reponse.status_code == 200
    assert "Chapitre inconnu : « pirate »" in reponse.content.decode()
    rapport.refresh_from_db()
    assert rapport.sections == ["cycle"]


def test_admin_versions_en_lecture_seule(client, equipe, cycle):
    version = _version(cycle, demandee_par=equipe)
    _version(cycle, numero=2, etat=EtatVersion.ECHEC)
    client.force_login(equipe)

    liste = client.get(reverse("admin:capitalisation_version_changelist")).content.decode()
    fiche = client.get(reverse("admin:capitalisation_version_change", args=[version.pk]))
    ajout = client.get(reverse("admin:capitalisation_version_add"))
    modification = client.post(
        reverse("admin:capitalisation_version_change", args=[version.pk]),
        {"numero": 9, "etat": "echec"},
    )

    telecharger = reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1])
    assert liste.count(telecharger) == 1  # the failed version has no link
    assert fiche.status_code == 200 and telecharger in fiche.content.decode()
    assert 'name="fichier"' not in fiche.content.decode()
    assert ajout.status_code == 403
    assert modification.status_code == 403
    version.refresh_from_db()
    assert (version.numero, version.etat) == (1, EtatVersion.PRETE)


def test_admin_version_supprimee_avec_son_fichier(
    client, equipe, cycle, django_capture_on_commit_callbacks
):
    version = _version(cycle)
    stockage, nom = version.fichier.storage, version.fichier.name
    client.force_login(equipe)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:capitalisation_version_delete", args=[version.pk]), {"post": "yes"}
        )

    assert not Version.objects.exists()
    assert not stockage.exists(nom)


def test_admin_version_d_un_autre_objet_404(client, equipe):
    client.force_login(equipe)

    assert client.get(reverse("admin:capitalisation_version_change", args=[999])).status_code == 404


def test_html_vers_texte_aller_retour():
    assert html_vers_texte("<p>Une ligne\n  coupée</p>\n<p>Deux<br>\ntrois</p>") == (
        "Une ligne coupée\n\nDeux\ntrois"
    )
    # Plain text that looks like a tag would be lost when saved again: the HTML stays.
    assert html_vers_texte("<p>a &lt;b c</p>") == "<p>a &lt;b c</p>"
