from django.urls import path

from .views import parcours

app_name = "capitalisation"

# A collectivity's journey: staff reach every pair, a participant their own (404 otherwise).
urlpatterns = [
    path("parcours/<int:binome>/", parcours.page, name="parcours"),
    path("parcours/<int:binome>/pdf/", parcours.pdf, name="parcours_pdf"),
]
