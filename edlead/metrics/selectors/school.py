"""The school performance page: trends against district and state, principal changes, gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.access import policy
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics.charts import Chart, line_chart
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.common import (
    ALL,
    MISSING,
    Cell,
    Change,
    Kind,
    _facts,
    _principal_positions,
    change,
    make_cell,
    year_label,
)
from edlead.orgs.models import Organization
from edlead.people.models import Position


# --- the school page --------------------------------------------------------------------------------
@dataclass
class PrincipalMark:
    number: int
    year: int
    position: Position

    @property
    def label(self) -> str:
        return f"{self.position.person.display_name} (from {year_label(self.year)})"


@dataclass
class YearRow:
    year: int
    label: str
    school: Cell
    district: Cell
    state: Cell
    new_principals: list[PrincipalMark]


@dataclass
class MetricBlock:
    metric: Metric
    rows: list[YearRow]
    chart: Chart
    anchor: str


@dataclass
class CategoryBlock:
    name: str
    anchor: str
    metrics: list[MetricBlock]


@dataclass
class GapRow:
    group: StudentGroup
    school: Cell
    vs_all: Change
    district: Cell
    vs_district: Change
    state: Cell
    vs_state: Change


@dataclass
class GapBlock:
    metric: Metric
    year: int
    label: str
    all_students: Cell
    rows: list[GapRow]
    anchor: str


@dataclass
class SchoolPerformance:
    school: Organization
    district: Organization | None
    state: Organization | None
    crumbs: list[Organization]
    years: list[int]
    categories: list[CategoryBlock]
    gaps: list[GapBlock]
    principals: list[PrincipalMark]
    export_rows: list[list[Any]] = field(default_factory=list)


EXPORT_HEADER = [
    "Organization code",
    "Organization",
    "Level",
    "School year",
    "Metric code",
    "Metric",
    "Unit",
    "Student group",
    "Value",
    "Count (n)",
]


def school_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user, Organization.objects.schools().select_related("district", "parent"), policy.ORG_VIEW, pk=pk
    )


def school_performance(user: Any, pk: int) -> SchoolPerformance:
    """A school's every metric over the years, beside its district and the state; gaps by group;
    principal changes (7 queries after the user's grants)."""
    school = school_get_for_user(user, pk)
    ancestors = Organization.objects.in_bulk(school.ancestor_ids[:-1])  # 1 query
    crumbs = [ancestors[i] for i in school.ancestor_ids[:-1] if i in ancestors]
    state = next((o for o in crumbs if o.kind == Kind.STATE), None)
    district = school.district
    org_ids = [school.pk] + [o.pk for o in (district, state) if o is not None]
    facts = _facts(org_ids)  # 1 query
    metrics = Metric.objects.in_bulk({f[2] for f in facts})  # 1 query
    groups = {g.pk: g for g in StudentGroup.objects.all()}  # 1 query
    positions = _principal_positions([school.pk])  # 1 query

    index: dict[tuple[int, int, int, int], tuple[Decimal | None, int | None]] = {}
    school_years: set[int] = set()
    for org, year, metric_id, group_id, value, n in facts:
        index[(org, year, metric_id, group_id)] = (value, n)
        if org == school.pk:
            school_years.add(year)
    years = sorted(school_years)
    all_group = next((g for g in groups.values() if g.code == ALL), None)
    all_id = all_group.pk if all_group else -1

    marks: list[PrincipalMark] = []
    seen: set[int] = set()
    for pos in positions:
        if pos.starts_on is None or pos.pk in seen:
            continue
        seen.add(pos.pk)
        start_year = SchoolYear.containing(pos.starts_on).start_year
        marks.append(PrincipalMark(len(marks) + 1, start_year, pos))
    marks_by_year: dict[int, list[PrincipalMark]] = defaultdict(list)
    for mark in marks:
        marks_by_year[mark.year].append(mark)

    school_metric_ids = {m for (o, _y, m, _g) in index if o == school.pk}
    ordered = sorted(
        (metrics[m] for m in school_metric_ids if m in metrics),
        key=lambda m: (m.category or "zz", m.sort_order, m.name),
    )
    categories: dict[str, CategoryBlock] = {}
    gaps: list[GapBlock] = []
    export: list[list[Any]] = []
    for metric in ordered:
        rows: list[YearRow] = []
        for year in years:
            rows.append(
                YearRow(
                    year,
                    year_label(year),
                    make_cell(metric, index.get((school.pk, year, metric.pk, all_id))),
                    make_cell(metric, index.get((district.pk, year, metric.pk, all_id)))
                    if district
                    else MISSING,
                    make_cell(metric, index.get((state.pk, year, metric.pk, all_id))) if state else MISSING,
                    marks_by_year.get(year, []),
                )
            )
        shown = [r for r in rows if r.school.value is not None or r.district.value is not None]
        first = shown[0].year if shown else (years[0] if years else 0)
        chart_rows = [r for r in rows if r.year >= first]
        chart_years = [r.year for r in chart_rows]
        percent = metric.unit == Metric.Unit.PERCENT
        lines = [
            (school.name, [r.school.value for r in chart_rows], [r.school.text for r in chart_rows]),
        ]
        if district:
            lines.append(
                (
                    f"District: {district.name}",
                    [r.district.value for r in chart_rows],
                    [r.district.text for r in chart_rows],
                )
            )
        if state:
            lines.append(("State", [r.state.value for r in chart_rows], [r.state.text for r in chart_rows]))
        chart = line_chart(
            title=f"{metric.name}, {school.name}",
            desc=_chart_desc(metric, chart_rows),
            years=chart_years,
            series=lines,
            markers=[(m.year, m.position.person.display_name) for m in marks if m.year in set(chart_years)],
            percent=percent,
        )
        block = MetricBlock(metric, list(reversed(rows)), chart, f"m-{metric.code}")
        name = metric.category or "Other measures"
        categories.setdefault(name, CategoryBlock(name, f"c-{len(categories) + 1}", [])).metrics.append(block)
        gap = _gap_block(metric, school, district, state, years, index, groups, all_id)
        if gap:
            gaps.append(gap)
        for org_id, level, org_obj in (
            (school.pk, "School", school),
            (district.pk if district else -1, "District", district),
            (state.pk if state else -1, "State", state),
        ):
            if org_obj is None:
                continue
            for year in years:
                for group in groups.values():
                    fact = index.get((org_id, year, metric.pk, group.pk))
                    if fact is None:
                        continue
                    cell = make_cell(metric, fact)
                    if cell.value is None:
                        continue  # suppressed or not reported: not exported
                    export.append(
                        [
                            org_obj.code or "",
                            org_obj.name,
                            level,
                            year_label(year),
                            metric.code,
                            metric.name,
                            metric.get_unit_display(),
                            group.name,
                            cell.value,
                            "" if fact[1] is None else fact[1],
                        ]
                    )
    return SchoolPerformance(
        school, district, state, crumbs, years, list(categories.values()), gaps, marks, export
    )


def _chart_desc(metric: Metric, rows: list[YearRow]) -> str:
    known = [r for r in rows if r.school.value is not None]
    if not known:
        return f"No {metric.name.lower()} on record for the school; see the table."
    first, last = known[0], known[-1]
    return (
        f"{metric.name} went from {first.school.text} in {first.label} to {last.school.text} in {last.label}. "
        "The table beside the chart lists every year for the school, district and state."
    )


def _gap_block(
    metric: Metric,
    school: Organization,
    district: Organization | None,
    state: Organization | None,
    years: list[int],
    index: dict[tuple[int, int, int, int], tuple[Decimal | None, int | None]],
    groups: dict[int, StudentGroup],
    all_id: int,
) -> GapBlock | None:
    """Each student group against all students at the school, and against the same group in the
    district and the state, in the latest year the school has group figures for the metric."""
    group_years = [
        y for y in years if any((school.pk, y, metric.pk, g) in index for g in groups if g != all_id)
    ]
    if not group_years:
        return None
    year = group_years[-1]
    all_cell = make_cell(metric, index.get((school.pk, year, metric.pk, all_id)))
    rows: list[GapRow] = []
    for group in sorted(groups.values(), key=lambda g: (g.sort_order, g.name)):
        if group.pk == all_id or (school.pk, year, metric.pk, group.pk) not in index:
            continue
        own = make_cell(metric, index.get((school.pk, year, metric.pk, group.pk)))
        dist = make_cell(metric, index.get((district.pk, year, metric.pk, group.pk))) if district else MISSING
        st = make_cell(metric, index.get((state.pk, year, metric.pk, group.pk))) if state else MISSING
        rows.append(
            GapRow(
                group,
                own,
                change(metric, own, all_cell),
                dist,
                change(metric, own, dist),
                st,
                change(metric, own, st),
            )
        )
    return GapBlock(metric, year, year_label(year), all_cell, rows, f"g-{metric.code}")
