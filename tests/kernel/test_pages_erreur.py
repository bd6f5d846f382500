"""Error pages in French, in the site's layout (Django's own ones are in English)."""

from django.test import Client
from django.views import defaults


def test_404_en_francais(client, db):
    reponse = client.get("/nulle-part/")
    assert reponse.status_code == 404
    html = reponse.content.decode()
    assert "Page introuvable" in html
    assert "Not Found" not in html
    assert 'class="lien-evitement"' in html  # the site's layout, with its skip link


def test_403_csrf_en_francais(db):
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/comptes/login/", {"login": "a@b.fr", "password": "x"})
    assert reponse.status_code == 403
    html = reponse.content.decode()
    assert "Formulaire expiré" in html
    assert "CSRF verification failed" not in html


def test_500_sans_contexte_en_francais(rf):
    # Django renders it without a request context: the page must not depend on one.
    reponse = defaults.server_error(rf.get("/"))
    assert reponse.status_code == 500
    assert "Une erreur s'est produite" in reponse.content.decode()


def test_400_et_403_en_francais(rf, db):
    from django.contrib.auth.models import AnonymousUser

    requete = rf.get("/")
    requete.user = AnonymousUser()
    assert "Demande incomprise" in defaults.bad_request(requete, Exception()).content.decode()
    assert "Accès refusé" in defaults.permission_denied(requete, Exception()).content.decode()
