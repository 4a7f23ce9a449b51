"""`manage.py import_housekeeping`: delete stale import uploads and fail runs whose worker died, once.

The task worker runs the same housekeeping by itself (see `edlead.imports.tasks`); this command is for
a cron job on a deployment without a worker, or for running it by hand.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from edlead.imports.services import housekeeping


class Command(BaseCommand):
    help = "Delete uploads of previews nobody applied and mark failed the runs whose worker stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(housekeeping())
