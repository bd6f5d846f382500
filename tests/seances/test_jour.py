"""The day of a session: the roll call on a phone, the QR code and the check-in, the
attendance sheets, the evaluation results."""

import datetime
import html as html_
import time
import zoneinfo
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seances import selectors, services
from seances.models import Confirmation, Presence
from tests.factories import (
    CycleFactory,
    IntervenantFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
JOUR = datetime.date(2025, 3, 13)
MATIN = datetime.datetime(2025, 3, 13, 10, 0, tzinfo=PARIS)
APRES_MIDI = datetime.datetime(2025, 3, 13, 14, 0, tzinfo=PARIS)
HTMX = {"HX-Request": "true"}


def figer(moment):
    """The clock of the site (timezone.now) at ``moment``; signatures keep the real time."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def matin():
    with figer(MATIN):
        yield


@pytest.fixture
def cycle(db):
    return CycleFactory(statut="en_cours")


@pytest.fixture
def seance(cycle):
    return SeanceFactory(
        cycle=cycle,
        numero=3,
        date=JOUR,
        theme="Mobiliser les habitant·es",
        lieu="Base 11/19",
        adresse="Rue de Bourgogne, Loos-en-Gohelle",
    )


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle, suppleants=("elu",))


@pytest.fixture
def autre_binome(cycle):
    return binome_complet(cycle)


def membres(binome):
    elu = binome.membres.get(role="elu", suppleant=False)
    technicien = binome.membres.get(role="technicien", suppleant=False)
    suppleant = binome.membres.filter(suppleant=True).first()
    return elu, technicien, suppleant


def url_pointer(seance, jeton=None):
    return reverse("seances:pointer", args=[seance.pk, jeton or services.pointage_jeton(seance)])


def url_equipe(nom, seance, *args):
    return reverse(f"equipe_seances:{nom}", args=[seance.cycle.slug, seance.numero, *args])


class Boutons(HTMLParser):
    """The buttons of a page, by id, with their attributes."""

    def __init__(self, html):
        super().__init__()
        self.boutons = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        if tag == "button" and "id" in attributs:
            self.boutons[attributs["id"]] = attributs


def texte(reponse):
    """The page as read: entities such as &#x27; turned back into characters."""
    return html_.unescape(reponse.content.decode())


def presses(html):
    return sorted(id_ for id_, a in Boutons(html).boutons.items() if a["aria-pressed"] == "true")


# --- the check-in by QR code ----------------------------------------------------------------


def test_pointer_le_jour_meme_enregistre_present_le_matin_une_seule_fois(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(elu.user)
    with figer(MATIN):
        url = url_pointer(seance)
        page = client.get(url)
        reponse = client.post(url)
        encore = client.post(url)

    assert "Je suis là" in texte(page)
    assert reponse.status_code == encore.status_code == 200
    assert "Votre présence est enregistrée pour le matin." in texte(reponse)
    assert list(Presence.objects.values_list("membre", "demi_journee", "statut", "source")) == [
        (elu.pk, "matin", "present", "qr")
    ]


def test_pointer_l_apres_midi_enregistre_l_apres_midi(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(elu.user)
    with figer(APRES_MIDI):
        reponse = client.post(url_pointer(seance))

    assert "Votre présence est enregistrée pour l'après-midi." in texte(reponse)
    assert list(Presence.objects.values_list("demi_journee", "statut")) == [
        ("apres_midi", "present")
    ]


def test_pointer_garde_un_retard_releve_par_l_equipe(client, seance, binome, equipe):
    elu, _technicien, _suppleant = membres(binome)
    services.presence_marquer(seance, elu, "matin", "retard", par=equipe)
    client.force_login(elu.user)
    with figer(MATIN):
        client.post(url_pointer(seance))

    assert list(Presence.objects.values_list("statut", "source")) == [("retard", "equipe")]


def _refus(client, user, url, moment=MATIN):
    client.force_login(user)
    with figer(moment):
        return client.post(url)


def test_pointer_code_expire_refuse(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 86400):
        jeton = services.pointage_jeton(seance)

    reponse = _refus(client, elu.user, url_pointer(seance, jeton))

    assert reponse.status_code == 400
    assert "Ce QR code a expiré." in texte(reponse)
    assert not Presence.objects.exists()


def test_pointer_un_autre_jour_refuse(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)

    reponse = _refus(client, elu.user, url_pointer(seance), MATIN + datetime.timedelta(days=1))

    assert reponse.status_code == 400
    assert "Ce QR code ne vaut que le jour de la séance." in texte(reponse)
    assert not Presence.objects.exists()


def test_pointer_le_code_d_une_autre_seance_refuse(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    autre = SeanceFactory(cycle=seance.cycle, numero=4, date=JOUR)

    reponse = _refus(client, elu.user, url_pointer(seance, services.pointage_jeton(autre)))

    assert reponse.status_code == 400
    assert "Ce QR code est celui d'une autre séance." in texte(reponse)
    assert not Presence.objects.exists()


def test_pointer_un_code_invente_refuse(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)

    reponse = _refus(client, elu.user, url_pointer(seance, "pas-un-jeton"))

    assert reponse.status_code == 400
    assert "Ce QR code n'est pas valable." in texte(reponse)
    assert not Presence.objects.exists()


def test_pointer_hors_binome_du_cycle_refuse_en_francais(client, seance):
    autre_cycle = CycleFactory(statut="en_cours")
    ailleurs, _technicien, _suppleant = membres(binome_complet(autre_cycle))

    page = _refus(client, ailleurs.user, url_pointer(seance))
    inconnu = _refus(client, UserFactory(), url_pointer(seance))

    for reponse in (page, inconnu):
        assert reponse.status_code == 403
        assert "Votre compte ne fait pas partie d'un binôme de ce cycle." in (texte(reponse))
    assert not Presence.objects.exists()


def test_pointer_seance_inconnue_404_et_anonyme_vers_la_connexion(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    url = url_pointer(seance)

    anonyme = client.get(url)
    client.force_login(elu.user)
    inconnue = client.post(reverse("seances:pointer", args=[seance.pk + 99, "x"]))

    assert anonyme.status_code == 302
    assert anonyme["Location"].startswith(reverse("account_login"))
    assert inconnue.status_code == 404


# --- the roll call --------------------------------------------------------------------------


def test_appel_liste_chaque_personne_avec_le_bon_bouton_presse(
    client, equipe, seance, binome, autre_binome, matin
):
    elu, technicien, suppleant = membres(binome)
    elu_b, technicien_b, _s = membres(autre_binome)
    services.presence_marquer(seance, elu, "matin", "present", par=equipe)
    services.presence_marquer(seance, technicien, "matin", "retard", par=equipe)
    services.presence_marquer(seance, technicien, "apres_midi", "absent", par=equipe)
    Confirmation.objects.create(seance=seance, membre=elu, reponse="present", matin=True)
    Confirmation.objects.create(seance=seance, membre=elu_b, reponse="remplace", remplacant=None)
    Confirmation.objects.create(seance=seance, membre=technicien_b, reponse="excuse")
    Confirmation.objects.create(
        seance=seance, membre=technicien, reponse="remplace", remplacant=suppleant
    )
    client.force_login(equipe)

    reponse = client.get(url_equipe("appel", seance), {"demi_journee": "matin"})

    html = texte(reponse)
    for membre in (elu, technicien, suppleant, elu_b, technicien_b):
        assert membre.user.nom_affiche in html
        assert f'id="appel-{membre.pk}-matin-present"' in html
    assert presses(html) == sorted(
        [f"appel-{elu.pk}-matin-present", f"appel-{technicien.pk}-matin-retard"]
    )
    boutons = Boutons(html).boutons
    # The pressed button clears; the others record their status.
    assert boutons[f"appel-{elu.pk}-matin-present"]["value"] == ""
    assert boutons[f"appel-{elu.pk}-matin-absent"]["value"] == "absent"
    assert "suppléant·e" in html
    assert "a confirmé (matin seulement)" in html
    assert "excusé·e" in html
    assert f"remplacé·e par {suppleant.user.nom_affiche}" in html
    assert "après-midi : absent·e" in html
    # In the room: the elu and the late technician. Expected: only the elu, who confirmed;
    # the others excused themselves, were replaced, or are a substitute nobody called in.
    assert "<strong>2</strong> présent·es sur 1 attendu·es (matin)" in html
    assert 'aria-current="page" href="' + url_equipe("appel", seance) in html


def test_appel_ouvre_sur_la_demi_journee_en_cours(client, equipe, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(equipe)

    with figer(APRES_MIDI):
        aujourdhui = client.get(url_equipe("appel", seance))
    autre_jour = client.get(url_equipe("appel", seance))

    assert f'id="appel-{elu.pk}-apres_midi-present"' in texte(aujourdhui)
    assert f'id="appel-{elu.pk}-matin-present"' in texte(autre_jour)
    assert "La séance n'a pas lieu aujourd'hui" in texte(autre_jour)


def test_appel_nombre_de_requetes_constant(client, equipe, seance, binome):
    client.force_login(equipe)
    url = url_equipe("appel", seance)
    client.get(url)
    with CaptureQueriesContext(connection) as un:
        client.get(url)
    for _i in range(2):
        autre = binome_complet(seance.cycle, suppleants=("technicien",))
        services.presence_marquer(seance, autre.membres.first(), "matin", "present", par=equipe)

    with CaptureQueriesContext(connection) as trois:
        client.get(url)

    assert len(trois) == len(un)


def test_pages_du_jour_refusees_aux_participant_es(client, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(elu.user)

    reponses = [
        client.get(url_equipe("appel", seance)),
        client.get(url_equipe("qr", seance)),
        client.get(url_equipe("emargement", seance, "matin")),
        client.get(url_equipe("evaluations", seance)),
        client.post(url_equipe("marquer", seance), {"membre": elu.pk, "demi_journee": "matin"}),
    ]

    assert [reponse.status_code for reponse in reponses] == [404] * 5
    assert not Presence.objects.exists()


def test_appel_anonyme_vers_la_connexion(client, seance):
    reponse = client.get(url_equipe("appel", seance))

    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("account_login"))


def test_marquer_enregistre_puis_revient_au_bloc(client, equipe, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(equipe)

    reponse = client.post(
        url_equipe("marquer", seance),
        {"membre": elu.pk, "demi_journee": "apres_midi", "statut": "retard"},
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == (
        f"{url_equipe('appel', seance)}?demi_journee=apres_midi#binome-{binome.pk}"
    )
    presence = Presence.objects.get()
    assert (presence.membre, presence.demi_journee, presence.statut, presence.source) == (
        elu,
        "apres_midi",
        "retard",
        "equipe",
    )
    assert presence.marque_par == equipe


def test_marquer_statut_vide_efface(client, equipe, seance, binome):
    elu, _technicien, _suppleant = membres(binome)
    services.presence_marquer(seance, elu, "matin", "present", par=equipe)
    services.presence_marquer(seance, elu, "apres_midi", "present", par=equipe)
    client.force_login(equipe)

    client.post(
        url_equipe("marquer", seance), {"membre": elu.pk, "demi_journee": "matin", "statut": ""}
    )

    assert list(Presence.objects.values_list("demi_journee", flat=True)) == ["apres_midi"]


def test_marquer_membre_d_un_autre_cycle_404(client, equipe, seance):
    ailleurs, _technicien, _suppleant = membres(binome_complet(CycleFactory()))
    client.force_login(equipe)

    reponses = [
        client.post(
            url_equipe("marquer", seance),
            {"membre": membre, "demi_journee": "matin", "statut": "present"},
        )
        for membre in (ailleurs.pk, "abc", "")
    ]

    assert [reponse.status_code for reponse in reponses] == [404] * 3
    assert not Presence.objects.exists()


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"demi_journee": "matin", "statut": "endormi"}, "Statut de présence inconnu."),
        ({"demi_journee": "soir", "statut": "present"}, "Demi-journée inconnue"),
    ],
)
def test_marquer_choix_inconnu_400(client, equipe, seance, binome, donnees, message):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(equipe)

    reponse = client.post(url_equipe("marquer", seance), {"membre": elu.pk, **donnees})

    assert reponse.status_code == 400
    assert message in texte(reponse)
    assert not Presence.objects.exists()


def test_marquer_en_get_refuse(client, equipe, seance):
    client.force_login(equipe)

    assert client.get(url_equipe("marquer", seance)).status_code == 405


def test_marquer_htmx_renvoie_le_seul_bloc_et_le_compteur(
    client, equipe, seance, binome, autre_binome
):
    elu, technicien, _suppleant = membres(binome)
    services.presence_marquer(seance, technicien, "matin", "present", par=equipe)
    client.force_login(equipe)

    reponse = client.post(
        url_equipe("marquer", seance),
        {"membre": elu.pk, "demi_journee": "matin", "statut": "present"},
        headers=HTMX,
    )

    html = texte(reponse)
    assert reponse.status_code == 200
    assert "<html" not in html
    assert html.count("<section") == 1
    assert f'id="binome-{binome.pk}"' in html
    assert str(autre_binome) not in html
    assert presses(html) == sorted(
        [f"appel-{elu.pk}-matin-present", f"appel-{technicien.pk}-matin-present"]
    )
    assert "Binôme : complet" in html
    assert 'id="compteur-appel"' in html and 'hx-swap-oob="innerHTML"' in html
    assert "<strong>2</strong> présent·es sur 4 attendu·es (matin)" in html


# --- the QR code of the room ----------------------------------------------------------------


def test_qr_affiche_le_code_et_l_adresse_de_pointage(client, equipe, seance, binome, matin):
    elu, _technicien, _suppleant = membres(binome)
    client.force_login(equipe)

    reponse = client.get(url_equipe("qr", seance))

    html = texte(reponse)
    lien = reponse.context["lien"]
    assert lien.startswith(f"{settings.SITE_URL}/seances/{seance.pk}/pointage/")
    assert f'href="{lien}"' in html
    assert '<svg class="qr-code w-100 h-auto" role="img"' in html
    assert "<path d=" in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "scannez ce code avec votre téléphone" in html.lower()
    assert "ne fonctionne que le jour de la séance" not in html
    # The address of the code is the check-in page of the session.
    client.force_login(elu.user)
    client.post(lien.removeprefix(settings.SITE_URL))
    assert Presence.objects.get().membre == elu


def test_qr_un_autre_jour_previent_l_equipe(client, equipe, seance):
    client.force_login(equipe)

    reponse = client.get(url_equipe("qr", seance))

    assert reponse.status_code == 200
    assert "Ce code ne fonctionne que le jour de la séance" in texte(reponse)
    assert "<svg" in texte(reponse)


# --- the attendance sheets ------------------------------------------------------------------


def test_feuille_emargement_liste_chaque_personne_par_collectivite(equipe, seance, binome):
    elu, technicien, suppleant = membres(binome)
    elu.fonction = "Adjointe à la démocratie locale"
    elu.save()
    services.presence_marquer(seance, technicien, "matin", "excuse", par=equipe)

    lignes = selectors.feuille_emargement(seance, "matin")

    assert [(ligne.collectivite, ligne.nom, ligne.qualite) for ligne in lignes] == [
        (str(binome), elu.user.nom_affiche, "Adjointe à la démocratie locale"),
        (str(binome), technicien.user.nom_affiche, "Technicien·ne"),
        (str(binome), suppleant.user.nom_affiche, "Élu·e (suppléant·e)"),
    ]
    assert [ligne.presence and ligne.presence.statut for ligne in lignes] == [
        None,
        "excuse",
        None,
    ]


def test_emargement_pdf_par_demi_journee(client, equipe, seance, binome):
    IntervenantFactory(seance=seance, nom="Loïc Blondiaux", qualite="Politiste")
    client.force_login(equipe)

    reponse = client.get(url_equipe("emargement", seance, "apres_midi"))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert 'filename="emargement-seance-3-apres_midi.pdf"' in reponse["Content-Disposition"]
    assert [ligne.nom for ligne in reponse.context["lignes"]] == [
        membre.user.nom_affiche for membre in membres(binome)
    ]
    assert [(i.nom, i.qualite) for i in reponse.context["intervenants"]] == [
        ("Loïc Blondiaux", "Politiste")
    ]
    assert reponse.context["demi_journee_libelle"] == "Après-midi"


def test_emargement_demi_journee_inconnue_404(client, equipe, seance):
    client.force_login(equipe)

    assert client.get(url_equipe("emargement", seance, "soir")).status_code == 404


# --- the evaluation results -----------------------------------------------------------------


def test_evaluations_moyenne_mur_et_non_repondants(client, equipe, seance, binome, autre_binome):
    elu, technicien, _suppleant = membres(binome)
    elu_b, technicien_b, _s = membres(autre_binome)
    for membre in (elu, technicien, elu_b, technicien_b):
        services.presence_marquer(seance, membre, "matin", "present", par=equipe)
    soir = seance.fin + datetime.timedelta(hours=1)
    services.evaluation_enregistrer(
        seance, elu, note=4, bien="Les échanges entre pairs", craint="", maintenant=soir
    )
    services.evaluation_enregistrer(
        seance, technicien, note=5, craint="Trop court", demain="Un atelier", maintenant=soir
    )
    services.evaluations_envoyer(maintenant=soir)
    services.evaluation_enregistrer(seance, elu_b, note=3, maintenant=soir)
    services.evaluations_envoyer(maintenant=soir + datetime.timedelta(days=4))
    client.force_login(equipe)

    reponse = client.get(url_equipe("evaluations", seance))

    html = texte(reponse)
    assert "3 sur 4 attendues" in html
    assert "4,0 sur 5" in html
    assert [(note, n) for note, n in reponse.context["resultats"].repartition] == [
        (5, 1),
        (4, 1),
        (3, 1),
        (2, 0),
        (1, 0),
    ]
    colonnes = {
        cle: [e.membre for e in evaluations] for cle, _t, evaluations in reponse.context["colonnes"]
    }
    assert colonnes == {"bien": [elu], "craint": [technicien], "demain": [technicien]}
    for extrait in ("Les échanges entre pairs", "Trop court", "Un atelier"):
        assert extrait in html
    assert [ligne.membre for ligne in reponse.context["non_repondants"]] == [technicien_b]
    [ligne] = reponse.context["non_repondants"]
    assert ligne.invitation is not None and ligne.relance is not None
    assert "Sans réponse" in html
    assert technicien_b.user.nom_affiche in html
    assert "relance envoyée le" in html


def test_evaluations_sans_reponse(client, equipe, seance, binome):
    client.force_login(equipe)

    reponse = client.get(url_equipe("evaluations", seance))

    html = texte(reponse)
    assert "Aucune évaluation reçue pour l'instant." in html
    assert "0 sur 0 attendues" in html
    assert "Personne n'est encore attendu" in html
