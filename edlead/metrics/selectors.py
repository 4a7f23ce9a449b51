"""Readers for the performance pages. Each returns everything its page needs in a fixed number of
queries, whatever the number of schools, metrics, years or groups: facts are read once, narrowed to the
organizations and metrics the page shows, and arranged in Python.

Access: the page's organization or person comes through the chokepoint (`policy.get_for_user`), the
schools through `policy.visible_to`. Facts are read only for organizations obtained that way: a school
the user may see, and its district and the state (ancestors are visible for context under `org.view`,
and their figures are DESE's public aggregates). Every value goes through `visible_value`, so a
suppressed figure never reaches a template or an export.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.access import policy
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics import rules
from edlead.metrics.charts import Chart, line_chart
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.metrics.suppression import is_suppressed, threshold
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

Kind = Organization.Kind
ALL = "all"

FactTuple = tuple[int, int, int, int, Decimal | None, int | None]  # org, year, metric, group, value, n


# --- values -----------------------------------------------------------------------------------------
def fmt_value(metric: Metric, value: Decimal | None) -> str:
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-metric.decimals) if metric.decimals else Decimal(1)
    v = value.quantize(q)
    if metric.unit == Metric.Unit.PERCENT:
        return f"{v:,}%"
    if metric.unit == Metric.Unit.DOLLARS:
        return f"${v:,}"
    if metric.unit == Metric.Unit.RATIO:
        return f"{v:,} to 1"
    return f"{v:,}"


def subject_word(metric: Metric) -> str:
    return "staff" if metric.subject == Metric.Subject.STAFF else "students"


@dataclass(frozen=True)
class Cell:
    """One shown value: the number (None when missing or suppressed), its text and why it is blank."""

    value: Decimal | None
    text: str
    note: str = ""
    suppressed: bool = False

    @property
    def sort_value(self) -> str:
        return "" if self.value is None else str(self.value)


MISSING = Cell(None, "—")


def make_cell(metric: Metric, fact: tuple[Decimal | None, int | None] | None) -> Cell:
    if fact is None:
        return MISSING
    value, n = fact
    if is_suppressed(metric, n):
        return Cell(None, "—", f"fewer than {threshold(metric)} {subject_word(metric)}", suppressed=True)
    if value is None:
        return Cell(None, "—", "not reported")
    return Cell(value, fmt_value(metric, value))


@dataclass(frozen=True)
class Change:
    value: Decimal | None
    text: str
    better: bool | None  # None: neutral metric or no change

    @property
    def sort_value(self) -> str:
        return "" if self.value is None else str(self.value)


def change(metric: Metric, new: Cell, old: Cell) -> Change:
    """`new − old` in the metric's unit (points for percentages), with which way is better."""
    if new.value is None or old.value is None:
        return Change(None, "—", None)
    diff = new.value - old.value
    q = Decimal(1).scaleb(-metric.decimals) if metric.decimals else Decimal(1)
    d = diff.quantize(q)
    unit = " pts" if metric.unit == Metric.Unit.PERCENT else ""
    text = f"{'+' if d > 0 else ''}{d:,}{unit}" if d != 0 else f"0{unit}"
    better: bool | None = None
    if d != 0 and metric.direction != Metric.Direction.NEUTRAL:
        better = (d > 0) == (metric.direction == Metric.Direction.HIGHER_BETTER)
    return Change(diff, text, better)


def year_label(year: int) -> str:
    return SchoolYear(year).label


def _facts(
    org_ids: Iterable[int],
    *,
    metric_ids: Iterable[int] | None = None,
    group_ids: Iterable[int] | None = None,
) -> list[FactTuple]:
    """Whole-year facts of these organizations (1 query)."""
    qs = Fact.objects.filter(organization_id__in=list(org_ids), period="")
    if metric_ids is not None:
        qs = qs.filter(metric_id__in=list(metric_ids))
    if group_ids is not None:
        qs = qs.filter(group_id__in=list(group_ids))
    return list(qs.values_list("organization_id", "school_year", "metric_id", "group_id", "value", "n"))


# --- principals by school year ----------------------------------------------------------------------
def snapshot(year: int) -> dt.date:
    return dt.date(year, rules.SNAPSHOT_MONTH, rules.SNAPSHOT_DAY)


def _in_office(pos: Position, day: dt.date) -> bool:
    return (pos.starts_on is None or pos.starts_on <= day) and (pos.ends_on is None or pos.ends_on >= day)


