from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "edlead.demo"
    label = "demo"
    verbose_name = "Demo data"
