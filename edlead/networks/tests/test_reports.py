"""Network reports (issue 12 item 7): generated on the schedule for last month (and on 1 July the annual
report), kept with their history, holding what the supervisor's home says about each school and the
period's figures; the supervisor's narrative saves itself with the version check and is sent to the
superintendent; read by the supervisor, administrators and the superintendent, never the principals;
the PDF renders with real content, checked as text and as a page image."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from edlead.access.tests.conftest import World
from edlead.core.editing import EditConflict
from edlead.core.errors import ApplicationError
from edlead.evaluations.tests.factories import cycle_for
from edlead.networks import reports
from edlead.networks.models import NetworkReport
from edlead.notices.models import Notice
from edlead.plans.tests.test_plans import _ready
from edlead.schedules.registry import get as job
from edlead.visits import services as visit_services
from edlead.visits.models import Visit

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _setup(world: World) -> NetworkReport:
    cycle_for(world.people["P1"], evaluator=world.people["SUP1"])
    _ready(world)
    start, end = reports.month_of(TODAY)
    visit_services.visit_record(
        actor=world.users["principal_supervisor"],
        organization=world.orgs["S1"],
        date=start,
        length_minutes=60,
        educator=world.people["P1"],
        purpose=Visit.Purpose.LEARNING_WALK,
    )
    return reports.report_generate(
        actor=world.users["principal_supervisor"],
        network=world.orgs["N1"],
        kind="monthly",
        start=start,
        end=end,
    )


def test_the_report_holds_the_schools_and_the_months_figures(world: World) -> None:
    report = _setup(world)
    content = report.content
    assert report.author == world.people["SUP1"] and content["schools"] >= 1
    s1 = next(r for r in content["rows"] if r["school_id"] == world.orgs["S1"].pk)
    cells = dict(zip(content["columns"], s1["cells"], strict=True))
    assert s1["principal"] == world.people["P1"].display_name
    assert cells["Improvement plan"][0] == "Draft"
    visits = next(f for f in content["figures"] if f["section"] == "Last visit")
    assert ["Visits made", 1] in visits["items"]
    assert any(f["section"] == "Evaluation" for f in content["figures"])
    assert dict(content["attention"])["Off-track flags"] == 0
    # Generating again keeps the narrative and refreshes the figures; one report per network and month.
    reports.narrative_save(
        actor=world.users["principal_supervisor"],
        report=report,
        expected_version=report.version,
        narrative="Calm month.",
    )
    again = reports.report_generate(
        actor=world.users["principal_supervisor"],
        network=world.orgs["N1"],
        kind="monthly",
        start=report.period_start,
        end=report.period_end,
    )
    assert again.pk == report.pk and again.narrative == "Calm month." and NetworkReport.objects.count() == 1


def test_the_schedule_generates_last_months_report_once_and_the_annual_in_july(world: World) -> None:
    assert job("networks.reports").cron == "0 6 1 * *"
    made = reports.reports_generate_due(today=dt.date(2026, 12, 1))
    assert made == 1  # North's supervisor has an account; South's supervisor has none in this world
    report = NetworkReport.objects.get()
    assert (report.kind, report.period_start, report.period_end) == (
        "monthly",
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
    )
    assert report.edited_by is None  # the schedule
    assert reports.reports_generate_due(today=dt.date(2026, 12, 2)) == 0
    assert reports.reports_generate_due(today=dt.date(2027, 7, 1)) == 2  # June's, and 2026-27's annual report
    annual = NetworkReport.objects.get(kind="annual")
    assert (annual.period_start, annual.period_end) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert annual.period_label == "2026-27"


def test_who_reads_the_report(world: World, client: Client) -> None:
    report = _setup(world)
    for key, status in {
        "principal_supervisor": 200,
        "superintendent": 200,
        "district_admin": 200,
        "school_leader": 404,  # the report speaks of each principal's evaluation
        "educator": 404,
        "coach": 404,
        "hr": 404,
    }.items():
        client.force_login(world.users[key])
        assert client.get(report.get_absolute_url()).status_code == status, key
    with pytest.raises(ApplicationError, match="Only the network's supervisor"):
        reports.report_generate(
            actor=world.users["superintendent"],
            network=world.orgs["N1"],
            kind="monthly",
            start=report.period_start,
            end=report.period_end,
        )


def test_narrative_autosave_conflict_and_sending(world: World, client: Client) -> None:
    report = _setup(world)
    sup = world.users["principal_supervisor"]
    client.force_login(sup)
    url = reverse("networks:report-save", args=[report.pk])
    saved = client.post(url, {"version": report.version, "narrative": "Visits up."}, HTTP_HX_REQUEST="true")
    assert "Saved" in saved.text
    stale = client.post(url, {"version": report.version, "narrative": "Other tab"}, HTTP_HX_REQUEST="true")
    assert "Not saved" in stale.text
    report.refresh_from_db()
    assert report.narrative == "Visits up."
    with pytest.raises(EditConflict):
        reports.narrative_save(actor=sup, report=report, expected_version=report.version - 1, narrative="x")
    client.post(reverse("networks:report-send", args=[report.pk]))
    notice = Notice.objects.get(person=world.people["SUPT"], kind=reports.NOTICE_REPORT)
    assert notice.link == report.get_absolute_url()
    report.refresh_from_db()
    assert report.sent_at is not None
    client.force_login(world.users["superintendent"])
    page = client.get(report.get_absolute_url())
    assert "Visits up." in page.text and 'id="narrative-status"' not in page.text  # read, not written


def _dark_share(pdf: bytes, tmp: Path) -> float:
    """The share of dark pixels on the PDF's first page drawn by pdftoppm (grey, 30 dpi)."""
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", str(path), str(tmp / "page")], check=True
    )
    image = next(tmp.glob("page*.pgm")).read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", image)
    assert match is not None
    pixels = image[match.end() :]
    return sum(1 for b in pixels if b < 128) / len(pixels)


def test_the_pdf_holds_the_report(world: World, client: Client, tmp_path: Path) -> None:
    report = _setup(world)
    reports.narrative_save(
        actor=world.users["principal_supervisor"],
        report=report,
        expected_version=report.version,
        narrative="Attendance is the month's story.",
    )
    client.force_login(world.users["superintendent"])
    response = client.get(reverse("networks:report-pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))
    assert f"North Quadrant: monthly report, {report.period_label}" in text
    assert "Attendance is the month's story." in text and world.orgs["S1"].name in text
    assert "Visits made" in text and "Schools needing attention" in text and "Page 1 of" in text
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: make test-deps")
    share = _dark_share(response.content, tmp_path)
    assert 0.005 < share < 0.5, share  # text and bars drawn, not a blank or black page


def test_the_report_page_reads_in_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    report = _setup(world)
    client.force_login(world.users["principal_supervisor"])
    client.get(report.get_absolute_url())
    with django_assert_max_num_queries(25):
        assert client.get(report.get_absolute_url()).status_code == 200
