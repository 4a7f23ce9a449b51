"""Resource library (issue 13)."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_topics(sender: Any, **kwargs: Any) -> None:
    from edlead.library.topics import load_topics

    load_topics()


class LibraryConfig(AppConfig):
    name = "edlead.library"
    label = "library"
    verbose_name = "Resource library"

    def ready(self) -> None:
        from edlead.access import policy
        from edlead.core.models import audit_verbs_register
        from edlead.files.registry import attachable_register
        from edlead.library import selectors, services
        from edlead.library.models import Resource

        audit_verbs_register(services.AUDIT_VERBS)
        # A resource's file: read by whoever reads the library item (the catalog's reading), added and
        # removed by its publisher's coordinators. One store, so a program links the item, never copies it.
        attachable_register(
            Resource,
            view_action=policy.PROGRAM_VIEW,
            edit_action=policy.PROGRAM_MANAGE,
            restricted=False,
            # A draft's file only to those who may open the draft (its publishers and author).
            owner_readable=lambda user, rows: rows.filter(pk__in=selectors.readable(user).values("pk")),
        )
        post_migrate.connect(_load_topics, sender=self, dispatch_uid="edlead.library.topics")
