"""Teacher leadership in a real browser: a principal opens their school's distributed-leadership guide,
rates the six dimensions and adds an action with an owner from the staff; a council decision is logged;
the state cabinet's annual report is opened; a teacher leader's record shows their role — axe-clean on
every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, sign_in_as
from edlead.access.models import RoleGrant
from edlead.teacherleaders import dimensions, services, services_bodies
from edlead.testing import make_district, make_person, make_position, make_school, make_state, make_user

pytestmark = pytest.mark.browser


def _go(page: Page, url: str) -> None:
    page.goto(url)
    check_axe(page)


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    check_axe(page)


def test_guide_council_and_cabinet_report(page: Page, live_server: Any) -> None:
    state = make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    school = make_school(district, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    terry = make_person("Terry", "Teacherton")
    make_position(terry, school, "teacher")
    principal = make_user(pat, email="pat@example.org")
    sam = make_person("Sam", "Stateadmin")
    admin = make_user(sam, email="sam@example.org", grants=[(RoleGrant.Role.STATE_ADMIN, state)])
    council = services_bodies.body_create(
        actor=principal, organization=school, kind="council", name="Oak council", convener=pat
    )
    cab = services_bodies.body_create(
        actor=admin, organization=state, kind="teacher_cabinet", name="Teacher Advisory Cabinet", convener=sam
    )
    services_bodies.member_seat(
        actor=admin, body=cab, person=terry, role="chair", starts_on=dt.date.today(), district=district
    )
    mentor = services.role_save(
        actor=None,
        district=district,
        name="Mentor teacher",
        kind="mentor_teacher",
        responsibilities="Mentors.",
    )
    services.assignment_start(actor=None, role=mentor, person=terry, organization=school)
    root = base_url(live_server)

    sign_in_as(page, live_server, principal.email)
    _go(page, f"{root}/teacher-leaders/distributed-leadership/")
    _submit(page, "Start the guide")
    for d in dimensions.DIMENSIONS:
        page.locator(f"label[for=rate-{d.key}-3]").click()
    _submit(page, "Save my ratings")
    expect(page.locator("#progress-table")).to_contain_text("3.0")
    page.get_by_label("Dimension").select_option("roles")
    page.locator("#id_action").fill("Write role descriptions for team leaders")
    page.get_by_label("Owner").select_option(label="Terry Teacherton")
    page.get_by_label("Due").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    _submit(page, "Add the action")
    expect(page.get_by_role("rowheader", name="Write role descriptions for team leaders")).to_be_visible()

    _go(page, f"{root}{council.get_absolute_url()}")
    page.locator("#id_decision").fill("Common planning on Wednesdays")
    page.get_by_label("Rationale").fill("Fewer conflicts")
    _submit(page, "Log the decision")
    expect(page.get_by_role("rowheader", name="Common planning on Wednesdays")).to_be_visible()

    sign_in_as(page, live_server, admin.email)
    _go(page, f"{root}/teacher-leaders/bodies/")
    _go(page, f"{root}{cab.get_absolute_url()}")
    with page.expect_navigation():
        page.get_by_role("link", name="Annual report").click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("annual report")
    _go(page, f"{root}/teacher-leaders/")

    # Terry's record page loads the teacher-leader part (htmx) with the role and its term.
    page.goto(f"{root}{terry.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Teacher-leader roles")).to_be_visible()
    expect(page.locator("#person-teacher-leader")).to_contain_text("Mentor teacher")
    check_axe(page)
