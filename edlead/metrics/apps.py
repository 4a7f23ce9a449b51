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
        # This app's import kinds: the imports app keeps the registry and knows no later app.
        from edlead.imports.kinds import register
        from edlead.metrics.kinds.dese import DESE_KINDS
        from edlead.metrics.kinds.dese_profile import PROFILE_KINDS
        from edlead.metrics.kinds.long_format import LONG_FORMAT_KINDS
        from edlead.metrics.kinds.monitoring import MONITORING_KINDS

        register(*DESE_KINDS, *PROFILE_KINDS, *LONG_FORMAT_KINDS, *MONITORING_KINDS)
        from edlead.home import columns
        from edlead.metrics import school_columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
