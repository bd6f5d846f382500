from django.urls import path

from . import views

app_name = "equipe_seances"

urlpatterns = [
    path("<slug:cycle>/cohorte/", views.cohorte, name="cohorte"),
]
