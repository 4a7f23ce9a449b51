"""The metrics kinds keep a preview's parse for its apply (issue 7: parse uploads once): what they keep
(`parsed_dump`, pickled as a browser preview stores it) plans and writes exactly like reading the file
again — DESE markers and blanked cells, measures learned from a profile export, aggregated monitoring."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from edlead.imports import services
from edlead.imports.tests.helpers import write_csv
from edlead.metrics.models import Fact, Metric
from edlead.metrics.tests import monitoring_data
from edlead.metrics.tests.test_dese_learned import ATT_HEADER, ATT_TITLE, WIDGET_HEADER, WIDGET_TITLE
from edlead.testing import make_district, make_school, make_state


@pytest.fixture
def orgs(db: Any) -> None:
    make_state()
    abington = make_district("Abington", code="00010000")
    make_district("Acton-Boxborough", code="06000000")
    make_school(abington, "Oak Elementary", code=monitoring_data.SCHOOL)


def kept(path: Path, **given: Any) -> tuple[Any, services.Parsed]:
    """Read `path` once and return what a preview keeps, taken through pickle and back."""
    outcome, parsed = services.file_parse(path=path, name=path.name, **given)
    assert parsed is not None, outcome.report()
    body = pickle.loads(pickle.dumps((parsed.kind.parsed_dump(parsed.rows), outcome)))  # noqa: S301
    rows, outcome = body
    return outcome, services.Parsed(parsed.kind, parsed.kind.parsed_load(rows), parsed.title, parsed.year)


def apply_kept(path: Path, **given: Any) -> Any:
    return services.import_file(path=path.with_name("gone.csv"), name=path.name, parsed=kept(path, **given))


@pytest.mark.django_db
def test_a_dese_report_applied_from_its_kept_parse_keeps_markers_and_removes_blanked_values(
    orgs: Any, tmp_path: Path
) -> None:
    first = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", "93.4", "7.4", "24.2", "16.6", "4.0", "10.2"]]
    applied = apply_kept(write_csv(tmp_path / "1" / "Attendance.csv", first))
    assert applied.applied and applied.created == 6 and applied.school_year == "2023-24"
    second = [ATT_TITLE, ATT_HEADER, ["Abington", "00010000", "93.4", "<10", "24.2", "16.6", "*", ""]]
    path = write_csv(tmp_path / "2" / "Attendance.csv", second)
    preview = services.import_file(path=path, dry_run=True)
    outcome = apply_kept(path)
    assert outcome.counts_line() == preview.counts_line() == "0 created, 3 updated, 3 unchanged, 0 skipped"
    assert outcome.notes == preview.notes
    stored = {f.metric.code: (f.value, f.note) for f in Fact.objects.select_related("metric")}
    assert stored["absences_avg"] == (None, "<10")
    assert stored["chronic_absence_20_pct"] == (None, "*")
    assert "unexcused_9_days_pct" not in stored  # the blanked cell removed the old value
    assert stored["attendance_rate"] == (Decimal("93.4"), "")


@pytest.mark.django_db
def test_a_profile_export_applied_from_its_kept_parse_learns_its_metrics(orgs: Any, tmp_path: Path) -> None:
    rows = [
        WIDGET_TITLE,
        WIDGET_HEADER,
        ["Abington", "00010000", " 87.5", "1,204", "$15,310", "Southeast"],
        ["Acton-Boxborough", "6000000", "*", "<10", "N/A", "Metrowest"],
    ]
    outcome = apply_kept(write_csv(tmp_path / "WidgetReadiness.csv", rows))
    assert outcome.applied, outcome.report()
    learned = Metric.objects.get(code="learned-pct-widgets-ready")
    assert Fact.objects.get(metric=learned, organization__code="00010000").value == Decimal("87.5")
    assert Fact.objects.get(metric=learned, organization__code="06000000").note == "*"


@pytest.mark.django_db
def test_a_monitoring_file_applied_from_its_kept_parse_writes_the_same_aggregates(
    orgs: Any, tmp_path: Path
) -> None:
    path = monitoring_data.attendance_file(tmp_path / "attendance.csv")
    preview = services.import_file(path=path, dry_run=True, kind="monitoring_attendance")
    outcome = apply_kept(path, kind="monitoring_attendance")
    assert outcome.applied and outcome.counts_line() == preview.counts_line()
    assert outcome.skips == preview.skips  # the unknown school, listed once from the kept rows
    students = Fact.objects.get(
        organization__code=monitoring_data.SCHOOL,
        metric__code="monitor_students_enrolled",
        period="2024-10",
        group__code="all",
    )
    assert students.value == 4
