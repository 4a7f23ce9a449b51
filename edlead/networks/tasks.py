"""Background work for principal networks, run by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def network_reports_task() -> str:
    """Recurring (the 1st of each month): last month's report of every network (and on 1 July, last school
    year's annual report)."""
    from edlead.networks.reports import reports_generate_due

    made = reports_generate_due()
    return f"generated {made} report{'s' if made != 1 else ''}"
