from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from seances.views import attestations as attestations_views

from . import sante, views
from .comptes import views as comptes_views
from .comptes.decorateurs import connexion_administration

admin.site.site_header = "Cerdd – cycle de qualification"
admin.site.site_title = "Administration du cycle"
admin.site.index_title = "Administration"
# The admin's own login form would bypass allauth's rate limits and two-factor step: the
# admin login sends to the site's login instead (a signed-in non-staff person gets a 404, as
# on every staff page).
admin.site.login = connexion_administration(admin.site.login)

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path(
        "donnees-personnelles/",
        TemplateView.as_view(
            template_name="pages/donnees_personnelles.html",
            extra_context={"contact": settings.CONTACT_DONNEES_PERSONNELLES},
        ),
        name="donnees_personnelles",
    ),
    path("territoires/", include("cerdd_cycle.territoires.urls")),
    path("ami/", include("candidatures.urls_publiques")),
    path("candidatures/", include("candidatures.urls")),
    path("candidatures/<int:candidature_pk>/pieces/", include("candidatures.urls_pieces")),
    path("equipe/candidatures/", include("candidatures.urls_equipe")),
    path("jury/", include("jury.urls")),
    path("candidatures/<int:candidature_pk>/resultat/", include("jury.urls_candidat")),
    path("equipe/jury/", include("jury.urls_equipe")),
    path("equipe/jury/", include("jury.urls_deliberation")),
    path("equipe/jury/", include("jury.urls_resultats")),
    path("seances/", include("seances.urls")),
    path("equipe/seances/", include("seances.urls_equipe")),
    path("journal/", include("journal.urls")),
    path("equipe/journal/", include("journal.urls_equipe")),
    path("capitalisation/", include("capitalisation.urls")),
    path("equipe/capitalisation/", include("capitalisation.urls_equipe")),
    path("attestations/verifier/", attestations_views.verifier, name="attestation_verifier"),
    path("comptes/invitation/<str:jeton>/", comptes_views.invitation, name="invitation"),
    path("comptes/mes-donnees/", include("cerdd_cycle.comptes.urls_donnees")),
    path("equipe/donnees/", include("cerdd_cycle.comptes.urls_donnees_equipe")),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("sante/", sante.sante, name="sante"),
]
