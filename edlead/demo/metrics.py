"""Deterministic invented performance figures for the demo and state scales: ten school years of the
catalog's key metrics for every demo school (some by student group, some groups small enough to be
suppressed), with district figures as enrollment-weighted means of their schools.

Only demo organizations (codes 99…, source "demo") get figures; real ones never do, and the state
root above all never does: its figures are DESE's, from a real import. The demo's own "state" means
go on a demo-only organization, `INVENTED_STATE_CODE`, which the pages show only where the real state
has no figure for a measure, labelled "invented demo figures". Each school gets only the measures that
fit its grades (MCAS for tested grades 3–8 and 10, graduation for a school with grade 12).
In-year attendance comes month by month for the demo districts' schools: the last two of those years,
the years since and the current school year up to the month begun (each later year from its own
generator, so earlier figures never change).
Re-running writes nothing new (facts are upserted by natural key). `manage.py seed_metrics` runs it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Metric, StudentGroup
from edlead.metrics.selectors.invented import INVENTED_STATE_CODE, INVENTED_STATE_NAME
from edlead.orgs.models import Organization
from edlead.orgs.services import organization_create, state_agency_get_or_create

FIRST_YEAR, LAST_YEAR = 2015, 2024  # school years 2015-16 … 2024-25


@dataclass(frozen=True)
class DemoMetric:
    code: str
    name: str
    unit: str
    direction: str
    category: str
    low: float
    high: float
    noise: float
    groups: bool = False
    group_shift: float = 0.0  # how much worse the high-needs groups tend to be (sign: value direction)
    subject: str = "students"
    high_school_only: bool = False
    tested_grades_only: bool = False  # MCAS: only schools with a tested grade (3–8 or 10)


METRICS: tuple[DemoMetric, ...] = (
    DemoMetric(
        "chronic_absence_10_pct",
        "Chronically absent (10% or more)",
        "percent",
        "lower",
        "Attendance",
        6,
        34,
        2.2,
        True,
        7,
    ),
    DemoMetric("attendance_rate", "Attendance rate", "percent", "higher", "Attendance", 89, 96, 0.7),
    DemoMetric(
        "mcas_ela_me_pct",
        "MCAS ELA: % meeting or exceeding expectations",
        "percent",
        "higher",
        "MCAS",
        18,
        72,
        3.5,
        True,
        -16,
        tested_grades_only=True,
    ),
    DemoMetric(
        "mcas_math_me_pct",
        "MCAS Mathematics: % meeting or exceeding expectations",
        "percent",
        "higher",
        "MCAS",
        12,
        66,
        3.5,
        True,
        -15,
        tested_grades_only=True,
    ),
    DemoMetric(
        "mcas_ela_sgp",
        "MCAS ELA: median SGP",
        "percentile",
        "higher",
        "MCAS",
        38,
        62,
        5,
        tested_grades_only=True,
    ),
    DemoMetric(
        "mcas_math_sgp",
        "MCAS Mathematics: median SGP",
        "percentile",
        "higher",
        "MCAS",
        38,
        62,
        5,
        tested_grades_only=True,
    ),
    DemoMetric(
        "grad_4yr_pct",
        "4-year graduation rate",
        "percent",
        "higher",
        "Graduation",
        72,
        97,
        2,
        high_school_only=True,
    ),
    DemoMetric(
        "teacher_retained_pct",
        "Teacher % retained",
        "percent",
        "higher",
        "Staff retention",
        76,
        94,
        3,
        subject="staff",
    ),
)
DISTRICT_ONLY = DemoMetric(
    "principal_retained_pct",
    "Principal % retained",
    "percent",
    "higher",
    "Staff retention",
    70,
    95,
    8,
    subject="staff",
)
# Share of enrollment in each group, roughly as in an urban Massachusetts district.
GROUP_SHARES = {"high_needs": 0.55, "low_income": 0.45, "el": 0.14, "swd": 0.18}
# Race and ethnicity of enrollment (the in-year counts only), roughly an urban district's; the pipeline's
# pool diversity reads the district's students from these.
RACE_SHARES = {
    "hispanic": 0.40,
    "black": 0.26,
    "white": 0.16,
    "asian": 0.09,
    "multi_race": 0.06,
    "ai_an": 0.02,
    "nh_pi": 0.01,
}


def _metric_rows() -> dict[str, Metric]:
    """The catalog's metrics for the demo codes; any the catalog lacks are created (1–2 queries)."""
    wanted = [*METRICS, DISTRICT_ONLY]
    found = {m.code: m for m in Metric.objects.filter(code__in=[d.code for d in wanted])}
    for d in wanted:
        if d.code not in found:
            found[d.code] = Metric.objects.create(
                code=d.code,
                name=d.name,
                unit=d.unit,
                direction=d.direction,
                category=d.category,
                subject=d.subject,
                source_report="Demo data",
            )
    return found


