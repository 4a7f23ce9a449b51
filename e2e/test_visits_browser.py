"""School visits in a real browser: a principal supervisor schedules a visit, writes notes that save
themselves, records a look-for, tags the evidence to a goal of the school's plan, adds a next step and
releases the feedback, which the principal reads (and marks the step done) — axe-clean on every page.
And the offline capture: with the network cut, the notes are kept on the tablet, survive the page being
opened again from the service worker's cache, and are saved when the connection returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, sign_in_as
from edlead.metrics.models import Metric, StudentGroup
from edlead.plans import services as plan_services
from edlead.plans.models import Plan
from edlead.testing import (
    make_district,
    make_network,
    make_person,
    make_position,
    make_school,
    make_state,
    make_user,
)
from edlead.visits import services as visit_services
from edlead.visits.models import Visit

pytestmark = pytest.mark.browser


def _world() -> dict[str, Any]:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    school = make_school(make_network(district, "North Quadrant"), "Oak Elementary", code="99100010")
    pat = make_person("Pat", "Principalson")
    make_position(pat, school, "principal")
    sam = make_person("Sam", "Supervisorova")
    make_position(sam, school.parent, "principal_supervisor")
    users = {
        "pat": make_user(email="pat@example.org", person=pat),
        "sam": make_user(email="sam@example.org", person=sam),
    }
    year = plan_services.quarter_of(dt.date.today())[0]
    plan = plan_services.plan_create(actor=users["pat"], school=school, first_year=year, last_year=year)
    plan_services.goal_add(
        actor=users["pat"],
        plan=plan,
        data={
            "statement": "Fewer students miss ten percent of the days",
            "metric": Metric.objects.get(code="monitor_chronic_absence"),
            "group": StudentGroup.objects.get(code="all"),
            "school_year": year,
            "baseline": "18",
            "target": "12",
        },
    )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    return {"school": school, "users": users, "pat": pat, "sam": sam}


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    check_axe(page)


def test_a_supervisor_visits_and_the_principal_reads_the_feedback(page: Page, live_server: Any) -> None:
    _world()
    sign_in_as(page, live_server, "sam@example.org")
    page.get_by_role("link", name="Visits").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School visits")
    check_axe(page)
    page.get_by_role("link", name="Schedule or record a visit").click()
    check_axe(page)
    page.get_by_label("Purpose").select_option(Visit.Purpose.PLAN_CHECK)
    page.get_by_label("Date").fill(dt.date.today().isoformat())
    page.get_by_label("Start time").fill("09:30")
    _submit(page, "Save the visit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit to Oak Elementary")
    expect(page.locator(".usa-intro")).to_contain_text("Plan progress check")

    page.get_by_role("textbox", name="Notes").fill("Attendance team met; the calls home start Monday.")
    expect(page.locator("#visit-status")).to_contain_text("Saved")
    first_look_for = page.locator("select[name=lf_1]")
    first_look_for.select_option("evident")
    expect(page.locator("#visit-status")).to_contain_text("Saved")
    page.locator("label", has_text="Fewer students miss ten percent of the days").click()  # USWDS's checkbox
    _submit(page, "Save the tags")
    expect(page.locator(".edlead-messages")).to_contain_text("Evidence tags saved")
    page.get_by_role("textbox", name="Next step").fill("Share the attendance list with the team each Friday")
    page.get_by_label("Who").select_option(label="Pat Principalson")
    _submit(page, "Add the next step")
    expect(page.get_by_role("row", name="Share the attendance list")).to_contain_text("Pat Principalson")
    page.get_by_role("textbox", name="Feedback").fill(
        "A clear plan for attendance: keep the Friday list going."
    )
    expect(page.locator("#visit-status")).to_contain_text("Saved")
    _submit(page, "Release the feedback")
    expect(page.locator(".edlead-messages")).to_contain_text("Feedback released")
    visit = Visit.objects.get()
    assert visit.released and visit.plan_goals.count() == 1 and visit.look_fors
    assert visit.notes.startswith("Attendance team met")
    visit_url = page.url

    # The principal is told, opens the visit from their visits page and reads it.
    sign_in_as(page, live_server, "pat@example.org")
    page.goto(f"{base_url(live_server)}/visits/")
    check_axe(page)
    expect(page.get_by_role("table", name="Visits to you and your school")).to_contain_text(
        "Feedback released"
    )
    page.get_by_role("table", name="Visits to you and your school").get_by_role("link").first.click()
    assert page.url == visit_url
    check_axe(page)
    expect(page.locator("#h-feedback + p")).to_contain_text("keep the Friday list going")
    expect(page.get_by_role("link", name="Fewer students miss ten percent of the days")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("row", name="Share the attendance list").get_by_role(
            "button", name="Mark done"
        ).click()
    expect(page.locator(".edlead-messages")).to_contain_text("Next step marked done")
    assert visit.next_steps.get().done_on == dt.date.today()


def test_notes_written_with_no_connection_are_kept_and_saved_when_it_returns(
    page: Page, live_server: Any
) -> None:
    w = _world()
    visit = visit_services.visit_record(
        actor=w["users"]["sam"],
        organization=w["school"],
        date=dt.date.today(),
        length_minutes=60,
        educator=w["pat"],
        purpose=Visit.Purpose.LEARNING_WALK,
    )
    sign_in_as(page, live_server, "sam@example.org")
    url = f"{base_url(live_server)}{visit.get_absolute_url()}"
    page.goto(url)
    # The service worker is running and holds the page (evaluate awaits the promises; a polled
    # predicate returning a promise would count as true at once).
    assert page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    cached = "async path => !!(await (await caches.open('edlead-visits-v1')).match(path))"
    for _ in range(150):
        if page.evaluate(cached, visit.get_absolute_url()):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the service worker never kept the visit page")
    page.context.set_offline(True)
    notes = "Room 12: students explain their strategies to a partner.\nRoom 14: exit tickets."
    page.get_by_role("textbox", name="Notes").fill(notes)
    expect(page.locator("#visit-offline")).to_contain_text("No connection")
    kept = page.evaluate(f"() => localStorage.getItem('edlead-visit-{visit.pk}')")
    assert kept and "Room 14" in kept
    visit.refresh_from_db()
    assert visit.notes == ""
    # The tablet goes to sleep and the page is opened again, still with no connection.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit to Oak Elementary")
    expect(page.get_by_role("textbox", name="Notes")).to_have_value(notes)
    expect(page.locator("#visit-offline")).to_contain_text("Restored notes kept on this device")
    # The connection returns: the notes are saved, and the copy on the device is cleared.
    page.context.set_offline(False)
    expect(page.locator("#visit-status")).to_contain_text("Saved", timeout=15_000)
    visit.refresh_from_db()
    assert visit.notes == notes.replace("\n", "\r\n") or visit.notes == notes
    page.wait_for_function(f"() => localStorage.getItem('edlead-visit-{visit.pk}') === null")
    check_axe(page)
    # Signing out on a shared tablet leaves nothing of it behind: the kept page, the worker, the notes.
    left = """async () => ({
        caches: (await caches.keys()).length,
        workers: (await navigator.serviceWorker.getRegistrations()).length,
        stored: localStorage.length,
    })"""  # evaluate awaits the promise (wait_for_function would take a promise as true at once)
    before = page.evaluate(left)
    assert before["caches"] >= 1 and before["workers"] >= 1, before
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    for _ in range(100):
        if page.evaluate(left) == {"caches": 0, "workers": 0, "stored": 0}:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"signing out left stored data in the browser: {page.evaluate(left)}")


def test_signing_out_asks_first_when_the_device_holds_notes_not_yet_saved(
    page: Page, live_server: Any
) -> None:
    _world()
    sign_in_as(page, live_server, "sam@example.org")
    kept = "() => localStorage.getItem('edlead-visit-999')"
    page.evaluate("() => localStorage.setItem('edlead-visit-999', JSON.stringify({fields: {notes: 'x'}}))")
    asked: list[str] = []

    def cancel(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert asked and asked[0].startswith("Notes of 1 school visit written on this device")
    assert page.evaluate(kept) is not None  # cancelled: still signed in, the notes still here
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.wait_for_function("() => localStorage.length === 0", polling=100, timeout=10_000)
    assert "/accounts/login" in page.url or page.get_by_role("link", name="Sign in").count()
