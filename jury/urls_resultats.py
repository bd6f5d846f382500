from django.urls import path

from .views import resultats

app_name = "resultats"

urlpatterns = [
    path("<slug:cycle>/resultats/", resultats.resultats, name="resultats"),
    path("<slug:cycle>/resultats/modeles/<str:statut>/", resultats.modele, name="modele"),
    path("<slug:cycle>/resultats/programmer/", resultats.programmer, name="programmer"),
    path("<slug:cycle>/resultats/deprogrammer/", resultats.deprogrammer, name="deprogrammer"),
    path("<slug:cycle>/resultats/envoyer/", resultats.envoyer, name="envoyer"),
    path("decisions/<int:candidature_pk>/lettre.pdf", resultats.lettre, name="lettre"),
]
