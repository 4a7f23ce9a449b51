"""Background work for schedules: running one fired job in the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def job_run_task(run_id: int) -> str:
    """Run the job recorded as JobRun `run_id`; returns its outcome."""
    from edlead.schedules.services import job_execute

    return job_execute(run_id=run_id).outcome


@task()
def job_runs_sweep_task() -> str:
    """Recurring: end the runs whose worker died mid-job (marked failed, with the reason)."""
    from edlead.schedules.services import job_runs_abandoned_fail

    return f"{job_runs_abandoned_fail()} abandoned run(s) marked failed"
