"""In-year monitoring month by month: this school year beside the same months of last year, for a
school or for the schools of a district, by student group.

Monitoring facts carry a `period` (`2024-10`, or a term label such as `Q1`). "This year" is the latest
school year with in-year figures; "last year" the one before, month for month. Every value is an
EdLead-computed aggregate of student records, so each goes through `make_cell` (small groups
suppressed, `edlead.metrics.suppression`). A district's line is the mean of its schools weighted by
the students behind each school's figure (counts are summed), computed from the schools the user may
see and only from values shown, so no hidden figure can be recovered by subtraction.

Fixed query count: the organization through the chokepoint (plus the visible schools for a district),
then one query each for what is on record (metric × year × group), the metrics, the groups and the
facts of this year and last — of the one measure shown, on the district page.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from edlead.access import policy
from edlead.metrics.charts import LEFT, RIGHT, WIDTH, Chart, Tick, line_chart
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.metrics.selectors.common import ALL, Cell, Change, change, hidden_keys, make_cell, year_label
from edlead.metrics.suppression import PARTITIONS, TOTAL_GROUP
from edlead.orgs.models import Organization

# School-year order of calendar months: July first.
_MONTH_ORDER = [7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
FactKey = tuple[int, int, str, int, int]  # org, year, period, metric, group
FactIndex = dict[FactKey, tuple[Decimal | None, int | None]]


@dataclass
class MonthRow:
    slot: str  # "10" for October, or a term label
    label: str
    this_year: Cell
    last_year: Cell
    change: Change


@dataclass
class MonthlyBlock:
    metric: Metric
    rows: list[MonthRow]
    chart: Chart | None
    anchor: str


@dataclass
class SchoolMonthRow:
    school: Organization
    cells: list[tuple[Cell, Cell]]  # (this year, last year) per slot


@dataclass
class SchoolsTable:
    metric: Metric
    slots: list[tuple[str, str]]  # (slot, label)
    rows: list[SchoolMonthRow]


@dataclass
class Monthly:
    org: Organization
    year: int | None  # this school year (None: no in-year figures)
    this_label: str
    last_label: str
    group: StudentGroup | None
    groups: list[StudentGroup]  # groups with figures, for the chooser
    blocks: list[MonthlyBlock]
    schools: SchoolsTable | None = None
    school_count: int = 0
    metrics: list[Metric] | None = None  # for the district chooser

    @property
    def empty(self) -> bool:
        return self.year is None


def _slot(period: str) -> tuple[str, str, int]:
    """(slot, label, sort key) of a period: months by their number in school-year order."""
    if len(period) == 7 and period[4] == "-" and period[:4].isdigit() and period[5:].isdigit():
        month = int(period[5:])
        return f"{month:02d}", calendar.month_name[month], _MONTH_ORDER.index(month)
    return period, period, 100 + sum(ord(c) for c in period) % 1000


def _period(slot: str, year: int) -> str:
    """The period of a slot in a school year (a month slot maps to its calendar year)."""
    if len(slot) == 2 and slot.isdigit():
        month = int(slot)
        return f"{year if month >= 7 else year + 1}-{month:02d}"
    return slot


@dataclass
class _Catalog:
    """What in-year figures exist for some organizations: this year, the metrics, the groups on record."""

    base: Any  # the organizations' in-year facts (a queryset)
    year: int | None
    metrics: dict[int, Metric]
    groups: dict[int, StudentGroup]
    on_record: list[StudentGroup]


def _catalog(org_ids: list[int]) -> _Catalog:
    """3 queries: the (metric, year, group) combinations on record, the metrics, the groups."""
    base = Fact.objects.filter(organization_id__in=org_ids).exclude(period="")
    combos = list(base.values_list("metric_id", "school_year", "group_id").distinct())  # 1 query
    metrics = Metric.objects.in_bulk({c[0] for c in combos})  # 1 query
    groups = {g.pk: g for g in StudentGroup.objects.all()}  # 1 query
    if not combos:
        return _Catalog(base, None, metrics, groups, [])
    year = max(c[1] for c in combos)
    present = {c[2] for c in combos if c[1] in (year, year - 1)}
    on_record = sorted((groups[g] for g in present if g in groups), key=lambda g: (g.sort_order, g.name))
    return _Catalog(base, year, metrics, groups, on_record)


def _read(
    cat: _Catalog, metric_ids: list[int], group_ids: list[int] | None = None
) -> tuple[FactIndex, set[FactKey], list[tuple[str, str]]]:
    """This year's and last year's facts of these metrics (1 query), the keys suppression hides —
    primary and complementary, period by period — and the slots (months or terms) in school-year order."""
    assert cat.year is not None
    facts = cat.base.filter(metric_id__in=metric_ids, school_year__in=[cat.year, cat.year - 1])
    if group_ids is not None:
        facts = facts.filter(group_id__in=group_ids)
    index: FactIndex = {
        (o, y, p, m, g): (v, n)
        for o, y, p, m, g, v, n in facts.values_list(
            "organization_id", "school_year", "period", "metric_id", "group_id", "value", "n"
        )
    }
    # `hidden_keys` works on (org, year, metric, group): give each (year, period) a number of its own.
    when: dict[tuple[int, str], int] = {}
    by_when = {}
    for (o, y, p, m, g), fact in index.items():
        by_when[(o, when.setdefault((y, p), len(when)), m, g)] = fact
    back = {number: yp for yp, number in when.items()}
    hidden = {
        (o, back[w][0], back[w][1], m, g) for (o, w, m, g) in hidden_keys(by_when, cat.metrics, cat.groups)
    }
    slots = {_slot(p) for (_y, p) in when}
    ordered = sorted(slots, key=lambda item: item[2])
    return index, hidden, [(slot, label) for slot, label, _order in ordered]


def _chosen_group(cat: _Catalog, group_code: str) -> StudentGroup | None:
    return next((g for g in cat.on_record if g.code == group_code), None) or next(
        (g for g in cat.on_record if g.code == ALL), cat.on_record[0] if cat.on_record else None
    )


def _chart(
    metric: Metric, who: str, year: int, slots: list[tuple[str, str]], rows: list[MonthRow]
) -> Chart | None:
    this, last = year_label(year), year_label(year - 1)
    chart = line_chart(
        title=f"{metric.name} by month, {who}: {this} and {last}",
        desc=_desc(metric, this, last, rows),
        years=list(range(len(slots))),
        series=[
            (this, [r.this_year.value for r in rows], [r.this_year.text for r in rows]),
            (last, [r.last_year.value for r in rows], [r.last_year.text for r in rows]),
        ],
        percent=metric.unit == Metric.Unit.PERCENT,
    )
    if chart.empty:
        return None
    # Months, not school years, along the bottom: every slot labelled by its short name.
    plot_w = WIDTH - LEFT - RIGHT
    count = max(len(slots) - 1, 1)
    chart.x_ticks = [
        Tick(round(LEFT + plot_w * (i / count if len(slots) > 1 else 0.5), 1), label[:3])
        for i, (_slot_key, label) in enumerate(slots)
    ]
    for series in chart.series:
        for point in series.points:
            point.label = point.label.split(",")[0]
    return chart


def _desc(metric: Metric, this: str, last: str, rows: list[MonthRow]) -> str:
    known = [r for r in rows if r.this_year.value is not None]
    if not known:
        return f"No {metric.name.lower()} on record for {this}; the table lists {last}."
    r = known[-1]
    then = f", against {r.last_year.text} in {r.label} {last}" if r.last_year.value is not None else ""
    return f"{metric.name} was {r.this_year.text} in {r.label} {this}{then}. The table lists every month."


def _metric_order(metrics: dict[int, Metric]) -> list[Metric]:
    # Rates first, counts (students enrolled, tested) after them.
    return sorted(
        metrics.values(), key=lambda m: (m.category, m.unit == Metric.Unit.COUNT, m.sort_order, m.name)
    )


def school_monthly(user: Any, pk: int, group_code: str = ALL) -> Monthly:
    school = policy.get_for_user(user, Organization.objects.schools(), policy.ORG_DIRECTORY, pk=pk)
    cat = _catalog([school.pk])
    year, group = cat.year, _chosen_group(cat, group_code)
    if year is None or group is None:
        return Monthly(school, None, "", "", None, [], [])
    index, hidden, slots = _read(cat, list(cat.metrics))
    on_record = cat.on_record
    blocks: list[MonthlyBlock] = []
    for metric in _metric_order(cat.metrics):
        rows = []
        for slot, label in slots:
            key_now = (school.pk, year, _period(slot, year), metric.pk, group.pk)
            key_then = (school.pk, year - 1, _period(slot, year - 1), metric.pk, group.pk)
            now = make_cell(metric, index.get(key_now), hidden=key_now in hidden)
            then = make_cell(metric, index.get(key_then), hidden=key_then in hidden)
            rows.append(MonthRow(slot, label, now, then, change(metric, now, then)))
        if not any(r.this_year.value is not None or r.last_year.value is not None for r in rows):
            if any(r.this_year.suppressed or r.last_year.suppressed for r in rows):
                blocks.append(MonthlyBlock(metric, rows, None, f"mon-{metric.code}"))
            continue
        blocks.append(
            MonthlyBlock(metric, rows, _chart(metric, school.name, year, slots, rows), f"mon-{metric.code}")
        )
    return Monthly(school, year, year_label(year), year_label(year - 1), group, on_record, blocks)


def district_monthly(
    user: Any, district: Organization, group_code: str = ALL, metric_code: str = ""
) -> Monthly:
    """The district's visible schools: a chart of the student-weighted district line (this year and last)
    for one measure and group, and a table of each school's months."""
    schools = list(
        policy.visible_to(user, Organization.objects.schools().filter(district=district), policy.ORG_VIEW)
        .only("pk", "name", "code", "district_id")
        .order_by("name")
    )  # 1 query
    cat = _catalog([s.pk for s in schools])
    year, group = cat.year, _chosen_group(cat, group_code)
    ordered = _metric_order(cat.metrics)
    if year is None or group is None or not ordered:
        return Monthly(district, None, "", "", None, [], [], school_count=len(schools))
    metric = next((m for m in ordered if m.code == metric_code), None) or next(
        (m for m in ordered if m.code == "monitor_chronic_absence"), ordered[0]
    )
    # The group shown, and — when it belongs to a partition (race, gender) — all students and the other
    # members, which complementary suppression needs; no other group's figures are read.
    partition = next((members for members in PARTITIONS.values() if group.code in members), ())
    codes = {group.code, *((TOTAL_GROUP, *partition) if partition else ())}
    index, hidden, slots = _read(cat, [metric.pk], [pk for pk, g in cat.groups.items() if g.code in codes])
    on_record = cat.on_record
    sums: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    table_rows: list[SchoolMonthRow] = []
    for school in schools:
        cells: list[tuple[Cell, Cell]] = []
        for slot, _label in slots:
            pair = []
            for y in (year, year - 1):
                key = (school.pk, y, _period(slot, y), metric.pk, group.pk)
                fact = index.get(key)
                cell = make_cell(metric, fact, hidden=key in hidden)
                pair.append(cell)
                # Only shown values enter the district line: a hidden school cannot be worked out by
                # subtracting the shown schools from it.
                if fact is not None and cell.value is not None and fact[1]:
                    acc = sums[(y, slot)]
                    acc[0] += cell.value * (1 if metric.unit == Metric.Unit.COUNT else fact[1])
                    acc[1] += fact[1]
            cells.append((pair[0], pair[1]))
        if any(c[0].value is not None or c[1].value is not None or c[0].suppressed for c in cells):
            table_rows.append(SchoolMonthRow(school, cells))
    rows: list[MonthRow] = []
    for slot, label in slots:
        pair = []
        for y in (year, year - 1):
            total, n = sums.get((y, slot), [Decimal(0), Decimal(0)])
            if not n:
                pair.append(make_cell(metric, None))
                continue
            value = total if metric.unit == Metric.Unit.COUNT else total / n
            pair.append(make_cell(metric, (value, int(n))))
        rows.append(MonthRow(slot, label, pair[0], pair[1], change(metric, pair[0], pair[1])))
    block = MonthlyBlock(metric, rows, _chart(metric, district.name, year, slots, rows), f"mon-{metric.code}")
    return Monthly(
        district,
        year,
        year_label(year),
        year_label(year - 1),
        group,
        on_record,
        [block],
        SchoolsTable(metric, slots, table_rows),
        len(schools),
        ordered,
    )
