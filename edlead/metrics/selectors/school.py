"""The school performance page: trends against district and state, principal changes, gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from edlead.access import policy
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics import presentation
from edlead.metrics.charts import Chart, line_chart
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.common import (
    ALL,
    MISSING,
    CategoryBlock,
    Cell,
    Change,
    FactIndex,
    Kind,
    _facts,
    _principal_positions,
    change,
    hidden_keys,
    make_cell,
    year_label,
)
from edlead.metrics.selectors.invented import INVENTED_LABEL, INVENTED_STATE_CODE
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
    chart: Chart | None  # None when the school has no value to draw
    anchor: str
    total: bool = False  # a total: the chart shows the school alone (see `presentation.is_total`)
    state_label: str = "State"  # "State (invented demo figures)" when the demo's own stand in


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
    key: list[MetricBlock]  # the curated key measures, shown first
    categories: list[CategoryBlock]  # the other measures by category (built only when asked for)
    rest_count: int  # how many other measures there are
    off_grade: list[Metric]  # measures of grades the school does not serve: left off the page
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

# Which measures a page build draws: the key ones, the rest (the htmx "show all" part), or both.
KEY, REST, ALL_MEASURES = "key", "rest", "all"


def school_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user, Organization.objects.schools().select_related("district", "parent"), policy.ORG_DIRECTORY, pk=pk
    )


@dataclass
class _Context:
    school: Organization
    district: Organization | None
    state: Organization | None
    years: list[int]
    index: FactIndex
    hidden: set[tuple[int, int, int, int]]
    all_id: int
    marks: list[PrincipalMark]
    marks_by_year: dict[int, list[PrincipalMark]]
    invented: Organization | None = None  # the demo's invented state, beside demo schools only
    state_metrics: set[int] = field(default_factory=set)  # measures the real state root has figures for

    def state_for(self, metric: Metric) -> Organization | None:
        """The real state's figures whenever it has any for the measure; else, beside a demo school,
        the demo's invented ones — never the two mixed in one line."""
        if self.invented is not None and metric.pk not in self.state_metrics:
            return self.invented
        return self.state

    def state_label(self, metric: Metric) -> str:
        return f"State ({INVENTED_LABEL})" if self.state_for(metric) is self.invented else "State"

    def cell(self, org: Organization | None, year: int, metric: Metric, group_id: int) -> Cell:
        if org is None:
            return MISSING
        key = (org.pk, year, metric.pk, group_id)
        return make_cell(metric, self.index.get(key), hidden=key in self.hidden)


