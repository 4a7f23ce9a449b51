"""The supervisor's home: each school's chronic absence this school year from the monthly monitoring — the
latest month with its trend since September as a sparkline, flagged when it is higher than in the same
month last year. A month about too few students is not shown. Two queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from edlead.home.columns import Cell, Column
from edlead.metrics.models import Fact, Metric
from edlead.metrics.suppression import visible_value

CODE = "monitor_chronic_absence"
MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)


def _period(year: int, month: int) -> str:
    return f"{year + (month < 7)}-{month:02d}"


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    metric = Metric.objects.filter(code=CODE).first()  # one query
    if metric is None or not rows:
        return {}
    year = today.year if today.month >= 7 else today.year - 1
    facts: dict[tuple[int, str], Decimal | None] = {}
    for org_id, period, value, n in (
        Fact.objects.filter(
            organization_id__in=[r.school.pk for r in rows],
            metric=metric,
            group__code="all",
            school_year__in=[year - 1, year],
        )
        .exclude(period="")
        .values_list("organization_id", "period", "value", "n")
    ):  # one query
        facts[(org_id, period)] = visible_value(metric, value, n)
    out: dict[int, Cell] = {}
    for row in rows:
        series = [facts.get((row.school.pk, _period(year, m))) for m in MONTHS]
        shown = [(m, v) for m, v in zip(MONTHS, series, strict=True) if isinstance(v, Decimal)]
        if not shown:
            continue
        month, latest = shown[-1]
        before = facts.get((row.school.pk, _period(year - 1, month)))
        worse = isinstance(before, Decimal) and latest > before
        label = dt.date(2000, month, 1).strftime("%b")
        trend = ", ".join(f"{dt.date(2000, m, 1):%b} {v:.1f}%" for m, v in shown)
        out[row.school.pk] = Cell(
            f"{latest:.1f}% ({label})",
            sort=float(latest),
            url=reverse("metrics:school", args=[row.school.pk]),
            attention=worse,
            note=f"{'up' if worse else 'down' if isinstance(before, Decimal) and latest < before else 'same'} from {before:.1f}% a year ago"
            if isinstance(before, Decimal)
            else "",
            spark=[float(v) if isinstance(v, Decimal) else None for v in series[: MONTHS.index(month) + 1]],
            spark_label=f"Chronic absence by month this school year: {trend}",
        )
    return out


COLUMN = Column(
    "chronic_absence",
    "Chronic absence",
    30,
    cells,
    help="Share of students chronically absent this school year, by month (monthly monitoring)",
)
