"""Communications in a real browser: a state administrator writes a "top three" newsletter issue and
publishes it; it arrives in a principal's inbox once, and publishing it again is refused with a plain
message; the principal manages their subscriptions, nominates a colleague and writes a reflection piece; a
panelist finds the nomination in the work queue and scores it; the district administrator publishes the
reflection piece and gives the award, which shows on the nominee's record — axe-clean on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import RoleGrant
from edlead.communications import services
from edlead.communications.models import Award, NewsletterIssue
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


def _go(page: Page, url: str) -> None:
    page.goto(url)
    check_axe(page)


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    check_axe(page)


def test_a_state_issue_arrives_once_and_an_award_reaches_the_record(page: Page, live_server: Any) -> None:
    state = make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    north = make_network(district, "North Quadrant")
    oak = make_school(north, "Oak Elementary", code="99100010")
    birch = make_school(north, "Birch High", code="99100030")
    pat = make_person("Pat", "Principalson")
    make_position(pat, oak, "principal")
    pia = make_person("Pia", "Principalova")
    make_position(pia, birch, "principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, north, "principal_supervisor")
    make_user(email="state@example.org", grants=[(RoleGrant.Role.STATE_ADMIN, state)])
    admin = make_user(email="admin@example.org", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)])
    make_user(email="pat@example.org", person=pat)
    make_user(email="sam@example.org", person=sam)
    today = dt.date.today()
    program = services.program_create(
        actor=admin,
        organization=district,
        name="Alpha Principal of the Year",
        award_title="Alpha Principal of the Year",
        criteria="Leads instruction; builds a culture where teachers lead.",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=20),
        self_nomination=False,
    )
    services.panel_member_add(actor=admin, program=program, person=sam)
    base = base_url(live_server)

    # The state administrator writes and publishes an issue.
    sign_in_as(page, live_server, "state@example.org")
    _go(page, f"{base}/communications/")
    page.get_by_role("link", name="Write a newsletter issue").click()
    check_axe(page)
    page.get_by_label("Publisher").select_option(label=state.name)
    page.locator("#id_title").fill("Top three: spring")
    page.get_by_label("Introduction").fill("Three things for school leaders this month.")
    page.locator("label[for=id_audiences_0]").click()
    page.get_by_label("Item 1: headline").fill("Testing windows")
    page.get_by_label("Item 1: text").fill("The spring windows and accommodations.")
    page.get_by_label("Item 1: link (optional)").fill("https://www.doe.mass.edu/mcas/")
    page.get_by_label("Item 2: headline").fill("Licence renewal")
    page.get_by_label("Item 2: text").fill("Check your PDPs before June.")
    _submit(page, "Save the draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("Top three: spring")
    page.get_by_role("link", name="publish and send it").click()
    check_axe(page)
    expect(page.get_by_text("It goes to 2 people")).to_be_visible()
    _submit(page, "Publish and send")
    expect(page.locator(".edlead-messages")).to_contain_text("is published")
    issue = NewsletterIssue.objects.get(title="Top three: spring")
    _go(page, f"{base}/communications/issues/{issue.pk}/publish/")  # a second tab, the old page
    expect(page.get_by_role("alert")).to_contain_text("was already published on")
    assert Notice.objects.filter(once_key=f"newsletter:{issue.pk}").count() == 2
    screenshot(page, "communications-published-twice")

    # It arrives in the principal's inbox once.
    sign_in_as(page, live_server, "pat@example.org")
    _go(page, f"{base}/inbox/")
    expect(page.get_by_role("link", name=f"{state.name}: Top three: spring")).to_have_count(1)
    _go(page, f"{base}/communications/issues/{issue.pk}/")
    expect(page.get_by_role("heading", name="1. Testing windows")).to_be_visible()
    _go(page, f"{base}/communications/?q=renewal")
    expect(page.get_by_role("link", name="Top three: spring")).to_be_visible()
    _go(page, f"{base}/communications/subscriptions/")
    page.get_by_role("button", name="Unsubscribe from Alpha Public Schools").click()
    page.wait_for_load_state()
    check_axe(page)
    expect(page.get_by_role("cell", name="Nothing (unsubscribed)")).to_be_visible()

    # The principal writes a reflection piece and nominates a colleague (not themselves: not allowed).
    _go(page, f"{base}/communications/reflections/")
    page.get_by_role("link", name="Write a reflection piece").click()
    check_axe(page)
    page.get_by_label("Published by").select_option(label="Alpha Public Schools")
    page.get_by_label("Title").fill("Peer visits changed our team")
    page.get_by_label("Topic").fill("Instructional leadership")
    page.get_by_label("Your reflection").fill("We started small: one classroom, one question.")
    _submit(page, "Save")
    _submit(page, "Submit for review")
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    _go(page, f"{base}/communications/recognition/")
    page.get_by_role("link", name="Alpha Principal of the Year").click()
    check_axe(page)
    nominees = page.get_by_label("Nominee").locator("option").all_inner_texts()
    assert "Pat Principalson" not in nominees
    page.get_by_label("Nominee").select_option(label="Pia Principalova")
    page.get_by_label("Statement").fill("Median SGP in mathematics rose from 41 to 58 in two years.")
    _submit(page, "Send the nomination")
    expect(page.locator(".edlead-messages")).to_contain_text("goes to the review panel")

    # The panelist finds it in the work queue and scores it.
    sign_in_as(page, live_server, "sam@example.org")
    check_axe(page)
    page.get_by_role("link", name="Review the nomination of Pia Principalova").first.click()
    check_axe(page)
    page.get_by_label("Score against the criteria").select_option("5")
    page.get_by_label("Comment").fill("Outstanding evidence of growth.")
    _submit(page, "Save the review")
    expect(page.get_by_role("cell", name="5 of 5")).to_be_visible()

    # The district administrator publishes the piece and gives the award; it shows on Pia's record.
    sign_in_as(page, live_server, "admin@example.org")
    _go(page, f"{base}/communications/reflections/")
    page.get_by_role("link", name="Peer visits changed our team").click()
    check_axe(page)
    _submit(page, "Publish it")
    expect(page.get_by_text("Published in the archive")).to_be_visible()
    nomination = program.nominations.get()
    _go(page, f"{base}/communications/nominations/{nomination.pk}/")
    page.get_by_label("Citation").fill("For leading instruction across every subgroup.")
    _submit(page, "Give the Alpha Principal of the Year award")
    expect(page.locator(".edlead-messages")).to_contain_text("it is on their record")
    assert Award.objects.filter(person=pia).count() == 1
    page.goto(f"{base}/people/{pia.pk}/")
    expect(page.get_by_role("heading", name="Recognition")).to_be_visible()
    expect(page.locator("#person-awards")).to_contain_text("Alpha Principal of the Year")
    check_axe(page)
    screenshot(page, "communications-award-on-record")
    _go(page, f"{base}/communications/recognition/new/")
