"""Recurring jobs: the registry, firing once per scheduled time, the worker running the job, the real
scheduler thread, the jobs page and "Run now"."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from edlead import notices, schedules
from edlead.access.models import RoleGrant
from edlead.core.models import AuditEvent
from edlead.notices.models import Notice
from edlead.people.models import Person, Position
from edlead.schedules import cron, scheduler, services
from edlead.schedules.models import JobRun, WorkerHeartbeat
from edlead.testing import make_district, make_person, make_position, make_school, make_user

JOB = "tests.nightly_reminder"
FAILING = "tests.failing"
notices.register_kind("tests.nightly", "Nightly test reminder", notices.IMMEDIATE)


@task()
def nightly_reminder_task() -> str:
    """Tells every principal once a day (the once_key holds the day)."""
    from edlead.notices.services import notify

    today = timezone.localdate().isoformat()
    told = 0
    for person in Person.objects.filter(positions__role=Position.Role.PRINCIPAL).distinct():
        notify(
            person=person,
            kind="tests.nightly",
            subject="Two observations are due this week",
            link="/",
            once_key=f"nightly:{today}",
        )
        told += 1
    return f"told {told}"


@task()
def failing_task() -> None:
    raise RuntimeError("the data source is down")


@pytest.fixture
def registered() -> Iterator[None]:
    schedules.register(JOB, cron="0 6 * * *", task=nightly_reminder_task, description="Test reminder")
    schedules.register(FAILING, cron="30 2 * * 1", task=failing_task)
    yield
    schedules.unregister(JOB)
    schedules.unregister(FAILING)


@pytest.fixture
def principal(db: Any) -> Person:
    district = make_district("Riverton Public Schools")
    person = make_person("Pat", "Lincoln")
    make_position(person, make_school(district, "Lincoln Elementary"), Position.Role.PRINCIPAL)
    make_user(person=person, email="pat@riverton.example", password=None)
    return person


def _same_minute() -> None:
    """Two firings in a row must fall in the same minute: wait out the last two seconds of one."""
    if timezone.now().second >= 58:
        time.sleep(3)


def test_register_refuses_a_bad_cron_line_and_a_plain_function() -> None:
    with pytest.raises(ValueError):
        schedules.register("tests.bad", cron="61 25 * * *", task=nightly_reminder_task)
    with pytest.raises(TypeError):
        schedules.register("tests.bad", cron="0 6 * * *", task=lambda: None)
    with pytest.raises(LookupError):
        schedules.get("tests.bad")


def test_the_first_jobs_are_registered_by_their_apps() -> None:
    names = {job.name for job in schedules.jobs()}
    assert {"notices.daily_digest", "imports.housekeeping"} <= names
    assert schedules.get("notices.daily_digest").cron == "0 6 * * *"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("0 6 * * *", "Every day at 06:00"),
        ("15 * * * *", "Every hour at 15 minutes past"),
        ("*/10 * * * *", "Every 10 minutes"),
        ("30 7 * * 1", "Every Monday at 07:30"),
        ("0 5 * * 1-5", "Every weekday (Monday to Friday) at 05:00"),
        ("0 3 1 * *", "On the 1st of every month at 03:00"),
        ("0 3 1 7 *", "cron “0 3 1 7 *”"),
    ],
)
def test_cron_in_words(line: str, words: str) -> None:
    assert cron.describe(line) == words


def test_a_job_fired_by_the_scheduler_runs_once_and_its_notice_arrives_once(
    registered: None, principal: Person, django_capture_on_commit_callbacks: Any
) -> None:
    built = scheduler.build_scheduler(worker="test:1")
    fired = built.get_job(JOB)
    assert fired is not None and str(fired.trigger) == str(schedules.get(JOB).trigger(built.timezone))
    _same_minute()
    with django_capture_on_commit_callbacks(execute=True):
        fired.func(*fired.args)  # what APScheduler calls at 06:00
        fired.func(*fired.args)  # a second scheduler (another worker) firing the same minute
    run = JobRun.objects.get(job=JOB)
    assert run.outcome == JobRun.Outcome.SUCCEEDED and run.message == "told 1"
    assert run.started is not None and run.finished is not None and run.triggered_by is None
    assert Notice.objects.filter(person=principal, kind="tests.nightly").count() == 1
    assert [m.to for m in mail.outbox] == [["pat@riverton.example"]]
    assert "EdLead - Riverton Public Schools" in mail.outbox[0].subject


def test_a_notification_job_run_twice_in_a_day_sends_nothing_twice(
    registered: None, principal: Person, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.job_fire(name=JOB, scheduled_for=now.replace(hour=6, minute=0, second=0, microsecond=0))
        services.job_run_now(name=JOB, actor=None)
    assert JobRun.objects.filter(job=JOB, outcome=JobRun.Outcome.SUCCEEDED).count() == 2
    assert Notice.objects.filter(person=principal).count() == 1
    assert len(mail.outbox) == 1


def test_a_failing_job_is_recorded_with_its_error(
    registered: None, db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.job_fire(name=FAILING)
    run = JobRun.objects.get(job=FAILING)
    assert run.outcome == JobRun.Outcome.FAILED
    assert run.message == "RuntimeError: the data source is down"
    assert run.finished is not None


def test_a_run_delivered_twice_runs_the_job_once(registered: None, principal: Person) -> None:
    run = services.job_fire(name=JOB)
    assert run is not None
    services.job_execute(run_id=run.pk)
    first = JobRun.objects.get(pk=run.pk).finished
    services.job_execute(run_id=run.pk)
    assert JobRun.objects.get(pk=run.pk).finished == first


def test_firing_an_unknown_job_is_refused(db: Any) -> None:
    with pytest.raises(LookupError):
        services.job_fire(name="nobody.declared.this")
    assert not JobRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_real_scheduler_thread_fires_a_due_job(registered: None, principal: Person) -> None:
    built = scheduler.build_scheduler(worker="test:thread")
    fired = threading.Event()

    # Wait on the scheduler's own event, not by polling the database the scheduler thread is writing.
    beat = threading.Event()

    def ran(event: Any) -> None:
        if event.job_id == JOB:
            fired.set()
        elif event.job_id == scheduler.HEARTBEAT_JOB:
            beat.set()

    built.add_listener(ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    built.start()
    try:
        # The heartbeat runs first; the test's in-memory SQLite refuses two writing threads at once
        # (a file database, as in production, makes the second wait).
        assert beat.wait(15), "no heartbeat within 15 s"
        _same_minute()
        built.modify_job(JOB, next_run_time=timezone.now())  # it is 06:00 now
        assert fired.wait(15), "the scheduler did not run the job within 15 s"
    finally:
        built.shutdown(wait=True)
    run = JobRun.objects.get(job=JOB)
    assert run.outcome == JobRun.Outcome.SUCCEEDED
    assert Notice.objects.filter(person=principal).count() == 1
    assert len(mail.outbox) == 1
    assert WorkerHeartbeat.objects.filter(worker="test:thread").exists()


# --- the jobs page -------------------------------------------------------------------------------------
@pytest.fixture
def admin_client(db: Any) -> tuple[Client, Any]:
    district = make_district("Riverton Public Schools")
    admin = make_user(
        email="admin@riverton.example", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)], password=None
    )
    client = Client()
    client.force_login(admin)
    return client, admin


def test_administrators_see_each_job_its_schedule_and_last_runs(
    registered: None, admin_client: tuple[Client, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client, _ = admin_client
    with django_capture_on_commit_callbacks(execute=True):
        services.job_fire(name=FAILING)
    page = client.get(reverse("schedules:job-list")).content.decode()
    assert "notices.daily_digest" in page and "imports.housekeeping" in page
    assert "Every day at 06:00" in page and "Every Monday at 02:30" in page
    assert "Failed" in page and "RuntimeError: the data source is down" in page
    assert "Next run" in page


def test_run_now_is_for_administrators_and_audited(
    registered: None,
    admin_client: tuple[Client, Any],
    principal: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client, admin = admin_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schedules:job-run", args=[JOB]))
    assert response.status_code == 302
    run = JobRun.objects.get(job=JOB)
    assert run.triggered_by == admin and run.outcome == JobRun.Outcome.SUCCEEDED
    event = AuditEvent.objects.get(action="job_run_now")
    assert event.actor == admin and event.detail["job"] == JOB
    district = RoleGrant.objects.get(user=admin).organization
    assert f"|{district.path}|" in event.scope  # in the administrator's district's audit log
    assert client.post(reverse("schedules:job-run", args=["no.such.job"])).status_code == 404


def test_others_may_not_see_jobs_or_run_them(registered: None, principal: Person) -> None:
    client = Client()
    client.force_login(principal.user)
    assert client.get(reverse("schedules:job-list")).status_code == 403
    assert client.post(reverse("schedules:job-run", args=[JOB])).status_code == 403
    assert not JobRun.objects.exists()
    assert Client().get(reverse("schedules:job-list")).status_code == 302  # sign in first


def test_a_run_whose_worker_died_is_marked_failed_by_the_sweep(db: Any, settings: Any) -> None:
    """A worker killed mid-job leaves its run "running"; the recurring sweep ends it as failed with the
    reason, after EDLEAD_JOB_STALE_MINUTES, and leaves a run still within that time alone."""
    import datetime as dt

    from edlead.schedules.tasks import job_runs_sweep_task

    settings.EDLEAD_JOB_STALE_MINUTES = 60
    now = timezone.now()
    dead = JobRun.objects.create(
        job="notices.daily_digest",
        scheduled_for=now - dt.timedelta(hours=3),
        started=now - dt.timedelta(hours=3),
        outcome=JobRun.Outcome.RUNNING,
    )
    busy = JobRun.objects.create(
        job="imports.housekeeping",
        scheduled_for=now - dt.timedelta(minutes=5),
        started=now - dt.timedelta(minutes=5),
        outcome=JobRun.Outcome.RUNNING,
    )
    assert "schedules.abandoned_runs" in {job.name for job in schedules.jobs()}
    assert job_runs_sweep_task.call() == "1 abandoned run(s) marked failed"
    dead.refresh_from_db()
    busy.refresh_from_db()
    assert dead.outcome == JobRun.Outcome.FAILED and dead.finished is not None
    assert "worker stopped" in dead.message and "60 minutes" in dead.message
    assert busy.outcome == JobRun.Outcome.RUNNING
    assert job_runs_sweep_task.call() == "0 abandoned run(s) marked failed"
