"""Background work for imports, run by the task worker (`manage.py db_worker`).

- `import_run_task`: large uploads are previewed and applied here, the run's progress and heartbeat
  updated as it reads, validates and writes.
- `import_housekeeping_task`: deletes uploads of previews nobody applied (after
  `EDLEAD_IMPORT_STALE_FILE_DAYS`, 7 by default) and marks failed the runs whose worker stopped
  answering. It is enqueued whenever an upload is stored, by every import task as it ends, and by
  itself for an hour later (on backends that can defer a task, like the database backend), so it
  keeps running while the worker runs without anyone scheduling it. `manage.py import_housekeeping`
  runs the same thing once (for cron, or by hand).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = dt.timedelta(hours=1)


@task()
def import_run_task(run_id: int, apply: bool) -> str:
    """Preview (apply=False) or apply (apply=True) a stored import run; returns its final status."""
    from edlead.imports.services import run_execute

    status = run_execute(run_id=run_id, apply=apply).status
    housekeeping_schedule()
    return status


@task()
def import_housekeeping_task() -> str:
    from edlead.imports.services import housekeeping

    done = housekeeping()
    housekeeping_schedule(later=True)
    return done


def _backend_defers() -> bool:
    return bool(getattr(import_housekeeping_task.get_backend(), "supports_defer", False))


def _pending() -> bool:
    """Whether a housekeeping task is already waiting in the database backend's queue."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend
        return False
    path = f"{import_housekeeping_task.module_path}"
    return DBTaskResult.objects.filter(task_path=path, status="READY").exists()


def housekeeping_schedule(*, later: bool = False) -> None:
    """Make sure housekeeping will run: now, or (`later`, from the task itself) in an hour. Never
    queues a second one while one waits. Scheduling problems are logged, never raised."""
    try:
        if not _backend_defers():
            if not later:  # an immediate backend: run it now (tests, `manage.py` without a worker)
                import_housekeeping_task.enqueue()
            return
        if _pending():
            return
        when = timezone.now() + HOUSEKEEPING_EVERY if later else None
        import_housekeeping_task.using(run_after=when).enqueue()
    except Exception:  # housekeeping must never break the import that triggered it
        logger.exception("Could not schedule import housekeeping")
