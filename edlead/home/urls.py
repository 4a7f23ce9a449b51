from django.urls import path

from edlead.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("principals/", views.principals, name="principals"),
]
