"""The leadership pipeline in a real browser: an aspiring leader (a teacher in a practicum) logs hours from
her pathway page; her mentor principal finds them in the work queue and signs them; she applies to an open
principal posting (meeting only some requirements: flagged) and HR finds her on the applicants list with
her eligibility, linked from the hiring slate; a district administrator reads the succession view with the
school that has nobody named — axe-clean on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import RoleGrant
from edlead.credentials.models import Posting
from edlead.people.models import Position
from edlead.pipeline import services
from edlead.pipeline.models import Application, HoursEntry, PrepProgram, SuccessionCandidate
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


def test_hours_signed_an_application_on_the_slate_and_the_succession_view(
    page: Page, live_server: Any
) -> None:
    today = dt.date.today()
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    north = make_network(district, "North Quadrant")
    oak = make_school(north, "Oak Elementary", code="99100010", grades="K,01,02,03,04,05")
    elm = make_school(north, "Elm Elementary", code="99100020", grades="K,01,02,03,04,05")
    mira = make_person("Mira", "Teachwell")
    make_position(mira, oak, Position.Role.TEACHER)
    pat = make_person("Pat", "Principalson")
    make_position(pat, oak, Position.Role.PRINCIPAL)
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, north, Position.Role.PRINCIPAL_SUPERVISOR)
    prof = make_person("Helen", "Okafor")
    mira_user = make_user(email="mira@example.org", person=mira)
    make_user(email="pat@example.org", person=pat)
    sam_user = make_user(email="sam@example.org", person=sam, password=None)
    coordinator = make_user(
        make_person("Cora", "Coordinator"),
        password=None,
        grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, district)],
    )
    make_user(
        email="hal@example.org", person=make_person("Hal", "Hr"), grants=[(RoleGrant.Role.HR, district)]
    )
    make_user(
        email="ada@example.org",
        person=make_person("Ada", "Admin"),
        grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)],
    )
    program = PrepProgram.objects.create(
        name="Principal Licensure Program", partner="State University", required_hours=500
    )
    services.pool_join(actor=mira_user, person=mira, district=district, interests=["Elementary principal"])
    candidacy = services.candidacy_enroll(
        actor=coordinator, person=mira, program=program, cohort_year=today.year
    )
    placement = services.placement_create(
        actor=coordinator,
        candidacy=candidacy,
        school=oak,
        mentor=pat,
        supervisor=prof,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=120),
    )
    posting = Posting.objects.create(
        organization=elm,
        title="Principal, Elm Elementary",
        role="principal",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
    )
    base = base_url(live_server)

    # Mira logs hours from her pathway.
    sign_in_as(page, live_server, "mira@example.org")
    page.get_by_role("link", name="Pipeline", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership pipeline")
    check_axe(page)
    page.get_by_role("link", name="Oak Elementary, with Pat Principalson").click()
    check_axe(page)
    yesterday = today - dt.timedelta(days=1)
    page.locator("#id_day").fill(yesterday.isoformat())
    page.locator("#id_starts_at").fill("08:00")
    page.locator("#id_ends_at").fill("10:30")
    page.locator("#id_standard").select_option("I")
    page.locator("#id_activity").fill("Led the grade 3 data meeting")
    _submit(page, "Log the hours")
    expect(page.locator(".edlead-messages")).to_contain_text("Hours logged")
    # The same time again is refused in plain words, and nothing is added.
    page.locator("#id_day").fill(yesterday.isoformat())
    page.locator("#id_starts_at").fill("09:00")
    page.locator("#id_ends_at").fill("09:30")
    page.locator("#id_standard").select_option("II")
    page.locator("#id_activity").fill("Arrival duty")
    _submit(page, "Log the hours")
    expect(page.get_by_role("alert").first).to_contain_text("overlaps hours already logged")
    assert HoursEntry.objects.count() == 1

    # Pat signs them from the work queue.
    sign_in_as(page, live_server, "pat@example.org")
    check_axe(page)
    page.get_by_role("link", name="Sign Mira Teachwell's practicum hours").click()
    check_axe(page)
    entry = HoursEntry.objects.get()
    page.locator(f"label[for=entry-{entry.pk}]").click()  # the USWDS checkbox: its label is what one clicks
    expect(page.get_by_label(f"Sign {yesterday:%b} {yesterday.day} 08:00")).to_be_checked()
    _submit(page, "Sign the ticked hours")
    expect(page.locator(".edlead-messages")).to_contain_text("Signed 1 entry")
    screenshot(page, "pipeline-hours-signed")
    assert HoursEntry.objects.get().signed_by_id == pat.pk

    # Mira applies to the open posting: she lacks a principal licence, so the application is flagged.
    sign_in_as(page, live_server, "mira@example.org")
    page.goto(f"{base}/pipeline/")
    page.get_by_role("link", name="Apply to Principal, Elm Elementary").click()
    check_axe(page)
    expect(page.get_by_text("You may still apply")).to_be_visible()
    page.locator("#id_statement").fill("I grew up two streets from Elm.")
    _submit(page, "Send the application")
    expect(page.locator(".edlead-messages")).to_contain_text("You applied to Principal, Elm Elementary")
    app = Application.objects.get()
    assert not app.eligible and app.missing

    # HR finds her on the applicants list with her eligibility, from the hiring slate.
    sign_in_as(page, live_server, "hal@example.org")
    page.goto(f"{base}/credentials/postings/{posting.pk}/hiring/")
    check_axe(page)
    page.get_by_role(
        "link", name="The applications to this posting, with each applicant's eligibility"
    ).click()
    check_axe(page)
    row = page.get_by_role("row").filter(has_text="Mira Teachwell")
    expect(row).to_contain_text("Flagged")
    expect(row).to_contain_text("Submitted")
    row.get_by_label("Next step for Mira Teachwell").select_option("interview")
    _submit(page, "Record for Mira Teachwell")
    assert Application.objects.get().status == "interview"

    # The supervisor names Mira as a successor for Oak; the administrator reads the succession view.
    services.succession_add(actor=sam_user, school=oak, person=mira, readiness="one_two_years")
    assert SuccessionCandidate.objects.count() == 1
    sign_in_as(page, live_server, "ada@example.org")
    page.get_by_role("link", name="Pipeline", exact=True).first.click()
    check_axe(page)
    page.get_by_role("link", name="succession view").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Succession: Alpha Public Schools")
    check_axe(page)
    expect(page.locator(f"#school-{oak.pk}")).to_contain_text("Mira Teachwell")
    expect(page.locator(f"#school-{elm.pk}")).to_contain_text("None named")
    screenshot(page, "pipeline-succession")
    assert placement.hours.count() == 1
