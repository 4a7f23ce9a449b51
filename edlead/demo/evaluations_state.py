"""Evaluation cycles for the state scale (issue 9's benchmark): about 12,000 cycles a school year for the
two school years before the running one (complete, both signatures) and the running one (in progress,
spread across the steps), each with about 30 pieces of evidence tagged to indicators, evaluative visits,
goals, the self-, formative and summative assessments and per-standard ratings — so the district
completion and calibration views, and the caseloads, are measured on a realistic amount of data.

Who is evaluated, each year, in the state-scale districts (codes 9001…-9397…; the demo's districts and
its 118 cycles are never touched): every principal in post on 1 October of the year, by the school's
principal supervisor then (else the superintendent); every assistant principal in post, by the school's
principal then; and, to bring the year to `CYCLES_PER_YEAR`, a fixed cohort of teachers in post since
the first of the three years, by their school's principal then. A dated evaluator relationship for each
evaluator and educator gives the evaluator access, as `relationship_start` would.

From its own random generator (`SEED`). Rows are generated as tuples and written per table in chunks —
with `COPY` on PostgreSQL (millions of rows: the ORM's `bulk_create` would take minutes), with
`executemany` elsewhere — with ids reserved from each table's sequence, so related rows are written
without reading anything back; on PostgreSQL a worker thread writes one chunk while the next is made.
Runs only when no state-scale school has a cycle yet.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import enum
import functools
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from edlead.access.models import Relationship
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
from edlead.people.models import Position
from edlead.people.selectors import supervisors_for_schools
from edlead.visits.models import Visit

from .evaluations import LEVEL_RANK, OVERALL_WEIGHTS, RANK_LEVEL, STEP_WEIGHTS
from .state import FIRST_DISTRICT_CODE

SEED = "edlead-state-evaluations-v1"
CYCLES_PER_YEAR = 12_000
YEARS = 3  # the running school year and the two before it
EVIDENCE_PER_CYCLE = (26, 34)  # about 30 (a complete cycle; fewer while it is early in the year)
VISITS_PER_CYCLE = (2, 4)
CHUNK_CYCLES = 2_000  # rows are written every this many cycles (memory stays flat)
LAST_DISTRICT_CODE = "99000000"  # the demo's codes begin 99: never included

Step = Cycle.Step
Role = Position.Role
GoalKind = Goal.Kind
TEACHER_ROLES = (Role.TEACHER, Role.TEACHER_LEADER)
ACTOR = "system (demo)"
EVIDENCE_TITLES = {
    1: ("Benchmark results", "Common assessment data", "Growth measures", "Attendance trends"),
    2: ("Walkthrough notes", "Lesson plan", "Team meeting agenda", "Observed practice", "Unit plan"),
    3: ("Family survey results", "Professional learning log", "Community partnership notes"),
}
EVIDENCE_CATEGORIES = (1, 1, 2, 2, 2, 3)
VISIT_MINUTES = (15, 20, 30, 45, 60)
PLAN_WEIGHTS = ((PlanType.SELF_DIRECTED, 80), (PlanType.DEVELOPING, 15), (PlanType.DIRECTED_GROWTH, 5))
ATTAINMENTS = ("met", "met", "significant_progress", "exceeded", "some_progress")
PROGRESS = ("progressing", "on_track", "on_track", "at_risk", "met")


# --- writing -------------------------------------------------------------------------------------------
class _Table:
    """Rows of one table as tuples of `fields`; every other column takes its field's default (or a
    constant given here). Ids, when asked for, come from the table's own sequence (reserved as rows are
    made, set past them when written), so rows of other tables can point at them straight away.

    On PostgreSQL the rows go out as `COPY` text (the generated values never hold a tab, a newline or a
    backslash: `flush` checks), elsewhere through `executemany` with each field's own conversion."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], **constants: Any) -> None:
        meta = model._meta
        self.table = meta.db_table
        self.fields: list[Any] = [meta.get_field(f) for f in fields]
        self.with_ids = bool(self.fields) and self.fields[0].primary_key
        rest: list[Any] = [f for f in meta.concrete_fields if f.name not in fields and not f.primary_key]
        self.constant_fields = rest
        self.constants = tuple(constants[f.name] if f.name in constants else f.get_default() for f in rest)
        self.columns = [f.column for f in [*self.fields, *rest]]
        self.postgresql = connection.vendor == "postgresql"
        # The constant columns' text, once: JSON as JSON, the rest as any value.
        self.suffix = "".join(
            "\t" + (json.dumps(v) if isinstance(f, models.JSONField) else _text(v))
            for f, v in zip(rest, self.constants, strict=True)
        )
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self._next = self._last = 0
        if self.with_ids:
            self._next = self._reserve_start()
            self._last = self._next - 1

    def _reserve_start(self) -> int:
        with connection.cursor() as cur:
            if self.postgresql:
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [self.table])
            else:
                cur.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{self.table}"')  # noqa: S608
            return int(cur.fetchone()[0])

    def new_id(self) -> int:
        self._last = self._next
        self._next += 1
        return self._last

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def take(self) -> list[tuple[Any, ...]]:
        """The rows made since the last call (to be written)."""
        rows, self.rows = self.rows, []
        self.written += len(rows)
        return rows

    def write(self, rows: list[tuple[Any, ...]], raw: Any = None) -> None:
        """Write `rows`: with COPY through the driver's connection `raw` (PostgreSQL), else through
        Django's connection."""
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in self.columns)
        if self.postgresql:
            suffix = self.suffix + "\n"
            text = "".join(["\t".join([_text(v) for v in row]) + suffix for row in rows])
            tabs = len(rows) * (len(self.columns) - 1)
            if (
                text.count("\n") != len(rows)
                or text.count("\t") != tabs
                or text.count("\\") != text.count("\\N")
            ):
                raise ValueError(f"{self.table}: a generated value holds a tab, a newline or a backslash")
            with raw.cursor() as cur, cur.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                copy.write(text)
            return
        fields = [*self.fields, *self.constant_fields]
        marks = ", ".join(["%s"] * len(fields))
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row + self.constants, strict=True)]
            for row in rows
        ]
        with connection.cursor() as cur:
            cur.executemany(f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', prepared)  # noqa: S608

    def sequence_past(self) -> None:
        """Move the table's sequence past the ids handed out (PostgreSQL)."""
        if self.with_ids and self.postgresql and self._last >= 1:
            with connection.cursor() as cur:
                cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [self.table, self._last])


