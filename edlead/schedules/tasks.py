"""Background work for schedules: running one fired job in the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def job_run_task(run_id: int) -> str:
    """Run the job recorded as JobRun `run_id`; returns its outcome."""
    from edlead.schedules.services import job_execute

    return job_execute(run_id=run_id).outcome
