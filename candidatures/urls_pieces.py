app_name = "pieces"
urlpatterns = []
