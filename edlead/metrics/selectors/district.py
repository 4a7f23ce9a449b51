"""The district performance page and the state overview: every whole-year figure stored for a district
(or the state), year by year, beside the state, as on the school page. They carry the reports DESE
publishes only for districts and the state — educator evaluation, per-pupil and Chapter 70 spending,
salaries, SAT, dropout, college-going, MCAS science and participation, superintendent retention.

A curated set of key measures comes first; every other measure is listed by category and drawn when
the page is asked for all of them (`show_all`). Fixed query count whatever the data size: the
organization through the chokepoint, then one query each for the invented demo state, the facts, the
metrics and the groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.access import policy
from edlead.metrics import presentation
from edlead.metrics.charts import Chart, line_chart
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.metrics.selectors.common import ALL, MISSING, CategoryBlock, Cell, Kind, make_cell, year_label
from edlead.metrics.selectors.invented import INVENTED_LABEL, INVENTED_STATE_CODE
from edlead.orgs.models import Organization

# The measures a superintendent or a state reader watches first, in this order (those on record).
KEY_MEASURES: tuple[str, ...] = (
    "chronic_absence_10_pct",
    "attendance_rate",
    "mcas_ela_me_pct",
    "mcas_math_me_pct",
    "mcas_science_me_pct",
    "grad_4yr_pct",
    "dropout_pct",
    "college_attending_pct",
    "principal_retained_pct",
    "superintendent_retained_pct",
    "teacher_retained_pct",
    "per_pupil_expenditure",
)

FactIndex = dict[tuple[int, int, int, int], tuple[Decimal | None, int | None]]


@dataclass
class YearRow:
    year: int
    label: str
    own: Cell
    state: Cell


@dataclass
class MetricBlock:
    metric: Metric
    rows: list[YearRow]  # latest year first
    chart: Chart | None  # None: no value to draw
    anchor: str
    state_label: str  # "State", or "State (invented demo figures)"
    invented: bool  # the state column holds the demo's invented figures
    latest: YearRow | None


@dataclass
class OrgPerformance:
    org: Organization
    state: Organization | None  # None on the state overview itself
    level: str  # "District" or "State"
    years: list[int]
    key: list[MetricBlock]
    categories: list[CategoryBlock]
    show_all: bool
    invented_used: bool
    metric_count: int
    export_rows: list[list[Any]] = field(default_factory=list)


def district_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user, Organization.objects.districts().select_related("parent"), policy.ORG_DIRECTORY, pk=pk
    )


def state_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(user, Organization.objects.filter(kind=Kind.STATE), policy.ORG_VIEW, pk=pk)


def district_performance(
    user: Any, pk: int, *, show_all: bool = False, export: bool = False
) -> OrgPerformance:
    district = district_get_for_user(user, pk)
    state = district.parent if district.parent and district.parent.kind == Kind.STATE else None
    return _performance(district, state, "District", show_all=show_all, export=export)


def state_overview(user: Any, pk: int, *, show_all: bool = False, export: bool = False) -> OrgPerformance:
    state = state_get_for_user(user, pk)
    return _performance(state, None, "State", show_all=show_all, export=export)


def _performance(
    org: Organization, state: Organization | None, level: str, *, show_all: bool, export: bool
) -> OrgPerformance:
    """`export`: also build the export rows (every group, every year), which the page itself skips."""
    invented_id = (
        Organization.objects.filter(code=INVENTED_STATE_CODE).values_list("pk", flat=True).first()
    )  # 1 query
    # The invented state stands in for the real one only beside demo organizations (and on the state
    # overview, for measures the real state lacks).
    use_invented = invented_id is not None and (state is None or org.source == Organization.Source.DEMO)
    ids = [org.pk] + ([state.pk] if state else []) + ([invented_id] if use_invented and invented_id else [])
    groups = {g.pk: g for g in StudentGroup.objects.all()}  # 1 query
    all_id = next((pk for pk, g in groups.items() if g.code == ALL), -1)
    query = Fact.objects.filter(organization_id__in=ids, period="")
    if not export:  # the page shows all students; the export every group
        query = query.filter(group_id=all_id)
    facts = list(
        query.values_list("organization_id", "school_year", "metric_id", "group_id", "value", "n")
    )  # 1 query
    metrics = Metric.objects.in_bulk({f[2] for f in facts})  # 1 query

    index: FactIndex = {}
    by_org_metric: dict[int, set[int]] = {}
    for o, year, metric_id, group_id, value, n in facts:
        index[(o, year, metric_id, group_id)] = (value, n)
        by_org_metric.setdefault(o, set()).add(metric_id)
    state_metrics = by_org_metric.get(state.pk, set()) if state else set()
    invented_metrics = by_org_metric.get(invented_id or -1, set()) if use_invented else set()
    own_metrics = set(by_org_metric.get(org.pk, set()))
    if state is None:  # the state overview: the invented figures only where the real state has none
        own_metrics |= invented_metrics
    shown_orgs = {org.pk} | ({invented_id} if state is None and invented_id else set())
    years = sorted({y for (o, y, _m, _g) in index if o in shown_orgs})

    ordered = sorted(
        (metrics[m] for m in own_metrics if m in metrics),
        key=lambda m: (m.category or "zz", m.sort_order, m.name),
    )
    blocks: dict[int, MetricBlock] = {}
    rows: list[list[Any]] = []
    invented_used = False
    for metric in ordered:
        if state is None:
            own_id = org.pk if metric.pk in by_org_metric.get(org.pk, set()) else (invented_id or -1)
            cmp_id = None
            invented = own_id != org.pk
        else:
            own_id = org.pk
            invented = metric.pk not in state_metrics and metric.pk in invented_metrics
            cmp_id = (invented_id if invented else state.pk) or None
        invented_used = invented_used or invented
        block = _block(metric, org, own_id, cmp_id, years, index, all_id, invented, level)
        blocks[metric.pk] = block
        if export:
            rows += _export_rows(metric, org, own_id, cmp_id, state, years, index, groups, invented, level)

    by_code = {b.metric.code: b for b in blocks.values()}
    key = [by_code[c] for c in KEY_MEASURES if c in by_code and by_code[c].latest is not None]
    key_ids = {b.metric.pk for b in key}
    categories: dict[str, CategoryBlock] = {}
    for block in blocks.values():
        if block.metric.pk in key_ids:
            continue
        name = block.metric.category or "Other measures"
        categories.setdefault(name, CategoryBlock(name, f"c-{len(categories) + 1}", [])).metrics.append(block)
    return OrgPerformance(
        org,
        state,
        level,
        years,
        key,
        list(categories.values()),
        show_all,
        invented_used,
        len(blocks),
        rows,
    )


def _block(
    metric: Metric,
    org: Organization,
    own_id: int,
    cmp_id: int | None,
    years: list[int],
    index: FactIndex,
    all_id: int,
    invented: bool,
    level: str,
) -> MetricBlock:
    rows = [
        YearRow(
            year,
            year_label(year),
            make_cell(metric, index.get((own_id, year, metric.pk, all_id))),
            make_cell(metric, index.get((cmp_id, year, metric.pk, all_id))) if cmp_id else MISSING,
        )
        for year in years
    ]
    known = [r for r in rows if r.own.value is not None or r.state.value is not None]
    state_label = f"State ({INVENTED_LABEL})" if invented else "State"
    own_label = org.name if level != "State" else ("State" if not invented else f"State ({INVENTED_LABEL})")
    chart: Chart | None = None
    if len(known) > 1:  # one year is a table row, not a trend
        chart_rows = [r for r in rows if known[0].year <= r.year <= known[-1].year]
        series = [(own_label, [r.own.value for r in chart_rows], [r.own.text for r in chart_rows])]
        # A count or a total is not drawn against the state's, which would flatten the district's line.
        if cmp_id and not presentation.is_total(metric):
            series.append(
                (state_label, [r.state.value for r in chart_rows], [r.state.text for r in chart_rows])
            )
        chart = line_chart(
            title=f"{metric.name}, {own_label}",
            desc=_desc(metric, own_label, chart_rows),
            years=[r.year for r in chart_rows],
            series=series,
            percent=metric.unit == Metric.Unit.PERCENT,
        )
        if chart.empty:
            chart = None
    latest = next((r for r in reversed(rows) if r.own.value is not None), None)
    return MetricBlock(
        metric, list(reversed(known)), chart, f"m-{metric.code}", state_label, invented, latest
    )


def _desc(metric: Metric, who: str, rows: list[YearRow]) -> str:
    known = [r for r in rows if r.own.value is not None]
    if not known:
        return f"No {metric.name.lower()} on record for {who}; see the table."
    first, last = known[0], known[-1]
    if first is last:
        return f"{metric.name} was {last.own.text} in {last.label}. The table beside the chart lists it."
    return (
        f"{metric.name} went from {first.own.text} in {first.label} to {last.own.text} in {last.label}. "
        "The table beside the chart lists every year."
    )


def _export_rows(
    metric: Metric,
    org: Organization,
    own_id: int,
    cmp_id: int | None,
    state: Organization | None,
    years: list[int],
    index: FactIndex,
    groups: dict[int, StudentGroup],
    invented: bool,
    level: str,
) -> list[list[Any]]:
    """Rows of EXPORT_HEADER for the page's organization and its comparison; suppressed or unreported
    values are left out, and invented demo figures say so in the Level column."""
    out: list[list[Any]] = []
    targets: list[tuple[int, str, str, str]] = []
    if level == "State":
        targets.append(
            (own_id, org.code or "", org.name, f"State ({INVENTED_LABEL})" if invented else "State")
        )
    else:
        targets.append((own_id, org.code or "", org.name, level))
        if cmp_id and state is not None:
            targets.append(
                (
                    cmp_id,
                    "",
                    state.name if not invented else f"State ({INVENTED_LABEL})",
                    f"State ({INVENTED_LABEL})" if invented else "State",
                )
            )
    for target_id, code, name, label in targets:
        for year in years:
            for group in groups.values():
                fact = index.get((target_id, year, metric.pk, group.pk))
                if fact is None:
                    continue
                cell = make_cell(metric, fact)
                if cell.value is None:
                    continue
                out.append(
                    [
                        code,
                        name,
                        label,
                        year_label(year),
                        metric.code,
                        metric.name,
                        metric.get_unit_display(),
                        group.name,
                        cell.value,
                        "" if fact[1] is None else fact[1],
                    ]
                )
    return out
