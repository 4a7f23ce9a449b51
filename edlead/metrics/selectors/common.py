"""Shared pieces of the performance readers: formatted values, changes, facts, principals by year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from edlead.lib.schoolyears import SchoolYear
from edlead.metrics import presentation, rules
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.metrics.suppression import computed_by_edlead, hidden_groups, is_suppressed, threshold
from edlead.orgs.models import Organization
from edlead.people.models import Position

Kind = Organization.Kind
ALL = "all"

FactTuple = tuple[int, int, int, int, Decimal | None, int | None]  # org, year, metric, group, value, n


# --- values -----------------------------------------------------------------------------------------
def fmt_value(metric: Metric, value: Decimal | None) -> str:
    if value is None:
        return "—"
    v = value.quantize(presentation.quantum(metric), rounding=ROUND_HALF_UP)
    if metric.unit == Metric.Unit.PERCENT:
        return f"{v:,}%"
    if metric.unit == Metric.Unit.DOLLARS:
        return f"−${-v:,}" if v < 0 else f"${v:,}"
    if metric.unit == Metric.Unit.RATIO:
        return f"{v:,} to 1"
    return f"{v:,}"


def subject_word(metric: Metric) -> str:
    return "staff" if metric.subject == Metric.Subject.STAFF else "students"


@dataclass
class CategoryBlock:
    """The measures of one category on a performance page (school, district or state)."""

    name: str
    anchor: str
    metrics: list[Any]


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


def make_cell(
    metric: Metric, fact: tuple[Decimal | None, int | None] | None, *, hidden: bool = False
) -> Cell:
    """`hidden`: complementary suppression hides this group so that a smaller one cannot be worked
    out by subtraction (see `hidden_keys`)."""
    if fact is None:
        return MISSING
    value, n = fact
    if is_suppressed(metric, n):
        return Cell(None, "—", f"fewer than {threshold(metric)} {subject_word(metric)}", suppressed=True)
    if hidden:
        return Cell(None, "—", "hidden so a smaller group cannot be worked out", suppressed=True)
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
    d = diff.quantize(presentation.quantum(metric), rounding=ROUND_HALF_UP)
    unit = " pts" if metric.unit == Metric.Unit.PERCENT else ""
    text = f"{'+' if d > 0 else ''}{d:,}{unit}" if d != 0 else f"0{unit}"
    better: bool | None = None
    if d != 0 and metric.direction != Metric.Direction.NEUTRAL:
        better = (d > 0) == (metric.direction == Metric.Direction.HIGHER_BETTER)
    return Change(diff, text, better)


FactIndex = dict[tuple[int, int, int, int], tuple[Decimal | None, int | None]]


def hidden_keys(
    index: FactIndex, metrics: dict[int, Metric], groups: dict[int, StudentGroup]
) -> set[tuple[int, int, int, int]]:
    """The (org, year, metric, group) keys that suppression hides, primary and complementary, for the
    EdLead-computed metrics among `index` (whole-year facts of one page). Pages and exports both ask
    this set, so a group hidden on the page is hidden in the export too."""
    computed = {pk for pk, metric in metrics.items() if computed_by_edlead(metric)}
    if not computed:
        return set()
    by_cell: dict[tuple[int, int, int], dict[str, int | None]] = defaultdict(dict)
    for org, year, metric_id, group_id in index:
        group = groups.get(group_id)
        if metric_id in computed and group is not None:
            by_cell[(org, year, metric_id)][group.code] = index[(org, year, metric_id, group_id)][1]
    if not by_cell:
        return set()
    id_of = {g.code: pk for pk, g in groups.items()}
    keys: set[tuple[int, int, int, int]] = set()
    for (org, year, metric_id), n_by_group in by_cell.items():
        for code in hidden_groups(metrics[metric_id], n_by_group):
            keys.add((org, year, metric_id, id_of[code]))
    return keys


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


def key_metric_candidates() -> list[Metric]:
    """The catalog metrics a key-metric pattern matches, in catalog order (1 query of a few rows, not
    the whole catalog): `rules.key_metrics` of these is that of the whole catalog."""
    return list(Metric.objects.filter(code__iregex=rules.KEY_CODE_REGEX))


def _principal_positions(school_ids: Iterable[int]) -> list[Position]:
    return list(
        Position.objects.filter(organization_id__in=list(school_ids), role=Position.Role.PRINCIPAL)
        .select_related("person")
        .order_by("starts_on", "pk")
    )
