"""Small, hand-checkable performance data on the access `world`: three metrics, three years, groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Metric, StudentGroup
from edlead.people.models import Position
from edlead.testing import make_person, make_position


@dataclass
class PerfData:
    absence: Metric
    ela: Metric
    retention: Metric
    groups: dict[str, StudentGroup]
    attendance: Metric  # EdLead-computed (in-year monitoring): suppressed by EdLead


# S1's in-year attendance rate in 2023, by group: (value, n). Race groups sum to all students (100) with
# Asian students (5) under the threshold of 10; female + male are 96 of the 100 (4 students in a third,
# unstored gender group), so "all − female − male" would be a group of 4.
ATTENDANCE_2023: dict[str, tuple[str, int]] = {
    "all": ("91.7", 100),  # = the race groups weighted by their counts
    "white": ("95.0", 40),
    "hispanic": ("90.0", 35),
    "black": ("91.0", 20),
    "asian": ("80.0", 5),
    "female": ("93.0", 50),
    "male": ("91.0", 46),
    "low_income": ("89.0", 60),
}


def make_metrics() -> tuple[Metric, Metric, Metric]:
    """The catalog's chronic absence, ELA meeting-or-exceeding and principal-retained metrics (created
    when the catalog does not have them yet), with names fixed for the assertions."""
    absence, _ = Metric.objects.update_or_create(
        code="chronic_absence_10_pct",
        defaults=dict(
            name="Chronic absenteeism",
            unit=Metric.Unit.PERCENT,
            direction=Metric.Direction.LOWER_BETTER,
            category="Attendance",
            sort_order=1,
            suppress_below=None,
        ),
    )
    ela, _ = Metric.objects.update_or_create(
        code="mcas_ela_me_pct",
        defaults=dict(
            name="ELA meeting or exceeding",
            unit=Metric.Unit.PERCENT,
            direction=Metric.Direction.HIGHER_BETTER,
            category="Achievement",
            sort_order=2,
            suppress_below=None,
        ),
    )
    retention, _ = Metric.objects.update_or_create(
        code="principal_retained_pct",
        defaults=dict(
            name="Principal % retained",
            unit=Metric.Unit.PERCENT,
            direction=Metric.Direction.HIGHER_BETTER,
            category="Staffing",
            subject=Metric.Subject.STAFF,
            sort_order=3,
            suppress_below=None,
        ),
    )
    return absence, ela, retention


def make_attendance_metric() -> Metric:
    metric, _ = Metric.objects.update_or_create(
        code="monitor_attendance_rate",
        defaults=dict(
            name="Attendance rate (in-year)",
            unit=Metric.Unit.PERCENT,
            direction=Metric.Direction.HIGHER_BETTER,
            category="In-year attendance",
            sort_order=4,
            suppress_below=None,
            decimals=1,
        ),
    )
    return metric


def build(world: Any) -> PerfData:
    absence, ela, retention = make_metrics()
    groups = {g.code: g for g in StudentGroup.objects.all()}
    o = world.orgs
    rows: list[FactRow] = []

    def put(
        org: Any, year: int, metric: Metric, value: str | None, n: int | None = 200, group: str = "all"
    ) -> None:
        rows.append(
            FactRow(org.pk, year, "", metric.pk, groups[group].pk, Decimal(value) if value else None, n)
        )

    # Chronic absence: S1 up 3.5 points in 2023 (flag); S2 flat; district and state for comparison.
    for org, values in [
        (o["S1"], ["9.0", "10.0", "13.5"]),
        (o["S2"], ["20.0", "20.0", "19.0"]),
        (o["S3"], ["15.0", "14.0", "14.5"]),
        (o["T1"], ["5.0", "5.0", "5.0"]),
        (o["A"], ["14.0", "15.0", "16.0"]),
        (o["state"], ["12.0", "13.0", "13.5"]),
    ]:
        for year, value in zip([2021, 2022, 2023], values, strict=True):
            put(org, year, absence, value)
    # ELA meeting or exceeding: S2 down 3 points in 2023 (flag); groups at S1 in 2023.
    for org, values in [
        (o["S1"], ["58.0", "59.0", "60.0"]),
        (o["S2"], ["49.0", "50.0", "47.0"]),
        (o["S3"], ["40.0", "41.0", "42.0"]),
        (o["A"], ["50.0", "51.0", "52.0"]),
        (o["state"], ["55.0", "56.0", "57.0"]),
    ]:
        for year, value in zip([2021, 2022, 2023], values, strict=True):
            put(org, year, ela, value)
    put(o["S1"], 2023, ela, "48.0", 50, "low_income")
    put(o["A"], 2023, ela, "50.0", 4000, "low_income")
    put(o["state"], 2023, ela, "55.0", 90000, "low_income")
    put(o["S1"], 2023, ela, "11.7", 5, "el")  # DESE published it for five students: shown as published
    put(o["A"], 2023, ela, "30.0", 900, "el")
    # DESE principal % retained: S3 lost its principal in 2023 by DESE's count; the district 80%.
    put(o["S3"], 2023, retention, "0.0", 1)  # DESE's figure for one principal: shown, and flagged
    put(o["A"], 2023, retention, "80.0", 20)
    put(o["A"], 2022, retention, "90.0", 20)
    attendance = make_attendance_metric()
    for group, (value, n) in ATTENDANCE_2023.items():
        put(o["S1"], 2023, attendance, value, n, group)
    put(o["S1"], 2022, attendance, "93.0", 98)
    facts_upsert(rows)

    # S2's principal changed between October 2022 and October 2023.
    make_position(
        make_person("Olive", "Oldhead"),
        o["S2"],
        Position.Role.PRINCIPAL,
        dt.date(2018, 7, 1),
        dt.date(2023, 8, 15),
    )
    make_position(make_person("Nia", "Newhead"), o["S2"], Position.Role.PRINCIPAL, dt.date(2023, 8, 16))
    return PerfData(absence, ela, retention, groups, attendance)
