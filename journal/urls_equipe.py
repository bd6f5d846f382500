from django.urls import path

from .views import autodiagnostic, engagements, ouverture

app_name = "equipe_journal"

urlpatterns = [
    path("<slug:cycle>/ouverture/<int:numero>/", ouverture.ouverture, name="ouverture"),
    path("<slug:cycle>/engagements/", engagements.equipe, name="engagements"),
    path("<slug:cycle>/autodiagnostics/", autodiagnostic.equipe, name="autodiagnostics"),
]
