from django.urls import path

from .views import assiduite, attestations, avant, cohorte, jour, navigation

app_name = "equipe_seances"

seance = "<slug:cycle>/seances/<int:numero>/"

urlpatterns = [
    path("", navigation.equipe, name="accueil"),
    path("<slug:cycle>/", avant.tableau, name="tableau"),
    path("<slug:cycle>/cohorte/", cohorte.cohorte, name="cohorte"),
    path("<slug:cycle>/binomes/<int:pk>/remplacer/", cohorte.remplacer, name="remplacer"),
    path("<slug:cycle>/binomes/<int:pk>/suppleant/", cohorte.suppleant, name="suppleant"),
    path("<slug:cycle>/besoins/", avant.besoins, name="besoins"),
    path(seance, avant.seance, name="seance"),
    path(seance + "questions/", avant.questions, name="questions"),
    path(seance + "questions.pdf", avant.questions_pdf, name="questions_pdf"),
    path(seance + "appel/", jour.appel, name="appel"),
    path(seance + "appel/marquer/", jour.marquer, name="marquer"),
    path(seance + "qr/", jour.qr, name="qr"),
    path(seance + "emargement-<str:demi_journee>.pdf", jour.emargement, name="emargement"),
    path(seance + "evaluations/", jour.evaluations, name="evaluations"),
    path("<slug:cycle>/assiduite/", assiduite.matrice, name="assiduite"),
    path("<slug:cycle>/assiduite.xlsx", assiduite.matrice_xlsx, name="assiduite_xlsx"),
    path("<slug:cycle>/attestations/", attestations.equipe, name="attestations"),
]
