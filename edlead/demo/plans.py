"""Demo school improvement plans (edlead/plans): Riverton's strategic plan (its theory of action and four
objectives), the district's plan template, and a plan for the current school year at every Riverton
school — two or three goals measured by metrics the school has figures for (baselines from its latest
figures, in-year goals on the monthly attendance monitoring so their outcome benchmarks show this year's
actual values), strategies with action steps owned by the school's people, process and outcome
benchmarks, a leadership team, linked learning programs.

The plans are spread over the whole workflow: most approved (with the progress of the quarters already
past), some endorsed and waiting for the superintendent, some submitted and waiting for their supervisor
(the demo principal's among them, for the supervisor persona), one returned with comments, two drafts.
The strategy, the template and each plan are created through `edlead.plans.services`; what the plans
hold (goals and their programs, strategies, action steps with their status, benchmarks, leadership teams,
progress) is drawn school by school and written for all schools at once with `bulk_create` (a few
statements rather than some 1,900 service calls: the seed is part of many tests); then the plans move
through the workflow services — submitted, returned, endorsed, approved, with the personas' accounts
where a decision needs a person (the supervisor returns and endorses, the superintendent approves) and
the system elsewhere — which write the events, the notices and the versions (snapshots of the plans as
written). The timeline is then dated back over the summer and fall. From its own random generator, dated
relative to `now`. Runs once: a Riverton with plans is left alone."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, DateTimeField, Max, Q, Value, When
from django.utils import timezone

from edlead.learning.models import Program
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.notices.models import Notice
from edlead.notices.registry import OFF
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.plans import services as ps
from edlead.plans.models import (
    ActionStep,
    Benchmark,
    Goal,
    Objective,
    Plan,
    PlanEvent,
    PlanVersion,
    ProgressUpdate,
    StrategicPlan,
    Strategy,
    TeamMember,
)

from .demo import RIVERTON_CODE
from .metrics import MONTHS, months_begun

SEED = "edlead-demo-plans-v1"
S = Plan.Status
R = Position.Role
P = ProgressUpdate.Status
STEP = ActionStep.Status

THEORY_OF_ACTION = (
    "If we give every school one focused improvement plan aligned to the district's four objectives; "
    "develop principals as instructional leaders through regular supervision, coaching and learning "
    "with their peers; put timely data — monthly attendance and interim assessments — in the hands of "
    "school teams so they adjust course during the year, not after it; and treat families as partners "
    "in their children's learning, then teachers will deliver strong, grade-level instruction every "
    "day, students will come to school, feel they belong and engage more deeply, and achievement will "
    "rise for every group of students while the gaps between them close."
)
OBJECTIVES = (
    (
        "1",
        "Every student reads and computes at grade level",
        "Reading at grade level by grade 3 and ready for algebra by grade 8: measured by MCAS English "
        "language arts and mathematics and the district's interim assessments.",
    ),
    (
        "2",
        "Every student attends and feels they belong",
        "Chronic absence down by a third in three years and more students graduating: measured by "
        "monthly attendance, chronic absence and the four-year graduation rate.",
    ),
    (
        "3",
        "Every classroom has strong instruction",
        "Rigorous, coherent instruction from a stable, growing teaching force: measured by student "
        "growth (MCAS SGP) and teacher retention.",
    ),
    (
        "4",
        "Families and community as partners",
        "Families informed, welcomed and engaged as partners in learning and attendance: measured by "
        "attendance and family participation.",
    ),
)

# An action step: what, who ("principal", "ap", "leader", "teacher") and when in the year.
Step = tuple[str, str, str]


@dataclass(frozen=True)
class Family:
    """What a kind of goal looks like: its objective, statement, strategies and evidence."""

    objective: str
    statement: str
    strategies: tuple[tuple[str, tuple[Step, ...]], ...]
    process: tuple[tuple[str, str], ...]  # (process benchmark, when)
    programs: tuple[str, ...]  # learning programs that support it, by title
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)


FAMILIES: dict[str, Family] = {
    "ela": Family(
        "1",
        "Raise the share of students meeting or exceeding expectations on MCAS ELA from {baseline}% "
        "({base_year}) to {target}% in {year}.",
        (
            (
                "Daily small-group reading instruction in every classroom, grouped by interim assessment "
                "results.",
                (
                    (
                        "Protect a 30-minute small-group literacy block in the master schedule",
                        "principal",
                        "early",
                    ),
                    (
                        "Train teachers in small-group routines at two early-release sessions",
                        "leader",
                        "early",
                    ),
                    ("Regroup students after each interim assessment window", "teacher", "mid"),
                ),
            ),
            (
                "Grade-level teams meet weekly to plan ELA units and look at student writing together.",
                (
                    ("Set weekly common planning time and team norms", "ap", "early"),
                    ("Calibrate scoring of the fall writing sample across grades", "leader", "mid"),
                    ("Each team presents one unit's student work at a faculty meeting", "teacher", "late"),
                ),
            ),
            (
                "High-dosage tutoring for students a year or more behind in reading.",
                (
                    (
                        "Identify students for tutoring from spring MCAS and the fall screener",
                        "leader",
                        "early",
                    ),
                    ("Start three 30-minute tutoring sessions a week for identified students", "ap", "mid"),
                    ("Review tutoring progress with families at spring conferences", "teacher", "late"),
                ),
            ),
        ),
        (
            ("Every teacher observed teaching small-group reading, with written feedback", "mid"),
            ("Winter interim assessment given and discussed by every grade-level team", "mid"),
        ),
        ("Data Teams for School Improvement", "Instructional Rounds Network"),
        {
            P.ON_TRACK: (
                "Fall interim: {a}% of students at or above benchmark in reading, up from {b}% last fall; "
                "small-group blocks running in every classroom.",
                "Learning walks found small-group reading in {c} of {d} classrooms; tutoring began on "
                "schedule for all identified students.",
            ),
            P.AT_RISK: (
                "Fall interim flat ({a}% at or above benchmark against {b}% last fall); two teams have not "
                "yet regrouped students. Coaching support added.",
                "Tutoring started three weeks late after staffing changes; {c} of {d} identified students "
                "attend regularly.",
            ),
            P.OFF_TRACK: (
                "Fall interim down to {a}% at or above benchmark (from {b}%); the literacy block is often "
                "cut for assemblies and testing. Schedule under review with the supervisor.",
            ),
        },
    ),
    "math": Family(
        "1",
        "Raise the share of students meeting or exceeding expectations on MCAS Mathematics from "
        "{baseline}% ({base_year}) to {target}% in {year}.",
        (
            (
                "Daily fluency practice and a common problem-solving routine in every mathematics class.",
                (
                    (
                        "Adopt one problem-solving routine school-wide and model it at a staff meeting",
                        "leader",
                        "early",
                    ),
                    ("Coach each grade-level team through one lesson study cycle", "ap", "mid"),
                    ("Share fluency data with students and families each term", "teacher", "late"),
                ),
            ),
            (
                "Intervention blocks for students below grade level, planned from interim assessment data.",
                (
                    ("Build the intervention groups from the fall interim assessment", "leader", "early"),
                    ("Schedule a daily 30-minute intervention block", "principal", "early"),
                    ("Review group progress after the winter interim and regroup", "teacher", "mid"),
                ),
            ),
        ),
        (
            ("Lesson study cycle completed by every grade-level team", "mid"),
            ("Intervention groups regrouped after the winter interim", "late"),
        ),
        ("Data Teams for School Improvement", "Instructional Rounds Network"),
        {
            P.ON_TRACK: (
                "Fall interim: {a}% of students at or above benchmark in mathematics (last fall {b}%); "
                "fluency practice observed in {c} of {d} classrooms.",
            ),
            P.AT_RISK: (
                "Interim results mixed: grades 3–4 up, grade 5 down; intervention groups met {c} of {d} "
                "planned days.",
            ),
            P.OFF_TRACK: (
                "Fall interim at {a}% at or above benchmark, below last fall's {b}%; two mathematics "
                "vacancies filled by substitutes since September.",
            ),
        },
    ),
    "growth": Family(
        "3",
        "Raise the median student growth percentile (SGP) in MCAS {subject} from {baseline} ({base_year}) "
        "to {target} in {year}.",
        (
            (
                "Instructional learning walks every six weeks, each followed by feedback to teams.",
                (
                    (
                        "Set the learning walk calendar and the look-fors with the leadership team",
                        "principal",
                        "early",
                    ),
                    ("Run the first learning walk and share trends at the faculty meeting", "ap", "mid"),
                    ("Teachers visit a colleague's class with the same look-fors", "teacher", "late"),
                ),
            ),
            (
                "Common planning time used to plan lessons from grade-level standards and student work.",
                (
                    ("Protect two common planning periods a week in the schedule", "principal", "early"),
                    ("Teacher leaders facilitate planning with a shared protocol", "leader", "mid"),
                ),
            ),
        ),
        (("Three learning-walk cycles completed, with feedback to every team", "late"),),
        ("Instructional Rounds Network",),
        {
            P.ON_TRACK: (
                "Two learning walks held; the share of lessons at grade level rose from {b}% to {a}%.",
            ),
            P.AT_RISK: ("Learning walks held but feedback reached only {c} of {d} teams.",),
            P.OFF_TRACK: ("No learning walk yet this quarter: the leadership team was covering classes.",),
        },
    ),
    "attendance": Family(
        "2",
        "Reduce chronic absence from {baseline}% ({base_year}) to {target}% or less in {year}.",
        (
            (
                "An attendance team meets weekly with the chronic-absence list and reaches every family "
                "after the second unexplained absence.",
                (
                    ("Form the attendance team and set its weekly meeting", "ap", "early"),
                    ("Call home after every second unexplained absence", "teacher", "early"),
                    ("Home visits for students absent 20% or more", "ap", "mid"),
                ),
            ),
            (
                "Every chronically absent student has an adult mentor who checks in daily.",
                (
                    ("Match each chronically absent student with a staff mentor", "principal", "early"),
                    ("Mentors log daily check-ins for six weeks", "teacher", "mid"),
                    ("Review mentored students' attendance with the attendance team", "leader", "late"),
                ),
            ),
            (
                "A welcoming start to the day: morning meeting in every classroom and recognition of "
                "improved attendance.",
                (
                    ("Launch morning meeting in every classroom", "leader", "early"),
                    ("Monthly recognition assembly for improved attendance", "ap", "mid"),
                ),
            ),
        ),
        (
            ("Attendance team meeting weekly with the monthly chronic-absence list", "early"),
            ("Mentor assigned to every student chronically absent last year", "mid"),
        ),
        ("School Mental Health Think Tank",),
        {
            P.ON_TRACK: (
                "Attendance team met every week; {c} of {d} students with mentors improved their attendance.",
            ),
            P.AT_RISK: ("Home visits behind schedule: {c} of {d} done. Flu season ahead.",),
            P.OFF_TRACK: (
                "Chronic absence above last year's level in every grade; the team meets every other week at best.",
            ),
        },
    ),
    "family": Family(
        "4",
        "With families as partners, raise the attendance rate from {baseline}% ({base_year}) to {target}% "
        "in {year}.",
        (
            (
                "Two-way messages with every family in its home language, starting before the first day.",
                (
                    ("Set up two-way texting in the families' home languages", "ap", "early"),
                    ("Welcome call to every family in the first month", "teacher", "early"),
                    ("Share each student's attendance with the family at conferences", "teacher", "mid"),
                ),
            ),
            (
                "Family learning nights each term, planned with the parent council.",
                (
                    ("Plan the year's family nights with the parent council", "principal", "early"),
                    ("Hold the winter family literacy and attendance night", "leader", "mid"),
                    ("Survey families on what would help their children attend", "ap", "late"),
                ),
            ),
        ),
        (
            ("Welcome call made to every family", "early"),
            ("Family survey sent in every home language", "late"),
        ),
        ("Leading for English Learners", "School Mental Health Think Tank"),
        {
            P.ON_TRACK: (
                "{c} of {d} families reached by a welcome call; the fall family night drew {a} families.",
            ),
            P.AT_RISK: ("Two-way texting live, but only {c} of {d} families have replied to a message.",),
            P.OFF_TRACK: ("The fall family night was cancelled; welcome calls reached {c} of {d} families.",),
        },
    ),
    "graduation": Family(
        "2",
        "Raise the four-year graduation rate from {baseline}% ({base_year}) to {target}% for the class "
        "graduating in {year}.",
        (
            (
                "An early-warning team reviews attendance, behavior and course marks every five weeks.",
                (
                    ("Set the early-warning indicators and the review calendar", "ap", "early"),
                    ("Assign an adult advocate to every off-track student", "principal", "mid"),
                    ("Offer credit recovery in the spring term", "leader", "late"),
                ),
            ),
            (
                "A ninth-grade success team, so every first-year student finishes the year on track.",
                (
                    ("Ninth-grade teachers meet weekly on shared students", "leader", "early"),
                    ("Mid-year review of every ninth grader's credits", "teacher", "mid"),
                ),
            ),
        ),
        (("Every off-track student has an adult advocate", "mid"),),
        ("Data Teams for School Improvement",),
        {
            P.ON_TRACK: ("{c} of {d} ninth graders on track after the first marking period.",),
            P.AT_RISK: ("Early-warning list grew to {c} students; advocates assigned for {d} of them.",),
            P.OFF_TRACK: ("Credit recovery not staffed yet; {c} seniors behind on credits.",),
        },
    ),
    "staff": Family(
        "3",
        "Keep more of our teachers: raise teacher retention from {baseline}% ({base_year}) to {target}% "
        "in {year}.",
        (
            (
                "Every first- and second-year teacher has a trained mentor and a reduced duty schedule.",
                (
                    ("Match new teachers with trained mentors", "principal", "early"),
                    ("Monthly new-teacher support meetings", "leader", "mid"),
                    ("Stay interviews with every teacher in their first three years", "ap", "late"),
                ),
            ),
        ),
        (("Stay interviews held with every early-career teacher", "late"),),
        ("Aspiring Leaders Cohort", "Instructional Rounds Network"),
        {
            P.ON_TRACK: ("Mentors matched for all {d} new teachers; monthly meetings well attended.",),
            P.AT_RISK: ("{c} of {d} new teachers say they lack planning time; schedule change proposed.",),
            P.OFF_TRACK: ("Two resignations in the first quarter; stay interviews moved forward.",),
        },
    ),
}
# The annual metrics goals are set on: their family, and the improvement a year (low, high) — in points,
# or for chronic absence as a share of the baseline (a third in three years is the district's aim).
ANNUAL: dict[str, tuple[str, float, float]] = {
    "mcas_ela_me_pct": ("ela", 2.5, 4.5),
    "mcas_math_me_pct": ("math", 2.5, 4.5),
    "mcas_ela_sgp": ("growth", 1.0, 2.5),
    "mcas_math_sgp": ("growth", 1.0, 2.5),
    "chronic_absence_10_pct": ("attendance", 0.08, 0.13),
    "attendance_rate": ("family", 0.4, 0.8),
    "grad_4yr_pct": ("graduation", 1.0, 2.5),
    "teacher_retained_pct": ("staff", 1.5, 3.0),
}
# The in-year monitoring: family and the improvement over the year, likewise.
MONTHLY: dict[str, tuple[str, float, float]] = {
    "monitor_chronic_absence": ("attendance", 0.08, 0.16),
    "monitor_attendance_rate": ("family", 0.5, 1.2),
}
RELATIVE = frozenset({"chronic_absence_10_pct", "monitor_chronic_absence"})
CEILING = {"mcas_ela_sgp": 62.0, "mcas_math_sgp": 62.0, "mcas_ela_me_pct": 90.0, "mcas_math_me_pct": 90.0}
SUBJECT = {"mcas_ela_sgp": "ELA", "mcas_math_sgp": "mathematics"}
MONTHLY_GROUPS = ("all", "all", "all", "low_income", "high_needs")
GOAL_MONTH = 5  # in-year goals are measured in May
MONTH_NAMES = {m: dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)}
TEAM_ROLES = (
    "Teacher representative",
    "Data lead",
    "Family engagement lead",
    "Special education representative",
)
RETURN_COMMENTS = (
    "Thank you: goal 1 is well grounded in your data. Before I endorse the plan, give goal {n} a "
    "benchmark in the middle of the year, so we both know by February whether it is on track, and spread "
    "the action steps across the team ({owner} owns {k} of the {total})."
)
EARLIER_RETURN = (
    "Please name who leads each strategy and date the steps through the whole year, not only the fall; "
    "the rest is ready to endorse."
)


def _period(year: int, month: int) -> str:
    return f"{year + (month < 7)}-{month:02d}"


def _month_end(year: int, month: int) -> dt.date:
    y = year + (month < 7)
    nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _round(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def _improve(direction: str, value: float, gain: float, cap: float = 98.0) -> float:
    """`value` moved by `gain` in the better direction (lower is better for some metrics), no further
    than `cap` going up, nor below 1 (or a third of the value) going down."""
    if direction == "lower":
        return min(value, max(1.0, value * 0.3, value - gain))
    return max(value, min(cap, value + gain))


def _room(code: str, direction: str, value: float) -> bool:
    """Is there room to improve? (A school at the ceiling sets its goal on something else.)"""
    return value > 3.0 if direction == "lower" else value < CEILING.get(code, 97.0) - 1.0


def _gain(code: str, baseline: float, low: float, high: float, rng: random.Random) -> float:
    share = rng.uniform(low, high)
    return baseline * share if code in RELATIVE else share


@dataclass
class SchoolData:
    school: Organization
    people: dict[str, list[Person]]
    annual: dict[str, tuple[int, float]]  # metric code → (latest school year, value), all students
    supervisor: Person | None = None

    def owner(self, who: str, rng: random.Random) -> Person:
        chain = {
            "principal": ("principal", "ap", "leader", "teacher"),
            "ap": ("ap", "principal", "leader", "teacher"),
            "leader": ("leader", "teacher", "ap", "principal"),
            "teacher": ("teacher", "leader", "ap", "principal"),
        }[who]
        for key in chain:
            if self.people.get(key):
                return rng.choice(self.people[key])
        raise LookupError(f"Nobody works at {self.school.name}")


@dataclass
class Rows:
    """What the schools' plans hold, gathered school by school and written for all of them at once
    (`write`), before any plan moves through the workflow: the versions kept at submission and approval
    then show it. Written directly, not through the services, whose checks the seed's content passes by
    construction (owners and team members work at the school, dates and years inside the plan)."""

    goals: list[Goal] = field(default_factory=list)
    filled: list[Goal] = field(default_factory=list)  # copied from the template: baselines and targets set
    programs: list[tuple[Goal, Program]] = field(default_factory=list)
    strategies: list[Strategy] = field(default_factory=list)
    steps: list[ActionStep] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    updates: list[tuple[ProgressUpdate, dt.datetime]] = field(default_factory=list)  # (row, reported)
    summaries: list[Plan] = field(default_factory=list)

    def write(self) -> list[tuple[int, dt.datetime]]:
        """Everything in a few statements; returns the progress reports' (pk, when reported)."""
        Goal.objects.bulk_create(self.goals)  # the rows below take their goal's new pk
        through = Goal.programs.through
        through.objects.bulk_create(through(goal_id=g.pk, program_id=p.pk) for g, p in self.programs)
        Strategy.objects.bulk_create(self.strategies)
        ActionStep.objects.bulk_create(self.steps)
        Benchmark.objects.bulk_create(self.benchmarks)
        TeamMember.objects.bulk_create(self.team)
        ProgressUpdate.objects.bulk_create([row for row, _ in self.updates])
        if self.filled:
            Goal.objects.bulk_update(self.filled, ["baseline", "target"])
        if self.summaries:
            Plan.objects.bulk_update(self.summaries, ["summary"])
        return [(row.pk, at) for row, at in self.updates]


