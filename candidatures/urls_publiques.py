from django.urls import path

from .views import publiques

app_name = "ami"
urlpatterns = [
    path("referent/<uuid:jeton>/", publiques.confirmer_referent, name="confirmer_referent"),
    path("<slug:slug>/", publiques.appel, name="appel"),
    path("<slug:slug>/compte-a-rebours/", publiques.compte_a_rebours, name="compte_a_rebours"),
]
