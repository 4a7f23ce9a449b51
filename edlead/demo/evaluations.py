"""Demo evaluation cycles: every principal of Riverton and the teachers of the demo principal's school get a
completed 2025-26 cycle (five steps, both signatures) and a 2026-27 cycle in progress, spread across the
steps, so the supervisor's and the principal's caseloads, the completion and calibration views have
something real to show.

From its own random generator (`SEED`), so the demo's people never change; rows are written in bulk, the
way the services would leave them (the same steps, assessments, ratings that pass the rating rules,
goals, evidence, timeline events, and the dated evaluator relationship that gives the evaluator access) —
walking ~120 cycles through the audited services one call at a time would make `seed_demo` several times
slower. Dates follow the district's due dates (`deadlines.step_dates`); in-progress cycles at steps 1 and 2
are overdue once those dates have passed in the running year. Runs on a database that already holds the
demo's people; an educator who already has a cycle for a year is left alone (running it twice adds nothing).

Then the demo's cycles are filled in (`_enrich`), each part only where the cycle has none yet — so it also
fills cycles an earlier `seed_demo` wrote without them, and running it again adds nothing: ratings on every
submitted self-assessment (each standard and a few indicators), evidence notes and links tagged to
indicators and to one of the three categories for some standards but never all of an open cycle's (so
"standards with no evidence yet" means something), and visits — announced or not, some evaluative, the
feedback released on some — dated between the plan's approval and the day it runs (last year's, through
that year). Each cycle draws from its own generator, seeded by the educator's MEPID and the year, so what a
cycle gets does not depend on which others exist.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from edlead.access.models import Relationship, User
from edlead.access.services import relationship_start
from edlead.evaluations import deadlines
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import (
    Assessment,
    Cycle,
    CycleEvent,
    Evidence,
    Framework,
    Goal,
    GoalReview,
    Indicator,
    PlanType,
    Rating,
    Standard,
)
from edlead.lib.schoolyears import SchoolYear
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.people.selectors import supervisors_for_schools

from .demo import RIVERTON_CODE

SEED = "edlead-demo-evaluations-v1"
RICH_SEED = "edlead-demo-evaluations-richness-v1"
DEMO_ACTOR = "system (demo)"
PRINCIPAL_EMAIL = "principal@demo.edlead.org"
Step = Cycle.Step
Kind = Goal.Kind
# Overall ratings of the completed year: mostly Proficient, as in Massachusetts' published figures.
OVERALL_WEIGHTS = (("exemplary", 12), ("proficient", 70), ("needs_improvement", 15), ("unsatisfactory", 3))
# Where the in-progress cycles stand (step 1 … step 5 awaiting signatures).
STEP_WEIGHTS = (
    (Step.SELF_ASSESSMENT, 2),
    (Step.GOALS_PLAN, 3),
    (Step.IMPLEMENTATION, 6),
    (Step.FORMATIVE, 3),
    (Step.SUMMATIVE, 2),
)
LEVEL_RANK = {"unsatisfactory": 0, "needs_improvement": 1, "proficient": 2, "exemplary": 3}
RANK_LEVEL = {v: k for k, v in LEVEL_RANK.items()}


@dataclass
class Pair:
    educator: Person
    evaluator: Person
    school: Organization
    framework: Framework
    administrator: bool


def _pairs(today: dt.date) -> list[Pair]:
    """Riverton's principals (evaluated by their school's supervisor) and the demo principal's teachers."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None:
        return []
    current = Position.objects.current(today).select_related("person", "organization")
    heads = list(
        current.filter(role=Position.Role.PRINCIPAL, organization__path__startswith=riverton.path).order_by(
            "organization__code", "person__mepid", "pk"
        )
    )
    supervisors = supervisors_for_schools([p.organization for p in heads], on=today)
    admin_fw = sc.framework_for(role=Position.Role.PRINCIPAL, organization=riverton)
    teacher_fw = sc.framework_for(role=Position.Role.TEACHER, organization=riverton)
    pairs: list[Pair] = []
    seen: set[int] = set()
    for pos in heads:
        sup = supervisors.get(pos.organization_id)
        if sup is None or admin_fw is None or pos.person_id in seen or sup.pk == pos.person_id:
            continue
        seen.add(pos.person_id)
        pairs.append(Pair(pos.person, sup, pos.organization, admin_fw, True))
    user = User.objects.filter(email=PRINCIPAL_EMAIL).select_related("person").first()
    principal = user.person if user is not None else None
    school = next((p.organization for p in heads if principal and p.person_id == principal.pk), None)
    if principal is not None and school is not None and teacher_fw is not None:
        for pos in current.filter(role=Position.Role.TEACHER, organization=school).order_by(
            "person__mepid", "pk"
        ):
            if pos.person_id not in seen:
                seen.add(pos.person_id)
                pairs.append(Pair(pos.person, principal, school, teacher_fw, False))
    return pairs


