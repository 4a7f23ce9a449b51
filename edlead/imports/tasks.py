"""Background work for imports: large uploads are previewed and applied by the task worker
(`manage.py db_worker`), which updates the run's progress as it reads and validates."""

from __future__ import annotations

from django_tasks import task


@task()
def import_run_task(run_id: int, apply: bool) -> str:
    """Preview (apply=False) or apply (apply=True) a stored import run; returns its final status."""
    from edlead.imports.services import run_execute

    return run_execute(run_id=run_id, apply=apply).status
