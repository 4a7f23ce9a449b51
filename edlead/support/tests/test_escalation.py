"""Escalation on the platform's schedule: a safety and crisis request nobody answers is escalated to
the school's principal supervisor after the district's `support.escalation_hours`, to the superintendent
after twice as many — each once, each on the request's timeline. The clock is passed in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from edlead import schedules
from edlead.access.tests.conftest import World
from edlead.config.services import setting_set
from edlead.notices.models import Notice
from edlead.support import services
from edlead.support.models import SupportEvent, SupportRequest
from edlead.support.tests.factories import make_request, make_responder

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def safety(world: World, hours_ago: float, **extra: Any) -> SupportRequest:
    return make_request(
        world.orgs["S1"],
        world.people["P1"],
        category="safety",
        priority="urgent",
        subject="A threat was reported at dismissal",
        routed_at=NOW - dt.timedelta(hours=hours_ago),
        **extra,
    )


def told(world: World, key: str) -> int:
    return Notice.objects.filter(person=world.people[key], kind=services.NOTICE_ESCALATED).count()


def test_the_supervisor_then_the_superintendent_are_told_once_each(world: World) -> None:
    req = safety(world, hours_ago=1)
    assert services.support_escalate(now=NOW) == 0
    assert services.support_escalate(now=NOW + dt.timedelta(hours=3, minutes=1)) == 1  # 4 h after routing
    assert (told(world, "SUP1"), told(world, "SUPT")) == (1, 0)
    assert services.support_escalate(now=NOW + dt.timedelta(hours=4)) == 0  # once
    assert services.support_escalate(now=NOW + dt.timedelta(hours=7, minutes=1)) == 1  # 8 h
    assert (told(world, "SUP1"), told(world, "SUPT")) == (1, 1)
    assert services.support_escalate(now=NOW + dt.timedelta(hours=20)) == 0
    req.refresh_from_db()
    assert req.escalation_level == 2 and req.status == "new"
    notes = list(SupportEvent.objects.filter(record=req, action="escalated").values_list("note", flat=True))
    assert notes == [
        "Not answered within 4 hours: the principal supervisor, Sam Supervisor-North, was told.",
        "Not answered within 8 hours: the superintendent, Dana Superintendent, was told.",
    ]


def test_a_request_found_late_escalates_both_steps_at_once(world: World) -> None:
    req = safety(world, hours_ago=9)
    assert services.support_escalate(now=NOW) == 2
    assert SupportEvent.objects.filter(record=req, action="escalated").count() == 2


def test_an_answered_or_ordinary_request_never_escalates(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    answered = safety(world, hours_ago=2)
    services.request_assign(actor=rae_user, req=answered, assignee=rae)
    services.request_answer(
        actor=rae_user, req=SupportRequest.objects.get(pk=answered.pk), answer="Police told"
    )
    make_request(
        world.orgs["S1"], world.people["P1"], priority="urgent", routed_at=NOW - dt.timedelta(hours=30)
    )
    assert services.support_escalate(now=NOW + dt.timedelta(days=1)) == 0
    assert not SupportEvent.objects.filter(action="escalated").exists()


def test_the_hours_are_the_districts_setting(world: World) -> None:
    setting_set(
        organization=world.orgs["A"],
        key=services.ESCALATION_HOURS,
        value="1",
        expected_version=0,
        actor=world.users["district_admin"],
    )
    safety(world, hours_ago=1.5)
    assert services.support_escalate(now=NOW) == 1
    assert told(world, "SUP1") == 1


def test_a_school_under_another_supervisor_by_override_tells_that_supervisor(world: World) -> None:
    from edlead.orgs.services import supervision_override_set

    supervision_override_set(
        school=world.orgs["S1"],
        supervisor=world.people["SUP2"],
        starts_on=dt.date(2020, 7, 1),
        reason="Caseload",
    )
    safety(world, hours_ago=5)
    services.support_escalate(now=NOW)
    assert (told(world, "SUP2"), told(world, "SUP1")) == (1, 0)


def test_the_job_runs_every_quarter_hour_on_the_schedule(world: World) -> None:
    job = schedules.get("support.escalation")
    assert job.cron == "*/15 * * * *"
    safety(world, hours_ago=5)
    result = job.task.call()
    assert result == "1 escalation notice sent"