def _at(day: dt.date, hour: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Writer:
    """Collects the rows of many cycles and writes them in a few bulk inserts."""

    def __init__(self, rng: random.Random, standards: dict[int, list[Standard]], today: dt.date) -> None:
        self.rng, self.standards, self.today = rng, standards, today
        self.cycles: list[Cycle] = []
        self._dates: dict[tuple[int, int], dict[str, dt.date]] = {}
        self.events: list[CycleEvent] = []
        self.assessments: list[tuple[Assessment, dict[str, str]]] = []
        self.goals: list[tuple[Goal, str]] = []  # with the attainment to review at the summative
        self.evidence: list[Evidence] = []

    def event(self, cycle: Cycle, action: str, frm: str, to: str, day: dt.date) -> None:
        e = CycleEvent(record=cycle, actor_label=DEMO_ACTOR, action=action, from_status=frm, to_status=to)
        e.at = _at(day)  # auto_now_add: set again after the insert
        self.events.append(e)

    def ratings_for(self, pair: Pair, overall: str) -> dict[str, str]:
        """Standard ratings that pass the rules: overall Proficient or better needs the required standards
        (administrators: I; teachers: I and II) at least Proficient."""
        out = {}
        for s in self.standards[pair.framework.pk]:
            rank = LEVEL_RANK[overall] + self.rng.choice((-1, 0, 0, 0, 1))
            rank = max(0, min(3, rank))
            if s.required_for_proficient and LEVEL_RANK[overall] >= 2:
                rank = max(rank, 2)
            out[s.code] = RANK_LEVEL[rank]
        return out

    def cycle(self, pair: Pair, year: int, step: str, rel: Relationship, *, overall: str = "") -> Cycle:
        rng = self.rng
        district = pair.school.district or pair.school
        dkey = (district.pk, year)
        if dkey not in self._dates:  # one settings read per district and year
            self._dates[dkey] = deadlines.step_dates(district, year)
        dates = self._dates[dkey]
        starts = dt.date(year, 9, 1)
        plan_type = PlanType.SELF_DIRECTED if rng.random() < 0.8 else PlanType.DEVELOPING
        order = Cycle.STEP_ORDER.index(step)
        c = Cycle(
            educator=pair.educator,
            evaluator=pair.evaluator,
            evaluator_relationship=rel,
            organization=pair.school,
            school_year=year,
            framework=pair.framework,
            step=step,
            version=order,
            edited_at=_at(starts),
        )
        if order >= 2:
            c.plan_type = plan_type
            c.plan_starts_on = starts
            c.plan_ends_on = dt.date(year + 1, 6, 30)
            c.plan_decided_at = c.plan_approved_at = _at(dates["evaluation.plans_due"] - dt.timedelta(days=3))
        self.cycles.append(c)
        self.event(c, "opened", "", Step.SELF_ASSESSMENT, starts)
        self.event(c, "evaluator_set", Step.SELF_ASSESSMENT, Step.SELF_ASSESSMENT, starts)
        moves = [
            (
                "self_assessment_submitted",
                Step.SELF_ASSESSMENT,
                Step.GOALS_PLAN,
                "evaluation.self_assessment_due",
            ),
            ("plan_approved", Step.GOALS_PLAN, Step.IMPLEMENTATION, "evaluation.plans_due"),
            ("formative_started", Step.IMPLEMENTATION, Step.FORMATIVE, "evaluation.formative_due"),
            ("formative_submitted", Step.FORMATIVE, Step.SUMMATIVE, "evaluation.formative_due"),
            ("signed_by_educator", Step.SUMMATIVE, Step.DONE, deadlines.SUMMATIVE_DUE),
        ]
        for action, frm, to, key in moves[:order]:
            day = min(dates[key] - dt.timedelta(days=rng.randint(1, 12)), self.today)
            if action == "signed_by_educator":
                self.event(c, "signed_by_evaluator", Step.SUMMATIVE, Step.SUMMATIVE, day)
            self.event(c, action, frm, to, day)
        if order >= 1:
            self.assessments.append(
                (
                    Assessment(
                        cycle=c,
                        stage=Assessment.Stage.SELF,
                        narrative="Looked at last year's results with my team; my focus is below.",
                        submitted_at=_at(min(dates["evaluation.self_assessment_due"], self.today)),
                        version=1,
                    ),
                    {},
                )
            )
        kinds = [Kind.STUDENT_LEARNING, Kind.PROFESSIONAL_PRACTICE]
        if pair.administrator:
            kinds += [Kind.SCHOOL_IMPROVEMENT, Kind.SCHOOL_IMPROVEMENT]
        if order >= 1:
            status = Goal.Status.APPROVED if order >= 2 else Goal.Status.PROPOSED
            for n, kind in enumerate(kinds):
                goal = Goal(
                    cycle=c,
                    kind=kind,
                    title=f"{Kind(kind).label} goal {n + 1}",
                    specific="A focused goal for this year's students.",
                    measurable="Measured against the spring benchmark.",
                    timed="By June",
                    status=status,
                    order=n,
                    version=1,
                )
                self.goals.append((goal, rng.choice(("met", "met", "significant_progress", "exceeded"))))
        if order >= 2:
            self.evidence.append(
                Evidence(
                    cycle=c, kind="note", category=1, title="Benchmark results", text="Spring benchmark data."
                )
            )
            self.evidence.append(
                Evidence(cycle=c, kind="note", category=2, title="Visit notes", text="Observed practice.")
            )
            if pair.administrator:
                self.evidence.append(
                    Evidence(
                        cycle=c,
                        kind="note",
                        category=3,
                        staff_feedback=True,
                        title="Staff feedback survey",
                        text="Aggregated answers.",
                    )
                )
        if order >= 3:
            fa = Assessment(
                cycle=c,
                stage=Assessment.Stage.FORMATIVE,
                narrative="Progressing on most goals.",
                version=1,
                submitted_at=_at(min(dates["evaluation.formative_due"], self.today)) if order >= 4 else None,
            )
            self.assessments.append((fa, {}))
        if order >= 4:
            drawn = rng.choices([w[0] for w in OVERALL_WEIGHTS], [w[1] for w in OVERALL_WEIGHTS])[0]
            overall = overall or drawn
            done = step == Step.DONE
            signed = done or rng.random() < 0.5
            sign_day = min(dates[deadlines.SUMMATIVE_DUE], self.today)
            sa = Assessment(
                cycle=c,
                stage=Assessment.Stage.SUMMATIVE,
                narrative="A year of steady work on the goals.",
                overall=overall if (done or signed) else "",
                version=2,
                evaluator_signed_at=_at(sign_day) if signed else None,
                educator_signed_at=_at(sign_day, 16) if done else None,
                next_plan_type=(
                    PlanType.SELF_DIRECTED if LEVEL_RANK[overall] >= 2 else PlanType.DIRECTED_GROWTH
                )
                if signed
                else "",
            )
            if done:
                c.locked_at = _at(sign_day, 16)
            self.assessments.append((sa, self.ratings_for(pair, overall) if (done or signed) else {}))
        return c

    def flush(self) -> None:
        Cycle.objects.bulk_create(self.cycles)
        for e in self.events:
            e.record_id = e.record.pk
        dated = [e.at for e in self.events]
        events = CycleEvent.objects.bulk_create(self.events)
        # The timeline's dates (auto_now_add stamped "now"): one UPDATE per 500 events.
        pairs = [(e.pk, at) for e, at in zip(events, dated, strict=True)]
        for start in range(0, len(pairs), 500):
            part = pairs[start : start + 500]
            CycleEvent.objects.filter(pk__in=[pk for pk, _ in part]).update(
                at=Case(*[When(pk=pk, then=Value(at)) for pk, at in part], output_field=DateTimeField())
            )
        for a, _r in self.assessments:
            a.cycle_id = a.cycle.pk
        for g, _a in self.goals:
            g.cycle_id = g.cycle.pk
        for ev in self.evidence:
            ev.cycle_id = ev.cycle.pk
        Assessment.objects.bulk_create([a for a, _r in self.assessments])
        goals = Goal.objects.bulk_create([g for g, _a in self.goals])
        Evidence.objects.bulk_create(self.evidence)
        codes = {fw: {s.code: s for s in stds} for fw, stds in self.standards.items()}
        ratings, reviews = [], []
        summative = {a.cycle_id: a for a, _r in self.assessments if a.stage == Assessment.Stage.SUMMATIVE}
        for a, levels in self.assessments:
            for code, level in levels.items():
                ratings.append(Rating(assessment=a, standard=codes[a.cycle.framework_id][code], level=level))
        for goal, attainment in zip(goals, [a for _g, a in self.goals], strict=True):
            sa = summative.get(goal.cycle_id)
            if sa is not None and sa.evaluator_signed_at is not None:
                reviews.append(GoalReview(assessment=sa, goal=goal, attainment=attainment, text="Reviewed."))
        Rating.objects.bulk_create(ratings)
        GoalReview.objects.bulk_create(reviews)


def _relationship(pair: Pair, riverton: Organization, starts_on: dt.date, running: dict) -> Relationship:
    key = (pair.evaluator.pk, pair.educator.pk)
    rel = running.get(key)
    if rel is None:
        rel = running[key] = relationship_start(
            actor=None,
            kind=Relationship.Kind.EVALUATOR,
            holder=pair.evaluator,
            person=pair.educator,
            organization=riverton,
            starts_on=starts_on,
            note="Demo",
        )
    return rel


@transaction.atomic
def evaluations_seed(*, today: dt.date | None = None) -> int:
    """Write the demo's cycles (completed last year, in progress this year); returns how many were added."""
    day = today or dt.date.today()
    this_year = SchoolYear.containing(day).start_year
    pairs = _pairs(day)
    if not pairs:
        return 0
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    rng = random.Random(SEED)
    have = set(
        Cycle.objects.filter(
            educator_id__in=[p.educator.pk for p in pairs], school_year__in=[this_year - 1, this_year]
        ).values_list("educator_id", "school_year")
    )
    standards: dict[int, list[Standard]] = {}
    for s in Standard.objects.filter(framework_id__in={p.framework.pk for p in pairs}).order_by(
        "order", "pk"
    ):
        standards.setdefault(s.framework_id, []).append(s)
    running = {
        (r.holder_id, r.person_id): r
        for r in Relationship.objects.active(day).filter(
            kind=Relationship.Kind.EVALUATOR, person_id__in=[p.educator.pk for p in pairs]
        )
    }
    writer = _Writer(rng, standards, day)
    added = 0
    for pair in pairs:
        # The step is drawn for every educator, written or not, so the spread does not depend on what exists.
        step = rng.choices([w[0] for w in STEP_WEIGHTS], [w[1] for w in STEP_WEIGHTS])[0]
        for year, at in ((this_year - 1, Step.DONE), (this_year, step)):
            if (pair.educator.pk, year) in have:
                continue
            rel = _relationship(pair, riverton, dt.date(this_year - 1, 7, 1), running)
            writer.cycle(pair, year, at, rel)
            added += 1
    writer.flush()
    _enrich(pairs, [this_year - 1, this_year], day)
    return added


# --- filling the demo's cycles in: self-assessment ratings, tagged evidence, visits -----------------------
SELF_WEIGHTS = (("exemplary", 15), ("proficient", 55), ("needs_improvement", 25), ("unsatisfactory", 5))
# (category, kind, title, text) — what an educator or evaluator adds during the year.
EVIDENCE_ITEMS = {
    1: (
        ("note", "Winter reading benchmark", "Share at or above benchmark up 6 points since the fall."),
        ("link", "State assessment growth by student group", "Median growth by group, last two springs."),
        (
            "note",
            "Common assessment results, grade teams",
            "Item analysis from the October common assessment.",
        ),
    ),
    2: (
        ("note", "Learning walk notes", "Five classrooms: learning targets posted and used in four."),
        ("link", "Data meeting agenda and minutes", "The grade-level data cycle as it runs this year."),
        ("note", "Sample of teacher feedback written", "Twelve post-observation notes, anonymized."),
    ),
    3: (
        ("link", "Family survey summary", "Fall family survey: response rate and the three top concerns."),
        ("note", "Professional learning plan", "The year's sessions and who led each."),
        ("note", "Attendance team minutes", "Chronic absence list reviewed every two weeks."),
    ),
}
VISIT_NOTES = (
    "Walked grades 2 and 3 with the instructional coach; targets posted in every room.",
    "Observed the grade 4 data meeting: the team chose next week's small groups from the data.",
    "Unannounced visit at arrival and first block: calm start, breakfast in class works.",
    "Visited two math classes: strong launch, the discourse moves are not yet routine.",
)
VISIT_FEEDBACK = (
    "Keep the data meetings weekly; ask each team for one change it will try.",
    "Routines are strong. Next: students explaining their thinking to one another.",
    "Share the arrival routine with the other schools' leaders at the next network meeting.",
    "Give the coach time in the schedule to follow up the walkthrough with each teacher.",
)


def _cycle_rng(cycle: Cycle, part: str) -> random.Random:
    """One generator per cycle and part: what a part draws does not depend on the parts already there."""
    who = cycle.educator.mepid or f"{cycle.educator.last_name},{cycle.educator.first_name}"
    return random.Random(f"{RICH_SEED}:{who}:{cycle.school_year}:{part}")


def _days_between(rng: random.Random, first: dt.date, last: dt.date, n: int) -> list[dt.date]:
    """`n` distinct-ish days from first to last (last when the window is empty), oldest first."""
    if last <= first:
        return [last] * n
    span = (last - first).days
    return sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))


