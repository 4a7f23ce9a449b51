"""Issue 8's notification benchmark: a notice to every leader, created and e-mailed by the worker, ≤ 30 s.

"Leaders" are the state scale's ~12,000 (11,982 on the seeded database): everyone who holds or held a
leader position (assistant principal up to superintendent), as `seed_demo` counts them; about 6,000 of
them hold one today. Every one of them has a work e-mail address, so every notice is e-mailed.

`measure(scale, database_url)` runs in bench/run.py's process (Django set up on the seeded bench
database). Each run, timed as a whole:

1. `notify_many` creates one notice per leader (one transaction, bulk insert, a fresh `once_key`);
   on commit it queues the e-mail task in the database task queue (the real backend);
2. django-tasks' `db_worker --batch` (the worker's own loop, in this process) takes the task and sends
   one e-mail per notice through the locmem backend (every message built, nothing leaves the machine).

Afterwards the run's notices and task rows are deleted, so the database is left as it was.
Standalone: `DATABASE_URL=postgres://…/bench uv run --frozen python bench/notices.py [scale]`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from typing import Any

NOTIFY_BUDGET_MS = 30_000  # issue 8: a notification to all 12,000 leaders created and e-mailed ≤ 30 s
KIND = "bench.all_leaders"


def _runs() -> int:
    return max(1, int(os.environ.get("BENCH_NOTICE_RUNS", "3")))


def measure(scale: str, database_url: str) -> tuple[list[dict[str, Any]], list[str]]:
    """`database_url` is the database Django is already connected to (kept for the harness's shape)."""
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from edlead import notices
    from edlead.notices.models import Notice
    from edlead.notices.services import notify_many
    from edlead.people.models import Person, Position

    notices.register_kind(KIND, "Benchmark: a notice to every leader", notices.IMMEDIATE)
    leader_ids = Position.objects.leaders().values("person_id")
    leaders = list(Person.objects.filter(pk__in=leader_ids).only("pk"))
    if not leaders:
        return [], [f"notify_all_leaders ({scale}): no leaders in the database; seed it first"]
    timings: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    db_tasks = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = "django.core.mail.backends.locmem.EmailBackend"
    # E-mails the seed queued (its demo notices: plans sent for approval…) go out first, untimed: the
    # timed worker run then sends this run's e-mails only.
    with override_settings(EMAIL_BACKEND=email, TASKS=db_tasks):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, interval=0.1)
        mail.outbox = []
    for _ in range(_runs()):
        once_key = f"bench:{uuid.uuid4().hex}"
        with override_settings(EMAIL_BACKEND=email, TASKS=db_tasks):
            mail.outbox = []
            connection.queries_log.clear()  # a full log (9,000) would make the count read 0
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                created = notify_many(
                    people=leaders,
                    kind=KIND,
                    subject="District leadership meeting moved to Thursday",
                    body="The monthly meeting is on Thursday at 4 pm in the central office.",
                    link="/",
                    once_key=once_key,
                )
                call_command(
                    "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, interval=0.1
                )
                elapsed = (time.perf_counter() - started) * 1000
            sent = len(mail.outbox)
            mail.outbox = []
        emailed = Notice.objects.filter(once_key=once_key, emailed_at__isnull=False).count()
        Notice.objects.filter(once_key=once_key).delete()
        _forget_tasks()
        if created != len(leaders) or sent != emailed or sent == 0:
            errors.append(
                f"notify_all_leaders ({scale}): {len(leaders)} leaders, {created} notices, "
                f"{emailed} marked e-mailed, {sent} e-mails sent"
            )
        timings.append(elapsed)
        queries.append(len(captured))
        print(f"  notify_all_leaders ({scale}): {created} notices, {sent} e-mails in {elapsed / 1000:.1f} s")
    figure = {
        "name": "notify_all_leaders",
        "scale": scale,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(max(timings), 1),  # at most a handful of runs: the slowest
        "queries": max(queries),
        "budget_ms": NOTIFY_BUDGET_MS,
    }
    return [figure], errors


def _forget_tasks() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path="edlead.notices.tasks.notices_send_task").delete()


def standalone(measure_fn: Any) -> int:
    """Run one of these measures on its own against DATABASE_URL (the scale is the first argument)."""
    import json

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    django.setup()
    figures, problems = measure_fn(
        sys.argv[1] if len(sys.argv) > 1 else "state", os.environ.get("DATABASE_URL", "")
    )
    print(json.dumps({"figures": figures, "errors": problems}, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(standalone(measure))
