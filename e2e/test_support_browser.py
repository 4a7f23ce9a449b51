"""Department support in a real browser: a principal routes a request to Special Education; the
department's responder (a central-office coordinator with no role) finds it in the work queue and on the
Support list, triages it, assigns it to themselves and answers it; the principal reads the answer and
resolves it; the district's departments and the department page, as the superintendent — axe-clean on
every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import Relationship
from edlead.support import departments
from edlead.support.models import SupportRequest
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


def test_a_request_routed_answered_and_resolved(page: Page, live_server: Any) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    north = make_network(district, "North Quadrant")
    school = make_school(north, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, north, "principal_supervisor")
    dana = make_person("Dana", "Superintendent")
    make_position(dana, district, "superintendent")
    rae = make_person("Rae", "Responder")
    make_position(rae, district, "other", title="Special Education coordinator")
    Relationship.objects.create(
        kind="responder",
        holder=rae,
        group=departments.group_key(district.pk, "Special Education"),
        organization=district,
        starts_on="2024-07-01",
    )
    for email, person in (
        ("pat@example.org", pat),
        ("rae@example.org", rae),
        ("dana@example.org", dana),
    ):
        make_user(email=email, person=person)
    base = base_url(live_server)

    sign_in_as(page, live_server, "pat@example.org")
    page.get_by_role("link", name="Support", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Department support")
    check_axe(page)
    page.get_by_role("link", name="Route a new request").click()
    check_axe(page)
    page.get_by_label("School").select_option(label="Oak Elementary")
    page.get_by_label("Department").select_option("Special Education")
    page.get_by_label("Category").select_option(label="Special education / IEP")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_label("Subject").fill("District representative for an IEP review")
    page.get_by_label("Description").fill(
        "The annual review is Thursday at 9:00; we need someone who can commit services."
    )
    _submit(page, "Route the request")
    expect(page.get_by_role("heading", level=1)).to_have_text("District representative for an IEP review")
    expect(page.locator(".edlead-messages")).to_contain_text("Routed to Special Education")
    request_url = page.url

    sign_in_as(page, live_server, "rae@example.org")
    check_axe(page)  # home, with the work queue
    expect(
        page.get_by_role("link", name="Triage and assign “District representative for an IEP review”")
    ).to_be_visible()
    page.get_by_role("link", name="Support", exact=True).first.click()
    check_axe(page)
    page.get_by_role("link", name="District representative for an IEP review").click()
    check_axe(page)
    _submit(page, "Mark triaged")
    page.get_by_label("Assign to").select_option(label="Rae Responder")
    _submit(page, "Assign")
    page.locator("#id_answer").fill("Ms. Ortiz, our program specialist, will attend on Thursday.")
    _submit(page, "Send the answer")
    expect(page.locator(".edlead-messages")).to_contain_text("Answered")

    sign_in_as(page, live_server, "pat@example.org")
    page.goto(f"{base}/")
    expect(
        page.get_by_role("link", name="Resolve “District representative for an IEP review”")
    ).to_be_visible()
    page.goto(request_url)
    check_axe(page)
    expect(page.get_by_role("heading", name="Does the answer settle it?")).to_be_visible()
    expect(page.get_by_text("Ms. Ortiz, our program specialist, will attend on Thursday.")).to_be_visible()
    page.get_by_label("Note").fill("Thank you!")
    _submit(page, "Resolve")
    expect(page.locator("main .edlead-badge").first).to_have_text("Resolved")
    screenshot(page, "support-resolved")
    req = SupportRequest.objects.get()
    assert req.status == "resolved" and req.assignee == rae and req.priority == "high"
    assert [e.action for e in req.events.all()] == ["routed", "triaged", "assigned", "answered", "resolved"]

    sign_in_as(page, live_server, "dana@example.org")
    page.goto(f"{base}/support/")
    check_axe(page)
    page.get_by_role("link", name="Alpha Public Schools: departments and responders").click()
    check_axe(page)
    expect(page.get_by_role("cell", name="Rae Responder")).to_be_visible()
    page.get_by_role("link", name="Special Education").click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Special Education")
