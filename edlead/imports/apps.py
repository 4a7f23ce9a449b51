from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "edlead.imports"
    label = "imports"
