"""Student-level interim assessment scores: tested, average and % meeting benchmark per subject."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from edlead.imports.tests import conftest as import_fixtures
from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import, write_csv
from edlead.metrics.models import Fact

pytestmark = pytest.mark.django_db
state, users = import_fixtures.state, import_fixtures.users  # the import tests' fixtures

SCHOOL = "99100010"
HEADER = [
    "SASID",
    "Student Name",
    "School Code",
    "Period",
    "School Year",
    "Subject",
    "Score",
    "Benchmark",
    "Performance Level",
    "Low Income",
    "Gender",
]
ROWS = [
    ["1000000001", "Zebulon Quartermaine", SCHOOL, "Fall", "2024-25", "Math", "512", "500", "", "Y", "F"],
    ["1000000002", "x", SCHOOL, "Fall", "2024-25", "Mathematics", "480", "500", "", "N", "M"],
    ["1000000003", "x", SCHOOL, "Fall", "2024-25", "math", "70", "", "", "Y", "F"],  # default benchmark 70
    [
        "1000000001",
        "Zebulon Quartermaine",
        SCHOOL,
        "Fall",
        "2024-25",
        "ELA",
        "64",
        "",
        "Partially Meeting",
        "Y",
        "F",
    ],
    ["1000000002", "x", SCHOOL, "Fall", "2024-25", "English Language Arts", "80", "", "Meeting", "N", "M"],
]


def facts() -> dict[tuple[str, str], tuple[Decimal | None, int | None]]:
    return {
        (f.metric.code, f.group.code): (f.value, f.n)
        for f in Fact.objects.select_related("metric", "group").filter(school_year=2024, period="Fall")
    }


def test_interim_scores_aggregate_per_subject_and_group(users: dict[str, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "interim.csv", [HEADER, *ROWS])
    status, out, err = run_import(path)
    assert status == 0, out + err
    found = facts()
    assert found[("monitor_interim_math_tested", "all")] == (Decimal(3), 3)
    assert found[("monitor_interim_math_avg_score", "all")] == (Decimal("354.00"), 3)  # 1062 / 3
    assert found[("monitor_interim_math_meeting", "all")] == (Decimal("66.67"), 3)  # 512 ≥ 500, 70 ≥ 70
    assert found[("monitor_interim_math_avg_score", "low_income")] == (Decimal("291.00"), 2)
    assert found[("monitor_interim_math_meeting", "low_income")] == (Decimal("100.00"), 2)
    assert found[("monitor_interim_ela_avg_score", "all")] == (Decimal("72.00"), 2)
    assert found[("monitor_interim_ela_meeting", "all")] == (Decimal("50.00"), 2)  # by performance level
    assert found[("monitor_interim_ela_meeting", "female")] == (Decimal("0.00"), 1)
    assert ("monitor_interim_math_tested", "high_needs") not in found  # EL and SWD columns absent
    # math: all, low_income, female, male × 3; ela: all, low_income, female, male × 3
    assert last_line(out) == "24 created, 0 updated, 0 unchanged, 0 skipped"
    assert "default benchmark" in out and "Zebulon" not in out and "1000000001" not in out
    assert last_line(run_import(path)[1]) == "0 created, 0 updated, 24 unchanged, 0 skipped"
    xlsx = csv_to_xlsx(path, tmp_path / "interim.xlsx")
    assert last_line(run_import(xlsx)[1]) == "0 created, 0 updated, 24 unchanged, 0 skipped"


def test_bad_interim_rows_name_line_and_column(users: dict[str, Any], tmp_path: Path) -> None:
    rows = [
        ["1000000001", "x", SCHOOL, "Fall", "2024-25", "Art", "512", "", "", "Y", "F"],
        ["1000000002", "x", SCHOOL, "Fall", "2024-25", "Math", "lots", "", "", "Y", "F"],
        ["1000000003", "x", SCHOOL, "Fall", "2024-25", "Math", "60", "", "Superb", "Y", "F"],
        ["1000000004", "x", SCHOOL, "Fall", "2024-25", "Math", "60", "", "", "maybe", "F"],
    ]
    status, out, _ = run_import(write_csv(tmp_path / "bad.csv", [HEADER, *rows]))
    assert status == 1
    for expected in (
        "Line 2, column “Subject”: the value is not a subject",
        "Line 3, column “Score”: the value is not a number",
        "Line 4, column “Performance Level”: the value is not a performance level",
        "Line 5, column “Low Income”: the value is not yes or no",
    ):
        assert expected in out
    assert "1000000001" not in out
    assert not Fact.objects.exists()
