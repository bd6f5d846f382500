from django.urls import path

from . import views_donnees

app_name = "donnees"

urlpatterns = [
    path("", views_donnees.accueil, name="accueil"),
    path("telecharger/", views_donnees.telecharger, name="telecharger"),
    path("suppression/", views_donnees.demander, name="demander"),
    path("suppression/<int:pk>/", views_donnees.demande, name="demande"),
]
