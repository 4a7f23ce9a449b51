"""Background work for evaluations, run by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def cycle_reminders_task() -> str:
    """Recurring (daily): remind educators and evaluators of steps due soon or overdue."""
    from edlead.evaluations.deadlines import cycle_reminders_send

    sent = cycle_reminders_send()
    return f"{sent} evaluation reminder{'s' if sent != 1 else ''} sent"