def principals_by_year(
    positions: Iterable[Position], years: Iterable[int]
) -> dict[tuple[int, int], frozenset[int]]:
    """(school, year) → the people who were principal on the year's October 1 snapshot."""
    by_school: dict[int, list[Position]] = defaultdict(list)
    for pos in positions:
        by_school[pos.organization_id].append(pos)
    result: dict[tuple[int, int], frozenset[int]] = {}
    for year in years:
        day = snapshot(year)
        for school_id, items in by_school.items():
            result[(school_id, year)] = frozenset(p.person_id for p in items if _in_office(p, day))
    return result


def principal_changed(held: dict[tuple[int, int], frozenset[int]], school_id: int, year: int) -> bool | None:
    """Did the school's principal change between the prior year's snapshot and this year's? None when
    the school had no principal on record the prior year (nothing to compare)."""
    before = held.get((school_id, year - 1), frozenset())
    if not before:
        return None
    return held.get((school_id, year), frozenset()) != before


def _principal_positions(school_ids: Iterable[int]) -> list[Position]:
    return list(
        Position.objects.filter(organization_id__in=list(school_ids), role=Position.Role.PRINCIPAL)
        .select_related("person")
        .order_by("starts_on", "pk")
    )


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


# --- the comparison table ---------------------------------------------------------------------------
@dataclass
class CompareCell:
    metric: Metric
    now: Cell
    prior: Cell
    delta: Change


@dataclass
class CompareRow:
    school: Organization
    network: Organization | None
    principal: Position | None
    cells: list[CompareCell]
    flags: list[str]
    principal_changed: bool | None
    principal_retained: Cell | None

    @property
    def flag_labels(self) -> list[str]:
        return [rules.FLAG_LABELS[f] for f in self.flags]


@dataclass
class Comparison:
    org: Organization
    crumbs: list[Organization]
    metrics: list[Metric]
    chosen: list[Metric]
    years: list[int]
    year: int | None
    rows: list[CompareRow]
    all_rows: int
    networks: list[Organization]
    school_types: list[tuple[str, str]]
    filters: dict[str, Any]
    key: dict[str, Metric]
    flag_counts: dict[str, int]

    @property
    def year_label(self) -> str:
        return year_label(self.year) if self.year else ""

    @property
    def prior_label(self) -> str:
        return year_label(self.year - 1) if self.year else ""

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        return [(y, year_label(y)) for y in reversed(self.years)]

    @property
    def metric_groups(self) -> list[tuple[str, list[Metric]]]:
        grouped: dict[str, list[Metric]] = {}
        for m in self.metrics:
            grouped.setdefault(m.category or "Other measures", []).append(m)
        return list(grouped.items())

    @property
    def column_count(self) -> int:
        return 2 * len(self.chosen) + 3


def comparison_org_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user,
        Organization.objects.filter(kind__in=[Kind.DISTRICT, Kind.NETWORK]).select_related("district"),
        policy.ORG_VIEW,
        pk=pk,
    )


def _visible_schools(user: Any, org: Organization) -> list[Organization]:
    return list(
        policy.visible_to(
            user,
            Organization.objects.schools().open().within(org).select_related("parent"),
            policy.ORG_VIEW,
        ).order_by("name")
    )


