from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "edlead.orgs"
    label = "orgs"
