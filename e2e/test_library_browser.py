"""The resource library in a real browser: a principal searches it by topic and role, opens a case
study and its print view; the district's program coordinator links a resource to a program from the
program's page, and the program page shows it to the principal — axe-clean on every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import RoleGrant
from edlead.learning.tests.factories import make_program
from edlead.library.models import Resource
from edlead.library.tests.factories import make_resource
from edlead.testing import make_district, make_person, make_position, make_school, make_state, make_user

pytestmark = pytest.mark.browser


def test_a_principal_finds_a_case_study_and_a_coordinator_links_a_resource(
    page: Page, live_server: Any
) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    school = make_school(district, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    make_user(email="pat@example.org", person=pat)
    make_user(email="cory@example.org", grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, district)])
    program = make_program("Aspiring Principals", organization=district)
    make_resource(
        "Cutting chronic absenteeism at a K-8 school",
        kind=Resource.Kind.CASE_STUDY,
        topics=("family-engagement",),
        roles=("principal",),
        indicators=("III-A",),
        context="Maple Street K-8 serves 610 students; 71% are high needs.",
        challenge="Chronic absenteeism sat at 24%.",
        actions="A weekly attendance team; a named adult for every student near 10% absence.",
        results="Chronic absenteeism fell to 15% by June.",
        discussion_questions="Which actions depended on people?\nWhat data would you look at every two weeks?",
    )
    make_resource("Budget calendar", topics=("operations",), roles=("director",))
    make_resource(
        "Data meeting protocol", kind=Resource.Kind.TOOL, topics=("data-use",), roles=("principal",)
    )
    base = base_url(live_server)

    sign_in_as(page, live_server, "pat@example.org")
    page.goto(f"{base}/library/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource and case-study library")
    check_axe(page)
    page.get_by_label("Topic").select_option(label="Family and community engagement")
    page.get_by_label("For the role of").select_option(label="Principal")
    with page.expect_navigation():
        page.get_by_role("button", name="Search the library").click()
    check_axe(page)
    expect(page.get_by_role("table")).to_contain_text("Cutting chronic absenteeism")
    expect(page.get_by_role("table")).not_to_contain_text("Budget calendar")
    expect(page.get_by_role("table")).not_to_contain_text("Data meeting protocol")
    screenshot(page, "library-search")
    page.get_by_role("link", name="Cutting chronic absenteeism at a K-8 school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cutting chronic absenteeism at a K-8 school")
    expect(page.get_by_role("heading", name="Questions for discussion")).to_be_visible()
    expect(page.get_by_text("III-A")).to_be_visible()
    check_axe(page)
    screenshot(page, "library-case-study")
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", name="The challenge")).to_be_visible()
    expect(page.get_by_text("Chronic absenteeism fell to 15% by June.")).to_be_visible()
    check_axe(page)

    sign_in_as(page, live_server, "cory@example.org")
    page.goto(f"{base}{program.get_absolute_url()}")
    expect(page.get_by_role("heading", name="From the library")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Link from the library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link from the library to Aspiring Principals")
    check_axe(page)
    page.get_by_label("Topic").select_option(label="Data use and assessment")
    with page.expect_navigation():
        page.get_by_role("button", name="Find resources").click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Link “Data meeting protocol”").click()
    expect(page.get_by_text("“Data meeting protocol” is linked to Aspiring Principals.")).to_be_visible()
    expect(page.locator("#library")).to_contain_text("Data meeting protocol")
    check_axe(page)
    screenshot(page, "library-linked-on-program")

    sign_in_as(page, live_server, "pat@example.org")
    page.goto(f"{base}{program.get_absolute_url()}")
    expect(page.locator("#library")).to_contain_text("Data meeting protocol")
    expect(page.get_by_role("link", name="Link from the library")).to_have_count(0)
    check_axe(page)
