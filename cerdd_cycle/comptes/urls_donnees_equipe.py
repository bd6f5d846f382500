from django.urls import path

from . import views_donnees

app_name = "equipe_donnees"

urlpatterns = [
    path("", views_donnees.equipe_demandes, name="demandes"),
    path("<int:pk>/", views_donnees.equipe_demande, name="demande"),
]
