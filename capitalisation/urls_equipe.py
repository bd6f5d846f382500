from django.urls import path

from .views import equipe

app_name = "equipe_capitalisation"

urlpatterns = [
    path("", equipe.accueil, name="accueil"),
    path("<slug:cycle>/", equipe.rapport, name="rapport"),
    path("<slug:cycle>/apercu/", equipe.apercu, name="apercu"),
    path("<slug:cycle>/generer/", equipe.generer, name="generer"),
    path("<slug:cycle>/versions/<int:numero>/etat/", equipe.version_etat, name="version_etat"),
    path(
        "<slug:cycle>/versions/<int:numero>/pdf/",
        equipe.version_telecharger,
        name="version_telecharger",
    ),
]
