"""Colleague ratings (360) in a real browser: a principal opens their growth profile, follows the link to
colleague ratings, creates the survey, opens it and makes a meeting code; a staff member with no account
enters the code, rates the principal on the 1–4 scale with keyboard-operable radios and reaches the
thank-you page. axe-clean and within the Content-Security-Policy on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, sign_in
from edlead.evaluations.models_feedback import FeedbackResponse, FeedbackSurvey
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


def test_a_principal_asks_colleagues_and_a_staff_member_answers(page: Page, live_server: Any) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    school = make_school(make_network(district, "North Network"), "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    make_user(email="pat@example.org", person=pat)

    sign_in(page, live_server, "pat@example.org")
    page.goto(f"{base_url(live_server)}/learning/recommendations/")
    with page.expect_navigation():
        page.get_by_role("link", name="Colleague ratings (360)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Colleague ratings (360)")
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create the survey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Colleague ratings of Pat Principalson")
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Open the survey").click()
    page.get_by_label("How many answers the code allows").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Make a code").click()
    code = page.locator(".edlead-feedback-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    check_axe(page)

    page.context.clear_cookies()  # the staff member: no account
    page.goto(f"{base_url(live_server)}/feedback/meeting/")
    page.get_by_label("Meeting code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate the leadership of Pat Principalson")
    expect(page.locator("main")).to_contain_text("Oak Elementary")
    check_axe(page)
    equity = page.get_by_role("group", name=re.compile(r"Equity and cultural proficiency$"))
    expect(equity.get_by_role("radio")).to_have_count(5)  # four levels and "Don't know", labelled
    first_key = FeedbackSurvey.objects.get().questions[0]["key"]
    page.focus(f"#{first_key}-1")
    page.keyboard.press("ArrowRight")  # radios move by arrow keys within their group
    expect(page.locator(f"#{first_key}-2")).to_be_checked()
    page.locator("label[for='c-equity-3']").click()
    expect(equity.get_by_label("Proficient", exact=True)).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_axe(page)
    answers = FeedbackResponse.objects.get().answers
    assert answers["c-equity"] == 3 and answers[first_key] in (2, 3)
