"""The candidate's space, included at /candidatures/."""

from django.urls import path

from .views import espace

app_name = "candidatures"
urlpatterns = [
    path("", espace.liste, name="liste"),
    path("nouvelle/<slug:cycle_slug>/", espace.nouvelle, name="nouvelle"),
    path(
        "nouvelle/<slug:cycle_slug>/demander-acces/",
        espace.demander_acces,
        name="demander_acces",
    ),
    path("invitation/<uuid:jeton>/", espace.invitation, name="invitation"),
    path("<int:pk>/", espace.formulaire, name="formulaire"),
    path("<int:pk>/enregistrer/", espace.enregistrer, name="enregistrer"),
    path("<int:pk>/soumettre/", espace.soumettre, name="soumettre"),
    path("<int:pk>/rouvrir/", espace.rouvrir, name="rouvrir"),
    path("<int:pk>/pdf/", espace.pdf, name="pdf"),
    path("<int:pk>/recu/<int:numero>/", espace.recu, name="recu"),
    path("<int:pk>/coedition/inviter/", espace.inviter, name="inviter"),
    path("<int:pk>/coedition/<int:acces_pk>/accorder/", espace.accorder, name="accorder"),
    path("<int:pk>/coedition/<int:acces_pk>/retirer/", espace.retirer, name="retirer"),
]
