"""Licensure in a real browser: a principal reads their renewal progress on their home page and on their
licences page, drafts a professional development plan (the goals save themselves) and sends it; their
supervisor approves it; HR opens the compliance list and downloads it as CSV — axe-clean on every page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import RoleGrant
from edlead.credentials.models import DevelopmentPlan
from edlead.credentials.tests.factories import make_activity, make_licence
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


def test_a_principal_reads_their_renewal_and_hr_exports_compliance(
    page: Page, live_server: Any, settings: Any
) -> None:
    settings.EDLEAD_MFA_REQUIRED_ROLES = []  # two-factor sign-in is tested on its own
    today = dt.date.today()
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    network = make_network(district, "North Network")
    school = make_school(network, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal", starts_on=today - dt.timedelta(days=6 * 365))
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, network, "principal_supervisor")
    make_user(email="principal@example.org", person=pat)
    make_user(email="supervisor@example.org", person=sam)
    make_user(
        email="hr@example.org",
        person=make_person("Hana", "Resources"),
        grants=[(RoleGrant.Role.HR, district)],
    )
    expires = today + dt.timedelta(days=120)
    make_licence(pat, issued_on=expires.replace(year=expires.year - 5), expires_on=expires, number="PR-4471")
    make_activity(
        pat,
        title="Data teams institute",
        hours=40,
        category="content",
        ends_on=today - dt.timedelta(days=200),
    )
    root = base_url(live_server)

    # --- the principal: home page, then their licences ---------------------------------------------
    sign_in_as(page, live_server, "principal@example.org")
    _go(page, f"{root}/")
    part = page.locator("#my-licences")
    expect(part).to_contain_text("Principal/Assistant Principal")
    expect(part).to_contain_text("40 of 150 PDPs")
    expect(part.locator(".edlead-badge")).to_have_text("At risk")
    check_axe(page)
    screenshot(page, "credentials-principal-home")
    with page.expect_navigation():
        part.get_by_role("link", name="My licences, PDP activities and development plan").click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My licences")
    expect(
        page.get_by_role("heading", name="Renewal progress: Principal/Assistant Principal")
    ).to_be_visible()
    expect(page.get_by_text("Still needed:")).to_be_visible()
    screenshot(page, "credentials-my-licences")

    # --- a development plan: started, goals autosaved, an activity, sent --------------------------------
    with page.expect_navigation():
        page.get_by_role("link", name="Start a development plan").click()
    check_axe(page)
    page.get_by_role("textbox", name="Goals").fill("Lead inclusive instruction for English learners.")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the plan").click()
    check_axe(page)
    page.get_by_role("textbox", name="Goals").fill(
        "Lead inclusive instruction for English learners and students with disabilities."
    )
    expect(page.locator("#plan-status")).to_contain_text("Saved")
    page.get_by_role("textbox", name="Activity").fill("SEI for administrators")
    page.get_by_label("Renewal category").select_option("sei")
    page.get_by_role("spinbutton", name="PDPs").fill("15")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the activity").click()
    check_axe(page)
    expect(page.get_by_role("rowheader", name="SEI for administrators")).to_be_visible()
    screenshot(page, "credentials-plan-draft")
    with page.expect_navigation():
        page.get_by_role("button", name="Send for approval").click()
    check_axe(page)
    plan = DevelopmentPlan.objects.get(person=pat)
    assert plan.status == "submitted" and "students with disabilities" in plan.goals

    # --- the supervisor approves it from their work queue ---------------------------------------------
    sign_in_as(page, live_server, "supervisor@example.org")
    _go(page, f"{root}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Pat Principalson's development plan waits for your approval").click()
    check_axe(page)
    page.get_by_label("Your decision").select_option("approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    check_axe(page)
    expect(page.locator("main .edlead-badge").first).to_have_text("Approved")
    plan.refresh_from_db()
    assert plan.status == "approved"

    # --- HR: the compliance list, downloaded ----------------------------------------------------------
    sign_in_as(page, live_server, "hr@example.org")
    _go(page, f"{root}/credentials/compliance/")
    expect(page.get_by_role("rowheader", name="Pat Principalson")).to_be_visible()
    screenshot(page, "credentials-compliance-hr")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.startswith(
        "edlead-licence-compliance"
    ) and download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    mine = [r for r in rows if "Principalson" in " ".join(r.values())]
    assert mine, rows
    assert any("PR-4471" in v or "Principal/Assistant Principal" in v for v in mine[0].values())
