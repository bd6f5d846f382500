"""Included at candidatures/<int:candidature_pk>/pieces/ (see cerdd_cycle/urls.py)."""

from django.urls import path

from .views import pieces

app_name = "pieces"
urlpatterns = [
    path("ajouter/", pieces.ajouter, name="ajouter"),
    path("<int:piece_pk>/", pieces.telecharger, name="telecharger"),
    path("<int:piece_pk>/supprimer/", pieces.supprimer, name="supprimer"),
]
