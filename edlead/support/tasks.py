"""Background work for department support, run by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def support_escalation_task() -> str:
    """Recurring (every quarter hour): escalate unanswered safety and crisis requests."""
    from edlead.support.services import support_escalate

    sent = support_escalate()
    return f"{sent} escalation notice{'s' if sent != 1 else ''} sent"
