"""Principal network meetings in a real browser: the North supervisor schedules a meeting, builds its agenda
and records attendance; the principal reads the meeting, its agenda and their own attendance; a principal of
another network gets 404 — axe-clean on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, sign_in_as
from edlead.networks.models import Attendance, Meeting
from edlead.notices.models import Notice
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


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    check_axe(page)


def test_a_network_meeting_planned_recorded_and_read(page: Page, live_server: Any) -> None:
    make_state()
    district = make_district("Riverton Public Schools", code="99100000")
    north = make_network(district, "North Quadrant")
    south = make_network(district, "South Quadrant")
    pat, lee = make_person("Pat", "Principalson"), make_person("Lee", "Leaderman")
    make_position(pat, make_school(north, "Oak Elementary", code="99100010"), "principal")
    make_position(lee, make_school(north, "Elm Middle", code="99100020"), "principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, north, "principal_supervisor")
    south_principal = make_person("Sky", "Southerly")
    make_position(south_principal, make_school(south, "Pine High", code="99100030"), "principal")
    for email, person in (
        ("pat@example.org", pat),
        ("sam@example.org", sam),
        ("sky@example.org", south_principal),
    ):
        make_user(email=email, person=person)
    base = base_url(live_server)
    today = dt.date.today()

    sign_in_as(page, live_server, "sam@example.org")
    page.goto(f"{base}/networks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Principal networks")
    check_axe(page)
    page.get_by_role("link", name="North Quadrant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North Quadrant principal network")
    check_axe(page)
    page.get_by_label("Title").fill("Instructional rounds debrief")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Start time").fill("08:30")
    page.get_by_label("Place").fill("Oak Elementary library")
    _submit(page, "Schedule the meeting")
    expect(page.get_by_role("heading", level=1)).to_have_text("Instructional rounds debrief")
    meeting_url = page.url
    assert Notice.objects.filter(person=pat, link=Meeting.objects.get().get_absolute_url()).exists()
    page.get_by_label("Item").fill("Welcome and connector")
    page.get_by_label("Time").fill("08:30")
    page.get_by_label("Minutes").fill("15")
    _submit(page, "Add the item")
    page.get_by_label("Item").fill("Consultancy: common planning time")
    page.get_by_label("Time").fill("08:45")
    page.locator("#id_lead").select_option(label="Pat Principalson")
    _submit(page, "Add the item")
    expect(page.get_by_role("rowheader", name="Consultancy: common planning time")).to_be_visible()
    page.get_by_role("group", name="Pat Principalson").locator("label", has_text="Present").click()
    page.get_by_role("group", name="Lee Leaderman").locator("label", has_text="Excused").click()
    _submit(page, "Record attendance")
    expect(page.locator(".edlead-messages")).to_contain_text("Attendance is recorded")
    assert dict(Attendance.objects.values_list("person_id", "status")) == {
        pat.pk: "present",
        lee.pk: "excused",
    }

    sign_in_as(page, live_server, "pat@example.org")
    page.goto(f"{base}/networks/")
    page.get_by_role("link", name="North Quadrant").click()
    check_axe(page)
    expect(page.get_by_role("row", name="Pat Principalson")).to_contain_text("100%")
    page.get_by_role("link", name="Instructional rounds debrief").click()
    check_axe(page)
    expect(page.get_by_role("rowheader", name="Consultancy: common planning time")).to_be_visible()
    expect(page.get_by_role("row", name="Pat Principalson Present")).to_be_visible()
    expect(page.get_by_text("Lee Leaderman", exact=True)).to_have_count(0)  # others' attendance is theirs
    expect(page.get_by_role("button", name="Add the item")).to_have_count(0)

    sign_in_as(page, live_server, "sky@example.org")
    response = page.goto(meeting_url)
    assert response is not None and response.status == 404
