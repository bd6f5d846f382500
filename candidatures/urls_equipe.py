app_name = "equipe_candidatures"
urlpatterns = []
