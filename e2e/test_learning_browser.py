"""Professional learning in a real browser: a principal takes the needs assessment, reads the programs
recommended with their reasons and registers; after the session, the district's program coordinator
takes attendance and marks completion; the principal finds the certificate (a PDF) and the PDPs on
their record and their licences page, and answers the anonymous reaction — axe-clean on every page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import RoleGrant
from edlead.credentials.models import PdpActivity
from edlead.learning.models import Enrollment, Meeting, Program, Provider, Reaction, Session
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


def _choose(page: Page, group: str, answer: str) -> None:
    """Pick a radio button the way a person does: USWDS draws it on its label, the input is hidden."""
    page.get_by_role("group", name=group).get_by_text(answer, exact=True).click()
    expect(page.get_by_role("group", name=group).get_by_label(answer, exact=True)).to_be_checked()


def _program(district: Any, title: str, competencies: list[str], **extra: Any) -> Program:
    from edlead.learning.models import Competency

    provider, _ = Provider.objects.get_or_create(
        name="Alpha Leadership Office", defaults={"kind": "district"}
    )
    program = Program.objects.create(
        organization=district,
        title=title,
        format=Program.Format.WORKSHOP,
        provider=provider,
        audience_roles=["principal"],
        capacity=20,
        **extra,
    )
    program.competencies.set(Competency.objects.filter(code__in=competencies))
    starts = timezone.now() + dt.timedelta(days=12)
    Session.objects.create(
        program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=4), place="Central Office"
    )
    return program


def test_needs_assessment_to_certificate(page: Page, live_server: Any, settings: Any) -> None:
    settings.EDLEAD_MFA_REQUIRED_ROLES = []  # two-factor sign-in is tested on its own
    today = dt.date.today()
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    school = make_school(make_network(district, "North Network"), "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal", starts_on=today - dt.timedelta(days=400))
    make_user(email="principal@example.org", person=pat)
    make_user(
        email="programs@example.org",
        person=make_person("Cora", "Coordinator"),
        grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, district)],
    )
    data = _program(
        district,
        "Data Teams for School Improvement",
        ["data-decisions"],
        pdp_hours=Decimal(12),
        pdp_category="content",
    )
    _program(district, "Crisis Response Planning", ["crisis-management"])
    root = base_url(live_server)

    # --- the principal: needs assessment → growth profile and recommendations → register ------------
    sign_in_as(page, live_server, "principal@example.org")
    _go(page, f"{root}/")
    home = page.locator("#home-learning")
    expect(home).to_contain_text("Take the needs assessment")
    with page.expect_navigation():
        home.get_by_role("link", name="Take the needs assessment").click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs assessment")
    _choose(page, "Data-driven decision making", "1 Beginning")
    _choose(page, "Crisis management", "4 Strong")
    _choose(page, "Communication", "3 Proficient")
    screenshot(page, "learning-needs-assessment")
    with page.expect_navigation():
        page.get_by_role("button", name="Save my ratings and see recommendations").click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My growth profile and recommendations")
    gaps = page.get_by_role("region", name="Where to grow")
    expect(gaps).to_contain_text("Data-driven decision making")
    recommended = page.get_by_role("article")
    expect(recommended).to_have_count(1)  # crisis management is a strength: not recommended
    expect(recommended).to_contain_text("Data Teams for School Improvement")
    expect(recommended).to_contain_text("Develops data-driven decision making, which you rated Beginning")
    screenshot(page, "learning-recommendations")
    with page.expect_navigation():
        recommended.get_by_role("link", name="Data Teams for School Improvement").click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()
    check_axe(page)
    expect(page.get_by_text("You are enrolled in Data Teams for School Improvement.")).to_be_visible()
    enrollment = Enrollment.objects.get(person=pat)
    assert enrollment.status == Enrollment.Status.ENROLLED

    # --- the session is held (moved to yesterday); the coordinator records it ---------------------------
    held = timezone.now() - dt.timedelta(days=1)
    Session.objects.filter(program=data).update(starts_at=held, ends_at=held + dt.timedelta(hours=4))
    session = Session.objects.get(program=data)
    Meeting.objects.create(session=session, starts_at=held, ends_at=held + dt.timedelta(hours=4))
    sign_in_as(page, live_server, "programs@example.org")
    _go(page, f"{root}/")
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Take attendance and mark completion: Data Teams for School Improvement"
        ).click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster: Data Teams for School Improvement")
    page.locator("label", has_text="Pat Principalson").click()  # USWDS draws the box on the label
    expect(page.get_by_role("checkbox", name=re.compile("^Present ?: Pat Principalson"))).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance for").click()
    check_axe(page)
    expect(page.get_by_text("1 of 1 present")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Mark completion").click()
    check_axe(page)
    expect(page.get_by_text("1 participant marked complete")).to_be_visible()
    screenshot(page, "learning-roster-coordinator")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED

    # --- the principal: the certificate and PDPs on their record; the anonymous reaction ------------------
    sign_in_as(page, live_server, "principal@example.org")
    _go(page, f"{root}/people/{pat.pk}/")
    record = page.locator("#person-learning")
    expect(record).to_contain_text("1 program completed · 12 PDPs credited")
    check_axe(page)
    with page.expect_download() as info:
        record.get_by_role("link", name="Certificate (PDF) for Data Teams for School Improvement").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert PdpActivity.objects.filter(
        person=pat, title="Data Teams for School Improvement", amount=12
    ).exists()
    _go(page, f"{root}/credentials/")
    expect(page.get_by_text("Data Teams for School Improvement")).to_be_visible()
    screenshot(page, "learning-pdps-on-licences")
    _go(page, f"{root}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tell us how Data Teams for School Improvement went").click()
    check_axe(page)
    for question in ("relevant to my work", "well prepared", "will use what I learned"):
        _choose(page, question, "Agree")
    _choose(page, "Data-driven decision making", "3 Proficient")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    check_axe(page)
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    assert Reaction.objects.get().answers == {"relevant": 4, "quality": 4, "will_use": 4}
