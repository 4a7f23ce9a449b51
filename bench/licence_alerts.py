"""Issue 10's alert benchmark: `send_licence_alerts` over every licence of the scale, ≤ 30 s.

At `state` scale that is about 14,900 licences of 12,000 leaders (with 238,000 PDP activities): the run
finds the licences expiring within 180 / 90 / 30 days and the renewals short of PDPs, and tells each
person with an account and their district's HR. Each run is timed as a whole, the way the nightly job
runs it (`licence_alerts_send`), then run again the same day, which must send nothing (each notice once).

`measure(scale, database_url)` runs in bench/run.py's process (Django set up on the seeded bench
database). The e-mails are queued in the database task queue and the run's notices and tasks are deleted
afterwards, so the database is left as it was.
Standalone: `DATABASE_URL=postgres://…/bench uv run --frozen python bench/licence_alerts.py [scale]`.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

ALERTS_BUDGET_MS = 30_000  # issue 10: the alert run over every licence ≤ 30 s


def measure(scale: str, database_url: str) -> tuple[list[dict[str, Any]], list[str]]:
    """`database_url` is the database Django is already connected to (kept for the harness's shape)."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.notices import _forget_tasks
    from edlead.credentials.alerts import licence_alerts_send
    from edlead.credentials.models import Licence
    from edlead.credentials.services import NOTICE_HR, NOTICE_LICENCE
    from edlead.notices.models import Notice

    licences = Licence.objects.current().count()
    if not licences:
        return [], [f"licence_alerts ({scale}): no licences in the database; seed it first"]
    before = Notice.objects.aggregate(last=Max("pk"))["last"] or 0
    db_tasks = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    errors: list[str] = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", TASKS=db_tasks):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            sent = licence_alerts_send()
            elapsed = (time.perf_counter() - started) * 1000
        again_started = time.perf_counter()
        again = licence_alerts_send()
        again_ms = (time.perf_counter() - again_started) * 1000
    Notice.objects.filter(pk__gt=before, kind__in=[NOTICE_LICENCE, NOTICE_HR]).delete()
    _forget_tasks()  # the run's e-mails, queued
    print(
        f"  licence_alerts ({scale}): {licences} licences, {sent} notices in {elapsed / 1000:.1f} s; "
        f"the same day again: {again} in {again_ms / 1000:.1f} s"
    )
    if again:
        errors.append(
            f"licence_alerts ({scale}): a second run the same day sent {again} notices (expected 0)"
        )
    figure = {
        "name": "licence_alerts",
        "scale": scale,
        "median_ms": round(elapsed, 1),
        "p95_ms": round(max(elapsed, again_ms), 1),  # one run and its repeat: the slower
        "queries": len(captured),
        "budget_ms": ALERTS_BUDGET_MS,
    }
    return [figure], errors


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench.notices import standalone

    sys.exit(standalone(measure))
