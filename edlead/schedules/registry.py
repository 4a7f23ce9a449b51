"""Recurring jobs, declared by each app from its AppConfig.ready():

    from edlead import schedules
    from edlead.myapp.tasks import nightly_reminders_task

    schedules.register("myapp.nightly_reminders", cron="0 6 * * *", task=nightly_reminders_task,
                       description="Reminds evaluators of observations due this week.")

The worker (`manage.py run_worker`) fires each job on its cron schedule through APScheduler's
CronTrigger and runs its django-tasks task; no model is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger


@dataclass(frozen=True)
class Job:
    name: str
    cron: str
    task: Any  # a django_tasks Task taking no arguments
    description: str

    def trigger(self, timezone: Any) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=timezone)


_JOBS: dict[str, Job] = {}


def register(name: str, *, cron: str, task: Any, description: str = "") -> Job:
    """Declare a recurring job. `cron` is a five-field crontab line (minute hour day month weekday),
    read in EDLEAD_SCHEDULE_TIME_ZONE; `task` is a `@django_tasks.task()` function that takes no
    arguments. Registering the same name again replaces it."""
    if not name or len(name) > 100:
        raise ValueError(f"A job name is 1-100 characters: {name!r}")
    if not callable(getattr(task, "call", None)) or not hasattr(task, "enqueue"):
        raise TypeError(f"Job {name!r}: task must be a django-tasks task (decorated with @task())")
    CronTrigger.from_crontab(cron)  # raises ValueError for a malformed line, at start-up
    job = Job(name=name, cron=cron, task=task, description=description)
    _JOBS[name] = job
    return job


def unregister(name: str) -> None:
    _JOBS.pop(name, None)


def get(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"No job named {name!r} is registered") from None


def jobs() -> list[Job]:
    """Every registered job, by name."""
    return sorted(_JOBS.values(), key=lambda j: j.name)
