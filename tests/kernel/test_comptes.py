"""Accounts (django-allauth through the outbox), roles, and the portal pages of the kernel."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role, role_attribuer, roles_de
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.views import calendrier_du_cycle, date_en_toutes_lettres
from tests.factories import (
    MOT_DE_PASSE,
    PARIS,
    CycleFactory,
    IntervenantFactory,
    SeanceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOUVEAU_MOT_DE_PASSE = "Bocage-et-beffrois-2021"
ERREUR_IDENTIFIANTS = "L’adresse e-mail ou le mot de passe sont incorrects."
ERREUR_TROP_D_ESSAIS = "Trop de tentatives de connexion échouées."


@pytest.fixture(autouse=True)
def _cache_vide():
    # allauth counts attempts (rate limits) in the cache: every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing, i.e. before collectstatic.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def compte_verifie(db):
    user = UserFactory(email="elue@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _s_inscrire(client, capture, email="referente@exemple.fr"):
    with capture(execute=True):
        return client.post(
            reverse("account_signup"),
            {"email": email, "password1": NOUVEAU_MOT_DE_PASSE, "password2": NOUVEAU_MOT_DE_PASSE},
        )


def _lien(texte, motif):
    trouve = re.search(rf"https?://\S+{motif}\S*", texte)
    assert trouve, texte
    return trouve.group(0)


def _est_connecte(client):
    return "_auth_user_id" in client.session


# --- Sign-up and email verification ------------------------------------------------------


def test_inscription_cree_un_compte_a_verifier_et_ecrit_le_courriel(
    client, django_capture_on_commit_callbacks
):
    reponse = _s_inscrire(client, django_capture_on_commit_callbacks)

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="referente@exemple.fr")
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("referente@exemple.fr", False)
    ]
    assert not _est_connecte(client)
    assert list(Courriel.objects.values_list("destinataires", "categorie", "sujet")) == [
        (
            ["referente@exemple.fr"],
            "compte:email_confirmation_signup",
            "[Cerdd] Confirmez votre adresse électronique",
        )
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["referente@exemple.fr"], "[Cerdd] Confirmez votre adresse électronique")
    ]
    assert "Bonjour," in mail.outbox[0].body
    assert "/comptes/confirm-email/" in mail.outbox[0].body


def test_inscription_compte_inutilisable_avant_verification(
    client, django_capture_on_commit_callbacks
):
    _s_inscrire(client, django_capture_on_commit_callbacks)
    client.logout()

    reponse = client.post(
        reverse("account_login"),
        {"login": "referente@exemple.fr", "password": NOUVEAU_MOT_DE_PASSE},
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("account_email_verification_sent")
    assert not _est_connecte(client)


def test_lien_de_confirmation_verifie_l_adresse_et_connecte(
    client, django_capture_on_commit_callbacks
):
    _s_inscrire(client, django_capture_on_commit_callbacks)
    lien = _lien(Courriel.objects.get().texte, "/comptes/confirm-email/")

    page = client.get(lien)
    reponse = client.post(lien)

    assert page.status_code == 200
    assert "Confirmer l'adresse e-mail" in page.content.decode()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("accueil")
    assert EmailAddress.objects.get(email="referente@exemple.fr").verified is True
    assert _est_connecte(client)


# --- Login, logout ---------------------------------------------------------------------------


def test_connexion_par_email_et_mot_de_passe(client, compte_verifie):
    reponse = client.post(
        reverse("account_login"), {"login": "elue@exemple.fr", "password": MOT_DE_PASSE}
    )
    accueil = client.get(reverse("accueil"))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("accueil")
    assert int(client.session["_auth_user_id"]) == compte_verifie.pk
    assert "Se déconnecter" in accueil.content.decode()


def test_connexion_mauvais_mot_de_passe_erreur_en_francais(client, compte_verifie):
    reponse = client.post(
        reverse("account_login"), {"login": "elue@exemple.fr", "password": "pas-le-bon"}
    )

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert ERREUR_IDENTIFIANTS in html
    assert 'role="alert"' in html
    assert not _est_connecte(client)


def test_connexion_refusee_apres_trop_d_echecs(client, compte_verifie):
    url = reverse("account_login")
    for _essai in range(5):
        client.post(url, {"login": "elue@exemple.fr", "password": "pas-le-bon"})

    # Even the right password is refused while the limit holds.
    reponse = client.post(url, {"login": "elue@exemple.fr", "password": MOT_DE_PASSE})

    assert ERREUR_TROP_D_ESSAIS in reponse.content.decode()
    assert not _est_connecte(client)


def test_deconnexion(client, compte_verifie):
    client.force_login(compte_verifie)

    confirmation = client.get(reverse("account_logout"))
    reponse = client.post(reverse("account_logout"))

    assert "Voulez-vous fermer votre session sur cet appareil ?" in confirmation.content.decode()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("accueil")
    assert not _est_connecte(client)


# --- Password reset --------------------------------------------------------------------------


def test_mot_de_passe_oublie_ecrit_le_courriel(
    client, compte_verifie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("account_reset_password"), {"email": "elue@exemple.fr"})

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("account_reset_password_done")
    assert list(Courriel.objects.values_list("destinataires", "categorie", "sujet")) == [
        (
            ["elue@exemple.fr"],
            "compte:password_reset_key",
            "[Cerdd] Choisir un nouveau mot de passe",
        )
    ]
    assert [m.to for m in mail.outbox] == [["elue@exemple.fr"]]
    assert "/comptes/password/reset/key/" in mail.outbox[0].body


def test_lien_de_reinitialisation_change_le_mot_de_passe(
    client, compte_verifie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "elue@exemple.fr"})
    lien = _lien(Courriel.objects.get().texte, "/comptes/password/reset/key/")

    # allauth keeps the key in the session and moves to a URL without it.
    formulaire = client.get(lien, follow=True)
    [(url_formulaire, _statut)] = formulaire.redirect_chain
    reponse = client.post(
        url_formulaire, {"password1": NOUVEAU_MOT_DE_PASSE, "password2": NOUVEAU_MOT_DE_PASSE}
    )

    assert "Nouveau mot de passe" in formulaire.content.decode()
    # The person is logged in at once (ACCOUNT_LOGIN_ON_PASSWORD_RESET: invited jurors and
    # participants choose their password through this same page).
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("accueil")
    assert client.session["_auth_user_id"] == str(compte_verifie.pk)
    compte_verifie.refresh_from_db()
    assert compte_verifie.check_password(NOUVEAU_MOT_DE_PASSE)


# --- The allauth pages use the site's layout, in French, with accessible errors ----------


@pytest.mark.parametrize(
    ("nom_url", "titre"),
    [
        ("account_login", '<h1 class="h2 mb-3">Se connecter</h1>'),
        ("account_signup", '<h1 class="h2 mb-3">Créer un compte</h1>'),
        ("account_reset_password", '<h1 class="h2 mb-3">Mot de passe oublié</h1>'),
        ("account_email_verification_sent", "Vérifiez votre adresse électronique"),
    ],
)
def test_pages_de_compte_dans_la_mise_en_page_du_site(client, nom_url, titre):
    html = client.get(reverse(nom_url)).content.decode()

    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html
    assert '<main id="contenu"' in html
    assert titre in html


def test_connexion_garde_les_attributs_autocomplete(client):
    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<input type="email" name="login" autocomplete="email"', html)
    assert 'autocomplete="current-password"' in html
    assert '<label class="form-label" for="id_login">' in html


def test_inscription_erreurs_reliees_aux_champs(client):
    reponse = client.post(
        reverse("account_signup"),
        {"email": "pas-une-adresse", "password1": NOUVEAU_MOT_DE_PASSE, "password2": "autre"},
    )

    html = reponse.content.decode()
    champ_email = re.search(r'<input type="email" name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in champ_email
    assert 'aria-describedby="id_email_error"' in champ_email
    assert '<div class="invalid-feedback d-block" id="id_email_error">' in html
    assert "Saisissez une adresse de courriel valide." in html
    assert 'id="id_password2_error"' in html
    assert User.objects.count() == 0


def test_gestion_des_adresses_dans_la_mise_en_page_du_site(client, compte_verifie):
    client.force_login(compte_verifie)

    html = client.get(reverse("account_email")).content.decode()

    assert '<nav aria-label="Mon compte"' in html
    assert "Adresses e-mail" in html
    assert "elue@exemple.fr" in html


# --- Roles ---------------------------------------------------------------------------------


def test_roles_de_equipe(db):
    assert roles_de(UserFactory(is_staff=True)) == frozenset({Role.EQUIPE})


def test_roles_de_groupes(db):
    user = UserFactory()
    role_attribuer(user, Role.JURE)
    role_attribuer(user, Role.CANDIDAT)

    assert roles_de(User.objects.get(pk=user.pk)) == frozenset({Role.JURE, Role.CANDIDAT})


def test_roles_de_equipe_et_participant(db):
    user = UserFactory(is_staff=True)
    role_attribuer(user, Role.PARTICIPANT)

    assert roles_de(User.objects.get(pk=user.pk)) == frozenset({Role.EQUIPE, Role.PARTICIPANT})


@pytest.mark.parametrize("personne", [None, AnonymousUser()])
def test_roles_de_anonyme(personne):
    assert roles_de(personne) == frozenset()


def test_roles_de_compte_desactive(db):
    user = UserFactory(is_staff=True, is_active=False)
    role_attribuer(user, Role.JURE)

    assert roles_de(User.objects.get(pk=user.pk)) == frozenset()


# --- Home page -----------------------------------------------------------------------------


def _paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def cycle_2021(db):
    return CycleFactory(
        titre="Vers des territoires participatifs 2021",
        statut=StatutCycle.EN_COURS,
        ouverture_ami=_paris(2020, 12, 10, 9, 0),
        # Stored in UTC (11:00), shown in Paris time.
        date_limite=datetime.datetime(2021, 3, 12, 11, 0, tzinfo=datetime.UTC),
        date_reponse=datetime.date(2021, 4, 15),
        premiere_seance=datetime.date(2021, 7, 8),
        places=13,
    )


def test_accueil_presente_le_cycle_et_son_calendrier(client, cycle_2021):
    # Created out of order: the page lists them by number.
    SeanceFactory(
        cycle=cycle_2021,
        numero=2,
        date=datetime.date(2021, 10, 5),
        theme="Postures",
        lieu="Ronchin",
    )
    seance_1 = SeanceFactory(
        cycle=cycle_2021,
        numero=1,
        date=datetime.date(2021, 7, 8),
        theme="Défis de la participation",
        lieu="Loos-en-Gohelle",
    )
    IntervenantFactory(seance=seance_1, nom="Loïc Blondiaux", qualite="politiste", ordre=0)

    reponse = client.get(reverse("accueil"))

    html = reponse.content.decode()
    assert [(e.titre, e.quand) for e in reponse.context["etapes"]] == [
        ("Ouverture de l'appel à manifestation d'intérêt", "jeudi 10 décembre 2020 à 9\xa0h\xa000"),
        ("Date limite de dépôt des candidatures", "vendredi 12 mars 2021 à 12\xa0h\xa000"),
        ("Réponse aux collectivités candidates", "jeudi 15 avril 2021"),
        ("Séance 1", "jeudi 8 juillet 2021"),
        ("Séance 2", "mardi 5 octobre 2021"),
    ]
    assert '<h1 class="mb-3">Vers des territoires participatifs 2021</h1>' in html
    assert "Cycle en cours" in html
    assert "13 collectivités" in html
    assert "Hauts-de-France" in html
    assert '<time class="etape-quand" datetime="2021-03-12T12:00+01:00">' in html
    assert "vendredi 12 mars 2021 à 12\xa0h\xa000" in html
    assert html.index("Séance 1 : Défis de la participation") < html.index("Séance 2 : Postures")
    assert "Loos-en-Gohelle" in html
    assert "Loïc Blondiaux (politiste)" in html


def test_accueil_signale_l_ami_ouvert(client, db):
    cycle = CycleFactory(date_limite=_paris(2099, 3, 1, 12, 0))

    html = client.get(reverse("accueil")).content.decode()

    assert "L'appel à candidatures est ouvert" in html
    assert "dimanche 1er mars 2099 à 12\xa0h\xa000" in html
    lien = reverse("ami:appel", args=[cycle.slug])
    assert f'<a href="{lien}">Lire l\'appel et déposer une candidature</a>' in html


def test_accueil_sans_cycle_public(client, db):
    CycleFactory(statut=StatutCycle.PREPARATION, titre="Cycle en chantier")

    html = client.get(reverse("accueil")).content.decode()

    assert "Aucun cycle n'est publié pour le moment." in html
    assert "Cycle en chantier" not in html


def test_calendrier_met_en_avant_la_prochaine_etape(cycle_2021):
    seances = [
        SeanceFactory(cycle=cycle_2021, numero=1, date=datetime.date(2021, 7, 8)),
        SeanceFactory(cycle=cycle_2021, numero=2, date=datetime.date(2021, 10, 5)),
    ]

    etapes = calendrier_du_cycle(cycle_2021, seances, maintenant=_paris(2021, 7, 8, 18, 0))

    assert [(e.titre, e.passee, e.est_prochaine) for e in etapes] == [
        ("Ouverture de l'appel à manifestation d'intérêt", True, False),
        ("Date limite de dépôt des candidatures", True, False),
        ("Réponse aux collectivités candidates", True, False),
        # The day of a session stays "next" until the evening is over.
        ("Séance 1", False, True),
        ("Séance 2", False, False),
    ]


def test_calendrier_premiere_seance_sans_programme(cycle_2021):
    etapes = calendrier_du_cycle(cycle_2021, [], maintenant=_paris(2021, 3, 12, 12, 1))

    assert [(e.titre, e.est_prochaine) for e in etapes] == [
        ("Ouverture de l'appel à manifestation d'intérêt", False),
        ("Date limite de dépôt des candidatures", False),
        ("Réponse aux collectivités candidates", True),
        ("Première journée du cycle", False),
    ]


def test_date_en_toutes_lettres_premier_du_mois():
    assert date_en_toutes_lettres(datetime.date(2021, 3, 1)) == "lundi 1er mars 2021"


def test_accueil_votre_espace_anonyme(client, cycle_2021):
    html = client.get(reverse("accueil")).content.decode()

    espace = html[html.index('id="titre-votre-espace"') :]
    assert f'href="{reverse("account_signup")}"' in espace
    assert f'href="{reverse("account_login")}"' in espace
    assert "/admin/" not in html


def test_accueil_votre_espace_equipe(client, cycle_2021, equipe):
    client.force_login(equipe)

    html = client.get(reverse("accueil")).content.decode()

    espace = html[html.index('id="titre-votre-espace"') :]
    assert "Équipe du Cerdd" in espace
    for chemin in ("/equipe/candidatures/", "/equipe/jury/", "/admin/"):
        assert f'href="{chemin}"' in espace
    assert f'href="{reverse("account_signup")}"' not in html


@pytest.mark.parametrize(
    ("role", "titre"),
    [
        (Role.JURE, "Membre du jury"),
        (Role.CANDIDAT, "Candidature"),
        (Role.PARTICIPANT, "Participant·e du cycle"),
    ],
)
def test_accueil_votre_espace_par_role(client, cycle_2021, utilisateur, role, titre):
    role_attribuer(utilisateur, role)
    client.force_login(utilisateur)

    html = client.get(reverse("accueil")).content.decode()

    assert f'<h3 class="h6 mt-3">{titre}</h3>' in html
    # Only the spaces already routed are linked, and never the admin.
    routes = {
        Role.CANDIDAT: {"/candidatures/"},
        Role.JURE: {"/jury/"},
        Role.PARTICIPANT: {"/seances/", "/journal/"},
    }
    for chemin in ("/jury/", "/candidatures/", "/seances/", "/journal/", "/admin/"):
        assert (f'href="{chemin}"' in html) is (chemin in routes.get(role, set()))


@pytest.mark.parametrize("nombre", [1, 5])
def test_accueil_nombre_de_requetes_fixe(client, cycle_2021, django_assert_num_queries, nombre):
    for numero in range(1, nombre + 1):
        seance = SeanceFactory(cycle=cycle_2021, numero=numero)
        IntervenantFactory.create_batch(2, seance=seance)

    # The cycle with its region, its sessions, their speakers.
    with django_assert_num_queries(3):
        reponse = client.get(reverse("accueil"))

    assert len(reponse.context["seances"]) == nombre


# --- Personal data -------------------------------------------------------------------------


def test_donnees_personnelles_donne_le_contact(client, db):
    html = client.get(reverse("donnees_personnelles")).content.decode()

    contact = settings.CONTACT_DONNEES_PERSONNELLES
    assert f'<a class="fw-semibold" href="mailto:{contact}">{contact}</a>' in html
    assert "Combien de temps nous le gardons" in html
