"""Background work for communications, run by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def newsletter_send_task(issue_id: int) -> str:
    """Send a published newsletter issue to its recipients, in batches; a second run sends nobody twice."""
    from edlead.communications.services import issue_send

    sent = issue_send(issue_id=issue_id)
    return f"{sent} recipient{'s' if sent != 1 else ''} sent issue {issue_id}"