def comparison(user: Any, pk: int, params: dict[str, Any]) -> Comparison:
    """One row per school of a district or network the user may see: chosen metrics in a year and the
    change from the prior year, with off-track flags (7 queries after the user's grants)."""
    org = comparison_org_get_for_user(user, pk)
    crumb_map = Organization.objects.in_bulk(org.ancestor_ids[:-1])  # 1 query
    crumbs = [crumb_map[i] for i in org.ancestor_ids[:-1] if i in crumb_map]
    schools = _visible_schools(user, org)  # 1 query
    metrics = list(Metric.objects.all())  # 1 query (the catalog: tens of rows)
    key = rules.key_metrics(metrics)
    by_code = {m.code: m for m in metrics}
    asked = [by_code[c] for c in params.get("metric", []) if c in by_code]
    chosen = asked or _default_metrics(metrics, key)
    flag_metrics = [key[r] for r in ("chronic_absence", "principal_retention") if r in key]
    flag_metrics += [m for m in chosen if rules.is_meeting_exceeding(m)]
    if not asked:
        flag_metrics += [key[r] for r in ("ela_me", "math_me") if r in key]
    wanted = {m.pk: m for m in [*chosen, *flag_metrics]}
    all_group = StudentGroup.objects.filter(code=ALL).first()  # 1 query
    facts = (
        _facts([s.pk for s in schools], metric_ids=list(wanted), group_ids=[all_group.pk])
        if all_group and wanted and schools
        else []
    )  # 1 query
    positions = _principal_positions([s.pk for s in schools])  # 1 query

    index = {(o, y, m): (v, n) for o, y, m, _g, v, n in facts}
    years = sorted({y for _o, y, _m, _g, _v, _n in facts})
    try:
        year: int | None = int(params.get("year") or 0) or None
    except (TypeError, ValueError):
        year = None
    if year not in years:
        year = years[-1] if years else None
    held = principals_by_year(positions, [year - 1, year]) if year else {}
    current: dict[int, Position] = {}
    today = dt.date.today()
    for pos in positions:
        if _in_office(pos, today):
            current.setdefault(pos.organization_id, pos)

    rows: list[CompareRow] = []
    for school in schools:
        cells: list[CompareCell] = []
        for metric in chosen:
            now = make_cell(metric, index.get((school.pk, year, metric.pk))) if year else MISSING
            prior = make_cell(metric, index.get((school.pk, year - 1, metric.pk))) if year else MISSING
            cells.append(CompareCell(metric, now, prior, change(metric, now, prior)))
        flags: list[str] = []
        retained: Cell | None = None
        if year:
            absence = key.get("chronic_absence")
            if absence is not None:
                d = change(
                    absence,
                    make_cell(absence, index.get((school.pk, year, absence.pk))),
                    make_cell(absence, index.get((school.pk, year - 1, absence.pk))),
                )
                if d.value is not None and d.value >= rules.CHRONIC_ABSENCE_RISE:
                    flags.append("absence")
            for metric in wanted.values():
                if not rules.is_meeting_exceeding(metric):
                    continue
                d = change(
                    metric,
                    make_cell(metric, index.get((school.pk, year, metric.pk))),
                    make_cell(metric, index.get((school.pk, year - 1, metric.pk))),
                )
                if d.value is not None and -d.value >= rules.MEETING_EXCEEDING_DROP:
                    flags.append("achievement")
                    break
            changed = principal_changed(held, school.pk, year)
            retention = key.get("principal_retention")
            if retention is not None:
                retained = make_cell(retention, index.get((school.pk, year, retention.pk)))
            if changed or (
                retained is not None
                and retained.value is not None
                and retained.value < rules.PRINCIPAL_RETAINED_BELOW
            ):
                flags.append("turnover")
        else:
            changed = None
        network = school.parent if school.parent and school.parent.kind == Kind.NETWORK else None
        rows.append(CompareRow(school, network, current.get(school.pk), cells, flags, changed, retained))

    networks = sorted({r.network.pk: r.network for r in rows if r.network}.values(), key=lambda n: n.name)
    types = sorted({(s.school_type, s.type_label) for s in schools if s.school_type})
    flag_counts = {f: sum(1 for r in rows if f in r.flags) for f in rules.FLAG_LABELS}
    filters = {
        "network": str(params.get("network") or ""),
        "type": str(params.get("type") or ""),
        "flag": str(params.get("flag") or ""),
    }
    shown = rows
    if filters["network"]:
        shown = [r for r in shown if r.network and str(r.network.pk) == filters["network"]]
    if filters["type"]:
        shown = [r for r in shown if r.school.school_type == filters["type"]]
    if filters["flag"] == "any":
        shown = [r for r in shown if r.flags]
    elif filters["flag"] in rules.FLAG_LABELS:
        shown = [r for r in shown if filters["flag"] in r.flags]
    return Comparison(
        org,
        crumbs,
        metrics,
        chosen,
        years,
        year,
        shown,
        len(rows),
        networks,
        types,
        filters,
        key,
        flag_counts,
    )


def _default_metrics(metrics: list[Metric], key: dict[str, Metric]) -> list[Metric]:
    chosen = [key[r] for r in ("chronic_absence", "ela_me", "math_me") if r in key]
    for metric in metrics:
        if len(chosen) >= 3:
            break
        if (
            metric not in chosen
            and metric.unit == Metric.Unit.PERCENT
            and metric.subject == Metric.Subject.STUDENTS
        ):
            chosen.append(metric)
    return chosen


# --- leader outcomes --------------------------------------------------------------------------------
YEARS_AROUND = 3  # years shown before and after a tenure


@dataclass
class TenureMetric:
    metric: Metric
    cells: list[tuple[int, str, Cell, str]]  # year, label, value, "before" | "during" | "after"
    chart: Chart
    during_change: Change
    cid: str


@dataclass
class Tenure:
    position: Position
    school: Organization
    first_year: int | None
    last_year: int | None
    years: list[int]
    metrics: list[TenureMetric]