def school_performance(user: Any, pk: int, *, measures: str = KEY, export: bool = False) -> SchoolPerformance:
    """A school's metrics over the years, beside its district and the state: the key measures first,
    the rest when asked for (`measures`); gaps by group; principal changes (6 queries after the user's
    grants, whichever measures are drawn). With `export`, the rows of every figure of the page's
    measures, suppression applied."""
    school = school_get_for_user(user, pk)
    wanted = Q(pk__in=school.ancestor_ids[:-1])
    if school.source == Organization.Source.DEMO:
        wanted |= Q(code=INVENTED_STATE_CODE)
    found = {o.pk: o for o in Organization.objects.filter(wanted)}  # 1 query
    crumbs = [found[i] for i in school.ancestor_ids[:-1] if i in found]
    invented = next((o for o in found.values() if o.code == INVENTED_STATE_CODE and o not in crumbs), None)
    state = next((o for o in crumbs if o.kind == Kind.STATE), None)
    district = school.district
    org_ids = [school.pk] + [o.pk for o in (district, state, invented) if o is not None]
    facts = _facts(org_ids)  # 1 query
    metrics = Metric.objects.in_bulk({f[2] for f in facts})  # 1 query
    groups = {g.pk: g for g in StudentGroup.objects.all()}  # 1 query
    positions = _principal_positions([school.pk])  # 1 query

    index: FactIndex = {}
    school_years: set[int] = set()
    for org, year, metric_id, group_id, value, n in facts:
        index[(org, year, metric_id, group_id)] = (value, n)
        if org == school.pk:
            school_years.add(year)
    all_group = next((g for g in groups.values() if g.code == ALL), None)
    ctx = _Context(
        school,
        district,
        state,
        sorted(school_years),
        index,
        hidden_keys(index, metrics, groups),
        all_group.pk if all_group else -1,
        [],
        defaultdict(list),
        invented,
        {m for (o, _y, m, _g) in index if state is not None and o == state.pk},
    )
    seen: set[int] = set()
    for pos in positions:
        if pos.starts_on is None or pos.pk in seen:
            continue
        seen.add(pos.pk)
        mark = PrincipalMark(len(ctx.marks) + 1, SchoolYear.containing(pos.starts_on).start_year, pos)
        ctx.marks.append(mark)
        ctx.marks_by_year[mark.year].append(mark)

    grades = _served_grades(ctx, metrics)
    school_metric_ids = {m for (o, _y, m, _g) in index if o == school.pk}
    ordered = sorted(
        (metrics[m] for m in school_metric_ids if m in metrics),
        key=lambda m: (m.category or "zz", m.sort_order, m.name),
    )
    fitting = [m for m in ordered if presentation.fits_grades(m, grades)]
    off_grade = [m for m in ordered if m not in fitting]
    key = presentation.key_measures(fitting)
    rest = [m for m in fitting if m not in key]
    categories: dict[str, CategoryBlock] = {}
    if measures in (REST, ALL_MEASURES):
        for metric in rest:
            name = metric.category or "Other measures"
            block = CategoryBlock(name, f"c-{len(categories) + 1}", [])
            categories.setdefault(name, block).metrics.append(_metric_block(ctx, metric))
    gaps = [g for m in fitting if (g := _gap_block(ctx, m, groups)) is not None]
    return SchoolPerformance(
        school,
        district,
        state,
        crumbs,
        ctx.years,
        [_metric_block(ctx, m) for m in key] if measures in (KEY, ALL_MEASURES) else [],
        list(categories.values()),
        len(rest),
        off_grade,
        gaps,
        ctx.marks,
        _export_rows(ctx, {m.pk: m for m in fitting}, groups) if export else [],
    )


def _served_grades(ctx: _Context, metrics: dict[int, Metric]) -> set[str]:
    """The grades the school serves: those with students in its latest per-grade enrollment, else the
    directory's list (which may be years old, or empty)."""
    by_year: dict[int, dict[Metric, Any]] = defaultdict(dict)
    for (org, year, metric_id, group_id), (value, _n) in ctx.index.items():
        metric = metrics.get(metric_id)
        if (
            org == ctx.school.pk
            and group_id == ctx.all_id
            and metric is not None
            and metric.code.startswith("enrollment_")
            and presentation.metric_grades(metric)
        ):
            by_year[year][metric] = value
    for year in sorted(by_year, reverse=True):
        if enrolled := presentation.grades_enrolled(by_year[year]):
            return enrolled
    return presentation.parse_grades(ctx.school.grades)


def _metric_block(ctx: _Context, metric: Metric) -> MetricBlock:
    rows = [
        YearRow(
            year,
            year_label(year),
            ctx.cell(ctx.school, year, metric, ctx.all_id),
            ctx.cell(ctx.district, year, metric, ctx.all_id),
            ctx.cell(ctx.state_for(metric), year, metric, ctx.all_id),
            ctx.marks_by_year.get(year, []),
        )
        for year in ctx.years
    ]
    total = presentation.is_total(metric)
    shown = [r for r in rows if r.school.value is not None or (not total and r.district.value is not None)]
    chart: Chart | None = None
    if any(r.school.value is not None for r in rows):
        first = shown[0].year
        chart_rows = [r for r in rows if r.year >= first]
        chart_years = [r.year for r in chart_rows]
        lines = [
            (ctx.school.name, [r.school.value for r in chart_rows], [r.school.text for r in chart_rows]),
        ]
        if not total:
            if ctx.district:
                lines.append(
                    (
                        f"District: {ctx.district.name}",
                        [r.district.value for r in chart_rows],
                        [r.district.text for r in chart_rows],
                    )
                )
            if ctx.state_for(metric):
                lines.append(
                    (
                        ctx.state_label(metric),
                        [r.state.value for r in chart_rows],
                        [r.state.text for r in chart_rows],
                    )
                )
        chart = line_chart(
            title=f"{metric.name}, {ctx.school.name}",
            desc=_chart_desc(metric, chart_rows, total),
            years=chart_years,
            series=lines,
            markers=[
                (m.year, m.position.person.display_name) for m in ctx.marks if m.year in set(chart_years)
            ],
            percent=metric.unit == Metric.Unit.PERCENT,
            dollars=metric.unit == Metric.Unit.DOLLARS,
        )
    return MetricBlock(
        metric, list(reversed(rows)), chart, f"m-{metric.code}", total, ctx.state_label(metric)
    )


