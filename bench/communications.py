"""Issue 13's newsletter benchmark: a "top three" issue to 60,000 subscribers, queued and sent by the worker,
≤ 60 s.

Neither seeded scale has 60,000 people in one newsletter's audience (the state scale's leaders are about
12,000), so the run makes the count real: it adds synthetic subscribers (people with a work e-mail and an
explicit subscription to the state's newsletter, `BENCH_NEWSLETTER_SUBSCRIBERS`, default 60,000 in all
with the state's current principals and assistant principals, the issue's audience) before timing, and
deletes them afterwards. The figure's name says how many people the issue went to.

`measure(scale, database_url)` runs in bench/run.py's process (Django set up on the seeded bench
database). Each run, timed as a whole:

1. `issue_publish` locks and publishes a fresh issue; on commit it queues `newsletter_send_task` in the
   database task queue (the real backend);
2. django-tasks' `db_worker --batch` (the worker's own loop, in this process) runs the send: deliveries and
   notices in batches of 2,000, each batch queueing the notices' e-mail task, which the same worker loop
   then runs — one e-mail per person through the locmem backend (every message built, nothing leaves the
   machine).

Afterwards the run's issue, deliveries, notices, task rows and the synthetic people are deleted.
Standalone: `DATABASE_URL=postgres://…/bench uv run --frozen python bench/communications.py [scale]`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

NEWSLETTER_BUDGET_MS = 60_000  # issue 13: a digest to 60,000 subscribers queued and sent by the worker ≤ 60 s
BENCH_LAST_NAME = "Bench-Subscriber"


def _runs() -> int:
    return max(1, int(os.environ.get("BENCH_NEWSLETTER_RUNS", "2")))


def _target() -> int:
    return max(1, int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", "60000")))


def measure(scale: str, database_url: str) -> tuple[list[dict[str, Any]], list[str]]:
    """`database_url` is the database Django is already connected to (kept for the harness's shape)."""
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from edlead.access.models import User
    from edlead.communications import services
    from edlead.communications.models import NewsletterIssue
    from edlead.notices.models import Notice
    from edlead.orgs.models import Organization

    state = Organization.objects.filter(kind=Organization.Kind.STATE).first()
    publisher = User.objects.filter(is_superuser=True, is_active=True).first()
    if state is None:
        return [], [f"newsletter ({scale}): no state organization; seed the database first"]
    if publisher is None:
        publisher = User.objects.create_superuser("bench-newsletter@bench.invalid", None)
    db_tasks = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = "django.core.mail.backends.locmem.EmailBackend"
    audiences = ["principals", "assistant_principals"]
    timings: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    recipients = 0
    with override_settings(EMAIL_BACKEND=email, TASKS=db_tasks):
        # Anything the seed or earlier measures queued goes out first, untimed.
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, interval=0.1)
        mail.outbox = []
        probe = services.issue_create(
            actor=publisher,
            organization=state,
            title="probe",
            intro="",
            audiences=audiences,
            items=[{"headline": "probe", "body": "probe"}],
        )
        added = _add_subscribers(state, _target() - len(services.recipients_ids(probe)))
        NewsletterIssue.objects.filter(pk=probe.pk).delete()
        try:
            for run in range(_runs()):
                issue = services.issue_create(
                    actor=publisher,
                    organization=state,
                    title=f"Top three: benchmark issue {run + 1}",
                    intro="Three things school leaders will find most useful this month.",
                    audiences=audiences,
                    items=[
                        {
                            "headline": "Updated evaluation guidance",
                            "body": "Examples of evidence for Standard II.",
                        },
                        {
                            "headline": "Fall leadership institute",
                            "body": "Three days on instructional coaching.",
                        },
                        {
                            "headline": "A principal's first ninety days",
                            "body": "Listening tours and quick wins.",
                        },
                    ],
                )
                mail.outbox = []
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    services.issue_publish(actor=publisher, issue=issue)
                    call_command(
                        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, interval=0.1
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                sent = len(mail.outbox)
                mail.outbox = []
                issue.refresh_from_db()
                recipients = issue.recipients
                told = Notice.objects.filter(once_key=f"newsletter:{issue.pk}").count()
                if sent != recipients or told != recipients or recipients < _target():
                    errors.append(
                        f"newsletter ({scale}): {recipients} recipients, {told} notices, {sent} e-mails "
                        f"(wanted {_target()})"
                    )
                Notice.objects.filter(once_key=f"newsletter:{issue.pk}").delete()
                NewsletterIssue.objects.filter(pk=issue.pk).delete()
                _forget_tasks()
                timings.append(elapsed)
                queries.append(len(captured))
                print(
                    f"  newsletter ({scale}): {recipients} recipients, {sent} e-mails in {elapsed / 1000:.1f} s"
                )
        finally:
            _remove_subscribers(state, added)
    figure = {
        "name": f"newsletter_send_{recipients}_subscribers",
        "scale": scale,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(max(timings), 1),  # a couple of runs: the slowest
        "queries": max(queries),
        "budget_ms": NEWSLETTER_BUDGET_MS,
    }
    return [figure], errors


def _add_subscribers(state: Any, count: int) -> int:
    """Synthetic people subscribed to the state's newsletter, each with a work e-mail."""
    from edlead.communications.models import Subscription
    from edlead.people.models import Person

    if count <= 0:
        return 0
    people = Person.objects.bulk_create(
        (
            Person(first_name=f"Reader{n}", last_name=BENCH_LAST_NAME, email=f"reader{n}@bench.invalid")
            for n in range(count)
        ),
        batch_size=5000,
    )
    Subscription.objects.bulk_create(
        (Subscription(person=p, organization=state, subscribed=True) for p in people), batch_size=5000
    )
    return count


def _remove_subscribers(state: Any, added: int) -> None:
    from edlead.communications.models import NewsletterDelivery, Subscription
    from edlead.notices.models import Notice
    from edlead.people.models import Person

    if not added:
        return
    synthetic = Person.objects.filter(last_name=BENCH_LAST_NAME, email__endswith="@bench.invalid")
    # Raw deletes of what points at them (the run's rows are already gone), then the people themselves.
    Notice.objects.filter(person__in=synthetic)._raw_delete(Notice.objects.db)  # type: ignore[attr-defined]
    NewsletterDelivery.objects.filter(person__in=synthetic)._raw_delete(NewsletterDelivery.objects.db)  # type: ignore[attr-defined]
    Subscription.objects.filter(organization=state, person__in=synthetic)._raw_delete(Subscription.objects.db)  # type: ignore[attr-defined]
    synthetic._raw_delete(Person.objects.db)  # type: ignore[attr-defined]


def _forget_tasks() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path__in=[
            "edlead.communications.tasks.newsletter_send_task",
            "edlead.notices.tasks.notices_send_task",
        ]
    ).delete()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench.notices import standalone

    sys.exit(standalone(measure))
