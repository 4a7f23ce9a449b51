from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "edlead.core"
    label = "core"

    def ready(self) -> None:
        from edlead.core import signals  # noqa: F401  (connects sign-in auditing)
