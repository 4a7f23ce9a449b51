"""Background work for notices, run by the worker: immediate e-mails and the daily digest."""

from __future__ import annotations

from django_tasks import task


@task()
def notices_send_task(notice_ids: list[int] | None = None) -> int:
    """E-mail unsent immediate notices (the named ones, or every one waiting); returns how many."""
    from edlead.notices.services import immediate_send

    return immediate_send(notice_ids=notice_ids)


@task()
def notices_digest_task() -> str:
    """Send each person one e-mail with their unsent digest notices; says how many (the job's message)."""
    from edlead.notices.services import digest_send

    sent = digest_send()
    return f"{sent} digest e-mail{'s' if sent != 1 else ''} sent"
