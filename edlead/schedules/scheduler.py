"""The scheduler the worker runs beside django-tasks' db_worker: APScheduler 3's CronTrigger fires each
registered job (recorded as a JobRun, then queued as a task), and an interval job writes the worker's
heartbeat. See CONTRIBUTING.md ("Recurring jobs") for why APScheduler and not django-crontask."""

from __future__ import annotations

import logging
import os
import socket
import threading
import zoneinfo
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from edlead.schedules import registry, services

logger = logging.getLogger(__name__)
HEARTBEAT_JOB = "edlead.worker_heartbeat"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _tidy_connections() -> None:
    """Drop this thread's database connection when it is stale (the scheduler's threads live for
    days), the way Django does around each request; never inside a caller's transaction."""
    if not connection.in_atomic_block:
        close_old_connections()


def scheduled_fire(name: str) -> None:
    """What the scheduler calls when a job's cron time comes (in its own thread)."""
    _tidy_connections()
    try:
        services.job_fire(name=name)
    except Exception:  # one job's trouble must not stop the scheduler
        logger.exception("Could not fire job %s", name)
    finally:
        _tidy_connections()


def heartbeat(worker: str, started: Any) -> None:
    """Only while the worker's main thread (the task loop) lives."""
    if not threading.main_thread().is_alive():
        return
    _tidy_connections()
    try:
        services.worker_heartbeat(worker=worker, started=started)
    except Exception:
        logger.exception("Could not write the worker heartbeat")
    finally:
        _tidy_connections()


def build_scheduler(*, with_jobs: bool = True, worker: str | None = None) -> BackgroundScheduler:
    """A scheduler (not started) holding every registered job on its cron trigger, and the heartbeat."""
    tz = zoneinfo.ZoneInfo(settings.EDLEAD_SCHEDULE_TIME_ZONE)
    scheduler = BackgroundScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1})
    if with_jobs:
        for job in registry.jobs():
            scheduler.add_job(
                scheduled_fire,
                trigger=job.trigger(tz),
                args=[job.name],
                id=job.name,
                name=job.name,
                misfire_grace_time=50,  # a firing late by more than that is skipped, not run twice
            )
    scheduler.add_job(
        heartbeat,
        trigger="interval",
        seconds=settings.EDLEAD_WORKER_HEARTBEAT_SECONDS,
        args=[worker or worker_name(), timezone.now()],
        id=HEARTBEAT_JOB,
        name="worker heartbeat",
        next_run_time=timezone.now(),
    )
    return scheduler
