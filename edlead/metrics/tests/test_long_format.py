"""The long-format metrics CSV: documented, templated, refused or skipped as the import contract says."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from edlead.imports.tests import conftest as import_fixtures
from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import, write_csv
from edlead.metrics.models import Fact

pytestmark = pytest.mark.django_db
state, users = import_fixtures.state, import_fixtures.users  # the import tests' fixtures

HEADER = ["Org Code", "School Year", "Date", "Period", "Metric", "Student Group", "Value", "Count"]
SCHOOL = "99100010"


def long_file(path: Path, *rows: list[str]) -> Path:
    return write_csv(path, [HEADER, *rows])


GOOD = [
    ["99100010", "2023-24", "", "", "monitor_chronic_absence", "All students", "18.4", "412"],
    ["99100010", "", "2024-10-31", "", "monitor_attendance_rate", "low_income", "91.25", "208"],
    ["99100010", "2024-25", "", "Q1", "monitor_interim_math_meeting", "Hispanic/Latino", "45", "8"],
    ["99100010", "", "2024-10-02", "", "monitor_attendance_rate", "Low income", "91.25", "208"],  # same fact
    ["99999999", "2024-25", "", "", "monitor_chronic_absence", "", "10", "20"],  # unknown: skipped
]


def test_long_format_imports_and_reimports_unchanged(users: dict[str, Any], tmp_path: Path) -> None:
    path = long_file(tmp_path / "long.csv", *GOOD)
    status, out, err = run_import(path)
    assert status == 0, out + err
    assert "Metrics, long format" in out
    assert last_line(out) == "3 created, 0 updated, 0 unchanged, 1 skipped"
    assert "organization 99999999 is not known to EdLead" in out
    facts = {
        (f.school_year, f.period, f.metric.code, f.group.code): (f.value, f.n)
        for f in Fact.objects.select_related("metric", "group")
    }
    assert facts == {
        (2023, "", "monitor_chronic_absence", "all"): (Decimal("18.4"), 412),
        (2024, "2024-10", "monitor_attendance_rate", "low_income"): (Decimal("91.25"), 208),
        (2024, "Q1", "monitor_interim_math_meeting", "hispanic"): (Decimal("45"), 8),
    }
    assert last_line(run_import(path)[1]) == "0 created, 0 updated, 3 unchanged, 1 skipped"
    changed = long_file(tmp_path / "long2.csv", [*GOOD[0][:6], "18.5", "412"])
    assert last_line(run_import(changed)[1]) == "0 created, 1 updated, 0 unchanged, 0 skipped"


def test_xlsx_long_format_is_the_same(users: dict[str, Any], tmp_path: Path) -> None:
    xlsx = csv_to_xlsx(long_file(tmp_path / "long.csv", *GOOD), tmp_path / "long.xlsx")
    status, out, _ = run_import(xlsx)
    assert status == 0, out
    assert last_line(out) == "3 created, 0 updated, 0 unchanged, 1 skipped"


def test_bad_long_format_is_refused_with_line_and_column(users: dict[str, Any], tmp_path: Path) -> None:
    path = long_file(
        tmp_path / "bad.csv",
        ["99100010", "2023-24", "", "", "no_such_metric", "", "1", ""],  # 2
        ["99100010", "2023-24", "", "", "monitor_chronic_absence", "", "101", "50"],  # 3
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "", "90", "50"],  # 4
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "", "91", "50"],  # 5: conflicts with 4
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "Martians", "91", "50"],  # 6
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "", "ninety", "50"],  # 7
        ["99100010", "2023-24", "2024-10-01", "", "monitor_attendance_rate", "el", "90", ""],  # 8: year clash
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "swd", "90", "-4"],  # 9
    )
    status, out, _ = run_import(path)
    assert status == 1
    for expected in (
        "Line 6, column “Student Group”: “Martians” is not a student group",
        "Line 7, column “Value”: “ninety” is not a number",
        "Line 9, column “Count”: “-4” is not a whole number",
        "Line 5, column “Org Code”: the same Org Code + School Year + Date + Period + Metric + Student Group "
        "as line 4 but different values (Value)",
    ):
        assert expected in out
    assert not Fact.objects.exists()
    # Once the cells read, the cross-row rules speak.
    fixed = long_file(
        tmp_path / "bad2.csv",
        ["99100010", "2023-24", "", "", "no_such_metric", "", "1", ""],
        ["99100010", "2023-24", "", "", "monitor_chronic_absence", "", "101", "50"],
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "", "90", "50"],
        ["99100010", "2023-24", "", "", "monitor_attendance_rate", "All students", "91", "50"],
        ["99100010", "2023-24", "2024-10-01", "", "monitor_attendance_rate", "el", "90", ""],
    )
    status, out, _ = run_import(fixed)
    assert status == 1
    for expected in (
        "Line 2, column “Metric”: “no_such_metric” is not a metric in EdLead's catalog",
        "Line 3, column “Value”: 101 is a percentage outside 0–100",
        "Line 5, column “Value”: the same organization, year, period, metric and group as line 4",
        "Line 6, column “Date”: it falls in school year 2024-25, not the row's School Year",
    ):
        assert expected in out
    assert not Fact.objects.exists()


def test_no_year_anywhere_is_refused_unless_given(users: dict[str, Any], tmp_path: Path) -> None:
    path = long_file(
        tmp_path / "long.csv", ["99100010", "", "", "", "monitor_chronic_absence", "", "12", "40"]
    )
    status, out, _ = run_import(path)
    assert status == 1 and "give the year (--year 2024-25)" in out
    status, out, _ = run_import(path, "--year", "2022-23")
    assert status == 0
    assert Fact.objects.get().school_year == 2022


def test_import_page_documents_the_kinds_and_serves_templates(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["superuser"])
    page = client.get(reverse("imports:run-list")).content.decode()
    assert "Metrics, long format" in page and "Student attendance (in-year monitoring)" in page
    assert reverse("imports:kind-template", args=["metrics_long"]) in page
    response = client.get(reverse("imports:kind-template", args=["metrics_long"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    attendance = client.get(reverse("imports:kind-template", args=["monitoring_attendance"])).content.decode()
    assert "Days Enrolled" in attendance
    assert client.get(reverse("imports:kind-template", args=["nope"])).status_code == 404


def test_downloaded_template_imports(users: dict[str, Any], client: Any, tmp_path: Path) -> None:
    client.force_login(users["superuser"])
    for slug in ("metrics_long", "monitoring_attendance", "monitoring_interim"):
        body = client.get(reverse("imports:kind-template", args=[slug])).content
        path = tmp_path / f"{slug}.csv"
        path.write_bytes(body)
        status, out, _ = run_import(path)
        assert status == 0, out  # the example school 99010005 is unknown here: skipped, not refused
        assert "skipped" in out
