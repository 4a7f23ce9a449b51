from django.urls import URLPattern, URLResolver

app_name = "schedules"
urlpatterns: list[URLPattern | URLResolver] = []
