"""Guskey's level 5 — did the schools of a program's participants do better afterwards? For each
cohort year (the school year in which participants completed it), the change in a school outcome from
the year before to the year after, in the participants' schools against matched comparison schools,
and the difference between the two changes (difference-in-differences).

Matching: for each participant's school, the comparison schools are schools of the same type and grade
span with no participant of the program, whose value the year before is within `CALIPER` points of
it — the `MATCHES` nearest (with replacement). Cohorts with fewer than `MIN_SCHOOLS` participants'
schools show no figure: too few to say anything, and close to naming a principal. This is an
observational comparison, not an experiment: the page says so.

Four queries whatever the number of schools."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from edlead.learning.models import Enrollment, Program
from edlead.people.models import Position

OUTCOMES = (
    ("mcas_ela_me_pct", "MCAS ELA: % meeting or exceeding expectations"),
    ("mcas_math_me_pct", "MCAS Mathematics: % meeting or exceeding expectations"),
    ("attendance_rate", "Attendance rate"),
    ("chronic_absence_10_pct", "Chronically absent (10% or more)"),
)
CALIPER = Decimal(5)
MATCHES = 3
MIN_SCHOOLS = 3


def school_year_of(day: dt.date) -> int:
    """The start year of the school year a day falls in (July to June): 2023 for 2023-24."""
    return day.year if day.month >= 7 else day.year - 1


@dataclass
class CohortResult:
    year: int  # start year of the school year the participants completed the program in
    schools: int = 0  # participants' schools with values before and after
    matched: int = 0  # of them, with at least one comparison school
    change: float | None = None  # mean change in participants' schools (points)
    comparison_change: float | None = None
    did: float | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.year}–{str(self.year + 1)[-2:]}"


@dataclass
class Level5:
    outcome: str
    outcome_name: str
    cohorts: list[CohortResult] = field(default_factory=list)


def level5(program: Program, outcome: str = OUTCOMES[0][0]) -> Level5:
    from edlead.metrics.models import Fact
    from edlead.orgs.models import Organization, grades_span

    names = dict(OUTCOMES)
    outcome = outcome if outcome in names else OUTCOMES[0][0]
    result = Level5(outcome, names[outcome])
    done = list(
        Enrollment.objects.filter(session__program=program, status=Enrollment.Status.COMPLETED).values_list(
            "person_id", "session__starts_at"
        )
    )
    if not done:
        return result
    people = {pid for pid, _ in done}
    positions = list(
        Position.objects.filter(person_id__in=people, role=Position.Role.PRINCIPAL).values_list(
            "person_id", "organization_id", "starts_on", "ends_on"
        )
    )
    treated: dict[int, set[int]] = {}  # cohort year → schools
    for pid, starts in done:
        day = starts.date()
        for p, org, since, until in positions:
            if p == pid and (since is None or since <= day) and (until is None or until >= day):
                treated.setdefault(school_year_of(day), set()).add(org)
    every_treated = set().union(*treated.values()) if treated else set()
    kinds = dict(
        (pk, (stype, grades_span(grades)))
        for pk, stype, grades in Organization.objects.filter(kind=Organization.Kind.SCHOOL).values_list(
            "pk", "school_type", "grades"
        )
    )
    wanted_kinds = {kinds[s] for s in every_treated if s in kinds}
    years = {y + d for y in treated for d in (-1, 1)}
    values: dict[tuple[int, int], Decimal] = {}
    for org, year, value in Fact.objects.filter(
        metric__code=outcome, group__code="all", period="", school_year__in=sorted(years), value__isnull=False
    ).values_list("organization_id", "school_year", "value"):
        if value is not None and kinds.get(org) in wanted_kinds:
            values[(org, year)] = value
    for year in sorted(treated):
        before, after = year - 1, year + 1
        row = CohortResult(year)
        changes, comparison = [], []
        pool = [s for s in kinds if s not in every_treated and (s, before) in values and (s, after) in values]
        for school in sorted(treated[year]):
            if (school, before) not in values or (school, after) not in values:
                continue
            row.schools += 1
            base = values[(school, before)]
            near = sorted(
                (abs(values[(s, before)] - base), s)
                for s in pool
                if kinds[s] == kinds.get(school) and abs(values[(s, before)] - base) <= CALIPER
            )[:MATCHES]
            if not near:
                continue
            row.matched += 1
            changes.append(float(values[(school, after)] - base))
            comparison.append(mean(float(values[(s, after)] - values[(s, before)]) for _, s in near))
        if after >= school_year_of(dt.date.today()):
            row.note = (
                f"Too recent: the school year after ({after}–{str(after + 1)[-2:]}) has no outcomes yet."
            )
        elif row.matched < MIN_SCHOOLS:
            row.note = (
                f"Fewer than {MIN_SCHOOLS} participants' schools with a match and values for "
                f"{before}–{str(before + 1)[-2:]} and {after}–{str(after + 1)[-2:]}: no figure."
            )
        else:
            row.change = round(mean(changes), 1)
            row.comparison_change = round(mean(comparison), 1)
            row.did = round(row.change - row.comparison_change, 1)
        result.cohorts.append(row)
    return result
