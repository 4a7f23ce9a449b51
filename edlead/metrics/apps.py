from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_catalog(sender: Any, **kwargs: Any) -> None:
    from edlead.metrics.services import catalog_sync

    catalog_sync()


class MetricsConfig(AppConfig):
    name = "edlead.metrics"
    label = "metrics"

    def ready(self) -> None:
        # The catalog is declared in code (edlead/metrics/catalog/); every `migrate` brings the
        # database's copy up to date, so `make setup` and the test database always have it.
        post_migrate.connect(_sync_catalog, sender=self, dispatch_uid="edlead.metrics.catalog")
        # Load the import registry now: it imports this app's import kinds, which import the registry's
        # base module; importing one kind module first would otherwise meet a half-built registry.
        import edlead.imports.kinds  # noqa: F401
