"""A scheduled job's notice in the browser: the header's unread count, the inbox, marking read (htmx)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import task

from edlead import notices, schedules
from edlead.notices.models import Notice
from edlead.people.models import Person, Position
from edlead.schedules import scheduler
from edlead.schedules.models import JobRun
from edlead.testing import make_district, make_person, make_position, make_school, make_user

JOB = "e2e.observation_reminders"
notices.register_kind("e2e.reminder", "Observation reminders", notices.IMMEDIATE)


@task()
def observation_reminders_task() -> int:
    from edlead.notices.services import notify

    for person in Person.objects.filter(positions__role=Position.Role.PRINCIPAL):
        notify(
            person=person,
            kind="e2e.reminder",
            subject="Two observations are due this week",
            body="Ms. Ortiz (grade 3) and Mr. Chen (grade 5) are waiting for their first observation.",
            link="/inbox/preferences/",
            once_key="observations:week-49",
        )
    return 1


@pytest.mark.browser
def test_principal_sees_the_scheduled_notice_and_marks_it_read(
    page: Any, live_server: Any, sign_in: Any, check_axe: Any, screenshot: Any
) -> None:
    district = make_district("Riverton Public Schools")
    principal = make_person("Pat", "Lincoln")
    make_position(principal, make_school(district, "Lincoln Elementary"), Position.Role.PRINCIPAL)
    user = make_user(person=principal, email="pat@riverton.example")
    schedules.register(JOB, cron="0 6 * * 1", task=observation_reminders_task, description="Weekly reminders")
    # The two firings below stand for one minute's (a firing is known by its minute): not at a minute's
    # very end, where a busy machine would put the second firing in the next minute (CI saw it happen).
    while timezone.now().second >= 45:
        time.sleep(0.5)
    try:
        fired = scheduler.build_scheduler(worker="e2e:1").get_job(JOB)
        fired.func(*fired.args)  # the scheduler's firing at 06:00 …
        fired.func(*fired.args)  # … and a second worker's, the same minute
    finally:
        schedules.unregister(JOB)
    assert JobRun.objects.filter(job=JOB, outcome=JobRun.Outcome.SUCCEEDED).count() == 1
    assert [m.to for m in mail.outbox] == [["pat@riverton.example"]]
    assert "[EdLead - Riverton Public Schools]" in mail.outbox[0].subject
    from edlead.notices.services import notify

    notify(person=principal, kind="e2e.reminder", subject="Your evaluator is Sam Supervisor")

    sign_in(page, live_server, user.email)
    inbox_link = page.locator("#inbox-link")
    assert re.sub(r"\s+", " ", inbox_link.text_content() or "").strip() == "Inbox 2 unread"
    inbox_link.click()
    page.get_by_role("heading", name="Inbox", level=1).wait_for()
    items = page.get_by_role("list", name="Notices, unread first").get_by_role("listitem")
    assert items.count() == 2
    check_axe(page)
    screenshot(page, "notices-inbox")
    mark_read = re.compile(r"^Mark read\s*:\s*Two observations are due this week$")
    page.get_by_role("button", name=mark_read).click()
    page.locator("#inbox-link", has_text=re.compile(r"Inbox\s+1\s+unread")).wait_for()  # refreshed by htmx
    assert page.get_by_role("button", name=mark_read).count() == 0
    assert Notice.objects.filter(person=principal, read_at__isnull=True).count() == 1
    check_axe(page)
    page.get_by_role("link", name="Two observations are due this week").click()
    page.get_by_role("heading", name="Notification preferences").wait_for()
    screenshot(page, "notices-preferences")
    check_axe(page)


@pytest.mark.browser
def test_administrator_sees_the_jobs_and_runs_one_now(
    page: Any, live_server: Any, sign_in: Any, check_axe: Any, screenshot: Any
) -> None:
    admin = make_user(email="root@example.org", is_superuser=True, is_staff=True)
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server.url}/jobs/")
    page.get_by_role("heading", name="notices.daily_digest").wait_for()
    assert page.get_by_text("Every day at 06:00").count() >= 1
    page.get_by_role("button", name=re.compile(r"^Run now\s*:\s*notices.daily_digest$")).click()
    page.get_by_text("“notices.daily_digest” is queued").wait_for()
    table = page.get_by_role("table", name="Last runs of notices.daily_digest, newest first")
    runs = table.inner_text()
    assert "Succeeded" in runs and "0 digest e-mails sent" in runs and "root@example.org (run now)" in runs
    check_axe(page)
    screenshot(page, "jobs")
