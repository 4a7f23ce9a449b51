"""In a real browser: a supervisor opens a principal's record; the principal sees who did, and HR records a
coach who then finds the principal on their home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in
from edlead.access.models import RoleGrant
from edlead.people.models import Position
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
R = Position.Role


def test_principal_sees_who_viewed_their_record_and_hr_records_a_coach(page: Page, live_server) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    network = make_network(district, "North Quadrant")
    school = make_school(network, "Lincoln Elementary", code="99100010")
    principal = make_person("Pat", "Principal")
    make_position(principal, school, R.PRINCIPAL)
    supervisor = make_person("Sam", "Supervisor")
    make_position(supervisor, network, R.PRINCIPAL_SUPERVISOR)
    coach = make_person("Cory", "Coach")
    make_position(coach, district, R.COACH)
    make_user(principal, email="principal@example.org")
    make_user(supervisor, email="supervisor@example.org")
    make_user(coach, email="coach@example.org")
    make_user(make_person("Hana", "Hr"), email="hr@example.org", grants=[(RoleGrant.Role.HR, district)])
    url = base_url(live_server)

    sign_in(page, live_server, "supervisor@example.org")
    page.goto(f"{url}{principal.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Personnel details")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, live_server, "hr@example.org")
    page.goto(f"{url}{principal.get_absolute_url()}")
    page.get_by_role("link", name="Add an evaluator, coach or mentor").click()
    check_axe(page)
    page.get_by_label("Relationship").select_option("coach")
    page.get_by_label("Who").select_option(label="Cory Coach")
    page.get_by_role("button", name="Record the relationship").click()
    expect(page.get_by_text("Relationship recorded.")).to_be_visible()
    expect(page.get_by_role("link", name="Cory Coach")).to_be_visible()
    screenshot(page, "relationship-recorded")
    page.context.clear_cookies()

    sign_in(page, live_server, "principal@example.org")
    page.get_by_role("link", name="Who has seen my record").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen my record")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Sam Supervisor")
    expect(table).to_contain_text("Hana Hr")
    expect(table).to_contain_text(principal.get_absolute_url())
    check_axe(page)
    screenshot(page, "who-has-seen-my-record")
    page.context.clear_cookies()

    sign_in(page, live_server, "coach@example.org")
    queue = page.get_by_role("region", name="Your work")
    expect(queue).to_contain_text("You are now coach of Pat Principal")
    expect(page.get_by_role("heading", name="People I work with")).to_be_visible()
    check_axe(page)
    screenshot(page, "coach-home-queue")
