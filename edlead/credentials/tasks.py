"""Background work for credentials, run by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def licence_alerts_task() -> str:
    """Recurring (nightly): licences expiring within 180 / 90 / 30 days and renewals short of PDPs."""
    from edlead.credentials.alerts import licence_alerts_send

    sent = licence_alerts_send()
    return f"sent {sent} notice{'s' if sent != 1 else ''}"
