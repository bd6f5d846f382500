"""Generating versions from the staff page: numbering, one at a time, the task and its
progress as the page polls it, failures, and the sweep that hands over lost tasks."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from capitalisation import services
from capitalisation.enums import EtatVersion
from capitalisation.models import Version
from tests.factories import CycleFactory, SeanceFactory, binome_complet

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cycle():
    cycle = CycleFactory(statut="en_cours", slug="cycle-2021", titre="Cycle 2021")
    SeanceFactory(cycle=cycle, numero=1, date=datetime.date(2021, 10, 5))
    binome_complet(cycle)
    return cycle


@pytest.fixture
def equipe_connectee(client, equipe):
    client.force_login(equipe)
    return client


def _generer(client, cycle, **entetes):
    return client.post(reverse("equipe_capitalisation:generer", args=[cycle.slug]), **entetes)


def _etat(client, cycle, numero, **params):
    url = reverse("equipe_capitalisation:version_etat", args=[cycle.slug, numero])
    return client.get(url, params, **HTMX)


def _messages(reponse):
    return [str(m) for m in get_messages(reponse.wsgi_request)]


# --- Asking for versions --------------------------------------------------------------------


def test_generer_cree_la_version_1_puis_la_2(
    equipe_connectee, equipe, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        premiere = _generer(equipe_connectee, cycle)
    with django_capture_on_commit_callbacks(execute=True):
        seconde = _generer(equipe_connectee, cycle)

    versions = list(Version.objects.order_by("numero"))
    assert [v.numero for v in versions] == [1, 2]
    assert [v.etat for v in versions] == [EtatVersion.PRETE, EtatVersion.PRETE]
    assert all(v.demandee_par == equipe for v in versions)
    assert premiere["Location"].endswith(f"/{cycle.slug}/#versions")
    assert "Version 1 demandée : la génération est en cours." in _messages(premiere)
    assert "Version 2 demandée : la génération est en cours." in _messages(seconde)


def test_redemander_pendant_la_generation_rend_la_meme(
    equipe_connectee, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        _generer(equipe_connectee, cycle)
        encore = _generer(equipe_connectee, cycle)

    version = Version.objects.get()
    assert version.etat == EtatVersion.EN_ATTENTE
    assert len(rappels) == 1  # one task, not two
    assert any("déjà en cours de génération" in m for m in _messages(encore))


def test_generer_en_htmx_rend_le_tableau_des_versions(
    equipe_connectee, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        reponse = _generer(equipe_connectee, cycle, **HTMX)

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert html.lstrip().startswith('<section id="versions"')
    assert "Version 1 demandée : la génération est en cours." in html
    assert 'id="version-1"' in html and 'hx-trigger="every 2s"' in html
    assert not _messages(reponse)  # said in the fragment, not again on the next page


def test_la_tache_produit_un_pdf(equipe_connectee, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _generer(equipe_connectee, cycle)

    version = Version.objects.get()
    assert version.etat == EtatVersion.PRETE
    assert version.pages > 0
    assert version.avancement == 100
    with version.fichier.open("rb") as fichier:
        contenu = fichier.read()
    assert contenu.startswith(b"%PDF")
    assert version.taille == len(contenu)
    assert version.duree is not None and version.terminee_le is not None
    telecharge = equipe_connectee.get(
        reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1])
    )
    assert b"".join(telecharge.streaming_content) == contenu


# --- Progress, as the page polls it ---------------------------------------------------------


def _en_cours(cycle, **champs):
    valeurs = {
        "cycle": cycle,
        "numero": 1,
        "etat": EtatVersion.EN_COURS,
        "etape": "Mise en page",
        "avancement": 35,
        "etape_le": timezone.now(),
    }
    valeurs.update(champs)
    return Version.objects.create(**valeurs)


def test_fragment_d_une_version_en_cours_interroge_toutes_les_2_s(equipe_connectee, cycle):
    _en_cours(cycle)

    reponse = _etat(equipe_connectee, cycle, 1)

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Mise en page" in html
    assert (
        '<progress id="progression-1" class="w-100 rapport-progression" max="100" value="35">'
        in html
    )
    assert "35&nbsp;%" in html
    assert 'hx-trigger="every 2s"' in html and 'hx-swap="outerHTML"' in html
    assert f'hx-get="{reverse("equipe_capitalisation:version_etat", args=[cycle.slug, 1])}' in html
    assert "Actualiser" in html  # without JavaScript
    assert "style=" not in html and "<script" not in html


def test_page_annonce_les_etapes_aux_lecteurs_d_ecran(equipe_connectee, cycle):
    _en_cours(cycle)

    html = equipe_connectee.get(
        reverse("equipe_capitalisation:rapport", args=[cycle.slug])
    ).content.decode()

    # The live region wraps the polled fragment: it stays while its content changes.
    cellule = html.index('<td aria-live="polite">')
    assert html.index('id="etat-version-1"') > cellule


def test_rien_de_neuf_repond_204(equipe_connectee, cycle):
    version = _en_cours(cycle)
    premiere = _etat(equipe_connectee, cycle, 1).content.decode()
    vu = premiere.split("?vu=")[1].split('"')[0]
    assert vu.startswith("en_cours-35-")

    meme = equipe_connectee.get(
        reverse("equipe_capitalisation:version_etat", args=[cycle.slug, 1]) + "?vu=" + vu,
        **HTMX,
    )
    services._etape(version.pk, "Écriture du PDF (12 pages)", 85)
    apres = equipe_connectee.get(
        reverse("equipe_capitalisation:version_etat", args=[cycle.slug, 1]) + "?vu=" + vu,
        **HTMX,
    )

    assert meme.status_code == 204
    assert apres.status_code == 200
    assert "Écriture du PDF (12 pages)" in apres.content.decode()
    assert 'value="85"' in apres.content.decode()


def test_fragment_d_une_version_prete_arrete_d_interroger(
    equipe_connectee, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _generer(equipe_connectee, cycle)

    html = _etat(equipe_connectee, cycle, 1, vu="en_cours-35-0").content.decode()

    assert "hx-trigger" not in html and "hx-get" not in html
    assert "Prête" in html
    telecharger = reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1])
    assert f'href="{telecharger}"' in html
    assert "<progress" not in html


def test_etapes_ecrites_dans_l_ordre(cycle, monkeypatch):
    etapes = []
    etape_reelle = services._etape

    def noter(version_id, etape, avancement, **champs):
        etapes.append((str(etape), avancement, champs.get("etat")))
        etape_reelle(version_id, etape, avancement, **champs)

    monkeypatch.setattr(services, "_etape", noter)
    version = services.version_demander(cycle, lancer=False)

    services.version_generer(version.pk)

    version.refresh_from_db()
    assert [a for _e, a, _etat in etapes] == [10, 35, 85]
    assert etapes[0][0] == "Lecture des données du cycle"
    assert etapes[1][0] == "Mise en page"
    assert etapes[2][0] == f"Écriture du PDF ({version.pages} pages)"
    assert version.etat == EtatVersion.PRETE


# --- Failures -------------------------------------------------------------------------------


def test_echec_affiche_et_nouvelle_version_possible(
    equipe_connectee, cycle, monkeypatch, django_capture_on_commit_callbacks
):
    def en_panne(*args, **kwargs):
        raise OSError("plus de place sur le disque")

    monkeypatch.setattr(services, "mettre_en_page", en_panne)
    with django_capture_on_commit_callbacks(execute=True):
        _generer(equipe_connectee, cycle)

    version = Version.objects.get()
    assert version.etat == EtatVersion.ECHEC
    assert version.erreur == "OSError: plus de place sur le disque"
    assert not version.fichier
    html = _etat(equipe_connectee, cycle, 1).content.decode()
    assert "hx-trigger" not in html
    assert "La génération a échoué (OSError: plus de place sur le disque)." in html
    assert "Vous pouvez générer à nouveau" in html
    url = reverse("equipe_capitalisation:version_telecharger", args=[cycle.slug, 1])
    assert equipe_connectee.get(url).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        _generer(equipe_connectee, cycle)

    assert Version.objects.get(numero=2).etat == EtatVersion.PRETE


# --- The sweep ------------------------------------------------------------------------------


def test_reprise_d_une_version_perdue(cycle, django_capture_on_commit_callbacks):
    ancienne = timezone.now() - services.DELAI_REPRISE - datetime.timedelta(minutes=1)
    perdue = _en_cours(cycle, numero=1, etape_le=ancienne, tentatives=1)

    with django_capture_on_commit_callbacks(execute=False) as rappels:
        reprises = services.versions_reprendre()

    perdue.refresh_from_db()
    assert reprises == 1
    assert perdue.etat == EtatVersion.EN_ATTENTE
    assert perdue.etape == "Reprise après interruption"
    assert len(rappels) == 1

    for rappel in rappels:
        rappel()  # the task, handed over, runs to the end
    perdue.refresh_from_db()
    assert perdue.etat == EtatVersion.PRETE
    assert perdue.tentatives == 2


def test_reprise_abandonne_apres_trop_de_tentatives(cycle, django_capture_on_commit_callbacks):
    ancienne = timezone.now() - services.DELAI_REPRISE - datetime.timedelta(minutes=1)
    usee = _en_cours(cycle, numero=1, etape_le=ancienne, tentatives=services.TENTATIVES_MAX)
    recente = _en_cours(cycle, numero=2, tentatives=1)

    with django_capture_on_commit_callbacks(execute=False) as rappels:
        reprises = services.versions_reprendre()

    usee.refresh_from_db()
    recente.refresh_from_db()
    assert reprises == 0
    assert rappels == []
    assert usee.etat == EtatVersion.ECHEC
    assert "abandonnée" in usee.erreur
    assert recente.etat == EtatVersion.EN_COURS  # still has news: left alone
