from django.urls import URLPattern, URLResolver

app_name = "config"
urlpatterns: list[URLPattern | URLResolver] = []
