"""The candidate's result, included at /candidatures/<candidature_pk>/resultat/."""

from django.urls import path

from .views import candidat

app_name = "resultat_candidat"

urlpatterns = [
    path("", candidat.resultat, name="resultat"),
    path("lettre.pdf", candidat.lettre, name="lettre"),
]