@dataclass
class LeaderOutcomes:
    person: Person
    tenures: list[Tenure]
    hidden: int  # principal positions at schools the user may not see


def leader_outcomes(user: Any, person_pk: int) -> LeaderOutcomes:
    """For each principal position a person held: the school's key metrics in the years before, during
    and after the tenure (6 queries after the user's grants)."""
    person = policy.get_for_user(user, Person.objects.all(), policy.PERSON_VIEW, pk=person_pk)
    positions = list(
        Position.objects.filter(person=person, role=Position.Role.PRINCIPAL)
        .select_related("organization")
        .order_by("-starts_on", "-pk")
    )  # 1 query
    visible = set(
        policy.visible_to(
            user, Organization.objects.filter(pk__in={p.organization_id for p in positions}), policy.ORG_VIEW
        ).values_list("pk", flat=True)
    )  # 1 query
    metrics = list(Metric.objects.all())  # 1 query
    key = rules.key_metrics(metrics)
    shown_metrics = [
        key[r] for r in ("chronic_absence", "ela_me", "math_me", "principal_retention") if r in key
    ]
    if not shown_metrics:
        shown_metrics = _default_metrics(metrics, key)
    mine = [p for p in positions if p.organization_id in visible]
    all_group = StudentGroup.objects.filter(code=ALL).first()  # 1 query
    facts = (
        _facts(
            {p.organization_id for p in mine},
            metric_ids=[m.pk for m in shown_metrics],
            group_ids=[all_group.pk],
        )
        if mine and all_group and shown_metrics
        else []
    )  # 1 query
    index = {(o, y, m): (v, n) for o, y, m, _g, v, n in facts}
    data_years: dict[int, set[int]] = defaultdict(set)
    for o, y, _m, _g, _v, _n in facts:
        data_years[o].add(y)
    tenures: list[Tenure] = []
    for pos in mine:
        first = SchoolYear.containing(pos.starts_on).start_year if pos.starts_on else None
        last = SchoolYear.containing(pos.ends_on).start_year if pos.ends_on else None
        have = sorted(data_years.get(pos.organization_id, set()))
        lo = (first - YEARS_AROUND) if first else (have[0] if have else 0)
        hi = (last + YEARS_AROUND) if last else (have[-1] if have else 0)
        years = [y for y in have if lo <= y <= hi]
        items: list[TenureMetric] = []
        for metric in shown_metrics:
            cells = []
            for y in years:
                phase = "during"
                if first is not None and y < first:
                    phase = "before"
                elif last is not None and y > last:
                    phase = "after"
                cells.append(
                    (
                        y,
                        year_label(y),
                        make_cell(metric, index.get((pos.organization_id, y, metric.pk))),
                        phase,
                    )
                )
            during = [c for c in cells if c[3] == "during" and c[2].value is not None]
            before = [c for c in cells if c[3] == "before" and c[2].value is not None]
            start_cell = before[-1][2] if before else (during[0][2] if during else MISSING)
            end_cell = during[-1][2] if during else MISSING
            chart = line_chart(
                title=f"{metric.name} at {pos.organization.name}",
                desc=(
                    f"{metric.name} by year; the shaded band is {person.display_name}'s tenure as principal. "
                    "The table below lists the values."
                ),
                years=years,
                series=[(pos.organization.name, [c[2].value for c in cells], [c[2].text for c in cells])],
                band=(
                    first if first is not None else (years[0] if years else 0),
                    last if last is not None else (years[-1] if years else 0),
                ),
                percent=metric.unit == Metric.Unit.PERCENT,
            )
            items.append(
                TenureMetric(
                    metric, cells, chart, change(metric, end_cell, start_cell), f"t{pos.pk}-{metric.code}"
                )
            )
        tenures.append(Tenure(pos, pos.organization, first, last, years, items))
    return LeaderOutcomes(person, tenures, len(positions) - len(mine))


# --- principal retention ----------------------------------------------------------------------------
@dataclass
class RateCell:
    changed: int
    base: int

    @property
    def rate(self) -> Decimal | None:
        if not self.base:
            return None
        return (Decimal(self.changed) * 100 / Decimal(self.base)).quantize(Decimal("0.1"))

    @property
    def text(self) -> str:
        return "—" if self.rate is None else f"{self.rate}%"


@dataclass
class RetentionRow:
    org: Organization | None  # None: the whole page's organization
    label: str
    edlead: list[RateCell]
    dese: list[Cell]  # principal % retained from staffing-retention facts (the organization's own)


