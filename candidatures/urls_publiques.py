app_name = "ami"
urlpatterns = []
