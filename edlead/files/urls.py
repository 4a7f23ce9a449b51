from django.urls import path

from edlead.files import views

app_name = "files"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("<str:kind>/<int:owner_pk>/upload/", views.upload, name="upload"),
]
