"""Readers for schedules: who may see the jobs page, each job with its next and last runs, and the
worker's last heartbeat."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from edlead.access import policy
from edlead.schedules import cron, registry
from edlead.schedules.models import JobRun, WorkerHeartbeat

RECENT_RUNS = 5
ADMIN_ROLES = frozenset({policy.Role.STATE_ADMIN, policy.Role.DISTRICT_ADMIN})


def may_manage_jobs(user: Any) -> bool:
    """State and district administrators, and superusers, see the jobs page and may run a job now."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or policy.roles(user) & ADMIN_ROLES)


@dataclass(frozen=True)
class JobRow:
    job: registry.Job
    schedule: str
    next_run: dt.datetime | None
    runs: list[JobRun]


def job_rows() -> list[JobRow]:
    """Every registered job with its schedule in words, next run and last runs (one query per job;
    the number of jobs is fixed by the code, not by the data)."""
    tz = zoneinfo.ZoneInfo(settings.EDLEAD_SCHEDULE_TIME_ZONE)
    now = timezone.now()
    rows = []
    for job in registry.jobs():
        runs = list(JobRun.objects.filter(job=job.name).select_related("triggered_by")[:RECENT_RUNS])
        rows.append(JobRow(job, cron.describe(job.cron), cron.next_run(job, tz, now), runs))
    return rows


def last_heartbeat() -> dt.datetime | None:
    beat: dt.datetime | None = (
        WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    )
    return beat
