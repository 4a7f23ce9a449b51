"""DESE files as users download them (issue 7, item 3): reports EdLead has not seen, DESE's markers for
values it does not publish, re-publications that blank a cell, and refusals that name the header line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import, write_csv
from edlead.metrics.kinds.dese_profile import learned_code, unit_of
from edlead.metrics.models import Fact, Metric
from edlead.metrics.services import catalog_sync
from edlead.orgs.models import Organization
from edlead.testing import make_district, make_school, make_state

DATA = settings.BASE_DIR.parent / "shared" / "data" / "dese"
ATT_TITLE = ["2023-24 (March) Attendance (District)  - All Students"]
ATT_HEADER = [
    "District Name",
    "District Code",
    "Attendance Rate",
    "Average # of Absences",
    "Absent 10 or more days",
    "Chronically Absent (10% or more)",
    "Chronically Absent (20% or more)",
    "Unexcused > 9 days",
]
WIDGET_TITLE = ["2023-24 Widget Readiness Report (District) - All Students"]
WIDGET_HEADER = ["District Name", "District Code", "% Widgets Ready", "# Widgets", "Per Pupil $", "Region"]


@pytest.fixture
def orgs(db: Any) -> dict[str, Organization]:
    abington = make_district("Abington", code="00010000")
    acton = make_district("Acton-Boxborough", code="06000000")
    return {
        "abington": abington,
        "acton": acton,
        "abington_high": make_school(abington, "Abington High", code="00010505"),
    }


def fact(code: str, metric: str, year: int = 2023) -> Fact:
    return Fact.objects.get(organization__code=code, metric__code=metric, school_year=year)


# --- A report EdLead has not seen -------------------------------------------------------------------
def test_learned_code_and_unit_from_the_header() -> None:
    assert learned_code("% Widgets Ready") == "learned-pct-widgets-ready"
    assert unit_of("% Widgets Ready") == Metric.Unit.PERCENT
    assert unit_of("# Widgets") == Metric.Unit.COUNT
    assert unit_of("Per Pupil $") == Metric.Unit.DOLLARS
    assert unit_of("Widget Index") == Metric.Unit.SCORE
    assert len(learned_code("x" * 200)) <= 80


def test_a_profile_export_with_never_seen_columns_imports_and_learns_metrics(
    orgs: Any, tmp_path: Path
) -> None:
    rows = [
        WIDGET_TITLE,
        WIDGET_HEADER,
        ["Abington", "00010000", " 87.5", "1,204", "$15,310", "Southeast"],
        ["Acton-Boxborough", "6000000", "*", "<10", "N/A", "Metrowest"],
        ["State Totals", "00000000", "80.1", "54,321", "$17,000", ""],
    ]
    path = write_csv(tmp_path / "WidgetReadiness.csv", rows)
    code, out, _ = run_import(path, "--dry-run")
    assert code == 0, out
    assert not Metric.objects.filter(code__startswith="learned-").exists()  # a dry run learns nothing
    code, out, _ = run_import(path)
    assert code == 0, out
    assert "DESE profile export" in out and "“Region”" in out  # text column: not a measure
    ready = Metric.objects.get(code="learned-pct-widgets-ready")
    assert (ready.name, ready.unit, ready.learned_from_file) == (
        "% Widgets Ready",
        Metric.Unit.PERCENT,
        "WidgetReadiness.csv",
    )
    assert "Widget Readiness Report" in ready.source_report and "2023" not in ready.source_report
    assert Metric.objects.get(code="learned-num-widgets").unit == Metric.Unit.COUNT
    assert Metric.objects.get(code="learned-per-pupil-dollars").unit == Metric.Unit.DOLLARS
    assert not Metric.objects.filter(name="Region").exists()
    assert fact("00010000", "learned-pct-widgets-ready").value == Decimal("87.5")
    assert fact("00010000", "learned-num-widgets").value == Decimal("1204")
    assert fact("00010000", "learned-per-pupil-dollars").value == Decimal("15310")
    suppressed = fact("06000000", "learned-pct-widgets-ready")
    assert (suppressed.value, suppressed.note) == (None, "*")
    assert fact("06000000", "learned-num-widgets").note == "<10"
    assert fact("06000000", "learned-per-pupil-dollars").note == "N/A"
    assert Fact.objects.get(organization=make_state(), metric=ready).value == Decimal("80.1")
    code, out, _ = run_import(path)
    assert code == 0 and last_line(out) == "0 created, 0 updated, 9 unchanged, 0 skipped", out


def test_learned_metrics_are_the_administrators_to_edit_and_survive_the_catalog_sync(
    orgs: Any, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "WidgetReadiness.csv", [WIDGET_TITLE, WIDGET_HEADER, ["Abington", "10000", "1", "2", "3"]]
    )
    assert run_import(path)[0] == 0
    Metric.objects.filter(code="learned-pct-widgets-ready").update(
        name="Widgets ready for school", direction=Metric.Direction.HIGHER_BETTER
    )
    catalog_sync()
    edited = Metric.objects.get(code="learned-pct-widgets-ready")
    assert edited.name == "Widgets ready for school" and edited.direction == Metric.Direction.HIGHER_BETTER
    assert run_import(path)[0] == 0  # a re-import does not rename it back
    assert Metric.objects.get(code="learned-pct-widgets-ready").name == "Widgets ready for school"


def test_learned_metrics_are_editable_in_the_admin(orgs: Any, tmp_path: Path, client: Any) -> None:
    from edlead.testing import make_user

    path = write_csv(
        tmp_path / "WidgetReadiness.csv", [WIDGET_TITLE, WIDGET_HEADER, ["Abington", "10000", "1", "2", "3"]]
    )
    assert run_import(path)[0] == 0
    admin = make_user(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(admin)
    learned = Metric.objects.get(code="learned-pct-widgets-ready")
    declared = Metric.objects.get(code="attendance_rate")
    page = client.get(f"/admin/metrics/metric/{learned.pk}/change/")
    if page.status_code in (302, 403, 404) and "/admin/" not in page.get("Location", "/admin/"):
        pytest.skip("The admin is not served in this configuration")
    assert page.status_code == 200 and 'name="name"' in page.content.decode()
    assert 'name="name"' not in client.get(f"/admin/metrics/metric/{declared.pk}/change/").content.decode()


def test_the_year_of_a_profile_export_follows_the_declared_rules(orgs: Any, tmp_path: Path) -> None:
    nameless = write_csv(
        tmp_path / "widgets" / "widgets.csv", [WIDGET_HEADER, ["Abington", "10000", "1", "2", "3"]]
    )
    code, out, _ = run_import(nameless)
    assert code == 1 and "cannot tell which school year" in out
    assert not Metric.objects.filter(code__startswith="learned-").exists()  # refused: nothing learned
    dated = write_csv(
        tmp_path / "2021-22" / "widgets.csv", [WIDGET_HEADER, ["Abington", "10000", "1", "2", "3"]]
    )
    assert run_import(dated)[0] == 0
    assert fact("00010000", "learned-pct-widgets-ready", 2021).value == Decimal("1")
    titled = write_csv(
        tmp_path / "x" / "w.csv",
        [["2019 Widget Readiness"], WIDGET_HEADER, ["Abington", "10000", "4", "2", "3"]],
    )
    assert run_import(titled)[0] == 0
    assert fact("00010000", "learned-pct-widgets-ready", 2018).value == Decimal("4")  # 2019 ends 2018-19


def test_files_of_people_or_addresses_are_not_taken_for_dese_reports(orgs: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "2023-24" / "people.csv",
        [["School Name", "School Code", "Last Name", "Years"], ["Abington High", "00010505", "Smith", "3"]],
    )
    code, out, _ = run_import(path)
    assert code == 1 and "does not recognise this file's layout" in out
    assert not Metric.objects.filter(code__startswith="learned-").exists()


def test_a_real_dese_export_with_its_columns_renamed_imports_as_a_profile(orgs: Any, tmp_path: Path) -> None:
    source = DATA / "district" / "2023-24" / "Attendance.csv"
    if not source.exists():
        pytest.skip(f"The shared DESE data is not here ({source}); see ../shared/data/README.md")
    target = tmp_path / "2023-24" / "AttendanceRenamed.csv"
    target.parent.mkdir(parents=True)
    text = source.read_text(encoding="utf-8-sig").replace("Attendance Rate", "Attendance Rate (new)")
    target.write_text(text, encoding="utf-8-sig")
    code, out, _ = run_import(target)
    assert code == 0, out
    learned = Metric.objects.get(code="learned-attendance-rate-new")
    assert learned.learned_from_file == "AttendanceRenamed.csv"
    assert fact("00010000", "learned-attendance-rate-new").value is not None


# --- Markers DESE uses for values it does not publish ---------------------------------------------------
@pytest.mark.parametrize("marker", ["*", "-", "<10", "N/A", "NR", "**", "n<10", ">95", "—", "DNR"])
def test_dese_markers_load_as_no_value_with_the_reason(orgs: Any, tmp_path: Path, marker: str) -> None:
    rows = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", marker, "7.4", "24.2", "16.6", "4.0", "10.2"]]
    code, out, _ = run_import(write_csv(tmp_path / "Attendance.csv", rows))
    assert code == 0, out
    stored = fact("00010000", "attendance_rate")
    assert (stored.value, stored.note) == (None, marker)
    assert fact("00010000", "absences_avg").value == Decimal("7.4")


def test_markers_in_an_xlsx_too(orgs: Any, tmp_path: Path) -> None:
    rows = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", "*", "<10", "24.2", "16.6", "4.0", "10.2"]]
    xlsx = csv_to_xlsx(write_csv(tmp_path / "a" / "Attendance.csv", rows), tmp_path / "b" / "Attendance.xlsx")
    code, out, _ = run_import(xlsx)
    assert code == 0, out
    assert fact("00010000", "attendance_rate").note == "*"
    assert fact("00010000", "absences_avg").note == "<10"


# --- A re-published report ---------------------------------------------------------------------------
def test_a_republished_report_that_blanks_a_cell_removes_the_old_value(orgs: Any, tmp_path: Path) -> None:
    first = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", "93.4", "7.4", "24.2", "16.6", "4.0", "10.2"]]
    assert run_import(write_csv(tmp_path / "1" / "Attendance.csv", first))[0] == 0
    assert fact("00010000", "unexcused_9_days_pct").value == Decimal("10.2")
    second = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", "93.4", "7.4", "24.2", "16.6", "*", ""]]
    code, out, _ = run_import(write_csv(tmp_path / "2" / "Attendance.csv", second))
    assert code == 0, out
    assert last_line(out) == "0 created, 2 updated, 4 unchanged, 0 skipped"
    assert not Fact.objects.filter(
        organization__code="00010000", metric__code="unexcused_9_days_pct"
    ).exists()
    assert fact("00010000", "chronic_absence_20_pct").note == "*"
    assert "blank in this file" in out
    code, out, _ = run_import(write_csv(tmp_path / "2" / "Attendance.csv", second))
    assert last_line(out) == "0 created, 0 updated, 5 unchanged, 0 skipped"


def test_a_file_without_a_column_leaves_that_columns_values_alone(orgs: Any, tmp_path: Path) -> None:
    full = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", "93.4", "7.4", "24.2", "16.6", "4.0", "10.2"]]
    assert run_import(write_csv(tmp_path / "1" / "Attendance.csv", full))[0] == 0
    narrow = [ATT_TITLE, ATT_HEADER[:3], ["Abington", "00010000", "93.5"]]
    code, out, _ = run_import(write_csv(tmp_path / "2" / "Attendance.csv", narrow))
    assert code == 0, out
    assert fact("00010000", "unexcused_9_days_pct").value == Decimal("10.2")
    assert fact("00010000", "attendance_rate").value == Decimal("93.5")


# --- Refusals name the real header line -------------------------------------------------------------
def test_refusals_name_the_header_line_below_the_title_rows(orgs: Any, tmp_path: Path) -> None:
    header = [*ATT_HEADER[:3], "Attendance Rate", *ATT_HEADER[4:]]
    rows = [ATT_TITLE, ["Published March 2024"], header, ["Abington", "10000", "1", "1", "1", "1", "1", "1"]]
    code, out, _ = run_import(write_csv(tmp_path / "Attendance.csv", rows))
    assert code == 1
    assert "Line 3, column “Attendance Rate”: this column appears twice in the header row" in out, out
    code, out, _ = run_import(write_csv(tmp_path / "Attendance.csv", [ATT_TITLE, ["Note"], ATT_HEADER]))
    assert code == 1 and "Line 3: the file has a header row but no data rows" in out, out
