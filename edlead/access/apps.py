from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "edlead.access"
    label = "access"
