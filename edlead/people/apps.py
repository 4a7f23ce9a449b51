from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "edlead.people"
    label = "people"
