from django.urls import path

from .views import attestations, jour, navigation, participant

app_name = "seances"

urlpatterns = [
    path("", participant.calendrier, name="calendrier"),
    path("<int:pk>/", participant.seance, name="seance"),
    path("<int:pk>/confirmation/", participant.confirmer, name="confirmer"),
    path("<int:pk>/questions/", participant.questions, name="questions"),
    path(
        "<int:pk>/questions/<int:question>/retirer/",
        participant.question_retirer,
        name="question_retirer",
    ),
    path("<int:pk>/evaluation/", participant.evaluer, name="evaluer"),
    path("<int:pk>/pointage/<str:jeton>/", jour.pointer, name="pointer"),
    path("ressources/<int:pk>/", participant.ressource, name="ressource"),
    path("besoins/<slug:cycle>/", participant.besoins, name="besoins"),
    path("binome/", navigation.mon_binome, name="mon_binome"),
    path("binome/<int:pk>/", participant.binome, name="binome"),
    path("agenda/", participant.agenda, name="agenda"),
    path("agenda/<str:jeton>.ics", participant.agenda_ics, name="agenda_ics"),
    path("attestations/", attestations.mes_attestations, name="attestations"),
    path("attestations/<int:pk>.pdf", attestations.attestation_pdf, name="attestation_pdf"),
]
