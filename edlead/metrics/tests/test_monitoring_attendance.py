"""Student-level attendance: streamed aggregation, groups, the 10% line, privacy, bad input, CLI, XLSX."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from edlead.core.errors import ApplicationError
from edlead.imports import services
from edlead.imports.models import ImportRun
from edlead.imports.tests import conftest as import_fixtures
from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import
from edlead.metrics import suppression
from edlead.metrics.models import Fact, Metric
from edlead.metrics.monitoring import student_id_hash
from edlead.metrics.tests.monitoring_data import (
    EXPECTED,
    HEADER,
    PLANTED_ID,
    PLANTED_NAME,
    ROWS,
    SCHOOL,
    UNKNOWN,
    attendance_file,
)

pytestmark = pytest.mark.django_db
state, users = import_fixtures.state, import_fixtures.users  # the import tests' fixtures


def facts_by_key() -> dict[tuple[str, str, str], tuple[Decimal | None, int | None]]:
    return {
        (f.period, f.group.code, f.metric.code): (f.value, f.n)
        for f in Fact.objects.select_related("group", "metric").filter(metric__code__startswith="monitor_")
    }


def test_attendance_aggregates_to_school_group_period_facts_computed_by_hand(
    users: dict[str, Any], tmp_path: Path
) -> None:
    status, out, err = run_import(attendance_file(tmp_path / "attendance.csv"))
    assert status == 0, out + err
    assert last_line(out) == "42 created, 0 updated, 0 unchanged, 2 skipped"
    facts = facts_by_key()
    assert len(facts) == 3 * len(EXPECTED)
    for (period, group), (students, rate, chronic) in EXPECTED.items():
        assert facts[(period, group, "monitor_students_enrolled")] == (Decimal(students), students)
        assert facts[(period, group, "monitor_attendance_rate")] == (Decimal(rate), students), (period, group)
        assert facts[(period, group, "monitor_chronic_absence")] == (Decimal(chronic), students), (
            period,
            group,
        )
    school_ids = set(Fact.objects.values_list("organization_id", flat=True))
    assert school_ids == {users["school"].pk}
    assert set(Fact.objects.values_list("school_year", flat=True)) == {2024}
    assert "1 repeated row" not in out  # repeats are counted silently per student
    assert f"school {UNKNOWN} is not known to EdLead; 2 rows skipped (the first on this line)" in out
    assert "Student name columns ignored" in out and "“First Name”" in out


def test_reimporting_the_same_file_changes_nothing(users: dict[str, Any], tmp_path: Path) -> None:
    path = attendance_file(tmp_path / "attendance.csv")
    assert run_import(path)[0] == 0
    status, out, _ = run_import(path)
    assert status == 0
    assert last_line(out) == "0 created, 0 updated, 42 unchanged, 2 skipped"


def test_chronic_absence_threshold_is_exactly_ten_percent(users: dict[str, Any], tmp_path: Path) -> None:
    rows = [
        ["A", SCHOOL, "2024-10-31", "10", "1"],  # 10%: chronic
        ["B", SCHOOL, "2024-10-31", "100", "9.99"],  # 9.99%: not
        ["C", SCHOOL, "2024-10-31", "7", "0.7"],  # 10%: chronic
        ["D", SCHOOL, "2024-10-31", "3", "0.29"],  # 9.67%: not
    ]
    header = ["Student ID", "School Code", "Date", "Days Enrolled", "Days Absent"]
    assert run_import(attendance_file(tmp_path / "a.csv", rows, header))[0] == 0
    assert facts_by_key()[("2024-10", "all", "monitor_chronic_absence")] == (Decimal("50.00"), 4)


def test_small_group_n_is_stored_and_suppressed_and_threshold_is_a_setting(
    users: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    assert run_import(attendance_file(tmp_path / "attendance.csv"))[0] == 0
    fact = Fact.objects.select_related("metric").get(
        metric__code="monitor_chronic_absence", group__code="low_income", period="2024-10"
    )
    assert fact.n == 2 and fact.value == Decimal("100.00")
    assert suppression.visible_value(fact.metric, fact.value, fact.n) is None
    settings.EDLEAD_SUPPRESS_MIN_STUDENTS = 2
    assert suppression.visible_value(fact.metric, fact.value, fact.n) == Decimal("100.00")
    settings.EDLEAD_SUPPRESS_MIN_STUDENTS = 3
    assert suppression.is_suppressed(fact.metric, fact.n)


def test_student_names_and_ids_are_stored_nowhere(users: dict[str, Any], tmp_path: Path) -> None:
    status, out, _ = run_import(attendance_file(tmp_path / "attendance.csv"))
    assert status == 0
    for needle in (PLANTED_NAME, "Zebulon", "Quartermaine", PLANTED_ID):
        assert needle not in out
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                if "Zebulon" in text or "Quartermaine" in text or PLANTED_ID in text:
                    found.append(table)
    assert found == []
    run = ImportRun.objects.get()
    assert PLANTED_ID not in json.dumps(run.report) and "Zebulon" not in json.dumps(run.report)


def test_errors_name_line_and_column_and_never_echo_a_student_value(
    users: dict[str, Any], tmp_path: Path
) -> None:
    header = ["Student ID", "Student Name", "School Code", "Date", "Days Enrolled", "Days Absent", "Gender"]
    rows = [
        [PLANTED_ID, PLANTED_NAME, SCHOOL, "2024-10-31", "twenty", "1", "F"],  # line 2: text in days
        ["S2", "x", SCHOOL, "2024-10-31", "10", "12", "F"],  # line 3: absent > enrolled
        ["S3", "x", SCHOOL, "2024-10-31", "-3", "0", "F"],  # line 4: negative
        ["S4", "x", SCHOOL, "2024-13-45", "10", "1", "F"],  # line 5: bad date
        ["S5", "x", SCHOOL, "2024-10-31", "10", "1", PLANTED_NAME],  # line 6: a name where gender belongs
        ["", "x", SCHOOL, "2024-10-31", "10", "1", "F"],  # line 7: no ID
        ["S7", "x", SCHOOL, "2024-10-31", "10", "", "F"],  # line 8: no days absent
    ]
    status, out, _ = run_import(attendance_file(tmp_path / "bad.csv", rows, header))
    assert status == 1
    assert "REFUSED: 7 error(s)" in out
    for expected in (
        "Line 2, column “Days Enrolled”: the value is not a number of days",
        "Line 3, column “Days Absent”: more days absent than days enrolled",
        "Line 4, column “Days Enrolled”: the value is negative",
        "Line 5, column “Date”: the value is not a real date",
        "Line 6, column “Gender”: the value is not a gender",
        "Line 7, column “Student ID”: a value is required",
        "Line 8, column “Days Absent”: a value is required",
    ):
        assert expected in out
    assert PLANTED_ID not in out and "Zebulon" not in out
    assert not Fact.objects.exists()


def test_missing_column_is_refused(users: dict[str, Any], tmp_path: Path) -> None:
    header = ["Student ID", "School Code", "Date", "Days Enrolled", "Days Absent"]
    rows = [["S1", SCHOOL, "2024-10-31", "20", "1"]]
    path = attendance_file(tmp_path / "a.csv", rows, header)
    status, out, _ = run_import(path, "--kind", "monitoring_attendance")
    assert status == 0
    header[4] = "Absences!!"  # still an alias after normalising
    assert run_import(attendance_file(tmp_path / "b.csv", rows, header))[0] == 0
    header[4] = "Tardies"
    status, out, _ = run_import(
        attendance_file(tmp_path / "c.csv", rows, header), "--kind", "monitoring_attendance"
    )
    assert status == 1
    assert "Line 1, column “Days Absent”: this required column is missing from the header row" in out


def test_conflicting_rows_for_one_student_are_refused_without_showing_the_id(
    users: dict[str, Any], tmp_path: Path
) -> None:
    header = ["Student ID", "School Code", "Date", "Days Enrolled", "Days Absent"]
    rows = [[PLANTED_ID, SCHOOL, "2024-10-31", "20", "1"], [PLANTED_ID, SCHOOL, "2024-10-02", "20", "3"]]
    status, out, _ = run_import(attendance_file(tmp_path / "a.csv", rows, header))
    assert status == 1
    assert "Line 3, column “Student ID”: the same student, school and period as line 2" in out
    assert PLANTED_ID not in out


def test_hash_uses_its_own_key_not_secret_key(settings: Any) -> None:
    settings.EDLEAD_STUDENT_ID_KEY = "student-key-for-tests"
    digest = student_id_hash("1234567890")
    assert digest == hmac.new(b"student-key-for-tests", b"1234567890", hashlib.sha256).hexdigest()
    assert digest != hmac.new(settings.SECRET_KEY.encode(), b"1234567890", hashlib.sha256).hexdigest()
    settings.EDLEAD_STUDENT_ID_KEY = ""
    with pytest.raises(ApplicationError, match="EDLEAD_STUDENT_ID_KEY"):
        student_id_hash("1234567890", persist=True)
    # In memory only (de-duplicating during one import), an empty key is replaced by a random one.
    assert student_id_hash("1234567890", persist=False) != student_id_hash("1234567890", persist=False)


def test_xlsx_gives_the_same_facts(users: dict[str, Any], tmp_path: Path) -> None:
    xlsx = csv_to_xlsx(attendance_file(tmp_path / "a.csv"), tmp_path / "attendance.xlsx")
    status, out, _ = run_import(xlsx)
    assert status == 0, out
    assert last_line(out) == "42 created, 0 updated, 0 unchanged, 2 skipped"
    assert facts_by_key()[("2024-10", "all", "monitor_attendance_rate")] == (Decimal("92.56"), 4)
    # and the CSV of the same rows is then unchanged
    assert last_line(run_import(tmp_path / "a.csv")[1]) == "0 created, 0 updated, 42 unchanged, 2 skipped"


def test_term_periods_take_the_year_from_a_column_or_the_command(
    users: dict[str, Any], tmp_path: Path
) -> None:
    header = ["Student ID", "School Code", "Period", "Days Enrolled", "Days Absent"]
    rows = [["S1", SCHOOL, "Q1", "45", "5"]]
    status, out, _ = run_import(attendance_file(tmp_path / "q.csv", rows, header))
    assert status == 1 and "Add a School Year column or give the year" in out
    status, out, _ = run_import(attendance_file(tmp_path / "q.csv", rows, header), "--year", "2024-25")
    assert status == 0, out
    fact = Fact.objects.get(metric__code="monitor_chronic_absence", group__code="all")
    assert (fact.school_year, fact.period, fact.value) == (2024, "Q1", Decimal("100.00"))


def test_browser_upload_is_deleted_after_apply(users: dict[str, Any], tmp_path: Path) -> None:
    path = attendance_file(tmp_path / "attendance.csv")
    upload = SimpleUploadedFile("attendance.csv", path.read_bytes(), content_type="text/csv")
    run = services.run_create(upload=upload, actor=users["superuser"])
    assert run.status == ImportRun.Status.PREVIEWED, run.report
    stored = Path(run.stored_file.path)
    assert stored.exists()
    run = services.run_apply_request(run=run, actor=users["superuser"])
    assert run.status == ImportRun.Status.APPLIED
    assert not run.stored_file and not stored.exists()
    assert Fact.objects.filter(metric__code__startswith="monitor_").count() == 42


def test_district_admin_cannot_load_another_districts_school(users: dict[str, Any], tmp_path: Path) -> None:
    path = attendance_file(tmp_path / "attendance.csv")
    upload = SimpleUploadedFile("attendance.csv", path.read_bytes(), content_type="text/csv")
    run = services.run_create(upload=upload, actor=users["other_admin"])
    assert run.status == ImportRun.Status.PREVIEWED
    assert run.created_count == 0 and run.skipped_count == len(ROWS) - 1  # the repeat is read once
    assert any("outside the organizations you may import for" in s["message"] for s in run.report["skips"])


def test_catalog_has_the_monitoring_metrics(db: Any) -> None:
    codes = set(Metric.objects.filter(code__startswith="monitor_").values_list("code", flat=True))
    assert {"monitor_students_enrolled", "monitor_attendance_rate", "monitor_chronic_absence"} <= codes
    assert "monitor_interim_math_meeting" in codes
    assert HEADER[0] == "Student ID"
