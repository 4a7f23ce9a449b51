"""Coaching and mentoring in a real browser: the coordinator opens mentor matching, reads the proposal's
reasons and confirms it; the mentor logs a session with private notes; the new principal (the coachee)
reads them; the principal's supervisor sees the relationship's hours but not the notes — axe-clean on
every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, sign_in_as
from edlead.access.models import RoleGrant
from edlead.coaching.models import CoachingRelationship
from edlead.testing import (
    make_district,
    make_network,
    make_person,
    make_position,
    make_school,
    make_state,
    make_user,
)

pytestmark = pytest.mark.browser
NOTE = "Worried about the reading block; wants to listen first."


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).first.click()
    check_axe(page)


def test_matching_and_a_mentoring_session(page: Page, live_server: Any) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    north = make_network(district, "North Quadrant")
    today = dt.date.today()
    new_school = make_school(north, "Oak Elementary", code="99100010", grades="K,01,02,03,04,05")
    old_school = make_school(north, "Elm Elementary", code="99100020", grades="K,01,02,03,04,05")
    nia = make_person("Nia", "Newcomer")
    make_position(nia, new_school, "principal", starts_on=today - dt.timedelta(days=20))
    vic = make_person("Vic", "Veteran")
    make_position(vic, old_school, "principal", starts_on=dt.date(2015, 7, 1))
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, north, "principal_supervisor")
    make_user(email="nia@example.org", person=nia)
    make_user(email="vic@example.org", person=vic)
    make_user(email="sam@example.org", person=sam)
    make_user(email="cora@example.org", grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, district)])
    base = base_url(live_server)

    sign_in_as(page, live_server, "cora@example.org")
    page.goto(f"{base}/coaching/matching/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentor matching")
    expect(page.get_by_text("Both lead elementary schools")).to_be_visible()
    check_axe(page)
    _submit(page, "Confirm")
    rel = CoachingRelationship.objects.get(coachee=nia)
    assert rel.coach == vic
    expect(page.get_by_text("Every new principal has a mentor.")).to_be_visible()

    sign_in_as(page, live_server, "vic@example.org")
    page.goto(f"{base}/coaching/")
    check_axe(page)
    page.get_by_role("link", name="Nia Newcomer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mentor for a new principal")
    check_axe(page)
    page.get_by_label("Length in minutes").fill("90")
    page.get_by_label("Focus").fill("Opening of school: arrival and dismissal")
    page.get_by_label("Private notes").fill(NOTE)
    _submit(page, "Log the session")
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.get_by_text("1.5 of 50 hours")).to_be_visible()

    sign_in_as(page, live_server, "nia@example.org")
    page.goto(f"{base}{rel.get_absolute_url()}")
    expect(page.get_by_text(NOTE)).to_be_visible()
    check_axe(page)

    sign_in_as(page, live_server, "sam@example.org")
    page.goto(f"{base}{rel.get_absolute_url()}")
    expect(page.get_by_text("1.5 hours in 1 session")).to_be_visible()
    assert NOTE not in page.content()
    check_axe(page)
