from django.urls import path

from edlead.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("upload/", views.run_create, name="run-create"),
    path("staff-template.csv", views.staff_template, name="staff-template"),
    path("templates/<slug:slug>.csv", views.kind_template, name="kind-template"),
    path("<int:pk>/", views.run_detail, name="run-detail"),
    path("<int:pk>/progress/", views.run_progress, name="run-progress"),
    path("<int:pk>/apply/", views.run_apply, name="run-apply"),
]
