"""Writers for schedules: firing a job (from the scheduler or "Run now"), running it in the worker,
and the worker's heartbeat."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from edlead.core.services import audit_record
from edlead.schedules import registry
from edlead.schedules.models import JobRun, WorkerHeartbeat

logger = logging.getLogger(__name__)
MESSAGE_MAX = 2000


def job_fire(*, name: str, scheduled_for: dt.datetime | None = None, actor: Any = None) -> JobRun | None:
    """Record one firing of `name` for `scheduled_for` (default: this minute, which every scheduler
    agrees on) and queue its run for the worker. Returns None when the job already fired for that time
    (another worker's scheduler got there first): the job then runs once."""
    registry.get(name)  # refuse an unknown job before writing anything
    when = scheduled_for or timezone.now().replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            run = JobRun(job=name, scheduled_for=when, triggered_by=actor if actor is not None else None)
            run.full_clean(validate_constraints=False)
            run.save()
            transaction.on_commit(lambda: _enqueue(run.pk))
    except IntegrityError:
        logger.info("Job %s already fired for %s", name, when)
        return None
    return run


def _enqueue(run_id: int) -> None:
    from edlead.schedules.tasks import job_run_task

    job_run_task.enqueue(run_id=run_id)


@transaction.atomic
def job_run_now(*, name: str, actor: Any) -> JobRun:
    """An administrator runs a job at once, outside its schedule; audited."""
    run = job_fire(name=name, scheduled_for=timezone.now(), actor=actor)
    if run is None:  # pragma: no cover - a microsecond-exact collision
        raise RuntimeError(f"Job {name} is already starting; try again")
    audit_record(action="job_run_now", actor=actor, target=run, target_label=name, detail={"job": name})
    return run


def job_execute(*, run_id: int) -> JobRun:
    """Run a fired job's task in this process (the worker) and record how it went. A failing job is
    recorded as failed (with the error), never raised: the worker goes on with other work."""
    run = JobRun.objects.get(pk=run_id)
    if run.outcome != JobRun.Outcome.QUEUED:
        return run  # a task delivered twice runs the job once
    run.started = timezone.now()
    run.outcome = JobRun.Outcome.RUNNING
    run.save(update_fields=["started", "outcome"])
    try:
        result = registry.get(run.job).task.call()
    except Exception as exc:
        logger.exception("Job %s failed", run.job)
        run.outcome = JobRun.Outcome.FAILED
        run.message = f"{type(exc).__name__}: {exc}"[:MESSAGE_MAX]
    else:
        run.outcome = JobRun.Outcome.SUCCEEDED
        run.message = "" if result is None else str(result)[:MESSAGE_MAX]
    run.finished = timezone.now()
    run.save(update_fields=["finished", "outcome", "message"])
    return run


def worker_heartbeat(*, worker: str, started: dt.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": now, "started": started})


def worker_stopped(*, worker: str) -> None:
    WorkerHeartbeat.objects.filter(worker=worker).delete()


def job_runs_abandoned_fail(*, older_than: dt.timedelta | None = None) -> int:
    """Mark failed the runs still "running" long after they started: their worker was killed or the
    machine stopped mid-job, and nothing else would ever end them. Returns how many."""
    limit = older_than or dt.timedelta(minutes=settings.EDLEAD_JOB_STALE_MINUTES)
    minutes = int(limit.total_seconds() // 60)
    return JobRun.objects.filter(
        outcome=JobRun.Outcome.RUNNING, finished__isnull=True, started__lt=timezone.now() - limit
    ).update(
        outcome=JobRun.Outcome.FAILED,
        finished=timezone.now(),
        message=f"The worker stopped while running this job: no end was recorded within {minutes} minutes.",
    )