@functools.cache
def _iso(value: dt.date) -> str:
    return value.isoformat()


_TEXT: dict[type, Any] = {
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    dt.date: _iso,
    dt.datetime: _iso,
}


def _text(value: Any) -> str:
    """One value in COPY's text format (strings as they are; a choice as its value)."""
    kind = type(value)
    if kind is str:
        return value
    convert = _TEXT.get(kind)
    if convert is None:
        if not issubclass(kind, enum.Enum):
            raise TypeError(f"No COPY text for {kind.__name__}")
        convert = _TEXT[kind] = lambda v: _text(v.value)
    return convert(value)


@contextlib.contextmanager
def _foreign_keys_set_aside(tables: Iterable[str]) -> Iterator[None]:
    """PostgreSQL checks a foreign key row by row as rows arrive (queued to the commit, as Django declares
    them deferred): for millions of rows that is most of the load. As `pg_restore` does, the loaded
    tables' foreign keys are dropped for the load and added back as they were, which checks every row in
    one query per key. It all happens in the seed's transaction: a failure puts them back as they were."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # rows written before (the demo's) are checked now
        cur.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [list(tables)],
        )
        keys = cur.fetchall()
        for table, name, _definition in keys:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cur:
        for table, name, definition in keys:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


# --- who is evaluated ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pair:
    educator: int
    evaluator: int
    school: int
    district: int
    administrator: bool
    sort_key: tuple[str, str, str]


@dataclass
class _Spell:
    pair: _Pair
    first: int
    last: int


def _on(year: int) -> dt.date:
    """The day a year's evaluator is read: 1 October, once the year's assignments have settled."""
    return dt.date(year, 10, 1)


def _covers(starts: dt.date | None, ends: dt.date | None, day: dt.date) -> bool:
    return (starts is None or starts <= day) and (ends is None or ends >= day)


def _pairs(years: list[int], schools: list[Organization]) -> dict[int, list[_Pair]]:
    """Each year's educators and evaluators in the state-scale schools (a few queries in all)."""
    school_ids = [s.pk for s in schools]
    district_of = {s.pk: s.district_id or s.pk for s in schools}
    code_of = {s.pk: s.code or "" for s in schools}
    first_day = _on(years[0])
    leaders = list(
        Position.objects.filter(
            organization_id__in=school_ids,
            role__in=[Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL],
        )
        .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=first_day))
        .values_list("person_id", "person__mepid", "organization_id", "role", "starts_on", "ends_on")
        .order_by("organization_id", "role", "starts_on", "person__mepid", "pk")
    )
    teachers = list(
        Position.objects.filter(
            organization_id__in=school_ids,
            role__in=TEACHER_ROLES,
            ends_on__isnull=True,
            starts_on__lte=dt.date(years[0], 7, 1),
        )
        .values_list("person_id", "person__mepid", "organization_id")
        .order_by("organization__code", "person__mepid", "pk")
    )
    rng = random.Random(f"{SEED}:teachers")
    rng.shuffle(teachers)
    out: dict[int, list[_Pair]] = {}
    for year in years:
        day = _on(year)
        supervisors = supervisors_for_schools(schools, on=day)
        principal: dict[int, int] = {}
        for person, _m, org, role, starts, ends in leaders:
            if role == Role.PRINCIPAL and _covers(starts, ends, day):
                principal.setdefault(org, person)
        pairs: list[_Pair] = []
        seen: set[int] = set()
        for person, mepid, org, role, starts, ends in leaders:
            if person in seen or not _covers(starts, ends, day):
                continue
            if role == Role.PRINCIPAL:
                sup = supervisors.get(org)
                evaluator = sup.pk if sup is not None else None
            else:
                evaluator = principal.get(org)
            if evaluator is None or evaluator == person:
                continue
            seen.add(person)
            pairs.append(
                _Pair(person, evaluator, org, district_of[org], True, (code_of[org], role, mepid or ""))
            )
        for person, mepid, org in teachers:
            if len(pairs) >= CYCLES_PER_YEAR:
                break
            evaluator = principal.get(org)
            if person in seen or evaluator is None or evaluator == person:
                continue
            seen.add(person)
            pairs.append(
                _Pair(person, evaluator, org, district_of[org], False, (code_of[org], "teacher", mepid or ""))
            )
        pairs.sort(key=lambda p: p.sort_key)
        out[year] = pairs
    return out