TESTED_GRADES = frozenset({"03", "04", "05", "06", "07", "08", "10"})


def fits_grades(d: DemoMetric, grades: str) -> bool:
    """Does the measure make sense for a school serving these grades (DESE's comma list)?"""
    served = {g.strip().upper() for g in (grades or "").split(",") if g.strip()}
    if d.high_school_only and "12" not in served:
        return False
    return not (d.tested_grades_only and not served & TESTED_GRADES)


def invented_state_get_or_create() -> Organization:
    """The demo-only organization that holds the demo's own, invented "state" means (code 99000000),
    so that nothing is ever written on the real state root."""
    found = Organization.objects.filter(code=INVENTED_STATE_CODE).first()
    if found is not None:
        return found
    return organization_create(
        kind=Organization.Kind.DISTRICT,
        parent=state_agency_get_or_create(),
        name=INVENTED_STATE_NAME,
        code=INVENTED_STATE_CODE,
        source=Organization.Source.DEMO,
        source_note="Invented by seed_metrics: the mean of the demo schools, shown only where DESE's "
        "state figure is not imported.",
    )


def _clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def _dec(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


@transaction.atomic
def metrics_seed(
    *,
    first: int = FIRST_YEAR,
    last: int = LAST_YEAR,
    today: dt.date | None = None,
    invented_state: bool = True,
) -> tuple[int, int, float]:
    """Write the demo figures. Returns (facts created, facts updated, seconds). `today` (the local date
    unless given) says how far the in-year monitoring has come; without `invented_state` the demo's own
    state means (and their organization) are left for a later run."""
    started = time.perf_counter()
    metrics = _metric_rows()
    groups = {
        g.code: g.pk for g in StudentGroup.objects.filter(code__in=["all", *GROUP_SHARES, *RACE_SHARES])
    }
    schools = list(
        Organization.objects.schools()
        .filter(source=Organization.Source.DEMO)
        .only("pk", "code", "name", "grades", "district_id")
        .order_by("pk")
    )
    state = invented_state_get_or_create() if schools and invented_state else None
    years = list(range(first, last + 1))
    rows: list[FactRow] = []
    # (org, year, metric, group) → [weighted sum, weight, n]
    sums: dict[tuple[int, int, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])

    for school in schools:
        rng = random.Random(f"metrics:{school.code or school.name}")
        enrollment = rng.randint(140, 1400)
        for d in METRICS:
            if not fits_grades(d, school.grades):
                continue
            base = rng.uniform(d.low, d.high)
            slope = rng.uniform(-0.8, 0.8) * d.noise / 2
            shifts = {code: d.group_shift * rng.uniform(0.5, 1.3) for code in GROUP_SHARES}
            value = base
            for i, year in enumerate(years):
                value = value + slope + rng.gauss(0, d.noise) * 0.6
                if i and rng.random() < 0.08:  # an occasional jump: a new program, a new principal…
                    value += rng.choice([-1, 1]) * d.noise * 2
                v = _clamp(value, 0, 100)
                n = enrollment if d.subject == "students" else rng.randint(18, 70)
                rows.append(FactRow(school.pk, year, "", metrics[d.code].pk, groups["all"], _dec(v), n))
                _add(sums, school, state, year, d.code, "all", v, n)
                if d.groups:
                    for code, share in GROUP_SHARES.items():
                        gn = max(1, int(enrollment * share * rng.uniform(0.6, 1.2)))
                        if code == "el" and rng.random() < 0.25:
                            gn = rng.randint(3, 9)  # a small group: suppressed on every page and export
                        gv = _clamp(v + shifts[code] + rng.gauss(0, d.noise))
                        rows.append(
                            FactRow(school.pk, year, "", metrics[d.code].pk, groups[code], _dec(gv), gn)
                        )
                        _add(sums, school, state, year, d.code, code, gv, gn)
    for (org_id, year, code, group), (total, weight, count) in sums.items():
        if weight:
            rows.append(
                FactRow(org_id, year, "", metrics[code].pk, groups[group], _dec(total / weight), int(count))
            )
    districts = sorted({s.district_id for s in schools if s.district_id})
    d = DISTRICT_ONLY
    for district_id in districts:
        rng = random.Random(f"principal-retention:{district_id}")
        for year in years:
            principals = rng.randint(6, 40)
            retained = sum(1 for _ in range(principals) if rng.random() < rng.uniform(0.72, 0.95))
            rows.append(
                FactRow(
                    district_id,
                    year,
                    "",
                    metrics[d.code].pk,
                    groups["all"],
                    _dec(100 * retained / principals),
                    principals,
                )
            )
    rows += _monthly_rows(schools, last, groups, today=today or timezone.localdate())
    counts = facts_upsert(rows)
    return counts.created, counts.updated, time.perf_counter() - started


MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)
MONTHLY_CODES = ("monitor_students_enrolled", "monitor_attendance_rate", "monitor_chronic_absence")


