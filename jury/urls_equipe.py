from django.urls import path

from .views import equipe

app_name = "equipe_jury"

urlpatterns = [
    path("", equipe.accueil, name="accueil"),
    path("<slug:cycle>/", equipe.tableau, name="tableau"),
    path("<slug:cycle>/reglages/", equipe.parametrer, name="parametrer"),
    path("<slug:cycle>/inviter/", equipe.inviter, name="inviter"),
    path("<slug:cycle>/jures/<int:jure>/retirer/", equipe.retirer, name="retirer"),
    path("<slug:cycle>/proposer/", equipe.proposer, name="proposer"),
    path("<slug:cycle>/prevenir/", equipe.prevenir, name="prevenir"),
    path("<slug:cycle>/affectations/", equipe.affectations, name="affectations"),
    path("<slug:cycle>/affectations/affecter/", equipe.affecter, name="affecter"),
    path("<slug:cycle>/affectations/retirer/", equipe.desaffecter, name="desaffecter"),
    path("<slug:cycle>/affectations/rouvrir/", equipe.rouvrir, name="rouvrir"),
]
