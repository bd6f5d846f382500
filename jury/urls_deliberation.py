"""Staff deliberation pages, included at /equipe/jury/ (see cerdd_cycle/urls.py)."""

from django.urls import path

from .views import deliberation

app_name = "deliberation"
urlpatterns = [
    path("<slug:cycle>/classement/", deliberation.classement, name="classement"),
    path("<slug:cycle>/classement/ouvrir/", deliberation.ouvrir, name="ouvrir"),
    path("<slug:cycle>/classement/notes.xlsx", deliberation.export_xlsx, name="export_xlsx"),
    path("<slug:cycle>/classement/synthese.pdf", deliberation.synthese_pdf, name="synthese_pdf"),
    path(
        "<slug:cycle>/decisions/<int:candidature_pk>/",
        deliberation.decision,
        name="decision",
    ),
    path("<slug:cycle>/composition/", deliberation.composition, name="composition"),
]