# A step of the workflow still to take: (action, who takes it, when, the note; None for a return's
# comments, drawn from the plan as it stands when it is returned).
Move = tuple[str, Any, dt.datetime, str | None]


@dataclass
class Seeder:
    rng: random.Random
    now: dt.datetime
    today: dt.date
    year: int  # the current school year
    metrics: dict[str, Metric]
    groups: dict[str, StudentGroup]
    monthly: dict[tuple[int, str, str, str], float]  # (school, metric code, group code, period) → value
    programs: dict[str, Program]
    strategy: StrategicPlan
    objectives: dict[str, Objective]
    featured: set[int] = field(default_factory=set)  # persona people who appear where they work
    rows: Rows = field(default_factory=Rows)
    # The timeline, dated back at the end: each plan's events in the order written (plan pk → when),
    # the versions kept (plan pk, number, when), the notices (plan pk, version, when).
    timeline: dict[int, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))
    versions: list[tuple[int, int, dt.datetime]] = field(default_factory=list)
    notices: list[tuple[int, int, dt.datetime]] = field(default_factory=list)
    approved: list[tuple[int, dt.datetime]] = field(default_factory=list)
    reports: list[tuple[int, dt.datetime]] = field(default_factory=list)
    notices_before: int = 0  # the notices written before the plans move (the workflow's come after)

    # --- dates ---------------------------------------------------------------------------------------
    def due(self, when: str) -> dt.date:
        y = self.year
        start, days = {
            "early": (dt.date(y, 8, 20), 70),
            "mid": (dt.date(y, 11, 1), 90),
            "late": (dt.date(y + 1, 2, 1), 110),
        }[when]
        return start + dt.timedelta(days=self.rng.randint(0, days))

    def moments(self, n: int, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """`n` increasing moments between `start` and `end`: working hours of distinct weekdays where
        there are enough of them."""
        latest = self.now - dt.timedelta(hours=1)
        end = min(end, latest)
        if start >= end:
            start = end - dt.timedelta(days=n + 1)
        first, last = timezone.localdate(start), timezone.localdate(end)
        days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
        weekdays = [day for day in days if day.weekday() < 5]
        pool = weekdays if len(weekdays) >= n else days
        picked = sorted(self.rng.sample(pool, n)) if len(pool) >= n else [last] * n
        out = []
        for day in picked:
            at = self.aware(day, self.rng.randint(8, 16)) + dt.timedelta(
                minutes=self.rng.choice([0, 10, 25, 40])
            )
            out.append(min(max(at, start), latest))
        for i in range(1, len(out)):  # strictly increasing whatever was drawn
            if out[i] <= out[i - 1]:
                out[i] = out[i - 1] + dt.timedelta(minutes=30)
        return out

    def aware(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    # --- the timeline --------------------------------------------------------------------------------
    def stamp(self, plan: Plan, at: dt.datetime) -> None:
        """Date the plan's latest event (and the notices it sent) `at`, once everything is written."""
        self.timeline[plan.pk].append(at)
        self.notices.append((plan.pk, plan.version, at))

    def move(self, plan: Plan, action: str, actor: Any, at: dt.datetime, note: str | None = "") -> Plan:
        if action == "submitted":
            moved = ps.plan_submit(actor=actor, plan=plan)
        elif action == "returned":
            moved = ps.plan_return(
                actor=actor, plan=plan, comments=_return_comments(plan) if note is None else note
            )
        elif action == "endorsed":
            moved = ps.plan_endorse(actor=actor, plan=plan, note=note or "")
        else:
            moved = ps.plan_approve(actor=actor, plan=plan, note=note or "")
            self.approved.append((moved.pk, at))
        self.stamp(moved, at)
        if action in ("submitted", "approved"):
            self.versions.append((moved.pk, moved.version, at))
        moved.organization = plan.organization  # the school (and its district) already loaded
        return moved

    def finish(self) -> None:
        """Date the timeline back: events, versions, approvals, progress reports; the notices the
        workflow sent are history (not e-mailed), those of a step since passed already read."""
        written: dict[int, list[int]] = defaultdict(list)
        for plan_pk, pk in (
            PlanEvent.objects.filter(record_id__in=list(self.timeline))
            .order_by("record_id", "pk")
            .values_list("record_id", "pk")
        ):
            written[plan_pk].append(pk)
        _stamp(
            PlanEvent,
            "at",
            [
                pair
                for plan_pk, ats in self.timeline.items()
                for pair in zip(written[plan_pk], ats, strict=True)
            ],
        )
        kept = {
            (plan_pk, number): pk
            for plan_pk, number, pk in PlanVersion.objects.filter(
                plan_id__in=list(self.timeline)
            ).values_list("plan_id", "number", "pk")
        }
        _stamp(PlanVersion, "created_at", [(kept[(p, n)], at) for p, n, at in self.versions])
        _stamp(Plan, "approved_at", self.approved)
        _stamp(ProgressUpdate, "reported_at", self.reports)
        # The notices of each step: their once_key starts "plan:<pk>:v<version>:" (then who is told).
        latest: dict[int, int] = {}
        for plan_pk, version, _ in self.notices:
            latest[plan_pk] = max(latest.get(plan_pk, 0), version)
        sent = {
            f"plan:{plan_pk}:v{version}:": (plan_pk, version, at) for plan_pk, version, at in self.notices
        }
        told: list[tuple[int, dt.datetime, dt.datetime | None]] = []  # (notice pk, sent, read)
        for pk, key in Notice.objects.filter(
            pk__gt=self.notices_before, once_key__startswith="plan:"
        ).values_list("pk", "once_key"):
            step = sent.get(":".join((key or "").split(":")[:3]) + ":")
            if step is not None:
                plan_pk, version, at = step
                told.append((pk, at, None if version == latest[plan_pk] else at + dt.timedelta(hours=20)))
        for start in range(0, len(told), 500):
            part = told[start : start + 500]
            sent_at = Case(*[When(pk=pk, then=Value(at)) for pk, at, _ in part], output_field=DateTimeField())
            Notice.objects.filter(pk__in=[pk for pk, _, _ in part]).update(
                created_at=sent_at,
                updated_at=sent_at,
                delivery=OFF,
                read_at=Case(
                    *[When(pk=pk, then=Value(read)) for pk, _, read in part], output_field=DateTimeField()
                ),
            )


def _stamp(model: Any, name: str, pairs: Sequence[tuple[int, dt.datetime]]) -> None:
    for start in range(0, len(pairs), 500):
        part = pairs[start : start + 500]
        model.objects.filter(pk__in=[pk for pk, _ in part]).update(
            **{name: Case(*[When(pk=pk, then=Value(at)) for pk, at in part], output_field=DateTimeField())}
        )


# --- the seed ------------------------------------------------------------------------------------------
@transaction.atomic
def plans_seed(*, now: dt.datetime | None = None) -> int:
    """The demo plans; returns the school plans added (0 when Riverton has plans already, or no demo)."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or Plan.objects.filter(organization__path__startswith=riverton.path).exists():
        return 0
    at = now or timezone.now()
    today = timezone.localdate(at)
    year = ps.quarter_of(today)[0]
    rng = random.Random(SEED)
    schools = list(
        Organization.objects.schools()
        .open()
        .within(riverton)
        .select_related("district")
        .order_by("name", "pk")
    )
    groups = {g.code: g for g in StudentGroup.objects.filter(code__in=set(MONTHLY_GROUPS))}
    if not schools or "all" not in groups:
        return 0
    if not _figures_present(schools, today):
        from .metrics import metrics_seed  # the plans measure the schools' figures: write them first

        metrics_seed(today=today, invented_state=False)  # the state means come with seed_metrics
    users = _users()
    actors = _persona_users()
    strategy = _strategy(riverton, year, actors.get("district_admin"))
    metrics = {m.code: m for m in Metric.objects.filter(code__in=[*ANNUAL, *MONTHLY])}
    seeder = Seeder(
        rng=rng,
        now=at,
        today=today,
        year=year,
        metrics=metrics,
        groups=groups,
        monthly=_monthly(schools, metrics, groups),
        programs={
            p.title: p
            for p in Program.objects.filter(Q(organization__isnull=True) | Q(organization=riverton)).order_by(
                "pk"
            )
        },
        strategy=strategy,
        objectives={o.code: o for o in strategy.objectives.all()},
        featured={u.person_id for k, u in actors.items() if k == "educator" and u.person_id},
    )
    _template(seeder, riverton, actors.get("district_admin"))
    data = _school_data(schools, today)
    states = _states(rng, data, actors)
    superintendent = _superintendent(riverton, today, users)
    # Each school's plan and what it holds, drawn school by school (its steps, with the actors and
    # notes, still to take); the content written for all at once; then the plans move.
    work = []
    for d in data:
        state, returned_once = states[d.school.pk]
        work.append(_school_plan(seeder, d, state, returned_once, users, superintendent))
    seeder.reports = seeder.rows.write()
    seeder.notices_before = Notice.objects.aggregate(last=Max("pk"))["last"] or 0
    for plan, moves in work:
        for action, actor, when, note in moves:
            plan = seeder.move(plan, action, actor, when, note)
    seeder.finish()
    return len(work)


def _figures_present(schools: list[Organization], today: dt.date) -> bool:
    """The schools' annual figures, and this year's monthly ones once a month of it has begun."""
    figures = Fact.objects.filter(organization__in=schools)
    if not figures.filter(period="").exists():
        return False
    year, begun = months_begun(today)
    return not begun or figures.filter(school_year=year, period=_period(year, begun[0])).exists()


def _users() -> dict[int, Any]:
    """Accounts by person (the personas' and any other with a person)."""
    from edlead.access.models import User

    return {
        u.person_id: u
        for u in User.objects.filter(person__isnull=False, is_active=True).order_by("pk")
        if u.person_id is not None
    }


def _persona_users() -> dict[str, Any]:
    from edlead.access.models import User

    from .services import persona

    keys = ("principal", "supervisor", "superintendent", "district_admin", "educator")
    by_email = {
        u.email: u
        for u in User.objects.filter(email__in=[persona(k).email for k in keys]).select_related("person")
    }
    return {k: by_email[persona(k).email] for k in keys if persona(k).email in by_email}


def _superintendent(riverton: Organization, today: dt.date, users: dict[int, Any]) -> Any:
    person_id = (
        Position.objects.current(today)
        .filter(organization=riverton, role=R.SUPERINTENDENT)
        .order_by("-is_primary", "starts_on", "pk")
        .values_list("person_id", flat=True)
        .first()
    )
    return users.get(person_id) if person_id else None


def _strategy(riverton: Organization, year: int, admin: Any) -> StrategicPlan:
    found = (
        StrategicPlan.objects.filter(organization=riverton, first_year__lte=year, last_year__gte=year)
        .order_by("-first_year", "-pk")
        .first()
    )
    if found is not None:
        return found
    plan = ps.strategy_create(
        actor=admin,
        district=riverton,
        title=f"Riverton Forward: strategic plan {year - 1}\u2013{(year + 2) % 100:02d}",
        theory_of_action=THEORY_OF_ACTION,
        first_year=year - 1,
        last_year=year + 1,
        objectives=[(code, title) for code, title, _ in OBJECTIVES],
    )
    for code, _title, description in OBJECTIVES:  # the service takes numbers and titles only
        Objective.objects.filter(strategic_plan=plan, code=code).update(description=description)
    return plan


def _monthly(
    schools: list[Organization], metrics: dict[str, Metric], groups: dict[str, StudentGroup]
) -> dict[tuple[int, str, str, str], float]:
    """The schools' monthly monitoring figures (by the metrics' and groups' ids: no joins)."""
    codes = {m.pk: code for code, m in metrics.items() if code in MONTHLY}
    group_codes = {g.pk: code for code, g in groups.items()}
    rows = Fact.objects.filter(
        organization_id__in=[s.pk for s in schools],
        metric_id__in=list(codes),
        group_id__in=list(group_codes),
        value__isnull=False,
    ).exclude(period="")
    return {
        (org, codes[metric], group_codes[group], period): float(value)
        for org, metric, group, period, value in rows.values_list(
            "organization_id", "metric_id", "group_id", "period", "value"
        )
        if value is not None
    }


def _school_data(schools: list[Organization], today: dt.date) -> list[SchoolData]:
    from edlead.people.selectors import supervisors_for_schools

    keys: dict[str, str] = {
        R.PRINCIPAL: "principal",
        R.ASSISTANT_PRINCIPAL: "ap",
        R.TEACHER_LEADER: "leader",
        R.TEACHER: "teacher",
    }
    people: dict[int, dict[str, list[Person]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[int, int]] = set()
    for pos in (
        Position.objects.current(today)
        .filter(organization__in=schools, role__in=list(keys))
        .select_related("person")
        .order_by("organization_id", "person__last_name", "person__first_name", "pk")
    ):
        if (pos.organization_id, pos.person_id) in seen:
            continue
        seen.add((pos.organization_id, pos.person_id))
        people[pos.organization_id][keys[pos.role]].append(pos.person)
    annual: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for org, code, year, value in (
        Fact.objects.filter(
            organization__in=schools,
            period="",
            group__code="all",
            metric__code__in=list(ANNUAL),
            value__isnull=False,
        )
        .order_by("school_year")
        .values_list("organization_id", "metric__code", "school_year", "value")
    ):
        if value is not None:
            annual[org][code] = (year, float(value))  # the latest year wins
    supervisors = supervisors_for_schools(schools, on=today)
    return [
        SchoolData(s, people[s.pk], annual[s.pk], supervisors.get(s.pk))
        for s in schools
        if people[s.pk]  # a school with nobody at it gets no plan
    ]


def _states(
    rng: random.Random, data: list[SchoolData], actors: dict[str, Any]
) -> dict[int, tuple[str, bool]]:
    """Each school's plan's state (and whether it was returned once before): the demo principal's
    submitted to the supervisor persona, who also has one endorsed plan waiting for the superintendent
    and has returned one; elsewhere two drafts, four submitted, four endorsed; the rest approved."""
    principal = getattr(actors.get("principal"), "person", None)
    supervisor = getattr(actors.get("supervisor"), "person", None)
    own = next(
        (d for d in data if principal is not None and principal in d.people.get("principal", [])), None
    )
    network = [d for d in data if d is not own and supervisor is not None and d.supervisor == supervisor]
    rest = [d for d in data if d is not own and d not in network]
    rng.shuffle(network)
    rng.shuffle(rest)
    out: dict[int, tuple[str, bool]] = {}
    if own is not None:
        out[own.school.pk] = (S.SUBMITTED, False)
    # The supervisor persona's: one endorsed, one returned, one submitted, one approved after a first
    # return; the rest approved.
    first = [(S.ENDORSED, False), (S.RETURNED, False), (S.SUBMITTED, False), (S.APPROVED, True)]
    for i, d in enumerate(network):
        out[d.school.pk] = first[i] if i < len(first) else (S.APPROVED, False)
    # Elsewhere: drafts start from the district's template, so schools with MCAS figures like its
    # reading goal; then four submitted and four endorsed; the rest approved.
    tested = [d for d in rest if "mcas_ela_me_pct" in d.annual]
    drafts = tested[:2]
    others = [d for d in rest if d not in drafts]
    for d in drafts:
        out[d.school.pk] = (S.DRAFT, False)
    wanted = ([] if len(network) >= 2 else [S.RETURNED]) + [S.SUBMITTED] * 4 + [S.ENDORSED] * 4
    for i, d in enumerate(others):
        out[d.school.pk] = (wanted[i] if i < len(wanted) else S.APPROVED, False)
    return out


def _template(seeder: Seeder, riverton: Organization, admin: Any) -> Plan:
    """The district's template: a reading goal and a chronic-absence goal with their strategies, which
    a school's plan may start from (plan_create copies them)."""
    template = ps.template_for(actor=admin, district=riverton)
    template.summary = (
        "Start here: the district's two common goals and the strategies that work for them. Set each "
        "goal's baseline and target from your school's figures, add your own goals, then your action "
        "steps, benchmarks and leadership team."
    )
    Plan.objects.filter(pk=template.pk).update(summary=template.summary)
    goals, strategies = [], []
    for order, (code, statement, target) in enumerate(
        (
            (
                "mcas_ela_me_pct",
                "Raise the share of students meeting or exceeding expectations on MCAS ELA by 10 points.",
                "50",
            ),
            ("chronic_absence_10_pct", "Reduce chronic absence by a third.", "15"),
        ),
        start=1,
    ):
        family = FAMILIES[ANNUAL[code][0]]
        goal = Goal(
            plan=template,
            order=order,
            statement=statement,
            objective=seeder.objectives.get(family.objective),
            metric=seeder.metrics[code],
            group=seeder.groups["all"],
            school_year=template.last_year,
            target=Decimal(target),
        )
        goals.append(goal)
        strategies += [
            Strategy(goal=goal, order=n, text=text)
            for n, (text, _steps) in enumerate(family.strategies[:2], 1)
        ]
    Goal.objects.bulk_create(goals)
    Strategy.objects.bulk_create(strategies)
    return template


def _return_comments(plan: Plan) -> str:
    """The supervisor's comments, drawn from the plan: its busiest step owner and its last goal."""
    owners = Counter(ActionStep.objects.filter(strategy__goal__plan=plan).values_list("owner__pk", flat=True))
    total = sum(owners.values())
    if not owners:
        return EARLIER_RETURN
    busiest, k = owners.most_common(1)[0]
    return RETURN_COMMENTS.format(
        n=max(1, plan.goals.count()),
        owner=Person.objects.get(pk=busiest).display_name,
        k=k,
        total=total,
    )


def _school_plan(
    seeder: Seeder,
    d: SchoolData,
    state: str,
    returned_once: bool,
    users: dict[int, Any],
    superintendent: Any,
) -> tuple[Plan, list[Move]]:
    """The school's plan, created, with its content gathered in `seeder.rows` and the steps of the
    workflow it is to take."""
    rng, year = seeder.rng, seeder.year
    principal_user = next((users[p.pk] for p in d.people.get("principal", []) if p.pk in users), None)
    supervisor_user = users.get(d.supervisor.pk) if d.supervisor is not None else None
    actor = principal_user  # the school's own account where it has one, else the system
    draft = state == S.DRAFT
    last = year + rng.choice([1, 2, 2])

    # The timeline: written in the spring; approved plans went through over the summer and early
    # fall, the others lately.
    path = [] if draft else ["submitted"]
    if returned_once:
        path += ["returned", "submitted"]
    path += {
        S.DRAFT: [],
        S.SUBMITTED: [],
        S.RETURNED: ["returned"],
        S.ENDORSED: ["endorsed"],
        S.APPROVED: ["endorsed", "approved"],
    }[S(state)]
    if state == S.APPROVED:
        window = (seeder.aware(dt.date(year, 8, 5)), seeder.aware(dt.date(year, 10, 10)))
    else:
        window = (seeder.now - dt.timedelta(days=30), seeder.now)
    moments = seeder.moments(len(path), *window) if path else []
    if draft:
        created = seeder.moments(1, seeder.now - dt.timedelta(days=40), seeder.now)[0]
    else:
        created = seeder.aware(
            dt.date(year, 5, 15) + dt.timedelta(days=rng.randint(0, 50)), rng.randint(8, 15)
        )
        created = min(created, moments[0] - dt.timedelta(days=1))

    plan = ps.plan_create(actor=actor, school=d.school, first_year=year, last_year=last, from_template=draft)
    seeder.stamp(plan, created)
    rows = seeder.rows
    first_step, first_benchmark = len(rows.steps), len(rows.benchmarks)
    goals: list[tuple[Goal, str, dict[str, Any]]] = []
    if draft:
        copied = list(plan.goals.select_related("metric", "group", "objective").order_by("order", "pk"))
        goals += _fill_template_goals(seeder, d, copied)
        if rng.random() < 0.5:
            goals += _add_goal(seeder, d, plan, _in_year_choice(seeder, d), len(copied) + 1)
    else:
        in_year = _in_year_choice(seeder, d)
        choices = [in_year, *_annual_choices(seeder, d, in_year)]
        wanted = rng.choice([2, 3, 3])
        for choice in [c for c in choices if c is not None][:wanted]:
            goals += _add_goal(seeder, d, plan, choice, len(goals) + 1)
    _team(seeder, d, plan)
    plan.summary = _summary(d, goals, year)
    rows.summaries.append(plan)
    _step_statuses(seeder, rows.steps[first_step:], state)

    returner = supervisor_user or superintendent  # a return needs a person: the supervisor's account
    returned = False
    moves: list[Move] = []
    status = S.DRAFT
    for action, at in zip(path, moments, strict=True):
        if action == "returned":
            if returner is None:
                break  # nobody with an account may return it: it stays submitted
            note = EARLIER_RETURN if returned_once and not returned else None
            moves.append((action, returner, at, note))
            returned = True
        elif action == "submitted":
            moves.append((action, actor, at, ""))
        elif action == "endorsed":
            note = rng.choice(["", "Strong, focused plan.", "Ready for approval.", ""])
            moves.append((action, supervisor_user, at, note))
        else:
            moves.append((action, superintendent, at, rng.choice(["", "Approved."])))
        status = S(action)  # each action is named after the status it leads to
    if status in (S.ENDORSED, S.APPROVED):
        _mark_benchmarks(seeder, rows.benchmarks[first_benchmark:])
    if status == S.APPROVED:
        _progress(seeder, d, goals, actor)
    return plan, moves


# --- goals ---------------------------------------------------------------------------------------------
def _in_year_choice(seeder: Seeder, d: SchoolData) -> dict[str, Any] | None:
    """An in-year goal on the monthly monitoring, for May of this school year, with last May's figure as
    its baseline — or None when the school has no monthly figures."""
    rng, year = seeder.rng, seeder.year
    chosen = rng.choice(["monitor_chronic_absence", "monitor_chronic_absence", "monitor_attendance_rate"])
    group = rng.choice(MONTHLY_GROUPS)
    for code in dict.fromkeys([chosen, "monitor_chronic_absence"]):
        metric = seeder.metrics.get(code)
        if metric is None or group not in seeder.groups:
            continue
        available = {c.strip() for c in (metric.groups_available or "").split(",") if c.strip()}
        if available and group not in available:
            group = "all"
        base_year = next(
            (
                y
                for y in range(year - 1, year - 6, -1)
                if (d.school.pk, code, group, _period(y, GOAL_MONTH)) in seeder.monthly
            ),
            None,
        )
        if base_year is None:
            continue
        baseline = seeder.monthly[(d.school.pk, code, group, _period(base_year, GOAL_MONTH))]
        if _room(code, metric.direction, baseline):
            break
    else:
        return None
    family, low, high = MONTHLY[code]
    return {
        "code": code,
        "family": family,
        "group": group,
        "base_year": base_year,
        "baseline": baseline,
        "gain": _gain(code, baseline, low, high, rng),
        "in_year": True,
    }


def _annual_choices(seeder: Seeder, d: SchoolData, in_year: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The annual goals that fit the school: reading or mathematics first where it has MCAS, then one of
    growth, graduation, chronic absence or teacher retention."""
    rng = seeder.rng
    have = [
        c
        for c in ANNUAL
        if c in d.annual
        and c in seeder.metrics
        and _room(c, seeder.metrics[c].direction, d.annual[c][1])
        and not (in_year and ANNUAL[c][0] == in_year["family"])  # not the in-year goal again
    ]
    first = [c for c in ("mcas_ela_me_pct", "mcas_math_me_pct") if c in have]
    rng.shuffle(first)
    second = [c for c in have if c not in first and c != "attendance_rate"]
    rng.shuffle(second)
    if "grad_4yr_pct" in second:  # a high school's plan speaks to graduation
        second.remove("grad_4yr_pct")
        second.insert(0, "grad_4yr_pct")
    order = first[:1] + second[:1] + first[1:] + second[1:]
    out = []
    for code in order:
        base_year, baseline = d.annual[code]
        family, low, high = ANNUAL[code]
        out.append(
            {
                "code": code,
                "family": family,
                "group": "all",
                "base_year": base_year,
                "baseline": baseline,
                "gain": _gain(code, baseline, low, high, rng),
                "in_year": False,
            }
        )
    return out


def _add_goal(
    seeder: Seeder, d: SchoolData, plan: Plan, choice: dict[str, Any] | None, order: int
) -> list[tuple[Goal, str, dict[str, Any]]]:
    """The goal `choice` as the plan's `order`th, with its strategies, action steps and benchmarks."""
    if choice is None:
        return []
    rng, year = seeder.rng, seeder.year
    metric = seeder.metrics[choice["code"]]
    family = FAMILIES[choice["family"]]
    baseline = float(choice["baseline"])
    if choice["in_year"]:
        goal_year, period = year, _period(year, GOAL_MONTH)
        target = _improve(metric.direction, baseline, choice["gain"], CEILING.get(metric.code, 97.0))
        when = f"{MONTH_NAMES[GOAL_MONTH]} {year + 1}"
        base_label = f"{MONTH_NAMES[GOAL_MONTH]} {choice['base_year'] + 1}"
    else:
        goal_year, period = plan.last_year, ""
        years = plan.last_year - year + 1
        target = _improve(metric.direction, baseline, choice["gain"] * years, CEILING.get(metric.code, 97.0))
        when = _label(goal_year)
        base_label = _label(choice["base_year"])
    statement = family.statement.format(
        baseline=_round(baseline),
        base_year=base_label,
        target=_round(target),
        year=when,
        subject=SUBJECT.get(metric.code, ""),
    )
    group = seeder.groups[choice["group"]]
    if group.code != "all":
        statement = f"{statement[:-1]} — for {group.name.lower()} students."
    wanted = [seeder.programs[t] for t in family.programs if t in seeder.programs]
    programs = rng.sample(wanted, min(len(wanted), rng.choice([0, 1, 1, 2])))
    rows = seeder.rows
    goal = Goal(
        plan=plan,
        order=order,
        statement=statement,
        objective=seeder.objectives.get(family.objective),
        metric=metric,
        group=group,
        school_year=goal_year,
        period=period,
        baseline=_round(baseline),
        target=_round(target),
    )
    rows.goals.append(goal)
    rows.programs += [(goal, p) for p in programs]
    picked = rng.sample(family.strategies, rng.randint(1, min(2, len(family.strategies))))
    for order, (text, steps) in enumerate(picked, start=1):
        strategy = Strategy(goal=goal, order=order, text=text)
        rows.strategies.append(strategy)
        for description, who, when_in_year in steps[: rng.choice([2, 2, 3])]:
            rows.steps.append(
                ActionStep(
                    strategy=strategy,
                    description=description,
                    owner=d.owner(who, rng),
                    due_on=seeder.due(when_in_year),
                )
            )
    text, when_in_year = rng.choice(family.process)
    rows.benchmarks.append(
        Benchmark(goal=goal, kind=Benchmark.Kind.PROCESS, description=text, due_on=seeder.due(when_in_year))
    )
    info = {**choice, "target": target, "months": {}}
    if choice["in_year"]:
        _in_year_benchmarks(seeder, d, goal, info)
    else:
        _annual_benchmark(seeder, plan, goal, info)
    return [(goal, choice["family"], info)]


def _month_target(seeder: Seeder, d: SchoolData, goal: Goal, info: dict[str, Any], month: int) -> float:
    """Where the goal should stand in `month`: last year's figure for that month, moved toward the
    target as the year goes on."""
    last_year = seeder.monthly.get(
        (d.school.pk, info["code"], info["group"], _period(info["base_year"], month))
    )
    start = info["baseline"] if last_year is None else last_year
    share = (MONTHS.index(month) + 1) / (MONTHS.index(GOAL_MONTH) + 1)
    return _improve(goal.metric.direction, start, info["gain"] * share)


def _in_year_benchmarks(seeder: Seeder, d: SchoolData, goal: Goal, info: dict[str, Any]) -> None:
    """Outcome benchmarks on months already past (their actual values show) and one to come."""
    year = seeder.year
    _current, begun = months_begun(seeder.today)
    past = [m for m in begun if _month_end(year, m) < seeder.today]
    months = past[-1:]
    if len(past) > 1 and seeder.rng.random() < 0.5:
        months.insert(0, past[0])
    coming = [m for m in MONTHS[: MONTHS.index(GOAL_MONTH)] if m not in begun]
    if coming:
        months.append(coming[min(len(coming) - 1, 2)])
    what = "chronic absence" if info["code"] == "monitor_chronic_absence" else "attendance rate"
    relation = "or below" if goal.metric.direction == "lower" else "or above"
    for month in months:
        target = _month_target(seeder, d, goal, info, month)
        info["months"][month] = target
        seeder.rows.benchmarks.append(
            Benchmark(
                goal=goal,
                kind=Benchmark.Kind.OUTCOME,
                description=f"{MONTH_NAMES[month]}: {what} at {_round(target)}% {relation}",
                due_on=_month_end(year, month),
                target=_round(target),
                school_year=year,
                period=_period(year, month),
            )
        )


def _annual_benchmark(seeder: Seeder, plan: Plan, goal: Goal, info: dict[str, Any]) -> None:
    """The first year's checkpoint on the way to a multi-year target, read when that year's figures are
    published in the fall: the whole year's figure (no period)."""
    year = seeder.year
    years = plan.last_year - year + 1  # a year's share of the way to the goal's target
    target = info["baseline"] + (info["target"] - info["baseline"]) / years
    seeder.rows.benchmarks.append(
        Benchmark(
            goal=goal,
            kind=Benchmark.Kind.OUTCOME,
            description=f"First-year checkpoint, {_label(year)} results: {_round(target)}"
            f"{'%' if goal.metric.unit == 'percent' else ''} or "
            f"{'less' if goal.metric.direction == 'lower' else 'more'}",
            due_on=dt.date(year + 1, 9, 30),
            target=_round(target),
            school_year=year,
            period="",
        )
    )


def _fill_template_goals(
    seeder: Seeder, d: SchoolData, copied: list[Goal]
) -> list[tuple[Goal, str, dict[str, Any]]]:
    """A draft started from the template (its goals `copied`): their baselines and targets set from the
    school's figures where it has them."""
    out = []
    for goal in copied:
        code = goal.metric.code
        if code not in d.annual or code not in ANNUAL:
            continue
        base_year, baseline = d.annual[code]
        family = ANNUAL[code][0]
        # The template's aims: ten points more reading, a third less chronic absence.
        gain = baseline / 3 if code in RELATIVE else 10.0
        cap = max(CEILING.get(code, 97.0), baseline + 1.0)  # a school already past it still aims higher
        target = _improve(goal.metric.direction, baseline, gain, cap)
        goal.baseline, goal.target = _round(baseline), _round(target)
        seeder.rows.filled.append(goal)
        info = {"code": code, "family": family, "baseline": baseline, "in_year": False, "months": {}}
        out.append((goal, family, info))
    return out


def _team(seeder: Seeder, d: SchoolData, plan: Plan) -> None:
    """The leadership team: the principal chairs it, an assistant principal, teacher leaders and
    teachers with their roles (parents cannot be added: the service takes people who work at the
    school)."""
    rng = seeder.rng
    members: list[tuple[Person, str]] = []
    for p in d.people.get("principal", [])[:1]:
        members.append((p, "Chair"))
    for p in d.people.get("ap", [])[:1]:
        members.append((p, "Co-chair"))
    teachers = d.people.get("teacher", [])
    featured = [t for t in teachers if t.pk in seeder.featured]  # the demo educator sits on their team
    others = (
        featured
        + d.people.get("leader", [])[:2]
        + rng.sample([t for t in teachers if t not in featured], min(3, len(teachers) - len(featured)))
    )
    roles = list(TEAM_ROLES)
    size = rng.randint(3, 5)
    for p in others:
        if len(members) >= size:
            break
        if any(p == m for m, _ in members):
            continue
        members.append((p, roles.pop(0) if roles else "Member"))
    seeder.rows.team += [TeamMember(plan=plan, person=person, role=role) for person, role in members]


def _summary(d: SchoolData, goals: list[tuple[Goal, str, dict[str, Any]]], year: int) -> str:
    parts = []
    for code, what in (
        ("mcas_ela_me_pct", "{v}% of students met or exceeded expectations in MCAS ELA"),
        (
            "mcas_math_me_pct",
            "{v}% in mathematics"
            if "mcas_ela_me_pct" in d.annual
            else "{v}% met expectations in mathematics",
        ),
        ("chronic_absence_10_pct", "{v}% of students were chronically absent"),
    ):
        if code in d.annual:
            parts.append((d.annual[code][0], what.format(v=round(d.annual[code][1]))))
    if parts:
        said = [p for _, p in parts]
        listed = f"{', '.join(said[:-1])} and {said[-1]}" if len(said) > 1 else said[0]
        opening = f"In {_label(parts[0][0])}, {listed}."
    else:
        opening = f"{d.school.name} enters {_label(year)} with a new plan."
    objectives = sorted({g.objective.code for g, _, _ in goals if g.objective is not None})
    if len(objectives) > 1:
        focus = f"objectives {', '.join(objectives[:-1])} and {objectives[-1]}"
    else:
        focus = f"objective {objectives[0]}" if objectives else "the district's objectives"
    n = len(goals)
    return (
        f"{opening} This plan sets {n} goal{'s' if n != 1 else ''} for the school, aligned to {focus} "
        "of the district's strategy; the leadership team checks the in-year figures every month and "
        "reports progress every quarter."
    )


# --- how far the school is -----------------------------------------------------------------------------
def _step_statuses(seeder: Seeder, steps: list[ActionStep], state: str) -> None:
    """Steps due before today mostly done (some still going, a few stuck: overdue), later ones begun."""
    rng, today = seeder.rng, seeder.today
    approved = state in (S.APPROVED, S.ENDORSED)
    for step in sorted(steps, key=lambda st: st.due_on):  # by due date, then in the order written
        if step.due_on < today:
            weights = [70, 18, 6, 6] if approved else [40, 35, 0, 25]
            status = rng.choices([STEP.DONE, STEP.IN_PROGRESS, STEP.BLOCKED, STEP.NOT_STARTED], weights)[0]
        else:
            status = rng.choices([STEP.IN_PROGRESS, STEP.NOT_STARTED], [35, 65] if approved else [15, 85])[0]
        if state == S.DRAFT and status == STEP.DONE:
            status = STEP.IN_PROGRESS
        step.status = status


def _mark_benchmarks(seeder: Seeder, benchmarks: list[Benchmark]) -> None:
    due = [b for b in benchmarks if b.kind == Benchmark.Kind.PROCESS and b.due_on < seeder.today]
    for bench in sorted(due, key=lambda b: b.due_on):
        bench.met = seeder.rng.random() < 0.8


def _progress(
    seeder: Seeder, d: SchoolData, goals: list[tuple[Goal, str, dict[str, Any]]], actor: Any
) -> None:
    """The quarters already past: in-year goals judged by their latest month against where they should
    be, the others by the school's own evidence."""
    rng, year = seeder.rng, seeder.year
    _y, quarter = ps.quarter_of(seeder.today)
    by = actor if getattr(actor, "is_authenticated", False) else None
    for q in range(1, quarter):
        reported = seeder.aware(_month_end(year, (6 + 3 * q) % 12 or 12), 15) + dt.timedelta(
            days=rng.randint(2, 12)
        )
        for goal, family, info in goals:
            status, evidence = _judge(seeder, d, goal, family, info, q)
            row = ProgressUpdate(
                goal=goal,
                school_year=year,
                quarter=q,
                status=status,
                evidence=evidence.strip(),
                reported_by=by,
            )
            seeder.rows.updates.append((row, min(reported, seeder.now - dt.timedelta(hours=1))))


def _judge(
    seeder: Seeder, d: SchoolData, goal: Goal, family: str, info: dict[str, Any], quarter: int
) -> tuple[str, str]:
    rng, year = seeder.rng, seeder.year
    if info.get("in_year"):
        months = [m for m in MONTHS if ((m - 7) % 12) // 3 + 1 == quarter]
        seen = [
            m
            for m in months
            if (d.school.pk, info["code"], info["group"], _period(year, m)) in seeder.monthly
        ]
        if seen:
            month = seen[-1]
            actual = round(
                seeder.monthly[(d.school.pk, info["code"], info["group"], _period(year, month))], 1
            )
            target = round(_month_target(seeder, d, goal, info, month), 1)
            chronic = info["code"] == "monitor_chronic_absence"
            gap = actual - target if goal.metric.direction == "lower" else target - actual
            status = (
                P.ON_TRACK if gap <= 0 else P.AT_RISK if gap <= (1.5 if chronic else 0.5) else P.OFF_TRACK
            )
            what = "chronic absence" if chronic else "the attendance rate"
            follow = {
                P.ON_TRACK: "Keep the weekly attendance meetings and the mentor check-ins going.",
                P.AT_RISK: "Close: the attendance team adds home visits for the students nearest 10% absent."
                if chronic
                else "Close: the family outreach team calls every family with two absences this month.",
                P.OFF_TRACK: "Behind: we are reviewing the list student by student with the supervisor.",
            }[status]
            return (
                status,
                f"{MONTH_NAMES[month]}: {what} {actual:.1f}% against a benchmark of {target:.1f}%. {follow}",
            )
    status = rng.choices([P.ON_TRACK, P.AT_RISK, P.OFF_TRACK], [6, 3, 1.5])[0]
    texts = FAMILIES[family].evidence.get(status) or ("Steps on schedule.",)
    # Figures that agree with the status: up on track, flat at risk, down off track.
    b = rng.randint(30, 60)
    a = (
        b
        + {P.ON_TRACK: rng.randint(3, 12), P.AT_RISK: rng.randint(-2, 2), P.OFF_TRACK: -rng.randint(3, 10)}[
            status
        ]
    )
    d_ = rng.randint(8, 30)
    c = max(
        1, round(d_ * {P.ON_TRACK: rng.uniform(0.8, 1), P.AT_RISK: rng.uniform(0.55, 0.8)}.get(status, 0.5))
    )
    text = rng.choice(texts).format(a=a, b=b, c=c, d=d_)
    return status, text
