from django.urls import path

from .views import autodiagnostic, ecrire, engagements

app_name = "journal"

urlpatterns = [
    path("", ecrire.accueil, name="accueil"),
    path("seances/<int:pk>/", ecrire.entree, name="entree"),
    path("seances/<int:pk>/elements/", ecrire.element_ajouter, name="element_ajouter"),
    path("seances/<int:pk>/notes/", ecrire.notes, name="notes"),
    path("seances/<int:pk>/partages/", ecrire.partages, name="partages"),
    path("elements/<int:pk>/", ecrire.element, name="element"),
    path("elements/<int:pk>/partage/", ecrire.element_partager, name="element_partager"),
    path("elements/<int:pk>/supprimer/", ecrire.element_supprimer, name="element_supprimer"),
    path("mon-journal.pdf", ecrire.pdf, name="pdf"),
    path("relais/", engagements.relais, name="relais"),
    path("relais/<int:pk>/", engagements.relais_modifier, name="relais_modifier"),
    path("relais/<int:pk>/supprimer/", engagements.relais_supprimer, name="relais_supprimer"),
    path("experimentations/", engagements.experimentations, name="experimentations"),
    path(
        "experimentations/<int:pk>/",
        engagements.experimentation_modifier,
        name="experimentation_modifier",
    ),
    path(
        "experimentations/<int:pk>/supprimer/",
        engagements.experimentation_supprimer,
        name="experimentation_supprimer",
    ),
    path("autodiagnostic/", autodiagnostic.progression, name="autodiagnostic"),
    path("autodiagnostic/<str:temps>/", autodiagnostic.remplir, name="autodiagnostic_remplir"),
]