def _export_rows(
    ctx: _Context, metrics: dict[int, Metric], groups: dict[int, StudentGroup]
) -> list[list[Any]]:
    """Every figure of the page's measures (`metrics`) for the school, its district and the state, as
    the page would show it: suppressed
    (primary or complementary) and unreported values are left out, with their counts."""
    levels = [
        (o, label)
        for o, label in (
            (ctx.school, "School"),
            (ctx.district, "District"),
            (ctx.state, "State"),
            (ctx.invented, f"State ({INVENTED_LABEL})"),
        )
        if o
    ]
    rank = {o.pk: i for i, (o, _label) in enumerate(levels)}
    out: list[tuple[tuple[Any, ...], list[Any]]] = []
    for (org_id, year, metric_id, group_id), fact in ctx.index.items():
        metric, group = metrics.get(metric_id), groups.get(group_id)
        if metric is None or group is None or org_id not in rank:
            continue
        state_ids = (getattr(ctx.state, "pk", None), getattr(ctx.invented, "pk", None))
        if org_id in state_ids and org_id != getattr(ctx.state_for(metric), "pk", None):
            continue  # the export carries the one state line the page shows
        cell = make_cell(metric, fact, hidden=(org_id, year, metric_id, group_id) in ctx.hidden)
        if cell.value is None:
            continue
        org, level = levels[rank[org_id]]
        sort_key = (
            metric.category or "zz",
            metric.sort_order,
            metric.name,
            rank[org_id],
            year,
            group.sort_order,
            group.name,
        )
        out.append(
            (
                sort_key,
                [
                    org.code or "",
                    org.name,
                    level,
                    year_label(year),
                    metric.code,
                    metric.name,
                    metric.get_unit_display(),
                    group.name,
                    cell.value,
                    "" if fact[1] is None else fact[1],
                ],
            )
        )
    out.sort(key=lambda item: item[0])
    return [row for _key, row in out]


def _chart_desc(metric: Metric, rows: list[YearRow], total: bool) -> str:
    known = [r for r in rows if r.school.value is not None]
    first, last = known[0], known[-1]
    table = (
        "The chart shows the school alone (a total grows with the size of the organization); the table "
        "beside it lists the district's and the state's."
        if total
        else "The table beside the chart lists every year for the school, district and state."
    )
    return f"{metric.name} went from {first.school.text} in {first.label} to {last.school.text} in {last.label}. {table}"


def _gap_block(ctx: _Context, metric: Metric, groups: dict[int, StudentGroup]) -> GapBlock | None:
    """Each student group against all students at the school, and against the same group in the
    district and the state, in the latest year the school has group figures for the metric."""
    school = ctx.school
    group_years = [
        y
        for y in ctx.years
        if any((school.pk, y, metric.pk, g) in ctx.index for g in groups if g != ctx.all_id)
    ]
    if not group_years:
        return None
    year = group_years[-1]
    all_cell = ctx.cell(school, year, metric, ctx.all_id)
    rows: list[GapRow] = []
    for group in sorted(groups.values(), key=lambda g: (g.sort_order, g.name)):
        if group.pk == ctx.all_id or (school.pk, year, metric.pk, group.pk) not in ctx.index:
            continue
        own = ctx.cell(school, year, metric, group.pk)
        dist = ctx.cell(ctx.district, year, metric, group.pk)
        st = ctx.cell(ctx.state_for(metric), year, metric, group.pk)
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
