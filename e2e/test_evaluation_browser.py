"""A principal's whole evaluation cycle in a real browser, as the principal and their supervisor: the
self-assessment's rubric grid operated by keyboard alone, goals proposed and approved, the plan decided and
approved, evidence (a note and the staff feedback file), the formative assessment, the summative evaluation,
both signatures — axe-clean on every page — and the summative printed as a PDF with the educator's name."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in_as
from edlead.access.models import RoleGrant
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Cycle
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

KINDS = ["student_learning", "professional_practice", "school_improvement", "school_improvement"]


def _submit(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).first.click()
    check_axe(page)


def _tick(page: Page, input_id: str) -> None:
    page.locator(f"label[for='{input_id}']").click()


def _saved(page: Page, slug: str) -> None:
    expect(page.locator(f"#{slug}-status")).to_contain_text("Saved")


def test_a_principals_whole_cycle(page: Page, live_server: Any, tmp_path: Path) -> None:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    network = make_network(district, "North Network")
    school = make_school(network, "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, network, "principal_supervisor")
    make_user(email="principal@example.org", person=pat)
    make_user(email="supervisor@example.org", person=sam)
    hr = make_user(
        email="hr@example.org",
        person=make_person("Hana", "Resources"),
        grants=[(RoleGrant.Role.HR, district)],
    )
    cycle = sc.cycle_open(actor=hr, educator=pat, school_year=2026)
    cycle = sc.cycle_set_evaluator(actor=hr, cycle=cycle, evaluator=sam, reason="Network supervisor")
    url = f"{base_url(live_server)}/evaluation/cycles/{cycle.pk}/"

    # --- the principal: self-assessment by keyboard, then goals -------------------------------------
    sign_in_as(page, live_server, "principal@example.org")
    page.goto(f"{base_url(live_server)}/evaluation/cycles/")
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Pat Principalson").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluation of Pat Principalson")
    check_axe(page)
    for code in ("I-A", "I", "II", "III", "IV"):
        page.focus(f"#self-{code}-exemplary")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")  # the next level in the row: Proficient
        expect(page.locator(f"#self-{code}-proficient")).to_be_checked()
    page.get_by_label("Narrative").fill("Strong family engagement; reading scores flat.")
    _saved(page, "self")
    screenshot(page, "evaluation-self-assessment")
    _tick(page, "self-confirm")
    _submit(page, "Submit self-assessment")
    expect(page.locator(".edlead-messages")).to_contain_text("sent to your evaluator")
    for n, kind in enumerate(KINDS, start=1):
        if n > 1:
            page.get_by_text("Add a S.M.A.R.T. goal").click()
        page.select_option("#id_new-kind", kind)
        page.fill("#id_new-title", f"Goal {n}")
        page.fill("#id_new-measurable", "+10 points on the spring assessment")
        _submit(page, "Add the goal")
    _submit(page, "Propose my goals to my evaluator")
    expect(page.locator(".edlead-messages")).to_contain_text("sent for approval")

    # --- the supervisor: goals, plan, evidence, formative, summative, signature -----------------------
    sign_in_as(page, live_server, "supervisor@example.org")
    page.goto(url)
    check_axe(page)
    for _ in KINDS:
        _submit(page, "Approve")
    expect(page.locator("#step-2")).to_contain_text("Suggested:")
    _submit(page, "Decide the plan")
    _tick(page, "plan-confirm")
    _submit(page, "Approve the plan")
    assert Cycle.objects.get(pk=cycle.pk).step == Cycle.Step.IMPLEMENTATION
    page.get_by_text("Add evidence", exact=True).click()
    page.select_option("#id_ev-kind", "note")
    page.fill("#id_ev-title", "MCAS growth")
    page.select_option("#id_ev-category", "1")
    page.fill("#id_ev-text", "SGP 55 in ELA")
    page.select_option("#id_ev-indicators", label="I-A Curriculum")
    _submit(page, "Add the evidence")
    page.get_by_text("Add evidence", exact=True).click()
    survey = tmp_path / "staff-survey.txt"
    survey.write_text("Staff survey summary: 42 answers.\n")
    page.select_option("#id_ev-kind", "file")
    page.fill("#id_ev-title", "Staff survey")
    page.select_option("#id_ev-category", "3")
    _tick(page, "id_ev-staff_feedback")
    page.set_input_files("#id_ev-file", str(survey))
    _submit(page, "Add the evidence")
    expect(page.locator("#step-3")).to_contain_text("staff-survey.txt")
    for select in page.locator("select[id^='progress-']").all():
        select.select_option("on_track")
    page.fill("#formative-narrative", "On track on every goal.")
    _saved(page, "formative")
    page.reload()
    check_axe(page)
    _tick(page, "formative-confirm")
    _submit(page, "Share the formative assessment")
    expect(page.locator("#step-5")).to_contain_text("Before you can sign")
    for code in ("I", "II", "III", "IV"):
        _tick(page, f"summative-{code}-proficient")
    page.select_option("#summative-overall", "proficient")
    for select in page.locator("select[id^='attainment-']").all():
        select.select_option("met")
    page.fill("#summative-narrative", "A strong first year as principal.")
    _saved(page, "summative")
    page.reload()
    check_axe(page)
    expect(page.locator("#step-5")).not_to_contain_text("Before you can sign")
    screenshot(page, "evaluation-summative")
    _tick(page, "sign-confirm")
    _submit(page, "Sign as evaluator")
    expect(page.locator(".edlead-messages")).to_contain_text("You signed")

    # --- the principal signs and prints the summative --------------------------------------------------
    sign_in_as(page, live_server, "principal@example.org")
    page.goto(url)
    check_axe(page)
    expect(page.locator("#step-5")).to_contain_text("A strong first year as principal.")
    page.get_by_label("Your written response (optional)").fill("Thank you for the feedback.")
    _tick(page, "educator-confirm")
    _submit(page, "Sign to acknowledge")
    expect(page.locator(".edlead-messages")).to_contain_text("The cycle is complete")
    assert Cycle.objects.get(pk=cycle.pk).step == Cycle.Step.DONE
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Pat Principalson" in text
    assert "Proficient" in text