def months_begun(today: dt.date) -> tuple[int, list[int]]:
    """The current school year (its start year) and the months of `MONTHS` begun by `today`: September
    through the current month (none in July and August)."""
    year = today.year if today.month >= 7 else today.year - 1
    begun = [m for m in MONTHS if dt.date(year + (m < 7), m, 1) <= today]
    return year, begun


def _monthly_rows(
    schools: list[Organization], last: int, groups: dict[str, int], *, today: dt.date
) -> list[FactRow]:
    """In-year attendance month by month for the demo districts' schools (codes 99…): the last two
    school years, the years since and the current school year up to the month `today` is in — what a
    student-level attendance import would give. Not for the state scale's 1,850 schools, whose figures
    only the benchmark reads."""
    metrics = {m.code: m.pk for m in Metric.objects.filter(code__in=MONTHLY_CODES)}
    if len(metrics) < len(MONTHLY_CODES):
        return []
    current, begun = months_begun(today)
    rows: list[FactRow] = []
    for school in schools:
        if not (school.code or "").startswith("99"):
            continue
        rng = random.Random(f"monthly:{school.code}")
        enrollment = rng.randint(140, 1400)
        base = rng.uniform(8, 30)
        years: list[tuple[int, random.Random, tuple[int, ...]]] = [(y, rng, MONTHS) for y in (last - 1, last)]
        # The years since, up to this one: each from its own generator, so the years above keep their
        # figures and a month once written never changes as the year goes on.
        for year in range(last + 1, current + 1):
            months = MONTHS if year < current else tuple(begun)
            if months:
                years.append((year, random.Random(f"monthly:{school.code}:{year}"), months))
        for year, draw, months in years:
            drift = draw.uniform(-4, 3)
            sizes = {
                code: max(1, int(enrollment * share * draw.uniform(0.8, 1.1)))
                for code, share in GROUP_SHARES.items()
            }
            if draw.random() < 0.2:
                sizes["el"] = draw.randint(3, 9)  # a small group: suppressed on the pages
            sizes["all"] = enrollment
            # Drawn from a generator of their own, so the figures above stay what they were.
            race_draw = random.Random(f"monthly-race:{school.code}:{year}")
            weights = {
                code: share * race_draw.uniform(0.6, 1.4)
                for code, share in RACE_SHARES.items()
                if code in groups
            }
            races = {code: int(enrollment * w / sum(weights.values())) for code, w in weights.items()}
            if "hispanic" in races:  # the groups partition the enrollment: the remainder to the largest
                races["hispanic"] = enrollment - sum(n for code, n in races.items() if code != "hispanic")
            for i, month in enumerate(months):
                period = f"{year + (month < 7)}-{month:02d}"
                rows += [
                    FactRow(
                        school.pk,
                        year,
                        period,
                        metrics["monitor_students_enrolled"],
                        groups[code],
                        Decimal(n),
                        n,
                    )
                    for code, n in races.items()
                ]
                # Chronic absence climbs through the winter, as it does in most districts.
                chronic = _clamp(base + drift + 1.2 * min(i, 6) + draw.gauss(0, 1.5))
                for code in ("all", *GROUP_SHARES):
                    n = sizes[code] if sizes[code] < 10 else sizes[code] + draw.randint(-3, 3)
                    shift = 0.0 if code == "all" else draw.uniform(2, 9)
                    value = _clamp(chronic + shift)
                    rate = _clamp(100 - value * 0.35 - draw.uniform(1, 3))
                    g = groups[code]
                    rows.append(
                        FactRow(
                            school.pk, year, period, metrics["monitor_students_enrolled"], g, Decimal(n), n
                        )
                    )
                    rows.append(
                        FactRow(
                            school.pk, year, period, metrics["monitor_chronic_absence"], g, _dec(value), n
                        )
                    )
                    rows.append(
                        FactRow(school.pk, year, period, metrics["monitor_attendance_rate"], g, _dec(rate), n)
                    )
    return rows


def _add(
    sums: dict[tuple[int, int, str, str], list[float]],
    school: Organization,
    state: Organization | None,
    year: int,
    code: str,
    group: str,
    value: float,
    n: int,
) -> None:
    for org_id in (school.district_id, state.pk if state else None):
        if org_id is None:
            continue
        cell = sums[(org_id, year, code, group)]
        cell[0] += value * n
        cell[1] += n
        cell[2] += n
