from django.urls import path

from .views import equipe

app_name = "equipe_candidatures"
urlpatterns = [
    path("", equipe.liste, name="liste"),
    path("export.csv", equipe.export_csv, name="export_csv"),
    path("export.xlsx", equipe.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", equipe.detail, name="detail"),
]
