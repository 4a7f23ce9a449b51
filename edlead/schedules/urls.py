from django.urls import URLPattern, URLResolver, path

from edlead.schedules import views

app_name = "schedules"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.job_list, name="job-list"),
    path("<str:name>/run", views.job_run, name="job-run"),
]
