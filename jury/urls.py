"""The juror's space, mounted at /jury/."""

from django.urls import path

from .views import jure

app_name = "jury"

CANDIDATURE = "<slug:cycle>/candidatures/<int:candidature_pk>/"

urlpatterns = [
    path("", jure.accueil, name="accueil"),
    path("<slug:cycle>/liens/", jure.liens, name="liens"),
    path("<slug:cycle>/candidatures/", jure.candidatures, name="candidatures"),
    path(CANDIDATURE, jure.evaluation, name="evaluation"),
    path(f"{CANDIDATURE}pieces/<int:piece_pk>/", jure.piece, name="piece"),
    path(f"{CANDIDATURE}note/<int:critere_pk>/", jure.note, name="note"),
    path(f"{CANDIDATURE}commentaire/", jure.commentaire, name="commentaire"),
    path(f"{CANDIDATURE}soumettre/", jure.soumettre, name="soumettre"),
]
