"""District settings and safe editing in a real browser: a district administrator changes a setting
and it saves itself (htmx, no script of ours under the CSP); a second browser holding the page from
before sees who saved what when, theirs beside theirs, and chooses."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in
from edlead import config
from edlead.access.models import RoleGrant
from edlead.orgs.models import Organization
from edlead.testing import make_district, make_person, make_school, make_state, make_user

pytestmark = pytest.mark.browser

DUE_INPUT = "#id_workqueue-due-soon-days-value"
DUE_STATUS = "#workqueue-due-soon-days-status"


def _shot(page: Page, name: str) -> None:
    """screenshot, then drop the empty `style=""` attributes Playwright leaves on inputs (it hides the
    caret while it shoots): htmx copies an element's style onto the one it swaps in with the same
    id, which the CSP (style-src 'self') reports — a trace of the test's tool, not of the page."""
    screenshot(page, name)
    page.evaluate(
        """() => document.querySelectorAll('[style=""]').forEach(e => e.removeAttribute('style'))"""
    )


def _second_page(browser: Any, csp_violations: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    other = context.new_page()
    other.on(
        "console",
        lambda m: (
            csp_violations.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    return other


def test_autosave_and_a_stale_second_browser_gets_the_conflict(
    page: Page, browser: Any, live_server: Any, csp_violations: list[str]
) -> None:
    make_state()
    alpha = make_district("Alpha Public Schools", code="99100000")
    make_school(alpha, "Oak Elementary", code="99100010")
    ana = make_user(
        email="ana@example.org",
        person=make_person("Ana", "Ruiz"),
        grants=[(RoleGrant.Role.DISTRICT_ADMIN, alpha)],
    )
    ben = make_user(
        email="ben@example.org",
        person=make_person("Ben", "Okafor"),
        grants=[(RoleGrant.Role.DISTRICT_ADMIN, alpha)],
    )
    url = f"{base_url(live_server)}/settings/district/{alpha.pk}/"

    # Ben opens the settings page first and leaves it open.
    other = _second_page(browser, csp_violations)
    try:
        sign_in(other, live_server, ben.email)
        other.goto(url)
        expect(other.locator(DUE_INPUT)).to_have_value("14")

        # Ana reaches the page from the navigation, changes the window; it saves itself.
        sign_in(page, live_server, ana.email)
        page.get_by_role("button", name="Administration").click()
        page.get_by_role("link", name="District settings").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Settings: Alpha Public Schools")
        check_axe(page)
        page.locator(DUE_INPUT).fill("10")
        expect(page.locator(DUE_STATUS)).to_contain_text("Saved")
        expect(page.locator("#workqueue-due-soon-days-source")).to_contain_text("This district's own value")
        expect(page.get_by_role("button", name="Reset to 14 (code default)")).to_be_visible()
        check_axe(page)
        _shot(page, "settings-autosaved")
        assert config.setting(Organization.objects.get(pk=alpha.pk), "workqueue.due_soon_days") == 10

        # Ben, on the page from before, types 30: refused, with Ana's value beside his.
        other.locator(DUE_INPUT).fill("30")
        expect(other.locator(DUE_STATUS)).to_contain_text("Not saved")
        alert = other.locator("#workqueue-due-soon-days-conflict").get_by_role("alert")
        expect(alert).to_contain_text("Ana Ruiz saved this at")
        expect(alert.locator("tbody tr")).to_have_text("“Due soon” window (days)1030")
        expect(other.locator(DUE_INPUT)).to_have_value("30")  # what he typed is still there
        check_axe(other)
        _shot(other, "settings-conflict")
        assert config.setting(Organization.objects.get(pk=alpha.pk), "workqueue.due_soon_days") == 10

        # He keeps his: saved over Ana's, knowingly.
        other.get_by_role("button", name="Keep mine").click()
        expect(other.locator(DUE_STATUS)).to_contain_text("Saved")
        expect(other.locator("#workqueue-due-soon-days-conflict")).to_be_empty()
        assert config.setting(Organization.objects.get(pk=alpha.pk), "workqueue.due_soon_days") == 30

        # Ana's page is now the stale one; she takes the saved version instead.
        page.locator(DUE_INPUT).fill("12")
        expect(page.locator("#workqueue-due-soon-days-conflict")).to_contain_text("Ben Okafor saved this at")
        page.get_by_role("link", name="Take theirs").click()
        expect(page.locator(DUE_INPUT)).to_have_value("30")
        expect(page.locator("#workqueue-due-soon-days-conflict")).to_be_empty()
        screenshot(page, "settings-took-theirs")
    finally:
        other.context.close()


def test_superintendent_reads_the_settings(page: Page, live_server: Any) -> None:
    make_state()
    alpha = make_district("Alpha Public Schools", code="99100000")
    supt = make_user(email="supt@example.org", grants=[(RoleGrant.Role.SUPERINTENDENT, alpha)])
    sign_in(page, live_server, supt.email)
    page.goto(f"{base_url(live_server)}/settings/district/{alpha.pk}/")
    expect(
        page.get_by_text("Read only: the district's administrators change these settings.")
    ).to_be_visible()
    expect(page.locator("form[hx-post]")).to_have_count(0)
    check_axe(page)
    screenshot(page, "settings-read-only")


def test_a_correction_request_is_drafted_sent_and_applied(page: Page, browser: Any, live_server: Any) -> None:
    """The workflow part of safe editing: a principal's draft autosaves, is sent after a confirmation
    step; HR applies it and the record changes."""
    from edlead.people.models import Person, Position
    from edlead.testing import make_position

    make_state()
    alpha = make_district("Alpha Public Schools", code="99100000")
    oak = make_school(alpha, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principle")
    make_position(pat, oak, Position.Role.PRINCIPAL)
    principal = make_user(email="pat@example.org", person=pat)
    hr = make_user(
        email="hr@example.org", person=make_person("Ana", "Ruiz"), grants=[(RoleGrant.Role.HR, alpha)]
    )

    sign_in(page, live_server, principal.email)
    page.goto(f"{base_url(live_server)}/people/corrections/")
    page.get_by_role("button", name="Propose a correction to my record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your correction request")
    page.get_by_label("Last name").fill("Principal")
    expect(page.locator("#correction-status")).to_contain_text("Saved")
    expect(page.locator("#correction-version")).to_have_value("2")  # each save moves the version on
    page.get_by_label("Note to HR").fill("My name is misspelled on the school page.")
    expect(page.locator("#correction-version")).to_have_value("3")
    check_axe(page)
    _shot(page, "correction-draft")
    page.get_by_role("button", name="Review and send to HR").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Send your correction request to HR of Alpha Public Schools?"
    )
    expect(page.get_by_role("table")).to_contain_text("Principle")
    check_axe(page)
    page.get_by_role("button", name="Send to HR").click()
    expect(page.get_by_role("button", name="Take it back")).to_be_visible()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        other = context.new_page()
        sign_in(other, live_server, hr.email)
        other.get_by_role("link", name="Correction request from Pat Principle").click()
        expect(other.get_by_role("table")).to_contain_text("Principal")
        check_axe(other)
        other.locator("label", has_text="Apply the correction").click()  # USWDS draws the radio on its label
        other.get_by_role("button", name="Record the decision").click()
        expect(other.get_by_text("Applied to the record.")).to_be_visible()
        screenshot(other, "correction-applied")
    finally:
        context.close()
    assert Person.objects.get(pk=pat.pk).last_name == "Principal"
    page.reload()
    expect(page.get_by_role("button", name="Take it back")).to_have_count(0)
    expect(page.get_by_text("Applied", exact=True)).to_be_visible()