# --- the seed ------------------------------------------------------------------------------------------
def state_schools() -> list[Organization]:
    districts = Organization.objects.filter(
        kind=Organization.Kind.DISTRICT, code__gte=FIRST_DISTRICT_CODE, code__lt=LAST_DISTRICT_CODE
    )
    return list(
        Organization.objects.filter(kind=Organization.Kind.SCHOOL, district__in=districts)
        .select_related("district")
        .order_by("code", "pk")
    )


def state_evaluations_present(schools: Iterable[Organization] | None = None) -> bool:
    ids = [s.pk for s in (state_schools() if schools is None else schools)]
    return Cycle.objects.filter(organization_id__in=ids).exists()


@functools.cache
def _at(day: dt.date, hour: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Writer:
    def __init__(self, rng: random.Random, today: dt.date, now: dt.datetime) -> None:
        self.rng, self.today, self.now = rng, today, now
        stamp = {"created_at": now, "updated_at": now}
        self.relationships = _Table(
            Relationship,
            ["id", "holder", "person", "organization", "starts_on", "ends_on"],
            kind=Relationship.Kind.EVALUATOR,
            note="Demo",
            **stamp,
        )
        self.cycles = _Table(
            Cycle,
            [
                "id",
                "educator",
                "evaluator",
                "evaluator_relationship",
                "organization",
                "school_year",
                "framework",
                "step",
                "version",
                "edited_at",
                "plan_type",
                "plan_starts_on",
                "plan_ends_on",
                "plan_decided_at",
                "plan_approved_at",
                "locked_at",
            ],
            **stamp,
        )
        self.events = _Table(
            CycleEvent, ["record", "at", "action", "from_status", "to_status"], actor_label=ACTOR
        )
        self.assessments = _Table(
            Assessment,
            [
                "id",
                "cycle",
                "stage",
                "narrative",
                "overall",
                "version",
                "submitted_at",
                "evaluator_signed_at",
                "educator_signed_at",
                "next_plan_type",
            ],
            **stamp,
        )
        self.ratings = _Table(Rating, ["assessment", "standard", "level"])
        self.goals = _Table(
            Goal,
            ["id", "cycle", "kind", "title", "status", "order"],
            version=1,
            specific="A focused goal for this year's students.",
            measurable="Measured against the spring benchmark.",
            timed="By June",
            **stamp,
        )
        self.reviews = _Table(GoalReview, ["assessment", "goal", "progress", "attainment", "text"])
        self.evidence = _Table(
            Evidence, ["id", "cycle", "kind", "category", "staff_feedback", "title", "url", "text"], **stamp
        )
        self.evidence_tags = _Table(Evidence.indicators.through, ["evidence", "indicator"])
        self.visits = _Table(
            Visit,
            [
                "id",
                "organization",
                "visitor",
                "educator",
                "cycle",
                "announced",
                "date",
                "length_minutes",
                "notes",
                "feedback",
                "feedback_released_at",
            ],
            evaluative=True,
            version=1,
            **stamp,
        )
        self.visit_focus = _Table(Visit.focus_indicators.through, ["visit", "indicator"])
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pending: concurrent.futures.Future[Any] | None = None
        self.tables = [
            self.relationships,
            self.cycles,
            self.events,
            self.assessments,
            self.ratings,
            self.goals,
            self.reviews,
            self.evidence,
            self.evidence_tags,
            self.visits,
            self.visit_focus,
        ]

    def flush(self) -> None:
        """Hand the rows made so far to be written. On PostgreSQL a worker thread writes them (COPY waits
        on the server most of the time, with the GIL released) while this thread makes the next chunk; it
        uses the seed's own connection — the transaction — and only one chunk is in flight at a time."""
        batches = [(t, t.take()) for t in self.tables]
        if connection.vendor != "postgresql":
            for t, rows in batches:
                t.write(rows)
            return
        self.wait()
        if self._pool is None:
            connection.ensure_connection()
            self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        raw = connection.connection

        def write() -> None:
            for t, rows in batches:
                t.write(rows, raw)

        self._pending = self._pool.submit(write)

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # a failure in the worker is raised here

    def abandon(self) -> None:
        """After a failure here: let the chunk in flight end (its own failure, if any, is not the story)."""
        if self._pending is not None:
            concurrent.futures.wait([self._pending])
            self._pending = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def finish(self) -> None:
        try:
            self.flush()
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
        for t in self.tables:
            t.sequence_past()


@dataclass
class _Rubric:
    framework: int
    standards: list[tuple[int, bool]]  # (standard id, required for Proficient)
    indicators: list[int]


def _rubrics(schools: list[Organization]) -> dict[bool, _Rubric]:
    """The administrator and the teacher rubric (the state's: state-scale districts have no copies)."""
    district = next((s.district for s in schools if s.district_id), None) or schools[0]
    out: dict[bool, _Rubric] = {}
    for administrator, role in ((True, Role.PRINCIPAL), (False, Role.TEACHER)):
        fw: Framework | None = sc.framework_for(role=role, organization=district)
        if fw is None:
            continue
        standards = list(
            Standard.objects.filter(framework=fw)
            .order_by("order", "pk")
            .values_list("pk", "required_for_proficient")
        )
        indicators = list(
            Indicator.objects.filter(standard__framework=fw)
            .order_by("standard__order", "order", "pk")
            .values_list("pk", flat=True)
        )
        out[administrator] = _Rubric(fw.pk, standards, indicators)
    return out


def state_evaluations_seed(*, today: dt.date | None = None) -> dict[str, int]:
    """Write the state scale's cycles (run inside the seed's transaction). Returns counts (empty when the
    state scale is absent or already has cycles)."""
    day = today or dt.date.today()
    this_year = SchoolYear.containing(day).start_year
    years = list(range(this_year - YEARS + 1, this_year + 1))
    schools = state_schools()
    if not schools or state_evaluations_present(schools):
        return {}
    rubrics = _rubrics(schools)
    if set(rubrics) != {True, False}:
        return {}
    pairs = _pairs(years, schools)
    districts = {s.district_id: s.district for s in schools if s.district_id and s.district}
    w = _Writer(random.Random(SEED), day, timezone.now())
    # The evaluator relationships first (the cycles point at them): one per evaluator, educator and run of
    # consecutive years, ended after its last year unless that is the running one.
    spells: list[_Spell] = []
    latest: dict[tuple[int, int], _Spell] = {}
    for year in years:
        for p in pairs[year]:
            spell = latest.get((p.evaluator, p.educator))
            if spell is None or spell.last != year - 1:
                spell = latest[(p.evaluator, p.educator)] = _Spell(p, year, year)
                spells.append(spell)
            spell.last = year
    spell_of: dict[tuple[int, int, int], int] = {}
    for spell in sorted(spells, key=lambda s: (s.pair.sort_key, s.first)):
        rid = w.relationships.new_id()
        p = spell.pair
        ends = None if spell.last == this_year else dt.date(spell.last + 1, 6, 30)
        w.relationships.add(rid, p.evaluator, p.educator, p.district, dt.date(spell.first, 7, 1), ends)
        for y in range(spell.first, spell.last + 1):
            spell_of[(p.evaluator, p.educator, y)] = rid
    connection.ensure_connection()
    w.relationships.write(w.relationships.take(), connection.connection)
    with _foreign_keys_set_aside([t.table for t in w.tables[1:]]):
        _write_cycles(w, years, this_year, pairs, districts, spell_of, rubrics)
    return {
        "cycles": w.cycles.written,
        "evidence": w.evidence.written,
        "visits": w.visits.written,
        "relationships": w.relationships.written,
    }


def _write_cycles(
    w: _Writer,
    years: list[int],
    this_year: int,
    pairs: dict[int, list[_Pair]],
    districts: dict[int, Organization],
    spell_of: dict[tuple[int, int, int], int],
    rubrics: dict[bool, _Rubric],
) -> None:
    rng = w.rng
    # Every district's due dates first: the loop below reads nothing while chunks are being written.
    dates = {
        (d, year): deadlines.step_dates(districts.get(d) or Organization(pk=d), year)
        for year in years
        for d in sorted({p.district for p in pairs[year]})
    }
    written = 0
    try:
        for year in years:
            for p in pairs[year]:
                step = (
                    Step.DONE
                    if year < this_year
                    else rng.choices([s for s, _ in STEP_WEIGHTS], [n for _, n in STEP_WEIGHTS])[0]
                )
                _cycle(
                    w,
                    p,
                    year,
                    step,
                    dates[(p.district, year)],
                    spell_of[(p.evaluator, p.educator, year)],
                    rubrics[p.administrator],
                )
                written += 1
                if written % CHUNK_CYCLES == 0:
                    w.flush()
    except BaseException:
        w.abandon()  # the connection is the main thread's again before the transaction rolls back
        raise
    w.finish()


def _cycle(
    w: _Writer,
    p: _Pair,
    year: int,
    step: str,
    dates: dict[str, dt.date],
    relationship: int,
    rubric: _Rubric,
) -> None:
    rng, today = w.rng, w.today
    order = Cycle.STEP_ORDER.index(step)
    starts = dt.date(year, 9, 1)
    cid = w.cycles.new_id()
    plan: list[Any] = [None, None, None, None, None]
    if order >= 2:
        plan_type = rng.choices([t for t, _ in PLAN_WEIGHTS], [n for _, n in PLAN_WEIGHTS])[0]
        decided = _at(min(dates["evaluation.plans_due"] - dt.timedelta(days=rng.randint(2, 10)), today))
        plan = [plan_type, starts, dt.date(year + 1, 6, 30), decided, decided]
    done = step == Step.DONE
    # Step moves (the timeline) and the days they happened.
    w.events.add(cid, _at(starts), "opened", "", Step.SELF_ASSESSMENT)
    w.events.add(cid, _at(starts), "evaluator_set", Step.SELF_ASSESSMENT, Step.SELF_ASSESSMENT)
    moves = (
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
    )
    moved: dict[str, dt.date] = {}
    for action, frm, to, key in moves[:order]:
        moved[action] = when = min(dates[key] - dt.timedelta(days=rng.randint(1, 12)), today)
        if action == "signed_by_educator":
            w.events.add(cid, _at(when), "signed_by_evaluator", Step.SUMMATIVE, Step.SUMMATIVE)
        w.events.add(cid, _at(when), action, frm, to)
    last_move = max(moved.values(), default=starts)
    sign_day = moved.get("signed_by_educator") or min(dates[deadlines.SUMMATIVE_DUE], today)
    w.cycles.add(
        cid,
        p.educator,
        p.evaluator,
        relationship,
        p.school,
        year,
        rubric.framework,
        step,
        order + 1,
        _at(last_move),
        plan[0] or "",
        plan[1],
        plan[2],
        plan[3],
        plan[4],
        _at(sign_day, 16) if done else None,
    )
    # Step 1: the self-assessment.
    if order >= 1:
        w.assessments.add(
            w.assessments.new_id(),
            cid,
            Assessment.Stage.SELF,
            "Looked at last year's results with my team; my focus is below.",
            "",
            1,
            _at(moved["self_assessment_submitted"]),
            None,
            None,
            "",
        )
    # Step 2: goals (two for a teacher, four for an administrator).
    kinds = [GoalKind.STUDENT_LEARNING, GoalKind.PROFESSIONAL_PRACTICE]
    if p.administrator:
        kinds += [GoalKind.SCHOOL_IMPROVEMENT, GoalKind.SCHOOL_IMPROVEMENT]
    goals: list[int] = []
    if order >= 1:
        status = Goal.Status.APPROVED if order >= 2 else Goal.Status.PROPOSED
        for n, kind in enumerate(kinds):
            gid = w.goals.new_id()
            goals.append(gid)
            w.goals.add(gid, cid, kind, f"{GoalKind(kind).label} goal {n + 1}", status, n)
    # Step 3: evidence tagged to indicators, and evaluative visits with focus indicators.
    if order >= 2:
        share = 1.0 if order >= 4 else (0.4 if order == 2 else 0.7)
        low, high = EVIDENCE_PER_CYCLE
        count = max(2, round(rng.randint(low, high) * share))
        indicators = rubric.indicators
        n_ind = len(indicators)
        rand = rng.random
        for n in range(count):
            eid = w.evidence.new_id()
            staff = p.administrator and n == 0
            category = 3 if staff else EVIDENCE_CATEGORIES[int(rand() * len(EVIDENCE_CATEGORIES))]
            titles = EVIDENCE_TITLES[category]
            title = "Staff feedback survey" if staff else titles[int(rand() * len(titles))]
            if not staff and rand() < 0.25:
                w.evidence.add(eid, cid, "link", category, False, title, f"https://example.org/e/{eid}", "")
            else:
                w.evidence.add(eid, cid, "note", category, staff, title, "", "Notes on what this shows.")
            first = int(rand() * n_ind)
            w.evidence_tags.add(eid, indicators[first])
            if rand() < 0.15:  # a second indicator
                w.evidence_tags.add(eid, indicators[(first + 1 + int(rand() * (n_ind - 1))) % n_ind])
        visits = rng.randint(*VISITS_PER_CYCLE) if order >= 4 else rng.randint(1, 2)
        for _ in range(visits):
            vid = w.visits.new_id()
            on = min(starts + dt.timedelta(days=rng.randint(20, 260)), today)
            w.visits.add(
                vid,
                p.school,
                p.evaluator,
                p.educator,
                cid,
                rand() < 0.6,
                on,
                VISIT_MINUTES[int(rand() * len(VISIT_MINUTES))],
                "Observed the team's planning and two classrooms.",
                "Clear routines; next, press for student discussion.",
                _at(min(on + dt.timedelta(days=rng.randint(0, 5)), today)),
            )
            first = int(rand() * n_ind)
            w.visit_focus.add(vid, indicators[first])
            if rand() < 0.5:
                w.visit_focus.add(vid, indicators[(first + 1 + int(rand() * (n_ind - 1))) % n_ind])
    # Step 4: the formative assessment, with progress per goal once submitted.
    if order >= 3:
        fid = w.assessments.new_id()
        submitted = _at(moved["formative_submitted"]) if order >= 4 else None
        w.assessments.add(
            fid,
            cid,
            Assessment.Stage.FORMATIVE,
            "Progressing on most goals.",
            "",
            1,
            submitted,
            None,
            None,
            "",
        )
        if submitted is not None:
            for gid in goals:
                w.reviews.add(fid, gid, rng.choice(PROGRESS), "", "On course.")
    # Step 5: the summative evaluation, signed by the evaluator (and by the educator once done).
    if order >= 4:
        overall = rng.choices([lv for lv, _ in OVERALL_WEIGHTS], [n for _, n in OVERALL_WEIGHTS])[0]
        signed = done or rng.random() < 0.5
        sid = w.assessments.new_id()
        w.assessments.add(
            sid,
            cid,
            Assessment.Stage.SUMMATIVE,
            "A year of steady work on the goals.",
            overall if signed else "",
            2,
            None,
            _at(sign_day) if signed else None,
            _at(sign_day, 16) if done else None,
            (PlanType.SELF_DIRECTED if LEVEL_RANK[overall] >= 2 else PlanType.DIRECTED_GROWTH)
            if signed
            else "",
        )
        if signed:
            for standard, required in rubric.standards:
                rank = max(0, min(3, LEVEL_RANK[overall] + rng.choice((-1, 0, 0, 0, 1))))
                if required and LEVEL_RANK[overall] >= 2:
                    rank = max(rank, 2)
                w.ratings.add(sid, standard, RANK_LEVEL[rank])
            for gid in goals:
                w.reviews.add(sid, gid, "", rng.choice(ATTAINMENTS), "Reviewed.")
