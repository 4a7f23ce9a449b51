"""Figures that mean what they say on the school page: each metric's own precision, thousands
separators, totals never drawn against the state, no empty charts, only the measures that fit the
school's grades, and the curated key measures first with the rest on request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from edlead.metrics import presentation
from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.common import fmt_value


def _load(world: Any, facts: list[tuple[str, str, int, str | None]]) -> None:
    """facts: (org key, metric code, school year, value)."""
    all_students = StudentGroup.objects.get(code="all").pk
    metrics = {m.code: m.pk for m in Metric.objects.filter(code__in={f[1] for f in facts})}
    facts_upsert(
        [
            FactRow(
                world.orgs[org].pk, year, "", metrics[code], all_students, Decimal(v) if v else None, None
            )
            for org, code, year, v in facts
        ]
    )


def _high_school(world: Any) -> Any:
    school = world.orgs["S3"]
    school.grades = "09,10,11,12"
    school.save(update_fields=["grades"])
    _load(
        world,
        [
            ("S3", "mcas_ela_scaled_score", 2023, "498.74"),
            ("S3", "mcas_ela_sgp", 2023, "47.5"),
            ("S3", "class_size_avg", 2023, "21.34"),
            ("S3", "teacher_salary_avg", 2023, "81234.56"),
            ("S3", "grad_4yr_pct", 2022, "88.0"),
            ("S3", "grad_4yr_pct", 2023, "90.25"),
            ("A", "grad_4yr_pct", 2023, "85.0"),
            ("S3", "enrollment_total", 2022, "1198"),
            ("S3", "enrollment_total", 2023, "1234"),
            ("A", "enrollment_total", 2023, "45678"),
            ("state", "enrollment_total", 2023, "912345"),
            ("S3", "enrollment_pk", 2023, "0"),  # DESE's file lists every grade, 0 where none
            ("S3", "enrollment_09", 2023, "320"),
            ("S3", "enrollment_10", 2023, "310"),
            ("S3", "enrollment_11", 2023, "300"),
            ("S3", "enrollment_12", 2023, "304"),
            ("S3", "attendance_rate", 2023, None),  # DESE left the cell blank
        ],
    )
    return school


def _page(client: Any, world: Any, school: Any, query: str = "") -> Any:
    client.force_login(world.users["district_admin"])
    return client.get(reverse("metrics:school", args=[school.pk]) + query)


def test_each_metric_shows_its_own_precision_and_thousands_separators(db: Any) -> None:
    def m(code: str) -> Metric:
        return Metric.objects.get(code=code)

    assert fmt_value(m("mcas_ela_scaled_score"), Decimal("498.74")) == "498.7"
    assert fmt_value(m("mcas_math_sgp"), Decimal("47.5")) == "47.5"
    assert fmt_value(m("class_size_avg"), Decimal("21.34")) == "21.3"
    assert fmt_value(m("enrollment_total"), Decimal("912345")) == "912,345"
    assert fmt_value(m("teacher_salary_avg"), Decimal("81234.56")) == "$81,235"
    assert fmt_value(m("nss_over_under"), Decimal("-12345.40")) == "−$12,345"
    assert fmt_value(m("grad_4yr_pct"), Decimal("90.25")) == "90.3%"  # the catalog's one decimal


def test_totals_are_the_counts_fte_and_dollars_that_grow_with_size(db: Any) -> None:
    totals = {
        m.code
        for m in Metric.objects.filter(unit__in=["count", "fte", "dollars"])
        if presentation.is_total(m)
    }
    assert {
        "enrollment_total",
        "mcas_ela_sgp_included",
        "teacher_fte",
        "nss_actual",
        "principal_total",
    } <= totals
    assert not {"class_size_avg", "teacher_salary_avg", "per_pupil_expenditure"} & totals
    assert not presentation.is_total(Metric.objects.get(code="mcas_ela_sgp"))


def test_high_school_page_key_measures_first_precision_and_no_pre_kindergarten(
    client: Any, world: Any
) -> None:
    school = _high_school(world)
    response = _page(client, world, school)
    data = response.context["data"]
    assert [b.metric.code for b in data.key] == [
        "attendance_rate",
        "mcas_ela_sgp",
        "grad_4yr_pct",
        "enrollment_total",
    ]
    assert data.rest_count == 7 and data.categories == []  # with enrollment in grades 9-12
    assert [m.code for m in data.off_grade] == ["enrollment_pk"]
    html = response.content.decode()
    assert "Enrollment, pre-kindergarten" not in html
    assert "Show all measures (7)" in html and 'hx-get="?part=rest"' in html
    assert "1,234" in html and "45,678" in html and "912,345" in html
    assert "47.5" in html and "498.7" not in html

    rest = _page(client, world, school, "?part=rest")
    part = rest.content.decode()
    assert "<html" not in part  # a fragment for htmx
    assert "498.7" in part and "21.3" in part and "$81,235" in part
    assert ">$80,000<" in part  # the salary chart's axis is in dollars
    assert "District: Alpha Public Schools" not in part  # no legend entry for a line with no values
    assert "Enrollment, pre-kindergarten" not in part
    full = _page(client, world, school, "?all=1").content.decode()
    assert "498.7" in full and "Graduation" in full


def test_totals_are_drawn_without_the_state_and_empty_charts_are_not_drawn(client: Any, world: Any) -> None:
    school = _high_school(world)
    data = _page(client, world, school).context["data"]
    blocks = {b.metric.code: b for b in data.key}
    enrollment = blocks["enrollment_total"]
    assert enrollment.total and [s.label for s in enrollment.chart.series] == ["Birch High"]
    assert enrollment.rows[0].state.text == "912,345"  # the state's total stays in the table
    graduation = blocks["grad_4yr_pct"]
    assert [s.label for s in graduation.chart.series][1:] == ["District: Alpha Public Schools", "State"]
    attendance = blocks["attendance_rate"]
    assert attendance.chart is None
    html = _page(client, world, school).content.decode()
    assert "No values for this school" in html
    assert "the chart shows the school alone" in html


def test_an_early_years_school_shows_no_mcas_and_no_graduation(client: Any, world: Any) -> None:
    school = world.orgs["S1"]
    school.grades = "PK,K"
    school.save(update_fields=["grades"])
    _load(
        world,
        [
            ("S1", "mcas_ela_me_pct", 2023, "40.0"),
            ("S1", "grad_4yr_pct", 2023, "90.0"),
            ("S1", "enrollment_pk", 2023, "40"),
            ("S1", "enrollment_total", 2023, "120"),
        ],
    )
    response = _page(client, world, school)
    data = response.context["data"]
    assert [b.metric.code for b in data.key] == ["enrollment_total"]
    assert sorted(m.code for m in data.off_grade) == ["grad_4yr_pct", "mcas_ela_me_pct"]
    html = response.content.decode()
    assert "Graduation" not in html and "meeting or exceeding" not in html
    assert "2 measures about grades this school does not serve are left off" in html
    export = client.get(reverse("metrics:school", args=[school.pk]) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert "mcas_ela_me_pct" not in export and "enrollment_pk" in export


def test_key_page_and_the_rest_issue_the_same_number_of_queries(
    client: Any, world: Any, django_assert_num_queries: Any
) -> None:
    school = _high_school(world)
    client.force_login(world.users["district_admin"])
    url = reverse("metrics:school", args=[school.pk])
    client.get(url)  # warm the session
    for query in ("", "?part=rest", "?all=1"):
        with django_assert_num_queries(9):
            assert client.get(url + query).status_code == 200


def test_grades_come_from_the_latest_per_grade_enrollment_when_there_is_one(client: Any, world: Any) -> None:
    """Cedar has no grades on record (or a years-old list): its latest enrollment by grade says it is a
    pre-kindergarten and kindergarten school, so MCAS and grade-1 enrollment are left off."""
    school = world.orgs["T1"]
    school.grades = "03,04,05"  # the directory's list, years old
    school.save(update_fields=["grades"])
    _load(
        world,
        [
            ("T1", "enrollment_pk", 2023, "40"),
            ("T1", "enrollment_k", 2023, "60"),
            ("T1", "enrollment_01", 2023, "0"),
            ("T1", "enrollment_03", 2020, "55"),  # an earlier year's grade 3
            ("T1", "enrollment_total", 2023, "100"),
            ("T1", "mcas_ela_me_pct", 2020, "40.0"),
        ],
    )
    client.force_login(world.users["state_admin"])
    data = client.get(reverse("metrics:school", args=[school.pk]) + "?all=1").context["data"]
    assert sorted(m.code for m in data.off_grade) == ["enrollment_01", "enrollment_03", "mcas_ela_me_pct"]
    shown = [b.metric.code for b in data.key] + [b.metric.code for c in data.categories for b in c.metrics]
    assert sorted(shown) == ["enrollment_k", "enrollment_pk", "enrollment_total"]
