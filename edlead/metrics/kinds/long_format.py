"""The long-format metrics CSV: one value per row, for anything no other kind reads.

| Column | Required | Format |
|---|---|---|
| Org Code | yes | the DESE code of the school or district (leading zeros may be missing) |
| School Year | one of School Year, Date, Period (month) or `--year` | 2024-25 |
| Date | — | 2024-10-31 or 10/31/2024: its school year, and its month as the period unless Period is given |
| Period | no | a month (2024-10) or a term label (Q1, Fall); empty for a whole-year value |
| Metric | yes | a catalog code (e.g. monitor_attendance_rate, mcas_ela_me_pct) |
| Student Group | no | a group code or name (All students when empty) |
| Value | yes | a number; empty when the source suppressed it; percentages 0–100 |
| Count | no | the number of students (or staff) behind the value, for suppression |

Facts are matched by organization, school year, period, metric and group, so re-importing changes
nothing. An unknown metric, a bad number, a percentage outside 0–100 or two rows with the same key
and different values refuse the file; an unknown org code skips its row.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from edlead.imports.kinds.base import (
    CellError,
    Column,
    Context,
    ImportKind,
    Outcome,
    Plan,
    _show,
    choice,
    date,
    org_code,
)
from edlead.lib.schoolyears import SchoolYear, SchoolYearError
from edlead.metrics import monitoring
from edlead.metrics.catalog import GROUPS
from edlead.metrics.kinds.monitoring import plan_facts
from edlead.metrics.models import Metric
from edlead.metrics.monitoring import MonitorFact, SchoolRows

_GROUP_OPTIONS = {code: code for code, _ in GROUPS} | {name: code for code, name in GROUPS}
_GROUP_OPTIONS |= {"All": "all", "Students with disabilities": "swd", "EL": "el"}


def _school_year(value: str) -> int:
    try:
        return SchoolYear.parse(value).start_year
    except SchoolYearError as exc:
        raise CellError(f"{_show(value)} is not a school year like 2024-25") from exc


def _period(value: str) -> tuple[int | None, str]:
    try:
        return monitoring.period_of(value)
    except monitoring.BadCell as exc:
        raise CellError(f"{_show(value)} {exc}") from exc


def _metric(value: str) -> str:
    code = value.strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,80}", code):
        raise CellError(f"{_show(value)} is not a metric code (letters, digits, - and _)")
    return code


def _value(value: str) -> Decimal:
    cleaned = value.replace(",", "").removesuffix("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise CellError(f"{_show(value)} is not a number") from exc
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        raise CellError(f"{_show(value)} is not a finite number")
    return number


def _count(value: str) -> int:
    cleaned = value.replace(",", "")
    cleaned = cleaned[:-2] if cleaned.endswith(".0") else cleaned
    if not cleaned.isdigit():
        raise CellError(f"{_show(value)} is not a whole number of students (0 or more)")
    number = int(cleaned)
    if number > 2_000_000_000:
        raise CellError(f"{_show(value)} is too large")
    return number


class LongFormatMetrics(ImportKind):
    slug = "metrics_long"
    label = "Metrics, long format (one value per row)"
    description = (
        "Any metric in the catalog, one value per row: org code, school year or date, metric code, "
        "student group, value and count (download the template)."
    )
    priority = 60
    uses_school_year = True
    commits_in_chunks = True  # the plan only reads; facts commit a chunk at a time
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "org_code",
            "Org Code",
            org_code,
            required=True,
            needs_value=True,
            aliases=("Organization Code", "School Code", "District Code"),
            help="The DESE code of the school or district (8 digits; missing leading zeros are restored). "
            "A code EdLead does not know skips the row.",
        ),
        Column(
            "school_year",
            "School Year",
            _school_year,
            aliases=("SY",),
            help="2024-25. Give a School Year, a Date or a month Period on every row (or the year when importing).",
        ),
        Column(
            "date",
            "Date",
            date,
            aliases=("As Of Date", "As Of"),
            help="2024-10-31 or 10/31/2024: the row is for that date's school year and, unless Period is "
            "given, its month (2024-10).",
        ),
        Column(
            "period",
            "Period",
            _period,
            aliases=("Month", "Term"),
            help="Empty for a whole-year value; a month (2024-10) or a term label up to 16 characters (Q1, Fall).",
        ),
        Column(
            "metric",
            "Metric",
            _metric,
            required=True,
            needs_value=True,
            aliases=("Metric Code",),
            help="A metric code from EdLead's catalog (the metric's page lists them). An unknown code refuses the file.",
        ),
        Column(
            "group",
            "Student Group",
            choice(_GROUP_OPTIONS, "student group"),
            aliases=("Group", "Subgroup"),
            help="A group code or name: "
            + ", ".join(f"{n} ({c})" for c, n in GROUPS)
            + ". All students when empty.",
        ),
        Column(
            "value",
            "Value",
            _value,
            required=True,
            help="A number (thousands separators and a % sign are allowed). Percentages must be 0–100. "
            "Leave empty when the source suppressed the value.",
        ),
        Column(
            "n",
            "Count",
            _count,
            aliases=("N", "Number of Students", "Students"),
            help="How many students (or staff) the value describes: small groups are then hidden on every page.",
        ),
    )
    key_columns = ("org_code", "metric", "value")
    natural_key = ("org_code", "school_year", "date", "period", "metric", "group")
    template_header: ClassVar[list[str]] = [c.header for c in columns]
    template_rows: ClassVar[list[list[str]]] = [
        ["99010005", "2024-25", "", "", "monitor_chronic_absence", "All students", "18.4", "412"],
        ["99010005", "", "2024-10-31", "", "monitor_attendance_rate", "low_income", "91.25", "208"],
    ]

    @classmethod
    def column_docs(cls) -> list[tuple[str, bool, str]]:
        return [(c.header, c.required, c.help) for c in cls.columns]

    @staticmethod
    def _when(row: Any) -> tuple[int | None, str, str | None]:
        """(school year or None, period, a disagreement) of a row."""
        year: int | None = row.school_year if row.school_year != "" else None
        period = ""
        if row.period != "":
            period_year, period = row.period
            if period_year is not None:
                if year is not None and year != period_year:
                    return year, period, "period"
                year = period_year
        if row.date != "":
            d: dt.date = row.date
            date_year = SchoolYear.containing(d).start_year
            if year is not None and year != date_year:
                return year, period, "date"
            year = date_year
            period = period or f"{d.year:04d}-{d.month:02d}"
        return year, period, None

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        """Metric codes against the catalog, percentages in 0–100, years that agree, and one value per
        organization × year × period × metric × group."""
        metrics = {
            code: unit
            for code, unit in Metric.objects.filter(code__in={r.metric for r in rows}).values_list(
                "code", "unit"
            )
        }
        seen: dict[tuple[Any, ...], Any] = {}
        for row in rows:
            unit = metrics.get(row.metric)
            if unit is None:
                outcome.error(row.line, "Metric", f"{_show(row.metric)} is not a metric in EdLead's catalog")
                continue
            if unit == Metric.Unit.PERCENT and row.value != "" and not (0 <= row.value <= 100):
                outcome.error(row.line, "Value", f"{row.value} is a percentage outside 0–100")
                continue
            if unit != Metric.Unit.PERCENT and row.value != "" and row.value < 0 and unit != "score":
                outcome.error(row.line, "Value", f"{row.value} is negative; a {unit} cannot be")
                continue
            year, period, clash = cls._when(row)
            if clash:
                outcome.error(
                    row.line,
                    "Period" if clash == "period" else "Date",
                    f"it falls in school year {SchoolYear(SchoolYear.containing(row.date).start_year).label if clash == 'date' else SchoolYear(row.period[0]).label}, "
                    "not the row's School Year",
                )
                continue
            key = (row.org_code, year, period, row.metric, row.group or "all")
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = row
            elif (earlier.value, earlier.n) != (row.value, row.n):
                outcome.error(
                    row.line,
                    "Value",
                    f"the same organization, year, period, metric and group as line {earlier.line} but a different value or count",
                )

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        facts: list[MonitorFact] = []
        schools: dict[str, SchoolRows] = {}
        keys: set[tuple[Any, ...]] = set()
        for row in rows:
            year, period, _ = cls._when(row)
            group = row.group or "all"
            seen = schools.get(row.org_code)
            if seen is None:
                seen = schools[row.org_code] = SchoolRows(row.line)
            seen.rows += 1
            key = (row.org_code, year, period, row.metric, group)
            if key in keys:  # the same fact again (checked identical): read once
                continue
            keys.add(key)
            value = None if row.value == "" else row.value
            n = row.n if row.n != "" else None
            facts.append(MonitorFact(row.org_code, year, period, row.metric, group, value, n))
        return plan_facts(facts, schools, ctx, outcome, code_column="Org Code", what="organization")


LONG_FORMAT_KINDS: list[type[ImportKind]] = [LongFormatMetrics]
