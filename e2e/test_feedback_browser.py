"""Staff feedback in a real browser: the evaluator's survey page, then a staff member with no account
opens the e-mailed link (its key after '#', moved into the form by feedback.js and out of the address bar),
answers by keyboard-operable radios grouped in fieldsets, and reaches the thank-you page; a second use of
the link gets a clear page. axe-clean and within the Content-Security-Policy on every page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, sign_in
from edlead.evaluations import services_cycle as sc
from edlead.evaluations import services_feedback as fb
from edlead.evaluations.models_feedback import FeedbackResponse
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


def test_staff_answer_a_survey_from_an_emailed_link(page: Page, live_server: Any) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    network = make_network(district, "North Network")
    school = make_school(network, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, network, "principal_supervisor")
    supervisor = make_user(email="supervisor@example.org", person=sam)
    cycle = sc.cycle_open(actor=None, educator=pat, school_year=2026, evaluator=sam)
    today = dt.date.today()
    survey = fb.survey_create(
        actor=supervisor, cycle=cycle, opens_on=today, closes_on=today + dt.timedelta(days=7)
    )

    sign_in(page, live_server, "supervisor@example.org")
    page.goto(f"{base_url(live_server)}/feedback/survey/{survey.pk}/")
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Open the survey").click()
    check_axe(page)
    page.get_by_label("Staff e-mail addresses").fill("ada@oak.example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the links").click()
    expect(page.locator(".edlead-messages")).to_contain_text("1 invitation sent")
    token = re.search(r"#k=([A-Za-z0-9_-]+)", str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]

    page.context.clear_cookies()  # the staff member: no account
    with page.expect_navigation():
        page.goto(f"{base_url(live_server)}/feedback/answer/#k={token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff feedback on Pat Principalson")
    assert token not in page.url
    check_axe(page)
    first = page.get_by_role("group", name=re.compile(r"^1\. The principal helps teachers"))
    expect(first.get_by_role("radio")).to_have_count(6)  # five points and "Don't know", labelled
    page.locator("label[for='q1-4']").click()
    expect(first.get_by_label("Agree", exact=True)).to_be_checked()
    page.focus("#q2-1")
    page.keyboard.press("ArrowRight")  # radios move by arrow keys within their group
    expect(page.locator("#q2-2")).to_be_checked()
    page.get_by_label(re.compile("Anything else")).fill("Thanks for the Friday notes.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_axe(page)
    assert FeedbackResponse.objects.get(survey=survey).answers["q1"] == 4

    with page.expect_navigation():
        page.goto(f"{base_url(live_server)}/feedback/answer/#k={token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link or code has been used")
    check_axe(page)
