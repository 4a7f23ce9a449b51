"""A principal supervisor compares the schools of their network and opens one school's performance
page: axe clean at desktop and phone widths, no CSP violation, screenshots of both pages at both widths
(e2e/artifacts/performance-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import check_axe, screenshot, sign_in
from edlead.demo import services as demo
from edlead.demo.metrics import metrics_seed

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_with_metrics(transactional_db: None) -> None:
    demo.demo_seed(scale="demo")
    metrics_seed()


def _check(page: Page, name: str, csp_violations: list[str]) -> None:
    page.set_viewport_size(DESKTOP)
    check_axe(page)
    screenshot(page, f"performance-{name}-desktop")
    page.set_viewport_size(PHONE)
    check_axe(page)
    screenshot(page, f"performance-{name}-phone")
    page.set_viewport_size(DESKTOP)
    assert not csp_violations, f"CSP violations on {page.url}: {csp_violations}"


def test_supervisor_compares_network_and_opens_a_school(
    page: Page, live_server, demo_with_metrics: None, csp_violations: list[str]
) -> None:
    sign_in(page, live_server, demo.persona("supervisor").email, demo.DEMO_PASSWORD)
    page.get_by_role("link", name="Compare my schools").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compare schools")
    table = page.locator("table.edlead-compare")
    expect(table.locator("tbody tr").first).to_be_visible()
    assert table.locator("tbody tr").count() >= 6
    _check(page, "compare", csp_violations)

    # Filter to flagged schools, then back; sort by a column (USWDS sortable table).
    page.get_by_label("Flag", exact=True).select_option("any")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compare schools")
    page.get_by_label("Flag", exact=True).select_option("")
    page.get_by_role("button", name="Show").click()
    table.locator("thead th").nth(1).locator("button").click()

    first = table.locator("tbody th a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}: school performance")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_role("heading", name="Gaps by student group")).to_be_visible()
    _check(page, "school", csp_violations)
    screenshot(page, "performance-school-top", full_page=False)
    page.locator("#gaps").scroll_into_view_if_needed()
    screenshot(page, "performance-school-gaps", full_page=False)
    page.set_viewport_size(PHONE)
    page.locator(".edlead-metric").first.scroll_into_view_if_needed()
    screenshot(page, "performance-school-phone-metric", full_page=False)
    page.set_viewport_size(DESKTOP)

    # The retention page of the network, from the comparison.
    page.go_back()
    page.get_by_role("link", name="Principal retention").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Principal retention")
    _check(page, "retention", csp_violations)
