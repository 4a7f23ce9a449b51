"""The district performance page and the state overview: every district- and state-level DESE report
imported from the real files appears, figures equal the source cells, exports, access, fixed queries."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.imports.tests.helpers import run_import
from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.orgs.models import Organization
from edlead.testing import make_district, make_school, make_state, make_user

DESE = settings.BASE_DIR.parent / "shared" / "data" / "dese"
DISTRICT_DIR = DESE / "district"
WORCESTER = "03480000"
# (file, column, metric code, extra row filter) — one cell of each district-only report.
CELLS: list[tuple[str, str, str, dict[str, str]]] = [
    ("2017-18/zEducatorEvalPerf.csv", "% Proficient", "eval_proficient_pct", {}),
    ("2017-18/9_per_pupil_expenditures.csv", "Total Expenditures per Pupil", "per_pupil_expenditure", {}),
    ("2017-18/8_net_spending.csv", "Actual NSS as % of Required", "nss_pct_of_required", {}),
    ("2017-18/7_teacher_salaries.csv", "Average Salary", "teacher_salary_avg", {}),
    ("2017-18/zGradsattendingcollege.csv", "Attending Coll./Univ. (%)", "college_attending_pct", {}),
    ("2017-18/zstaffingretention.csv", "Superintendent % Retained", "superintendent_retained_pct", {}),
    ("2017-18/zstaffingretention.csv", "Principal % Retained", "principal_retained_pct", {}),
    ("2023-24/SAT_Performance.csv", "Math", "sat_math_mean", {}),
    ("2023-24/Dropout.csv", "% Dropout All Grades", "dropout_pct", {}),
    ("2023-24/NextGenMCAS.csv", "M+E %", "mcas_science_me_pct", {"Subject": "SCI"}),
    ("2023-24/NextGenMCAS.csv", "Part. Rate %", "mcas_science_participation_pct", {"Subject": "SCI"}),
    ("2023-24/Attendance.csv", "Chronically Absent (10% or more)", "chronic_absence_10_pct", {}),
]


def source_cell(relative: str, code: str, column: str, where: dict[str, str]) -> Decimal:
    """The cell of a district export, read with the csv module (title row, padded numbers, commas)."""
    with (DISTRICT_DIR / relative).open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    start = next(i for i, r in enumerate(rows) if r and r[0].strip() == "District Name")
    header = [c.strip() for c in rows[start]]
    for row in rows[start + 1 :]:
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        if cells["District Code"].zfill(8) == code and all(cells.get(k) == v for k, v in where.items()):
            return Decimal(cells[column].replace(",", ""))
    raise AssertionError(f"{code} is not in {relative}")


def export_rows(client: Any, url: str) -> list[dict[str, str]]:
    response = client.get(url + "?format=csv")
    assert response.status_code == 200
    return list(csv.DictReader(response.content.decode("utf-8-sig").splitlines()))


@pytest.fixture
def imported(db: Any) -> dict[str, Any]:
    if not DISTRICT_DIR.is_dir():
        pytest.skip(f"The shared DESE data is not here ({DISTRICT_DIR}); see ../shared/data/README.md")
    code, out, err = run_import(DISTRICT_DIR)
    assert code == 0, out[-2000:] + err
    state = make_state()
    worcester = Organization.objects.get(code=WORCESTER)
    return {
        "state": state,
        "worcester": worcester,
        "state_admin": make_user(grants=[(RoleGrant.Role.STATE_ADMIN, state)], password=None),
        "worcester_admin": make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, worcester)], password=None),
    }


def test_every_district_report_appears_and_figures_equal_the_source_cells(
    client: Any, imported: dict[str, Any]
) -> None:
    worcester, state = imported["worcester"], imported["state"]
    client.force_login(imported["worcester_admin"])
    url = reverse("metrics:district", args=[worcester.pk])
    page = client.get(url + "?all=1").content.decode()
    # Every metric imported for the district (every report kind of the district folder) is on the page.
    metrics = Metric.objects.filter(facts__organization=worcester).distinct()
    reports = {m.source_report for m in metrics}
    assert {
        "Educator Evaluation Performance",
        "Per Pupil Expenditures, All Funds",
        "Chapter 70 Foundation Budget and Net School Spending",
        "Teacher Salaries",
        "SAT Performance",
        "Dropout Report",
        "Graduates Attending Institutions of Higher Education",
        "Next Generation MCAS Achievement Results",
        "Staffing Retention",
    } <= reports
    missing = [m.name for m in metrics if f">{m.name}</h3>" not in page]
    assert missing == []
    # The short page: key measures drawn, every other measure listed with its latest figure.
    short = client.get(url).content.decode()
    assert "Key measures" in short and "show all measures" in short
    assert [m.name for m in metrics if f">{m.name}<" not in short] == []
    # The figures: the export of the page equals the files' cells, for the district and the state.
    rows = export_rows(client, url)
    for relative, column, metric_code, where in CELLS:
        for level, code in (("District", WORCESTER), ("State", "00000000")):
            expected = source_cell(relative, code, column, where)
            got = {
                Decimal(r["Value"]) for r in rows if r["Level"] == level and r["Metric code"] == metric_code
            }
            assert got == {expected}, (relative, column, level, got, expected)
    assert "89.6%" in page  # Worcester's principal % retained, as DESE published it
    assert f'href="{reverse("metrics:state", args=[state.pk])}"' in page


def test_state_overview_carries_the_state_figures(client: Any, imported: dict[str, Any]) -> None:
    state = imported["state"]
    client.force_login(imported["worcester_admin"])  # the state's public figures, for any reader
    url = reverse("metrics:state", args=[state.pk])
    page = client.get(url + "?all=1").content.decode()
    metrics = Metric.objects.filter(facts__organization=state).distinct()
    assert metrics.count() > 40
    assert [m.name for m in metrics if f">{m.name}</h3>" not in page] == []
    assert "invented demo figures" not in page
    rows = export_rows(client, url)
    assert {r["Level"] for r in rows} == {"State"}
    for relative, column, metric_code, where in CELLS:
        expected = source_cell(relative, "00000000", column, where)
        got = {Decimal(r["Value"]) for r in rows if r["Metric code"] == metric_code}
        assert got == {expected}, (relative, column, got, expected)
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    detail = client.get(state.get_absolute_url()).content.decode()
    assert reverse("metrics:state", args=[state.pk]) in detail
    district_detail = client.get(imported["worcester"].get_absolute_url()).content.decode()
    assert reverse("metrics:district", args=[imported["worcester"].pk]) in district_detail


# --- access and queries, on small hand-made data -----------------------------------------------------
def _world(db: Any) -> dict[str, Any]:
    state = make_state()
    alpha = make_district("Alpha Public Schools", code="99100000")
    beta = make_district("Beta Regional", code="99200000")
    school = make_school(alpha, "Oak Elementary", code="99100010")
    return {
        "state": state,
        "alpha": alpha,
        "beta": beta,
        "school": school,
        "alpha_admin": make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, alpha)], password=None),
    }


def _facts(orgs: list[Organization], codes: list[str], years: range, groups: list[str]) -> None:
    metrics = {m.code: m for m in Metric.objects.filter(code__in=codes)}
    group_ids = {g.code: g.pk for g in StudentGroup.objects.filter(code__in=groups)}
    rows = [
        FactRow(o.pk, y, "", metrics[c].pk, group_ids[g], Decimal(40 + i + y % 7), 500)
        for o in orgs
        for y in years
        for i, c in enumerate(codes)
        for g in groups
    ]
    monthly = Metric.objects.get(code="monitor_chronic_absence")
    rows += [
        FactRow(o.pk, y, f"{y + (m < 7)}-{m:02d}", monthly.pk, group_ids[g], Decimal(20 + m), 200)
        for o in orgs
        if o.kind == Organization.Kind.SCHOOL
        for y in years[-2:]
        for m in (9, 10, 11, 12, 1, 2)
        for g in groups
    ]
    facts_upsert(rows)


def test_another_districts_page_is_not_found(client: Any, db: Any) -> None:
    w = _world(db)
    client.force_login(w["alpha_admin"])
    assert client.get(reverse("metrics:district", args=[w["beta"].pk])).status_code == 404
    assert client.get(reverse("metrics:district", args=[w["beta"].pk]) + "?format=csv").status_code == 404
    assert client.get(reverse("metrics:district", args=[w["school"].pk])).status_code == 404  # not a district
    assert client.get(reverse("metrics:state", args=[w["alpha"].pk])).status_code == 404  # not the state
    assert client.get(reverse("metrics:district", args=[w["alpha"].pk])).status_code == 200
    client.logout()
    assert client.get(reverse("metrics:district", args=[w["alpha"].pk])).status_code == 302


# Per request, after the session: the user and their grants, the organization, the invented state, the
# facts, the metrics, the groups. The district page's in-year monitoring is its own request (htmx):
# the user and grants, the district, the visible schools, their in-year facts, metrics and groups.
QUERIES = {"district": 8, "state": 8, "district-monthly": 9}


@pytest.mark.parametrize("page", ["district", "state", "district-monthly"])
def test_query_count_is_the_same_at_two_data_sizes(
    client: Any, db: Any, django_assert_num_queries: Any, page: str
) -> None:
    w = _world(db)
    client.force_login(w["alpha_admin"])
    org = w["state"] if page == "state" else w["alpha"]
    url = reverse(f"metrics:{page}", args=[org.pk])
    client.get(url)  # the session and the grants, once
    codes = list(Metric.objects.exclude(code__startswith="monitor_").values_list("code", flat=True)[:60])
    orgs = [w["state"], w["alpha"], w["school"]]
    counts = []
    for size, (n_codes, years, groups) in enumerate(
        [(2, range(2022, 2024), ["all"]), (60, range(2014, 2025), ["all", "low_income", "el", "white"])]
    ):
        Fact.objects.all().delete()
        _facts(orgs, codes[:n_codes], years, groups)
        with django_assert_num_queries(2 * QUERIES[page]) as captured:
            for suffix in ("", "?all=1"):
                assert client.get(url + suffix).status_code == 200
        counts.append(len(captured.captured_queries))
        if size and page != "district-monthly":
            html = client.get(url + "?all=1").content.decode()
            assert html.count('class="edlead-metric"') >= 60
    assert counts[0] == counts[1]
