"""Due dates of the cycle's steps (district settings, defaults from DOMAIN.md §3), what each cycle is
waiting for and from whom, the work-queue items that follow, and the daily reminders.

One function (`pending`) decides who owes what by when; the work queue and the reminders both read it,
so the two never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from edlead import config
from edlead.core import workqueue
from edlead.evaluations.models import Assessment, Cycle, Goal
from edlead.orgs.models import Organization

Step = Cycle.Step

# key, label, default (MM-DD), help
STEP_DATES = [
    (
        "evaluation.self_assessment_due",
        "Self-assessments due",
        "10-15",
        "Step 1: the educator's self-assessment.",
    ),
    ("evaluation.goals_due", "Proposed goals due", "10-15", "Step 2: the educator proposes goals."),
    (
        "evaluation.plans_due",
        "Educator plans complete",
        "11-01",
        "Step 2: goals approved and the plan decided.",
    ),
    ("evaluation.formative_due", "Formative assessments due", "02-01", "Step 4: the formative report."),
    ("evaluation.evidence_due", "Evidence due", "04-15", "Step 3: evidence collected for the summative."),
]
SUMMATIVE_DUE = "evaluation.summative_due"  # declared by the platform (edlead/config/apps.py)
SIGN_DAYS = "evaluation.educator_sign_days"
MIN_PROFICIENT = "evaluation.min_standards_proficient_for_proficient"


def declare_settings() -> None:
    """The cycle's district settings (from EvaluationsConfig.ready)."""
    for key, label, default, help_text in STEP_DATES:
        config.register(
            key,
            label,
            config.DATE_OF_YEAR,
            default,
            f"{help_text} Month and day (MM-DD); a date before July falls in the spring of the school year.",
            section="Evaluation cycle",
        )
    config.register(
        SIGN_DAYS,
        "Days for the educator to sign",
        config.INT,
        7,
        "Calendar days the educator has to sign the summative evaluation after the evaluator signs "
        "(five school days are about seven calendar days).",
        section="Evaluation cycle",
        minimum=1,
        maximum=60,
    )
    config.register(
        MIN_PROFICIENT,
        "Standards at Proficient for an overall Proficient",
        config.INT,
        0,
        "A local threshold: how many standards must be rated at least Proficient for an overall rating of "
        "Proficient or Exemplary (0: no rule beyond the state's).",
        section="Evaluation cycle",
        minimum=0,
        maximum=4,
    )


def _in_school_year(md: config.MonthDay, school_year: int) -> dt.date:
    return md.in_year(school_year if md.month >= 7 else school_year + 1)


def step_dates(
    org: Organization, school_year: int, plan_ends_on: dt.date | None = None
) -> dict[str, dt.date]:
    """Each step's due date for a cycle of `school_year` in `org`'s district. The summative falls on the
    district's date in the last spring the plan reaches, never after the plan's end."""
    dates = {key: _in_school_year(config.setting(org, key), school_year) for key, *_ in STEP_DATES}
    md = config.setting(org, SUMMATIVE_DUE)
    summative = _in_school_year(md, school_year)
    if plan_ends_on is not None:
        # The last summative date on or before the plan's end (a two-year plan: the second spring); a
        # plan ending before the first one is due on its last day.
        year = school_year
        while _in_school_year(md, year + 1) <= plan_ends_on:
            year += 1
        summative = _in_school_year(md, year)
        if summative > plan_ends_on:
            summative = plan_ends_on
    dates[SUMMATIVE_DUE] = summative
    return dates


