from django.urls import path

from edlead.config import views

app_name = "config"
urlpatterns = [
    path("", views.settings_home, name="home"),
    path("state/", views.state_settings, name="state"),
    path("district/<int:pk>/", views.district_settings, name="district"),
    path("<int:pk>/<slug:slug>/", views.setting_save, name="setting-save"),
]
