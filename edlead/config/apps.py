"""District settings with defaults in code and a per-state layer."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "edlead.config"
    label = "config"