@dataclass(frozen=True)
class Pending:
    """One thing a cycle waits for: who owes it (the educator or the evaluator), what, by when."""

    cycle: Cycle
    who: str  # "educator" | "evaluator"
    key: str  # what is owed, stable for reminders
    wording: str  # the title, "{name}" standing for the educator's name (read only when the title is)
    due: dt.date | None
    waiting: bool

    @property
    def title(self) -> str:
        if "{name}" not in self.wording:
            return self.wording
        return self.wording.format(name=self.cycle.educator.display_name)

    @property
    def person(self) -> Any:
        return self.cycle.educator if self.who == "educator" else self.cycle.evaluator

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def with_state(queryset: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """Cycles with what `pending` needs, in the same query: goal states and the summative's signature."""
    goals = Goal.objects.filter(cycle_id=OuterRef("pk"))
    return queryset.select_related(
        "educator", "evaluator", "organization", "organization__district", "framework"
    ).annotate(
        has_goals=Exists(goals),
        has_open_goals=Exists(goals.filter(status__in=[Goal.Status.DRAFT, Goal.Status.RETURNED])),
        has_proposed_goals=Exists(goals.filter(status=Goal.Status.PROPOSED)),
        evaluator_signed_at=Subquery(
            Assessment.objects.filter(cycle_id=OuterRef("pk"), stage=Assessment.Stage.SUMMATIVE).values(
                "evaluator_signed_at"
            )[:1]
        ),
    )


class _Districts:
    """Settings are read per district object (one query each, cached on it); one object per district."""

    def __init__(self) -> None:
        self._by_id: dict[int, Organization] = {}
        self._dates: dict[tuple[int, int, dt.date | None], dict[str, dt.date]] = {}

    def of(self, org: Organization) -> Organization:
        district = org if org.is_district or org.district is None else org.district
        return self._by_id.setdefault(district.pk, district)

    def prefetch(self, orgs: Iterable[Organization]) -> None:
        """Read the settings of all these organizations' districts at once (one query)."""
        config.prefetch_settings([self.of(org) for org in orgs])

    def dates(
        self, district: Organization, school_year: int, plan_ends_on: dt.date | None
    ) -> dict[str, dt.date]:
        """`step_dates`, worked out once per district, year and plan end (a caseload shares them)."""
        key = (district.pk, school_year, plan_ends_on)
        if key not in self._dates:
            self._dates[key] = step_dates(district, school_year, plan_ends_on)
        return self._dates[key]


def pending(cycles: Iterable[Cycle], *, districts: _Districts | None = None) -> Iterator[Pending]:
    """What each cycle (from `with_state`) waits for. A cycle without an evaluator owes nothing on the
    evaluator's side (HR chooses one first)."""
    districts = districts or _Districts()
    if isinstance(cycles, list):
        districts.prefetch(c.organization for c in cycles)
    for c in cycles:
        district = districts.of(c.organization)
        dates = districts.dates(district, c.school_year, c.plan_ends_on)
        has_evaluator = c.evaluator_id is not None
        if c.step == Step.SELF_ASSESSMENT:
            yield Pending(
                c,
                "educator",
                "self_assessment",
                "Complete your self-assessment",
                dates["evaluation.self_assessment_due"],
                True,
            )
        elif c.step == Step.GOALS_PLAN:
            if getattr(c, "has_proposed_goals", False):
                if has_evaluator:
                    yield Pending(
                        c,
                        "evaluator",
                        "approve_goals",
                        "Approve goals for {name}",
                        dates["evaluation.plans_due"],
                        True,
                    )
            elif getattr(c, "has_open_goals", False) or not getattr(c, "has_goals", False):
                yield Pending(
                    c, "educator", "propose_goals", "Propose your goals", dates["evaluation.goals_due"], True
                )
            elif has_evaluator:
                yield Pending(
                    c,
                    "evaluator",
                    "approve_plan",
                    "Decide and approve the plan for {name}",
                    dates["evaluation.plans_due"],
                    True,
                )
        elif c.step in (Step.IMPLEMENTATION, Step.FORMATIVE):
            if has_evaluator:
                yield Pending(
                    c,
                    "evaluator",
                    "formative",
                    "Write the formative assessment for {name}",
                    dates["evaluation.formative_due"],
                    c.step == Step.FORMATIVE,
                )
            yield Pending(
                c,
                "educator",
                "evidence",
                "Add evidence for your evaluation",
                dates["evaluation.evidence_due"],
                False,
            )
        elif c.step == Step.SUMMATIVE:
            signed = getattr(c, "evaluator_signed_at", None)
            if signed is None and has_evaluator:
                yield Pending(
                    c,
                    "evaluator",
                    "sign_summative",
                    "Sign the summative evaluation for {name}",
                    dates[SUMMATIVE_DUE],
                    True,
                )
            elif signed is not None:
                days = int(config.setting(district, SIGN_DAYS))
                yield Pending(
                    c,
                    "educator",
                    f"sign_summative_educator:{c.reopen_count}",
                    "Sign your summative evaluation",
                    signed.date() + dt.timedelta(days=days),
                    True,
                )


def _open_cycles() -> QuerySet[Cycle]:
    return Cycle.objects.exclude(step=Step.DONE)


def cycle_pending(cycle: Cycle) -> list[Pending]:
    """What one cycle waits for now (a few queries)."""
    return list(pending(with_state(Cycle.objects.filter(pk=cycle.pk))))


def cycle_due_date(cycle: Cycle) -> dt.date | None:
    """The earliest date the cycle's current step owes something by (None when complete)."""
    dues = [p.due for p in cycle_pending(cycle) if p.due is not None]
    return min(dues) if dues else None


def cycle_overdue(cycle: Cycle, *, today: dt.date | None = None) -> list[Pending]:
    """What the cycle owes past its due date."""
    day = today or dt.date.today()
    return [p for p in cycle_pending(cycle) if p.overdue(day)]


# --- the work queue -----------------------------------------------------------------------------------
def cycle_items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    """The educator's and the evaluator's items for their open cycles (one query, plus one per
    district for its settings)."""
    pid = getattr(user, "person_id", None)
    if not pid:
        return []
    rows = (
        with_state(_open_cycles().filter(Q(educator_id=pid) | Q(evaluator_id=pid)))
        .select_related(None)
        .select_related("educator", "organization__district")  # what the items show and the dates need
        .order_by("pk")
    )
    items = []
    for p in pending(rows):
        mine = p.cycle.educator_id if p.who == "educator" else p.cycle.evaluator_id
        if mine != pid:
            continue
        items.append(
            workqueue.WorkItem(
                title=p.title,
                url=p.cycle.get_absolute_url(),
                source="evaluations",
                due=p.due,
                organization=p.cycle.organization.name,
                detail=f"Evaluation {p.cycle.year_label}, {p.cycle.get_step_display()}",
                waiting=p.waiting,
            )
        )
    return items


# --- reminders ----------------------------------------------------------------------------------------
def cycle_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind whoever owes a step: on the district's reminder days before the due date
    (`reminders.days_before_due`), on the day itself and each day it is overdue — once per item per day
    (`once_key` holds the day), so running the job twice sends nothing twice. Returns notices sent."""
    from edlead.evaluations.services_cycle import NOTICE_DUE
    from edlead.notices.models import Notice
    from edlead.notices.services import notify

    day = today or dt.date.today()
    districts = _Districts()
    sent = 0
    for p in pending(with_state(_open_cycles()).order_by("pk").iterator(chunk_size=500), districts=districts):
        person = p.person
        if person is None or p.due is None:
            continue
        left = (p.due - day).days
        before = {
            int(d) for d in config.setting(districts.of(p.cycle.organization), "reminders.days_before_due")
        }
        if not (left < 0 or left == 0 or left in before):
            continue
        key = f"eval-due:{p.cycle.pk}:{p.key}:{day.isoformat()}"
        when = (
            "today"
            if left == 0
            else (f"{-left} day{'s' if left != -1 else ''} overdue" if left < 0 else f"in {left} days")
        )
        if Notice.objects.filter(person=person, once_key=key).exists():
            continue
        notify(
            person=person,
            kind=NOTICE_DUE,
            subject=f"{p.title} — due {when}",
            body=f"Evaluation {p.cycle.year_label} of {p.cycle.educator.display_name}: due {p.due:%d %B %Y}.",
            link=p.cycle.get_absolute_url(),
            once_key=key,
        )
        sent += 1
    return sent
