"""Dashboard numbers against values read straight from the real DESE files (skipped without them)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.imports.tests.helpers import run_import
from edlead.orgs.models import Organization
from edlead.testing import make_state, make_user

DESE = settings.BASE_DIR.parent / "shared" / "data" / "dese"
FILES = [
    "district/2023-24/PublicSchoolDistrict.csv",
    "school/directory_2016-17.csv",
    "district/2023-24/Attendance.csv",
    "school/attendance/2022-23.csv",
    "school/attendance/2023-24.csv",
    "school/graduation_4yr/2022-23.csv",
    "school/graduation_4yr/2023-24.csv",
    "school/staffing_retention/2023-24.csv",
]


def _source(relative: str, code: str, column: str) -> str:
    with (DESE / relative).open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    start = 0 if rows[0][0].strip() in ("School Name", "District Name") else 1
    header = [c.strip() for c in rows[start]]
    code_col = header.index("School Code") if "School Code" in header else header.index("District Code")
    for row in rows[start + 1 :]:
        if row[code_col].strip().zfill(8) == code:
            return row[header.index(column)].strip()
    raise AssertionError(f"{code} is not in {relative}")


@pytest.fixture
def imported(db: Any) -> dict[str, Any]:
    missing = [f for f in FILES if not (DESE / f).exists()]
    if missing:
        pytest.skip(
            f"The shared DESE data is not here ({DESE}: {', '.join(missing)}); see ../shared/data/README.md"
        )
    code, out, err = run_import(*[Path(DESE / f) for f in FILES])
    assert code == 0, out[-2000:] + err
    admin = make_user(grants=[(RoleGrant.Role.STATE_ADMIN, make_state())], password=None)
    return {"admin": admin}


@pytest.mark.parametrize("school_code", ["00010505", "00350505", "03480503"])
def test_school_page_shows_the_files_numbers(client: Any, imported: dict[str, Any], school_code: str) -> None:
    school = Organization.objects.get(code=school_code)
    client.force_login(imported["admin"])
    html = client.get(reverse("metrics:school", args=[school.pk])).content.decode()
    graduated = _source("school/graduation_4yr/2023-24.csv", school_code, "% Graduated")
    chronic = _source("school/attendance/2023-24.csv", school_code, "Chronically Absent (10% or more)")
    district_chronic = _source(
        "district/2023-24/Attendance.csv", school_code[:4] + "0000", "Chronically Absent (10% or more)"
    )
    state_chronic = _source("district/2023-24/Attendance.csv", "00000000", "Chronically Absent (10% or more)")
    for figure in (graduated, chronic, district_chronic, state_chronic):
        assert f"{float(figure):.1f}%" in html, figure


def test_comparison_shows_the_files_chronic_absence_and_change(client: Any, imported: dict[str, Any]) -> None:
    district = Organization.objects.get(code="00350000")  # Boston: many schools
    client.force_login(imported["admin"])
    response = client.get(
        reverse("metrics:compare", args=[district.pk]) + "?format=csv&metrics=chronic_absence_10_pct"
    )
    assert response.status_code == 200
    rows = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
    header = rows[0]
    code_col = next(i for i, h in enumerate(header) if "code" in h.lower())
    value_col = next(i for i, h in enumerate(header) if "Chronically absent" in h or "chronic" in h.lower())
    checked = 0
    for row in rows[1:]:
        code = row[code_col]
        try:
            expected = _source("school/attendance/2023-24.csv", code, "Chronically Absent (10% or more)")
        except AssertionError:
            continue
        if row[value_col]:
            assert float(row[value_col]) == pytest.approx(float(expected)), code
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("school_code", ["00010505", "03480503"])
def test_real_school_page_shows_principal_and_teacher_retention_as_dese_published_them(
    client: Any, imported: dict[str, Any], school_code: str
) -> None:
    """DESE's staffing-retention figures for a school's one principal are public and already screened:
    the page shows them among the key measures, never "fewer than 6 staff"."""
    school = Organization.objects.get(code=school_code)
    client.force_login(imported["admin"])
    response = client.get(reverse("metrics:school", args=[school.pk]))
    blocks = {b.metric.code: b for b in response.context["data"].key}
    source = "school/staffing_retention/2023-24.csv"
    for code, column in (
        ("principal_retained_pct", "Principal % Retained"),
        ("teacher_retained_pct", "Teacher % Retained"),
    ):
        expected = f"{float(_source(source, school_code, column)):.1f}%"
        cells = [r.school for r in blocks[code].rows if r.school.value is not None]
        assert [c.text for c in cells] == [expected], code
        assert blocks[code].chart is not None
    html = response.content.decode()
    assert "Principal % retained" in html and "fewer than 6 staff" not in html
