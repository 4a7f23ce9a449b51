"""A leader's outcomes: the schools they led, before, during and after their tenure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from edlead.access import policy
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics import rules
from edlead.metrics.charts import Chart, line_chart
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.common import (
    ALL,
    MISSING,
    Cell,
    Change,
    _facts,
    change,
    make_cell,
    year_label,
)
from edlead.metrics.selectors.compare import _default_metrics
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

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
    last_year: int | None  # the last year outcomes are attributed to: the end, else the last confirmed
    years: list[int]
    metrics: list[TenureMetric]
    confirmed_label: str = ""  # set when the position is open but no source confirmed it lately


@dataclass
class LeaderOutcomes:
    person: Person
    tenures: list[Tenure]
    hidden: int  # principal positions at schools the user may not see


def leader_outcomes(user: Any, person_pk: int) -> LeaderOutcomes:
    """For each principal position a person held: the school's key metrics in the years before, during
    and after the tenure (6 queries after the user's grants). An open position no source confirmed
    lately (a 2016-17 directory, years ago) is attributed outcomes only through its last confirmed
    year; later years are shown as "not confirmed", never as the person's."""
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
    metrics = list(Metric.objects.all())  # 1 query (the fallback below chooses from the whole catalog)
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
        unconfirmed = pos.ends_on is None and pos.unconfirmed and pos.confirmed_through is not None
        if unconfirmed and pos.confirmed_through is not None:
            last = SchoolYear.containing(pos.confirmed_through).start_year
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
                    phase = "not confirmed" if unconfirmed else "after"
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
        tenures.append(
            Tenure(
                pos, pos.organization, first, last, years, items, pos.confirmed_label if unconfirmed else ""
            )
        )
    return LeaderOutcomes(person, tenures, len(positions) - len(mine))
