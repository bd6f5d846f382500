"""Staff pages of the jury: settings, jurors and their invitations, assignment and its matrix."""

import datetime
import re
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cerdd_cycle.comptes.roles import Role, roles_de
from cerdd_cycle.comptes.services import invitation_ouvrir
from cerdd_cycle.courriels.models import Courriel
from jury.enums import VisibiliteNotes
from jury.models import Affectation, Jure, Jury
from tests.factories import (
    PARIS,
    AffectationFactory,
    CandidatureDeposeeFactory,
    JureFactory,
    LienFactory,
    noter,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


def _url(nom, cycle, *args):
    return reverse(f"equipe_jury:{nom}", args=[cycle.slug, *args])


def _messages(reponse):
    return [str(message) for message in reponse.context["messages"]]


def _paires(cycle):
    return set(
        Affectation.objects.filter(jure__cycle=cycle).values_list("jure_id", "candidature_id")
    )


# --- access ---------------------------------------------------------------------------------

PAGES = [("tableau", "get"), ("affectations", "get"), ("proposer", "post"), ("affecter", "post")]


@pytest.mark.parametrize(("nom", "methode"), PAGES)
def test_pages_anonyme_renvoye_a_la_connexion(client, jury, nom, methode):
    url = _url(nom, jury.cycle)

    reponse = getattr(client, methode)(url)

    assert reponse.status_code == 302
    assert reponse["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(("nom", "methode"), PAGES)
def test_pages_jure_ou_candidat_404(client, jury, jure, nom, methode):
    candidat = CandidatureDeposeeFactory(cycle=jury.cycle).proprietaire
    for personne in (jure.user, candidat):
        client.force_login(personne)

        reponse = getattr(client, methode)(_url(nom, jury.cycle))

        assert reponse.status_code == 404
    assert Affectation.objects.count() == 0


def test_accueil_mene_au_cycle_courant(client_equipe, jury):
    reponse = client_equipe.get(reverse("equipe_jury:accueil"))

    assert reponse.status_code == 302
    assert reponse["Location"] == _url("tableau", jury.cycle)


def test_accueil_sans_cycle_le_dit(client_equipe):
    reponse = client_equipe.get(reverse("equipe_jury:accueil"))

    assert reponse.status_code == 200
    assert "Aucun cycle n'existe encore" in reponse.content.decode()


def test_tableau_cycle_inconnu_404(client_equipe):
    assert client_equipe.get(reverse("equipe_jury:tableau", args=["inconnu"])).status_code == 404


# --- the dashboard --------------------------------------------------------------------------


def test_tableau_montre_chiffres_grille_et_jures(client_equipe, jury, jure):
    cycle = jury.cycle
    jure.user.last_name = "Aubert"
    jure.user.save(update_fields=["last_name"])
    sans_liens = JureFactory(cycle=cycle, liens_declares_le=None, user__last_name="Bernard")
    candidatures = CandidatureDeposeeFactory.create_batch(3, cycle=cycle)
    noter(AffectationFactory(candidature=candidatures[0], jure=jure), {2: 3, 3: 4})
    AffectationFactory(candidature=candidatures[1], jure=jure)

    reponse = client_equipe.get(_url("tableau", cycle))

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html) == [
        ("Candidatures à évaluer", "3"),
        ("Juré·es actif·ves", "2"),
        ("Liens déclarés", "1 / 2"),
        ("Affectations faites / visées", "2 / 6"),
        ("Évaluations soumises", "1"),
    ]
    assert [resume.critere.ordre for resume in reponse.context["criteres"]] == [1, 2, 3, 4]
    assert [resume.nb_niveaux for resume in reponse.context["criteres"]] == [0, 4, 4, 0]
    assert [resume.sections for resume in reponse.context["criteres"]] == [
        ["Collectivité et coordonnées", "Démarches de transition engagées"],
        ["Motivations", "Principaux besoins"],
        ["Motivations", "Actions réalisées ou prévues", "Pistes de travail envisagées"],
        ["Référent·e politique", "Référent·e technique", "Engagement du binôme"],
    ]
    lien_grille = reverse("admin:candidatures_critere_changelist") + f"?cycle__id__exact={cycle.pk}"
    assert f'href="{lien_grille}"' in html
    assert [(j.pk, j.nb_affectees, j.nb_soumises) for j in reponse.context["jures"]] == [
        (jure.pk, 2, 1),
        (sans_liens.pk, 0, 0),
    ]
    assert reponse.context["sans_liens"] == [sans_liens]
    assert "ses conflits d'intérêts sont inconnus" in html
    assert _url("retirer", cycle, jure.pk) in html


def test_reglages_enregistres(client_equipe, jury, equipe):
    reponse = client_equipe.post(
        _url("parametrer", jury.cycle),
        {
            "jures_par_candidature": "3",
            "charge_max": "5",
            "date_limite": "2021-06-04T18:00",
            "visibilite_notes": VisibiliteNotes.DELIBERATION,
        },
        follow=True,
    )

    jury.refresh_from_db()
    assert reponse.redirect_chain == [(_url("tableau", jury.cycle), 302)]
    assert _messages(reponse) == ["Les réglages du jury sont enregistrés."]
    assert (
        jury.jures_par_candidature,
        jury.charge_max,
        jury.date_limite,
        jury.visibilite_notes,
    ) == (3, 5, datetime.datetime(2021, 6, 4, 18, 0, tzinfo=PARIS), VisibiliteNotes.DELIBERATION)
    # Shown back in Paris time.
    assert 'name="date_limite" value="2021-06-04T18:00"' in reponse.content.decode()


@pytest.mark.parametrize(
    ("donnees", "erreurs"),
    [
        (
            {"jures_par_candidature": "0"},
            {
                "jures_par_candidature": [
                    "Chaque candidature doit être notée par au moins 1 juré·e."
                ]
            },
        ),
        (
            {"jures_par_candidature": "2", "charge_max": "0", "date_limite": "demain"},
            {
                "charge_max": ["La charge maximale est d'au moins 1 candidature."],
                "date_limite": ["Indiquez une date et une heure valides."],
            },
        ),
        (
            {"jures_par_candidature": "", "visibilite_notes": "toujours"},
            {
                "jures_par_candidature": ["Indiquez combien de juré·es notent chaque candidature."],
                "visibilite_notes": ["Choisissez une des deux possibilités."],
            },
        ),
    ],
)
def test_reglages_invalides_refuses_sans_rien_changer(client_equipe, jury, donnees, erreurs):
    donnees = {"visibilite_notes": VisibiliteNotes.APRES_SOUMISSION, **donnees}

    reponse = client_equipe.post(_url("parametrer", jury.cycle), donnees)

    assert reponse.status_code == 422
    assert reponse.context["parametres"].errors == erreurs
    assert list(Jury.objects.values_list("jures_par_candidature", "charge_max", "date_limite")) == [
        (2, None, None)
    ]


# --- jurors ---------------------------------------------------------------------------------


def _inviter(client, cycle, email="anne.leroy@exemple.fr", **extra):
    donnees = {"email": email, "prenom": "Anne", "nom": "Leroy", **extra}
    return client.post(_url("inviter", cycle), donnees, follow=True)


def test_inviter_cree_le_compte_et_prepare_l_invitation(client_equipe, jury, equipe):
    reponse = _inviter(client_equipe, jury.cycle)

    user = get_user_model().objects.get(email="anne.leroy@exemple.fr")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Anne", "Leroy", False)
    assert roles_de(user) == {Role.JURE}
    assert list(Jure.objects.values_list("cycle", "user", "actif", "invite_par")) == [
        (jury.cycle.pk, user.pk, True, equipe.pk)
    ]
    [courriel] = Courriel.objects.all()
    assert courriel.destinataires == ["anne.leroy@exemple.fr"]
    jeton = re.search(r"/comptes/invitation/([^/\s]+)/", courriel.texte).group(1)
    assert invitation_ouvrir(jeton) == user
    assert _messages(reponse) == [
        "Anne Leroy est invité·e au jury : le courriel d'invitation part maintenant."
    ]


def test_inviter_deux_fois_un_seul_jure_et_un_seul_courriel(client_equipe, jury):
    _inviter(client_equipe, jury.cycle)
    reponse = _inviter(client_equipe, jury.cycle, email="Anne.Leroy@exemple.fr ")

    assert Jure.objects.count() == 1
    assert Courriel.objects.count() == 1
    assert _messages(reponse) == ["Anne Leroy fait déjà partie du jury : rien n'a changé."]


def test_inviter_une_personne_retiree_la_reactive_et_le_dit(client_equipe, jury):
    retire = JureFactory(cycle=jury.cycle, actif=False, user__first_name="Paul")

    reponse = _inviter(client_equipe, jury.cycle, email=retire.user.email)

    retire.refresh_from_db()
    assert retire.actif is True
    assert Jure.objects.count() == 1
    [message] = _messages(reponse)
    assert message.startswith(f"{retire.user.nom_affiche} avait été retiré·e du jury")


@pytest.mark.parametrize(
    ("email", "erreur"),
    [
        ("anne.leroy@", "Cette adresse électronique n'est pas valide."),
        ("", "Indiquez l'adresse électronique de la personne à inviter."),
    ],
)
def test_inviter_adresse_invalide_ne_cree_rien(client_equipe, jury, email, erreur):
    comptes = list(get_user_model().objects.order_by("pk"))

    reponse = client_equipe.post(_url("inviter", jury.cycle), {"email": email, "prenom": "Anne"})

    assert reponse.status_code == 422
    assert reponse.context["invitation"].errors == {"email": [erreur]}
    assert list(get_user_model().objects.order_by("pk")) == comptes
    assert (Jure.objects.count(), Courriel.objects.count()) == (0, 0)


def test_retirer_du_jury_libere_les_affectations_non_soumises(client_equipe, jury, jure):
    cycle = jury.cycle
    soumise = noter(AffectationFactory(candidature__cycle=cycle, jure=jure), {2: 2, 3: 2})
    AffectationFactory(candidature__cycle=cycle, jure=jure)

    reponse = client_equipe.post(_url("retirer", cycle, jure.pk), follow=True)

    jure.refresh_from_db()
    assert jure.actif is False
    assert list(Affectation.objects.all()) == [soumise]
    [message] = _messages(reponse)
    assert message.startswith(f"{jure.user.nom_affiche} ne fait plus partie du jury.")
    # Already removed: nothing to do any more.
    assert client_equipe.post(_url("retirer", cycle, jure.pk)).status_code == 404


# --- automatic assignment -------------------------------------------------------------------


def test_proposer_couvre_chaque_candidature_sans_conflit(client_equipe, jury):
    cycle = jury.cycle
    candidatures = CandidatureDeposeeFactory.create_batch(4, cycle=cycle)
    jures = JureFactory.create_batch(3, cycle=cycle)
    LienFactory(jure=jures[0], territoire=candidatures[0].territoire)

    reponse = client_equipe.post(_url("proposer", cycle), follow=True)

    par_candidature = defaultdict(set)
    for jure_id, candidature_id in _paires(cycle):
        par_candidature[candidature_id].add(jure_id)
    assert {pk: len(ids) for pk, ids in par_candidature.items()} == {c.pk: 2 for c in candidatures}
    assert par_candidature[candidatures[0].pk] == {jures[1].pk, jures[2].pk}
    assert _messages(reponse) == ["Répartition proposée : 8 affectations ajoutées."]


def test_proposer_dit_ce_qui_manque_et_pourquoi(client_equipe, jury):
    cycle = jury.cycle
    arras = CandidatureDeposeeFactory(cycle=cycle, territoire__nom="Arras")
    lens = CandidatureDeposeeFactory(cycle=cycle, territoire__nom="Lens")
    liee, libre = JureFactory.create_batch(2, cycle=cycle)
    LienFactory(jure=liee, territoire=arras.territoire)
    Jury.objects.filter(pk=jury.pk).update(charge_max=1)

    reponse = client_equipe.post(_url("proposer", cycle), follow=True)

    assert _paires(cycle) == {(libre.pk, arras.pk), (liee.pk, lens.pk)}
    assert _messages(reponse) == [
        "Répartition proposée : 2 affectations ajoutées.",
        "Il manque encore des juré·es pour 2 candidatures. "
        "Arras : 1 à trouver (conflits d'intérêts : 1 juré·e seulement peut la noter) ; "
        "Lens : 1 à trouver (charge maximale atteinte : 1 candidature par juré·e).",
    ]


def test_proposer_deux_fois_n_ajoute_rien(client_equipe, jury):
    CandidatureDeposeeFactory(cycle=jury.cycle)
    JureFactory.create_batch(2, cycle=jury.cycle)
    client_equipe.post(_url("proposer", jury.cycle), follow=True)

    reponse = client_equipe.post(_url("proposer", jury.cycle), follow=True)

    assert Affectation.objects.count() == 2
    assert _messages(reponse) == [
        "Chaque candidature a déjà ses juré·es : aucune affectation ajoutée."
    ]


def test_prevenir_un_courriel_par_jure_puis_aucun(client_equipe, jury):
    cycle = jury.cycle
    candidature = CandidatureDeposeeFactory(cycle=cycle)
    jures = JureFactory.create_batch(2, cycle=cycle)
    JureFactory(cycle=cycle)  # nothing assigned: no email
    for jure in jures:
        AffectationFactory(candidature=candidature, jure=jure)

    premier = client_equipe.post(_url("prevenir", cycle), follow=True)
    second = client_equipe.post(_url("prevenir", cycle), follow=True)

    assert sorted(Courriel.objects.values_list("destinataires", flat=True)) == sorted(
        [[jure.user.email] for jure in jures]
    )
    assert _messages(premier) == ["2 courriels préparés : ils partent dans quelques instants."]
    assert _messages(second) == [
        "Aucun courriel : chaque juré·e a déjà reçu sa liste à jour, ou n'a encore aucune "
        "candidature."
    ]


# --- the matrix -----------------------------------------------------------------------------


@pytest.fixture
def matrice(jury):
    """Two candidatures and two jurors; the first juror is tied to Arras."""
    cycle = jury.cycle
    arras = CandidatureDeposeeFactory(cycle=cycle, territoire__nom="Arras")
    lens = CandidatureDeposeeFactory(cycle=cycle, territoire__nom="Lens")
    liee = JureFactory(cycle=cycle, user__last_name="Aubert")
    autre = JureFactory(cycle=cycle, user__last_name="Bernard")
    LienFactory(jure=liee, territoire=arras.territoire)
    return {"arras": arras, "lens": lens, "liee": liee, "autre": autre}


def test_matrice_montre_etat_de_chaque_case(client_equipe, jury, matrice):
    soumise = noter(AffectationFactory(candidature=matrice["lens"], jure=matrice["liee"]), {})
    AffectationFactory(candidature=matrice["arras"], jure=matrice["autre"])
    JureFactory(cycle=jury.cycle, actif=False)  # removed: no column

    reponse = client_equipe.get(_url("affectations", jury.cycle))

    assert reponse.status_code == 200
    assert [
        (ligne.candidature, ligne.nb, ligne.incomplete, [c.etat for c in ligne.cellules])
        for ligne in reponse.context["lignes"]
    ] == [
        (matrice["arras"], 1, True, ["conflit", "a_faire"]),
        (matrice["lens"], 1, True, ["soumise", "libre"]),
    ]
    assert reponse.context["jures"] == [matrice["liee"], matrice["autre"]]
    html = reponse.content.decode()
    cellule_conflit = re.search(
        rf'<td id="cellule-{matrice["arras"].pk}-{matrice["liee"].pk}".*?</td>', html, re.S
    ).group(0)
    assert "conflit" in cellule_conflit
    assert "<form" not in cellule_conflit
    assert html.count(_url("rouvrir", jury.cycle)) == 2  # action + hx-post of the one form
    assert soumise.soumise


def test_affecter_a_la_main_htmx(client_equipe, jury, matrice, equipe):
    lens, autre = matrice["lens"], matrice["autre"]

    reponse = client_equipe.post(
        _url("affecter", jury.cycle), {"candidature": lens.pk, "jure": autre.pk}, headers=HTMX
    )

    assert reponse.status_code == 200
    assert list(Affectation.objects.values_list("jure", "candidature", "cree_par")) == [
        (autre.pk, lens.pk, equipe.pk)
    ]
    html = reponse.content.decode()
    assert html.lstrip().startswith(f'<td id="cellule-{lens.pk}-{autre.pk}"')
    assert _url("desaffecter", jury.cycle) in html
    assert re.search(rf'id="compte-{lens.pk}" hx-swap-oob="true"[^>]*>\s*1 / 2 ', html)
    assert f'id="jure-{autre.pk}" hx-swap-oob="true"' in html
    assert "charge 1 / " in html


def test_affecter_puis_retirer_sans_javascript(client_equipe, jury, matrice):
    lens, autre = matrice["lens"], matrice["autre"]
    donnees = {"candidature": lens.pk, "jure": autre.pk}

    ajout = client_equipe.post(_url("affecter", jury.cycle), donnees)
    assert ajout.status_code == 302
    assert ajout["Location"] == _url("affectations", jury.cycle) + f"#ligne-{lens.pk}"
    assert _paires(jury.cycle) == {(autre.pk, lens.pk)}

    retrait = client_equipe.post(_url("desaffecter", jury.cycle), donnees, follow=True)

    assert _paires(jury.cycle) == set()
    assert _messages(retrait) == [
        f"Lens est confiée à {autre.user.nom_affiche}.",
        f"Lens n'est plus confiée à {autre.user.nom_affiche}.",
    ]


def test_affecter_une_paire_en_conflit_refuse(client_equipe, jury, matrice):
    arras, liee = matrice["arras"], matrice["liee"]
    donnees = {"candidature": arras.pk, "jure": liee.pk}

    reponse = client_equipe.post(_url("affecter", jury.cycle), donnees, headers=HTMX)
    sans_js = client_equipe.post(_url("affecter", jury.cycle), donnees, follow=True)

    attendu = f"{liee.user.nom_affiche} a déclaré un lien avec Arras : conflit d'intérêts."
    assert reponse.status_code == 422
    assert attendu.replace("'", "&#x27;") in reponse.content.decode()
    assert _messages(sans_js) == [attendu]
    assert Affectation.objects.count() == 0


def test_retirer_une_evaluation_soumise_refuse(client_equipe, jury, matrice):
    lens, autre = matrice["lens"], matrice["autre"]
    soumise = noter(AffectationFactory(candidature=lens, jure=autre), {2: 1, 3: 1})

    reponse = client_equipe.post(
        _url("desaffecter", jury.cycle), {"candidature": lens.pk, "jure": autre.pk}, headers=HTMX
    )

    assert reponse.status_code == 422
    assert (
        f"{autre.user.nom_affiche} a déjà soumis son évaluation : elle ne peut plus être retirée."
    ).replace("'", "&#x27;") in reponse.content.decode()
    assert list(Affectation.objects.all()) == [soumise]


def test_rouvrir_une_evaluation_soumise(client_equipe, jury, matrice):
    lens, autre = matrice["lens"], matrice["autre"]
    soumise = noter(AffectationFactory(candidature=lens, jure=autre), {2: 1, 3: 1})

    reponse = client_equipe.post(
        _url("rouvrir", jury.cycle), {"candidature": lens.pk, "jure": autre.pk}, headers=HTMX
    )

    soumise.refresh_from_db()
    assert reponse.status_code == 200
    assert soumise.soumise_le is None
    assert _url("desaffecter", jury.cycle) in reponse.content.decode()


@pytest.mark.parametrize(
    "donnees",
    [{"candidature": "x", "jure": "1"}, {}, {"candidature": "999999", "jure": "999999"}],
)
def test_affecter_identifiants_inconnus_404(client_equipe, jury, donnees):
    assert client_equipe.post(_url("affecter", jury.cycle), donnees).status_code == 404


def test_affecter_jure_d_un_autre_cycle_404(client_equipe, jury, matrice, autre_cycle):
    etranger = JureFactory(cycle=autre_cycle)

    reponse = client_equipe.post(
        _url("affecter", jury.cycle), {"candidature": matrice["lens"].pk, "jure": etranger.pk}
    )

    assert reponse.status_code == 404
    assert Affectation.objects.count() == 0


# --- query counts ---------------------------------------------------------------------------


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200
    return len(requetes)


@pytest.mark.parametrize("page", ["tableau", "affectations"])
def test_nombre_de_requetes_constant(client_equipe, jury, page, django_assert_num_queries):
    cycle = jury.cycle
    jures = JureFactory.create_batch(3, cycle=cycle)
    candidatures = CandidatureDeposeeFactory.create_batch(2, cycle=cycle)
    LienFactory(jure=jures[0], territoire=candidatures[0].territoire)
    AffectationFactory(candidature=candidatures[1], jure=jures[0])
    url = _url(page, cycle)
    avec_deux = _requetes(client_equipe, url)

    for candidature in CandidatureDeposeeFactory.create_batch(4, cycle=cycle):
        noter(AffectationFactory(candidature=candidature, jure=jures[1]), {2: 2, 3: 3})
        AffectationFactory(candidature=candidature, jure=jures[2])

    with django_assert_num_queries(avec_deux):
        client_equipe.get(url)
