"""Walking the demo district in a real browser, as the people who use it.

Each test seeds the demo scale (Riverton Public Schools: 48 schools in four quadrants, and the personas
with the demo password), signs in through the form and clicks from page to page like a person would.
Every page is checked with axe-core (no serious or critical WCAG 2.1 A/AA violation) at a desktop width
and again at a phone width, and saved as a screenshot at both (e2e/artifacts/walk-*-desktop.png and
walk-*-phone.png). The `page` fixture fails the test if any page breaks the Content-Security-Policy.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in
from edlead.demo import services as demo

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_world(transactional_db: None) -> None:
    """The demo scale in the test database, visible to the live server thread."""
    demo.demo_seed(scale="demo")


def _sign_in_as(page: Page, live_server, persona_key: str) -> None:
    sign_in(page, live_server, demo.persona(persona_key).email, demo.DEMO_PASSWORD)
    assert page.url == f"{base_url(live_server)}/"


def _check_page(page: Page, name: str, csp_violations: list[str]) -> None:
    """axe at both widths, a screenshot at each, and no CSP violation so far."""
    page.set_viewport_size(DESKTOP)
    check_axe(page)
    screenshot(page, f"walk-{name}-desktop")
    page.set_viewport_size(PHONE)
    check_axe(page)
    screenshot(page, f"walk-{name}-phone")
    page.set_viewport_size(DESKTOP)
    assert not csp_violations, f"CSP violations on {page.url}: {csp_violations}"


def _h1(page: Page):
    return page.get_by_role("heading", level=1)


def test_principal_supervisor_walks_home_school_person(
    page: Page, live_server, demo_world: None, csp_violations: list[str]
) -> None:
    _sign_in_as(page, live_server, "supervisor")

    # Home: "My principals", with a table of the schools this supervisor's principals lead.
    expect(_h1(page)).to_have_text("Welcome, Fatima Delgado")
    expect(page.get_by_role("heading", name="My principals")).to_be_visible()
    table = page.get_by_role("table", name="Your schools: the principal")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 10, "the North Quadrant supervisor should see about twelve schools"
    _check_page(page, "supervisor-home", csp_violations)

    # A school whose principal is on record: click it.
    row = rows.filter(has=page.locator("td a")).first
    school_name = row.get_by_role("rowheader").get_by_role("link").inner_text().strip()
    principal_name = row.locator("td a").first.inner_text().strip()
    row.get_by_role("link", name=school_name).click()

    # School page: leadership team, history of principals, the supervisor.
    expect(_h1(page)).to_have_text(school_name)
    expect(page.get_by_role("heading", name="Leadership team")).to_be_visible()
    expect(page.get_by_role("heading", name="History of principals")).to_be_visible()
    team = page.get_by_role("table", name="Current leadership team")
    expect(team.get_by_role("row").filter(has_text=principal_name)).to_contain_text("Principal")
    history = page.get_by_role("list").filter(has_text=re.compile(r"to present"))
    expect(history.first).to_contain_text(principal_name)
    expect(page.get_by_role("navigation", name="Breadcrumbs")).to_contain_text("North Quadrant")
    _check_page(page, "supervisor-school", csp_violations)

    # The principal's record.
    team.get_by_role("link", name=principal_name).click()
    expect(_h1(page)).to_have_text(principal_name)
    for heading in ("Schools led", "Positions", "Supervised by"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(school_name)
    expect(page.get_by_role("table", name=re.compile("positions", re.I))).to_contain_text("Principal")
    supervised_by = page.locator("h2:text-is('Supervised by') + ul")
    expect(supervised_by).to_contain_text("Fatima Delgado")
    _check_page(page, "supervisor-person", csp_violations)


def test_principal_walks_home_school_team_member(
    page: Page, live_server, demo_world: None, csp_violations: list[str]
) -> None:
    _sign_in_as(page, live_server, "principal")

    # Home: "My school", with the leadership team.
    expect(_h1(page)).to_have_text("Welcome, Imani Brennan")
    my_school = page.get_by_role("heading", name=re.compile(r"^My school:"))
    expect(my_school).to_be_visible()
    expect(page.get_by_role("heading", name="My principals")).to_have_count(0)
    school_name = my_school.get_by_role("link").inner_text().strip()
    _check_page(page, "principal-home", csp_violations)

    my_school.get_by_role("link").click()
    expect(_h1(page)).to_have_text(school_name)
    team = page.get_by_role("table", name="Current leadership team")
    expect(team).to_contain_text("Imani Brennan")
    expect(page.get_by_role("heading", name="History of principals")).to_be_visible()
    _check_page(page, "principal-school", csp_violations)

    # Someone else in the team: an assistant principal or a teacher leader.
    member = team.get_by_role("row").filter(has_not_text="Imani Brennan").get_by_role("link").first
    member_name = member.inner_text().strip()
    member.click()
    expect(_h1(page)).to_have_text(member_name)
    expect(page.get_by_role("heading", name="Positions", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(school_name)
    _check_page(page, "principal-team-member", csp_violations)


def test_district_admin_moves_a_school_with_the_keyboard_and_searches(
    page: Page, live_server, demo_world: None, csp_violations: list[str]
) -> None:
    _sign_in_as(page, live_server, "district_admin")
    expect(page.get_by_role("heading", name="Riverton Public Schools")).to_be_visible()
    _check_page(page, "district-admin-home", csp_violations)

    # District page: 48 schools in four quadrants.
    page.get_by_role("heading", name="Riverton Public Schools").get_by_role("link").click()
    expect(_h1(page)).to_have_text("Riverton Public Schools")
    quadrants = ["North Quadrant", "South Quadrant", "East Quadrant", "West Quadrant"]
    for quadrant in quadrants:
        expect(page.get_by_role("heading", name=quadrant, level=2)).to_be_visible()
    school_tables = page.get_by_role("table").filter(has=page.locator("caption", has_text="Quadrant"))
    expect(school_tables).to_have_count(4)
    assert school_tables.locator("tbody tr").count() == 48
    _check_page(page, "district", csp_violations)

    # Manage page: move a school from North to South, with the keyboard only.
    page.get_by_role("link", name="Manage networks and supervision").click()
    expect(_h1(page)).to_contain_text("Networks and supervision")
    _check_page(page, "district-manage", csp_violations)

    arrangement = page.get_by_role("table", name=re.compile("Schools, their network"))
    north_row = arrangement.locator("tbody tr").filter(has_text="North Quadrant").first
    school_name = north_row.get_by_role("rowheader").inner_text().strip()

    move_form = page.get_by_role("region", name="Move a school")
    school_select = move_form.get_by_label(re.compile("^School"))
    school_select.focus()
    page.keyboard.type(school_name)  # a focused <select> picks the option whose text one types
    expect(school_select.locator("option:checked")).to_have_text(school_name)
    page.keyboard.press("Tab")
    move_to = move_form.get_by_label(re.compile("^Move to"))
    expect(move_to).to_be_focused()
    page.keyboard.type("South Quadrant")
    expect(move_to.locator("option:checked")).to_have_text("South Quadrant")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move school")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(
        page.get_by_role("status").filter(has_text=f"Moved {school_name} to South Quadrant.")
    ).to_be_visible()
    moved = arrangement.get_by_role("row").filter(has=page.get_by_role("rowheader", name=school_name))
    expect(moved).to_contain_text("South Quadrant")
    _check_page(page, "district-manage-moved", csp_violations)

    # Search for a surname: the people who have it, and where they work.
    page.get_by_role("searchbox", name="Search people and organizations").first.fill("Delgado")
    page.keyboard.press("Enter")
    expect(_h1(page)).to_have_text("Search")
    people = page.get_by_role("region", name="People")
    expect(people.get_by_role("link", name=re.compile("Delgado"))).not_to_have_count(0)
    expect(page.get_by_role("status").first).to_contain_text("match “Delgado”")
    _check_page(page, "search", csp_violations)

    # The lists and the admin pages.
    for label, heading, name in [
        ("Organizations", "Organizations", "organizations"),
        ("People", "People", "people"),
        ("Roles", re.compile("^Access"), "access-grants"),
        ("Audit log", "Audit log", "audit-log"),
    ]:
        nav = page.get_by_role("navigation", name="Primary navigation")
        if label in ("Roles", "Audit log"):  # in the Administration menu
            nav.get_by_role("button", name="Administration").click()
        nav.get_by_role("link", name=label).click()
        expect(_h1(page)).to_have_text(heading)
        _check_page(page, name, csp_violations)

    audit = page.get_by_role("table", name=re.compile("Newest first"))
    expect(audit).to_contain_text(school_name)


def test_state_admin_sees_the_state_page(
    page: Page, live_server, demo_world: None, csp_violations: list[str]
) -> None:
    _sign_in_as(page, live_server, "state_admin")
    _check_page(page, "state-admin-home", csp_violations)

    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Organizations"
    ).click()
    page.get_by_label("Kind").select_option(label="State education agency")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("table").get_by_role("link").first.click()

    expect(page.get_by_role("table", name="Districts")).to_contain_text("Riverton Public Schools")
    _check_page(page, "state", csp_violations)
