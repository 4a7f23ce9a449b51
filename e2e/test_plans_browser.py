"""School improvement plans in a real browser: a principal starts their school's plan, writes it (the
summary saves itself), adds a measurable goal, a strategy and an action step, and submits it; the
principal supervisor returns it with comments; the principal reads them and resubmits; the supervisor
endorses it and the superintendent approves it — axe-clean on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.metrics.models import Metric
from edlead.plans.models import Plan
from edlead.plans.services import quarter_of
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


def test_a_plan_from_draft_to_approval(page: Page, live_server: Any) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    school = make_school(make_network(district, "North Quadrant"), "Oak Elementary", code="99100010")
    pat, ash = make_person("Pat", "Principalson"), make_person("Ash", "Assistant")
    make_position(pat, school, "principal")
    make_position(ash, school, "assistant_principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, school.parent, "principal_supervisor")
    dana = make_person("Dana", "Superintendent")
    make_position(dana, district, "superintendent")
    for email, person in (("pat@example.org", pat), ("sam@example.org", sam), ("dana@example.org", dana)):
        make_user(email=email, person=person)
    year = quarter_of(dt.date.today())[0]
    base = base_url(live_server)

    sign_in_as(page, live_server, "pat@example.org")
    page.get_by_role("link", name="Plans").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School improvement plans")
    check_axe(page)
    _submit(page, "Start the plan")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oak Elementary improvement plan")
    plan_url = page.url
    page.get_by_label("Summary").fill("Attendance fell after the move; we will win it back.")
    expect(page.locator("#plan-status")).to_contain_text("Saved")
    page.locator("#id_statement").fill("Fewer students miss ten percent of the days")
    page.locator("#id_metric").select_option(str(Metric.objects.get(code="monitor_chronic_absence").pk))
    page.locator("#id_baseline").fill("18")
    page.locator("#id_target").fill("12")
    _submit(page, "Add the goal")
    expect(page.locator(".edlead-messages")).to_contain_text("Goal added")
    page.get_by_label("A strategy for goal 1").fill("Call home on the first day of an absence")
    _submit(page, "Add the strategy")
    page.get_by_text("Add an action step").click()
    page.get_by_label("Action step", exact=False).first.fill("Train the attendance team")
    page.locator("select[name=owner]").select_option(label="Ash Assistant")
    page.locator("input[name=due_on]").first.fill(f"{year}-10-15")
    _submit(page, "Add the step")
    expect(page.get_by_role("cell", name="Ash Assistant")).to_be_visible()
    _submit(page, "Submit the plan")
    expect(page.locator(".edlead-messages")).to_contain_text("Submitted to the supervisor")

    sign_in_as(page, live_server, "sam@example.org")
    page.goto(plan_url)
    check_axe(page)
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    page.get_by_label("Comments").fill("Add an October benchmark so we see early whether it works.")
    _submit(page, "Return with comments")

    sign_in_as(page, live_server, "pat@example.org")
    page.goto(plan_url)
    check_axe(page)
    expect(page.get_by_role("region", name="Returned with comments")).to_contain_text("October benchmark")
    _submit(page, "Submit the plan")

    sign_in_as(page, live_server, "sam@example.org")
    page.goto(f"{base}/")
    expect(page.get_by_role("link", name="Review Oak Elementary's improvement plan")).to_be_visible()
    page.goto(plan_url)
    _submit(page, "Endorse the plan")

    sign_in_as(page, live_server, "dana@example.org")
    page.goto(plan_url)
    check_axe(page)
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    _submit(page, "Approve the plan")
    expect(page.locator("main .edlead-badge").first).to_have_text("Approved")
    screenshot(page, "plan-approved")
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.APPROVED
    assert [e.action for e in plan.events.all()] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "endorsed",
        "approved",
    ]
    assert plan.summary.startswith("Attendance fell")
