"""Work-queue items from imports: a preview waiting to be applied, an import that failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone

from edlead.core.workqueue import WorkItem
from edlead.imports.models import ImportRun

RECENT_DAYS = 7


def import_items(user: Any, today: dt.date) -> Iterator[WorkItem]:
    """One query: the user's own previews not yet applied (due before the upload is deleted) and their
    imports that failed or were refused this week."""
    if not getattr(user, "is_authenticated", False):
        return
    keep_days = settings.EDLEAD_IMPORT_STALE_FILE_DAYS
    since = timezone.now() - dt.timedelta(days=max(keep_days, RECENT_DAYS))
    runs = (
        ImportRun.objects.filter(
            user=user,
            created_at__gte=since,
            status__in=[ImportRun.Status.PREVIEWED, ImportRun.Status.FAILED, ImportRun.Status.REFUSED],
        )
        .select_related("organization")
        .order_by("-created_at")[:20]
    )
    for run in runs:
        org = run.organization.name if run.organization is not None else ""
        if run.status == ImportRun.Status.PREVIEWED:
            yield WorkItem(
                title=f"Apply or leave the preview of {run.file_name}",
                url=run.get_absolute_url(),
                source="imports",
                due=timezone.localdate(run.created_at) + dt.timedelta(days=keep_days),
                organization=org,
                detail="The upload is deleted on the due date if it is not applied.",
                waiting=True,
            )
        else:
            yield WorkItem(
                title=f"The import of {run.file_name} was {run.get_status_display().lower()}",
                url=run.get_absolute_url(),
                source="imports",
                organization=org,
                detail=run.summary,
                new=True,
            )
