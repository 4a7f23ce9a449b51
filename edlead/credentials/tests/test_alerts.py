"""Licence alerts: the 180 / 90 / 30-day windows and renewals short of PDPs, to the person and their
district's HR, once; people without an account reach HR's work queue only."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from edlead import schedules
from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.credentials import alerts
from edlead.credentials.tasks import licence_alerts_task
from edlead.credentials.tests.factories import make_licence
from edlead.notices.models import Notice
from edlead.testing import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _expiring(person: Any, days: int, **extra: Any) -> Any:
    expires = TODAY + dt.timedelta(days=days)
    return make_licence(person, issued_on=expires - dt.timedelta(days=5 * 365), expires_on=expires, **extra)


@pytest.fixture
def hr_person(world: World) -> Any:
    person = make_person("Harper", "Resources")
    make_user(person=person, grants=[(RoleGrant.Role.HR, world.orgs["A"])], password=None)
    return person


def test_windows() -> None:
    assert [
        alerts.window_of(TODAY + dt.timedelta(days=d), TODAY) for d in (0, 30, 31, 90, 91, 180, 181, -1)
    ] == [
        30,
        30,
        90,
        90,
        180,
        180,
        None,
        None,
    ]


def test_alerts_go_to_the_person_and_hr_once(world: World, hr_person: Any) -> None:
    p1 = _expiring(world.people["P1"], 20)
    _expiring(world.people["AP1"], 80)
    _expiring(world.people["SUPT"], 170, code="superintendent")
    # Far from due but behind pace on PDPs: a renewal short of PDPs.
    _expiring(world.people["TEA1"], 400)
    _expiring(world.people["P3"], 60)  # no account: HR's queue only
    _expiring(world.people["PT1"], 500, code="superintendent")  # another district, on pace? no PDPs: short
    far = make_licence(world.people["SUP1"], issued_on=TODAY - dt.timedelta(days=30))  # fresh, on pace
    assert far.expires_on and (far.expires_on - TODAY).days > 180
    out = StringIO()
    call_command("send_licence_alerts", stdout=out)
    lines = out.getvalue().strip().splitlines()
    # P1, AP1, SUPT, TEA1 each and HR for each (Beta's principal PT1 has no account).
    assert lines[-1] == "sent 8 notices"
    mine = Notice.objects.get(person=world.people["P1"])
    assert mine.kind == "credentials.licence_due" and mine.once_key == f"licence-expiry:{p1.pk}:30"
    assert "expires in 20 days" in mine.subject and "150 PDPs" in mine.body
    assert mine.link == "/credentials/"
    hr_notices = Notice.objects.filter(person=hr_person)
    assert hr_notices.count() == 4 and {n.kind for n in hr_notices} == {"credentials.hr_licence_due"}
    assert {n.once_key.split(":")[0] for n in hr_notices} == {"licence-expiry", "licence-pdps"}
    assert not Notice.objects.filter(person=world.people["P3"]).exists()
    assert not Notice.objects.filter(person=world.people["SUP1"]).exists()
    # A second run the same day sends none; nor does the nightly task.
    out = StringIO()
    call_command("send_licence_alerts", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "sent 0 notices"
    assert licence_alerts_task.call() == "sent 0 notices"
    assert Notice.objects.count() == 8
    # The next window is a new notice.
    call_command("send_licence_alerts", date=(TODAY + dt.timedelta(days=60)).isoformat(), stdout=StringIO())
    assert Notice.objects.filter(person=world.people["AP1"], once_key__endswith=":30").exists()


def test_people_without_an_account_reach_hrs_queue(world: World, hr_person: Any) -> None:
    _expiring(world.people["P3"], 60)
    _expiring(world.people["P1"], 60)  # has an account: notified, not queued
    hr_user = hr_person.user
    items = alerts.hr_queue_items(hr_user, TODAY)
    assert [i.title for i in items] == [
        f"{world.people['P3'].display_name}: Principal/Assistant Principal licence expires"
    ]
    assert items[0].due == TODAY + dt.timedelta(days=60) and "No account" in items[0].detail
    # Other district's HR sees none of it; a non-HR user costs no query.
    beta_hr = make_user(grants=[(RoleGrant.Role.HR, world.orgs["B"])], password=None)
    assert alerts.hr_queue_items(beta_hr, TODAY) == []
    assert alerts.hr_queue_items(world.users["school_leader"], TODAY) == []


def test_the_nightly_job_is_registered() -> None:
    job = schedules.get("credentials.licence_alerts")
    assert job.task is licence_alerts_task and job.cron == "30 5 * * *"