@dataclass
class Retention:
    org: Organization
    crumbs: list[Organization]
    years: list[int]
    rows: list[RetentionRow]
    metric: Metric | None
    chart: Chart
    dese_chart: Chart | None


def retention_org_get_for_user(user: Any, pk: int) -> Organization:
    return policy.get_for_user(
        user,
        Organization.objects.filter(kind__in=[Kind.STATE, Kind.DISTRICT, Kind.NETWORK]),
        policy.ORG_VIEW,
        pk=pk,
    )


def retention(user: Any, pk: int, *, years_back: int = 10, today: dt.date | None = None) -> Retention:
    """Principal turnover by year for an organization and the units below it (networks of a district,
    districts of the state): the share of schools whose principal changed between consecutive school
    years, from EdLead's positions, beside DESE's "principal % retained" when imported (6 queries after
    the user's grants)."""
    org = retention_org_get_for_user(user, pk)
    crumb_map = Organization.objects.in_bulk(org.ancestor_ids[:-1])  # 1 query
    crumbs = [crumb_map[i] for i in org.ancestor_ids[:-1] if i in crumb_map]
    schools = list(
        policy.visible_to(
            user,
            Organization.objects.schools().open().within(org).select_related("parent", "district"),
            policy.ORG_VIEW,
        )
    )  # 1 query
    positions = list(
        Position.objects.filter(
            organization_id__in=[s.pk for s in schools], role=Position.Role.PRINCIPAL
        ).only("organization_id", "person_id", "starts_on", "ends_on")
    )  # 1 query
    today = today or dt.date.today()
    last = SchoolYear.containing(today).start_year
    if today < snapshot(last):
        last -= 1
    years = list(range(last - years_back + 1, last + 1))
    held = principals_by_year(positions, [years[0] - 1, *years])

    units: dict[int, Organization] = {}
    unit_of: dict[int, int] = {}
    for s in schools:
        if org.kind == Kind.STATE and s.district:
            units[s.district.pk] = s.district
            unit_of[s.pk] = s.district.pk
        elif org.kind == Kind.DISTRICT and s.parent and s.parent.kind == Kind.NETWORK:
            units[s.parent.pk] = s.parent
            unit_of[s.pk] = s.parent.pk
    metrics = list(Metric.objects.all())  # 1 query
    metric = rules.find_metric(metrics, "principal_retention")
    fact_orgs = [org.pk, *units]
    all_group = StudentGroup.objects.filter(code=ALL).first()  # 1 query
    facts = (
        _facts(fact_orgs, metric_ids=[metric.pk], group_ids=[all_group.pk]) if metric and all_group else []
    )  # 1 query
    dese = {(o, y): (v, n) for o, y, _m, _g, v, n in facts}

    def rates(school_ids: list[int]) -> list[RateCell]:
        cells = []
        for y in years:
            changed = base = 0
            for sid in school_ids:
                c = principal_changed(held, sid, y)
                if c is None:
                    continue
                base += 1
                changed += 1 if c else 0
            cells.append(RateCell(changed, base))
        return cells

    def dese_cells(org_id: int) -> list[Cell]:
        return [make_cell(metric, dese.get((org_id, y))) if metric else MISSING for y in years]

    rows = [RetentionRow(None, f"All of {org.name}", rates([s.pk for s in schools]), dese_cells(org.pk))]
    members: dict[int, list[int]] = defaultdict(list)
    for sid, uid in unit_of.items():
        members[uid].append(sid)
    for unit in sorted(units.values(), key=lambda o: o.name):
        rows.append(RetentionRow(unit, unit.name, rates(members[unit.pk]), dese_cells(unit.pk)))
    charted = rows[:6] if len(rows) <= 6 else rows[:1]
    chart = line_chart(
        title=f"Principal turnover by year, {org.name}",
        desc=(
            "Share of schools whose principal changed between one school year's October 1 and the next, "
            "from EdLead's position history. The table below gives every figure."
        ),
        years=years,
        series=[(r.label, [c.rate for c in r.edlead], [c.text for c in r.edlead]) for r in charted],
        percent=True,
    )
    dese_chart = None
    if metric and any(c.value is not None for r in rows for c in r.dese):
        dese_chart = line_chart(
            title=f"{metric.name}, {org.name}",
            desc="DESE staffing retention: principals retained from the prior year. The table below gives every figure.",
            years=years,
            series=[(r.label, [c.value for c in r.dese], [c.text for c in r.dese]) for r in charted],
            percent=True,
        )
    return Retention(org, crumbs, years, rows, metric, chart, dese_chart)
