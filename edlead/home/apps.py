from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "edlead.home"
    label = "home"
