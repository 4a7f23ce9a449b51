"""In-year monitoring by month: this year beside last year's same months, per school and student group,
from a student-level attendance file imported for two school years; small groups suppressed
(primary and complementary); fixed query counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from edlead.imports.tests import conftest as import_fixtures
from edlead.imports.tests.helpers import run_import, write_csv
from edlead.metrics.tests.monitoring_data import HEADER, SCHOOL

state, users = import_fixtures.state, import_fixtures.users  # the import tests' fixtures
HX = {"HTTP_HX_REQUEST": "true"}


def _student(i: int, day: str, absent: str, *, race: str = "White", el: str = "N") -> list[str]:
    return [f"S{i}", "", "", SCHOOL, day, "20", absent, "N", el, "N", race, "F" if i % 2 else "M"]


def _rows() -> list[list[str]]:
    """October 2023: 12 students, 6 of them absent 2 of 20 days (chronic). October 2024: 12 students, 3
    chronic. November 2024: 12 students, none absent. One student is Asian and an English learner (a
    group of one: hidden), which leaves White as the only other race group shown (hidden too, or the
    Asian figure would follow by subtraction from all students)."""
    rows = []
    for i in range(12):
        race, el = ("Asian", "Y") if i == 0 else ("White", "N")
        rows.append(_student(i, "2023-10-31", "2" if i < 6 else "0", race=race, el=el))
        rows.append(_student(i, "2024-10-31", "2" if i < 3 else "0", race=race, el=el))
        rows.append(_student(i, "2024-11-30", "0", race=race, el=el))
    return rows


@pytest.fixture
def imported(users: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = write_csv(tmp_path / "attendance.csv", [HEADER, *_rows()])
    status, out, err = run_import(path)
    assert status == 0, out + err
    return users


def test_school_monthly_shows_this_year_beside_last_years_same_month(
    client: Any, imported: dict[str, Any]
) -> None:
    client.force_login(imported["district_admin"])
    html = client.get(reverse("metrics:school-monthly", args=[imported["school"].pk]), **HX).content.decode()
    assert '<h2 id="h-monthly">In-year monitoring by month</h2>' in html
    assert "<h1" not in html  # the partial, for the school page
    assert "2024-25" in html and "2023-24" in html
    # Chronically absent, October: 3 of 12 this year, 6 of 12 last year.
    assert '<th scope="row">October</th>\n              <td>25.0%' in html
    assert "<td>50.0%" in html and "-25.0 pts" in html
    # Attendance rate, October: 234 / 240 days this year, 228 / 240 last year.
    assert "97.5%" in html and "95.0%" in html
    # November has no figure last year: shown as missing, not as zero.
    assert '<th scope="row">November</th>\n              <td>0.0%</td>\n              <td>—</td>' in html
    assert "<svg" in html and "edlead-chart" in html


def test_small_groups_are_suppressed_and_their_complement_hidden(
    client: Any, imported: dict[str, Any]
) -> None:
    client.force_login(imported["district_admin"])
    url = reverse("metrics:school-monthly", args=[imported["school"].pk])
    asian = client.get(url + "?group=asian", **HX).content.decode()
    assert "fewer than 10 students" in asian
    assert "100.0%" not in asian and "90.0%" not in asian  # the one student's October figures
    white = client.get(url + "?group=white", **HX).content.decode()
    assert "hidden so a smaller group cannot be worked out" in white
    assert "27.3%" not in white  # 3 of 11 White students chronic in October 2024 would give Asian away
    el = client.get(url + "?group=el", **HX).content.decode()
    assert "fewer than 10 students" in el


def test_monthly_page_without_javascript_and_link_from_school_page(
    client: Any, imported: dict[str, Any]
) -> None:
    client.force_login(imported["district_admin"])
    school = imported["school"]
    page = client.get(reverse("metrics:school", args=[school.pk])).content.decode()
    assert reverse("metrics:school-monthly", args=[school.pk]) in page
    full = client.get(reverse("metrics:school-monthly", args=[school.pk]) + "?group=all")
    assert full.status_code == 200
    assert "<h1>Oak Elementary: in-year monitoring</h1>" in full.content.decode()


def test_district_page_shows_each_schools_months_and_the_district_line(
    client: Any, imported: dict[str, Any]
) -> None:
    client.force_login(imported["district_admin"])
    page = client.get(reverse("metrics:district", args=[imported["district"].pk])).content.decode()
    fragment = reverse("metrics:district-monthly", args=[imported["district"].pk])
    assert f'hx-get="{fragment}"' in page and f'href="{fragment}"' in page  # htmx loads it; a link without
    html = client.get(fragment, **HX).content.decode()
    assert '<h2 id="h-monthly">In-year monitoring by month</h2>' in html and "<html" not in html
    assert "Chronically absent (in-year), Alpha Public Schools" in html
    assert "Oak Elementary" in html and "25.0%" in html and '<span class="edlead-detail">50.0%</span>' in html
    # Without JavaScript the link opens a page of its own, with the same figures and a way back.
    full = client.get(fragment).content.decode()
    assert "<h1>Alpha Public Schools: in-year monitoring</h1>" in full and "Oak Elementary" in full
    assert reverse("metrics:district", args=[imported["district"].pk]) in full


def test_monthly_figures_are_only_for_those_who_may_see_the_school(
    client: Any, imported: dict[str, Any]
) -> None:
    client.force_login(imported["other_admin"])
    url = reverse("metrics:school-monthly", args=[imported["school"].pk])
    assert client.get(url, **HX).status_code == 404
    assert (
        client.get(reverse("metrics:district-monthly", args=[imported["district"].pk]), **HX).status_code
        == 404
    )
    own = client.get(
        reverse("metrics:district-monthly", args=[imported["other_district"].pk]), **HX
    ).content.decode()
    assert "Oak Elementary" not in own and "No in-year figures for the schools you can see" in own
