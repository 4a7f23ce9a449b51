from django.urls import path

from edlead.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/<slug:action>/", views.person_change, name="person-change"),
]
