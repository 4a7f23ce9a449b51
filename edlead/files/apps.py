"""One attachment store: checked content, access-checked and audited downloads."""

from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "edlead.files"
    label = "files"