def _enrich(pairs: list[Pair], years: list[int], today: dt.date) -> None:
    """Fill the demo's cycles of `years` in, each part only where the cycle has none (see the module)."""
    from edlead.visits.models import Visit

    educators = [p.educator.pk for p in pairs]
    cycles = list(
        Cycle.objects.filter(
            educator_id__in=educators,
            school_year__in=years,
            events__action="opened",
            events__actor_label=DEMO_ACTOR,
        )
        .select_related("educator", "organization", "organization__district")
        .distinct()
        .order_by("school_year", "educator__mepid", "pk")
    )
    if not cycles:
        return
    ids = [c.pk for c in cycles]
    indicators: dict[int, dict[str, list[Indicator]]] = {}
    standards: dict[int, list[Standard]] = {}
    for i in (
        Indicator.objects.filter(standard__framework_id__in={c.framework_id for c in cycles})
        .select_related("standard")
        .order_by("standard__order", "order", "pk")
    ):
        indicators.setdefault(i.standard.framework_id, {}).setdefault(i.standard.code, []).append(i)
    for st in Standard.objects.filter(framework_id__in={c.framework_id for c in cycles}).order_by(
        "order", "pk"
    ):
        standards.setdefault(st.framework_id, []).append(st)
    selves = {
        a.cycle_id: a
        for a in Assessment.objects.filter(
            cycle_id__in=ids, stage=Assessment.Stage.SELF, submitted_at__isnull=False
        )
    }
    rated = set(
        Rating.objects.filter(assessment__in=list(selves.values())).values_list("assessment_id", flat=True)
    )
    tagged = set(
        Evidence.indicators.through.objects.filter(evidence__cycle_id__in=ids).values_list(
            "evidence__cycle_id", flat=True
        )
    )
    visited = set(Visit.objects.filter(cycle_id__in=ids).values_list("cycle_id", flat=True))
    users = {
        u.person_id: u
        for u in User.objects.filter(
            person_id__in={c.educator_id for c in cycles} | {c.evaluator_id for c in cycles if c.evaluator_id}
        )
    }
    dates: dict[tuple[int, int], dict[str, dt.date]] = {}
    ratings: list[Rating] = []
    evidence: list[tuple[Evidence, list[Indicator]]] = []
    visits: list[tuple[Visit, list[Indicator]]] = []
    now = timezone.now()
    for c in cycles:
        order = Cycle.STEP_ORDER.index(c.step)
        by_code = indicators.get(c.framework_id, {})
        stds = standards.get(c.framework_id, [])
        district = c.organization.district or c.organization
        if (district.pk, c.school_year) not in dates:
            dates[(district.pk, c.school_year)] = deadlines.step_dates(district, c.school_year)
        due = dates[(district.pk, c.school_year)]
        last_day = min(today, SchoolYear(c.school_year).ends_on)
        levels = [w[0] for w in SELF_WEIGHTS], [w[1] for w in SELF_WEIGHTS]
        # Self-assessment: every standard rated, and one or two indicators with a line of narrative.
        sa = selves.get(c.pk)
        if sa is not None and sa.pk not in rated:
            rng = _cycle_rng(c, "self")
            for st in stds:
                ratings.append(Rating(assessment=sa, standard=st, level=rng.choices(*levels)[0]))
                for i in rng.sample(
                    by_code.get(st.code, []), k=min(len(by_code.get(st.code, [])), rng.randint(0, 1))
                ):
                    ratings.append(
                        Rating(
                            assessment=sa,
                            indicator=i,
                            level=rng.choices(*levels)[0],
                            narrative=f"{i.name}: where I see my practice this year.",
                        )
                    )
        # Evidence tagged to indicators, for some standards: open cycles never have all of theirs.
        if order >= 1 and c.pk not in tagged and stds:
            rng = _cycle_rng(c, "evidence")
            done = c.step == Cycle.Step.DONE
            k = min(len(stds), rng.choice((3, 4)) if done else rng.choice((1, 2, 2, 3)))
            if not done:
                k = min(k, len(stds) - 1)
            for st in rng.sample(stds, k=k):
                category = rng.choice((1, 2, 3))
                kind, title, text = rng.choice(EVIDENCE_ITEMS[category])
                pool = by_code.get(st.code, [])
                tags = rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))
                author = users.get(c.educator_id if rng.random() < 0.6 else (c.evaluator_id or 0))
                ev = Evidence(
                    cycle=c,
                    added_by=author,
                    kind=kind,
                    category=category,
                    title=title,
                    text=text,
                    url=f"https://example.org/riverton/evidence/{c.school_year}/{st.code.lower()}"
                    if kind == "link"
                    else "",
                )
                evidence.append((ev, tags))
        # Visits: from the plan's approval (or the year's start) to the day it runs.
        if order >= 1 and c.pk not in visited and c.evaluator_id:
            rng = _cycle_rng(c, "visits")
            if order == 1:
                n, first = rng.randint(0, 1), dt.date(c.school_year, 9, 1)
            else:
                n = rng.randint(2, 3) if c.step == Cycle.Step.DONE else rng.randint(1, 4)
                first = min(due["evaluation.plans_due"], last_day)
            all_indicators = [i for codes in by_code.values() for i in codes]
            for n_visit, day in enumerate(_days_between(rng, first, last_day, n)):
                evaluative = order >= 2 and rng.random() < 0.65
                released = c.step == Cycle.Step.DONE or rng.random() < 0.6
                at = timezone.make_aware(
                    dt.datetime.combine(day + dt.timedelta(days=rng.randint(0, 3)), dt.time(16))
                )
                visit = Visit(
                    organization=c.organization,
                    visitor_id=c.evaluator_id,
                    educator=c.educator,
                    cycle=c,
                    announced=rng.random() < 0.6,
                    date=day,
                    length_minutes=rng.choice((30, 45, 60, 90, 120)),
                    notes=VISIT_NOTES[(n_visit + rng.randint(0, 3)) % len(VISIT_NOTES)],
                    feedback=VISIT_FEEDBACK[(n_visit + rng.randint(0, 3)) % len(VISIT_FEEDBACK)],
                    feedback_released_at=min(at, now) if released else None,
                    evaluative=evaluative,
                    version=2 if released else 1,
                    edited_at=min(at, now),
                )
                focus = rng.sample(all_indicators, k=min(len(all_indicators), rng.randint(1, 2)))
                if not evaluative:  # only an evaluative visit is tagged to the rubric's indicators
                    focus = []
                visits.append((visit, focus))
    Rating.objects.bulk_create(ratings)
    Evidence.objects.bulk_create([ev for ev, _tags in evidence])
    Evidence.indicators.through.objects.bulk_create(
        [
            Evidence.indicators.through(evidence_id=ev.pk, indicator_id=i.pk)
            for ev, tags in evidence
            for i in tags
        ]
    )
    Visit.objects.bulk_create([v for v, _focus in visits])
    Visit.focus_indicators.through.objects.bulk_create(
        [
            Visit.focus_indicators.through(visit_id=v.pk, indicator_id=i.pk)
            for v, focus in visits
            for i in focus
        ]
    )


def counts(cycles: Iterable[Cycle]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in cycles:
        out[c.step] = out.get(c.step, 0) + 1
    return out
