"""The learning catalog at state scale (issue 11's benchmark): about 2,000 programs — 300 run by the state
(no organization: every district's people see them), the rest run by the state-scale districts (codes
9001…-9397…) for their own people, more of them in the larger districts — with varied formats,
audiences, career stages, competencies, PDP categories and hours, costs and capacities; about 20,000
sessions from eighteen months ago to nine months ahead (some cancelled); about 500,000 registrations of
the state scale's people (completed for a session held, enrolled then waitlisted in the order they asked
for one to come, a few cancelled; one per person and session, never more seats taken than the session
has); and a needs assessment — a self-rating of every competency — for about one leader in ten.

The demo's catalog, districts and people are never touched (the demo principal sees the state's 300 on top
of the demo's programs). Written as the state evaluations are (`edlead/demo/evaluations_state.py`'s
`_Table`: `COPY` on PostgreSQL, `executemany` elsewhere, ids reserved from each table's sequence, the
foreign keys checked once at the end), from its own random generator (`SEED`). Runs only when none of its
providers (`PROVIDERS`, the marker) has a program yet."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from edlead.learning.models import (
    Competency,
    Enrollment,
    GrowthRating,
    GrowthSurvey,
    Program,
    Provider,
    Session,
)
from edlead.orgs.models import Organization
from edlead.people.models import Position

from .evaluations_state import LAST_DISTRICT_CODE, _foreign_keys_set_aside, _Table
from .state import FIRST_DISTRICT_CODE

SEED = "edlead-state-learning-v1"
PROGRAMS = 2_000
STATE_PROGRAMS = 300  # organization NULL: offered to every district
SESSIONS = 20_000
ENROLLMENTS = 500_000
NEEDS_SHARE = 0.10  # leaders who took the needs assessment
PAST_DAYS, AHEAD_DAYS = 540, 270  # sessions from eighteen months ago to nine months ahead
CANCELLED_SESSIONS = 0.04
CANCELLED_REGISTRATIONS = 0.05
POPULAR_SHARE = 0.25  # sessions oversubscribed: a waitlist
POPULAR_SEATS = 40  # a session of more seats draws about as many people as one of 40
CHUNK_SESSIONS = 2_500  # registrations are written every this many sessions (memory stays flat)

# The marker: the state scale's programs are these providers' (the demo's providers are others).
PROVIDERS = (
    ("Commonwealth School Leadership Institute", Provider.Kind.STATE),
    ("Bay State Principals' Association", Provider.Kind.ASSOCIATION),
    ("Merrimack Valley Educational Collaborative", Provider.Kind.COLLABORATIVE),
    ("Pioneer Valley Leadership Collaborative", Provider.Kind.COLLABORATIVE),
    ("Cape and Islands Educational Collaborative", Provider.Kind.COLLABORATIVE),
    ("Berkshire Leadership Partnership", Provider.Kind.COLLABORATIVE),
    ("Boston Graduate School of Education", Provider.Kind.UNIVERSITY),
    ("Worcester State Center for Educational Leadership", Provider.Kind.UNIVERSITY),
    ("Salem Institute for School Improvement", Provider.Kind.UNIVERSITY),
    ("Lowell School of Education, Leadership Programs", Provider.Kind.UNIVERSITY),
    ("Superintendents' Leadership Forum", Provider.Kind.ASSOCIATION),
    ("Leadership Matters Consulting", Provider.Kind.CONSULTANT),
    ("Learning Forward New England", Provider.Kind.ASSOCIATION),
    ("Instructional Rounds Partners", Provider.Kind.CONSULTANT),
    ("District Professional Development Office", Provider.Kind.DISTRICT),
    ("Regional Teacher Leadership Network", Provider.Kind.COLLABORATIVE),
)
STATE_PROVIDERS = 11  # the first ones run the state's programs; districts use any

R = Position.Role
F = Program.Format
LEADERS = [str(r) for r in Position.LEADER_ROLES]
SCHOOL_LEADERS = [str(R.PRINCIPAL), str(R.ASSISTANT_PRINCIPAL)]
TEACHERS = [str(R.TEACHER), str(R.TEACHER_LEADER)]
# audience roles, career stages, and who registers: "leaders", "teachers" or "both"
AUDIENCES: tuple[tuple[list[str], list[str], str, str, int], ...] = (
    # roles, stages, pool, words in the title, weight
    ([str(R.PRINCIPAL)], ["new"], "leaders", "for New Principals", 10),
    ([str(R.PRINCIPAL)], ["experienced"], "leaders", "for Experienced Principals", 6),
    (SCHOOL_LEADERS, [], "leaders", "for School Leaders", 22),
    ([str(R.ASSISTANT_PRINCIPAL)], ["new"], "leaders", "for Assistant Principals", 8),
    (
        [
            str(R.PRINCIPAL_SUPERVISOR),
            str(R.SUPERINTENDENT),
            str(R.ASSISTANT_SUPERINTENDENT),
            str(R.DIRECTOR),
        ],
        ["experienced"],
        "leaders",
        "for District Leaders",
        6,
    ),
    (TEACHERS, ["aspiring"], "teachers", "for Aspiring Leaders", 12),
    ([str(R.TEACHER_LEADER)], [], "teachers", "for Teacher Leaders", 10),
    ([*SCHOOL_LEADERS, str(R.TEACHER_LEADER)], [], "both", "for School Teams", 14),
    ([], [], "both", "", 12),
)
# format → title words, weight, hours (low, high), capacity choices, session length in hours, days
FORMATS: dict[str, tuple[str, int, tuple[int, int], tuple[int, ...], int, int]] = {
    F.WORKSHOP: ("Workshop", 30, (3, 12), (20, 25, 30, 30, 35, 40, 50), 3, 1),
    F.INSTITUTE: ("Summer Institute", 8, (15, 30), (30, 40, 50, 60), 6, 2),
    F.COURSE: ("Graduate Course", 8, (30, 67), (18, 20, 24, 25, 30), 3, 1),
    F.ONLINE: ("Online Module", 10, (2, 10), (100, 150, 200, 300), 1, 1),
    F.COACHING: ("Coaching Cycle", 6, (10, 20), (8, 10, 12, 15), 2, 1),
    F.MENTORING: ("Mentoring Program", 6, (10, 30), (10, 12, 15, 20), 2, 1),
    F.COHORT: ("Leadership Cohort", 12, (15, 40), (15, 18, 20, 24, 25), 3, 1),
    F.THINK_TANK: ("Think Tank", 5, (6, 15), (12, 15, 20), 2, 1),
    F.CONFERENCE: ("Conference", 10, (6, 12), (80, 120, 150, 200), 7, 2),
    F.PRACTICUM: ("Practicum", 5, (40, 150), (8, 10, 12), 4, 1),
}
PDP_CATEGORIES = ("content", "pedagogy", "sei", "disabilities", "elective")
EDITIONS = ("", "", "", "", " II", " (Advanced)", ": Foundations", ": Putting It into Practice")
PLACES = (
    "Worcester Conference Center",
    "Regional Collaborative, Room 2",
    "District Central Office",
    "State Leadership Academy, Malden",
    "Hampden County Learning Center",
    "Framingham Training Center",
)
FACILITATORS = ("Dr. Ana Ruiz", "Marcus Bell", "Priya Natarajan", "Dr. Ellen Cho", "Sam O'Neil", "Grace Lee")
INDICATOR_CODES = ("I-A", "I-B", "I-C", "II-A", "II-B", "II-E", "III-A", "III-C", "IV-A", "IV-B", "IV-E")
S = Enrollment.Status


@dataclass
class _Program:
    id: int
    pool: str
    district: int | None
    capacity: int
    days: int
    hours: int


def state_learning_present() -> bool:
    return Program.objects.filter(provider__name__in=[name for name, _ in PROVIDERS]).exists()


def _state_districts() -> list[int]:
    return list(
        Organization.objects.filter(
            kind=Organization.Kind.DISTRICT, code__gte=FIRST_DISTRICT_CODE, code__lt=LAST_DISTRICT_CODE
        )
        .order_by("code")
        .values_list("pk", flat=True)
    )


def _pools(
    districts: list[int], today: dt.date
) -> tuple[dict[int, dict[str, list[int]]], dict[str, list[int]], list[int]]:
    """The state scale's people in post today: by district and kind ("leaders", "teachers"), across the
    state, and the leaders (who may take the needs assessment)."""
    by_district: dict[int, dict[str, set[int]]] = {
        d: {"leaders": set(), "teachers": set()} for d in districts
    }
    rows = (
        Position.objects.current(today)
        .filter(Q(organization__district_id__in=districts) | Q(organization_id__in=districts))
        .values_list("person_id", "role", "organization__district_id", "organization_id")
    )
    leader_roles = set(LEADERS)
    for person, role, district, org in rows:
        kind = "leaders" if role in leader_roles else "teachers"
        by_district[district or org][kind].add(person)
    pools = {d: {k: sorted(v) for k, v in kinds.items()} for d, kinds in by_district.items()}
    state = {k: sorted({p for kinds in pools.values() for p in kinds[k]}) for k in ("leaders", "teachers")}
    state["both"] = sorted({*state["leaders"], *state["teachers"]})
    for kinds in pools.values():
        kinds["both"] = sorted({*kinds["leaders"], *kinds["teachers"]})
    return pools, state, state["leaders"]


@functools.cache
def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _json(value: Any) -> Any:
    """A JSON field's value as `_Table` writes it: COPY takes the text, `executemany` the value."""
    return json.dumps(value) if connection.vendor == "postgresql" else value


def state_learning_seed(
    *,
    programs: int = PROGRAMS,
    state_programs: int | None = None,
    sessions: int = SESSIONS,
    enrollments: int = ENROLLMENTS,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Write the state scale's catalog, sessions, registrations and needs assessments (inside the seed's
    transaction). Returns counts (empty when the state scale is absent or its programs already exist)."""
    if state_learning_present():
        return {}
    districts = _state_districts()
    if not districts:
        return {}
    at = now or timezone.now()
    today = timezone.localdate(at)
    pools, state_pool, leaders = _pools(districts, today)
    competencies = list(Competency.objects.order_by("order", "pk").values_list("pk", "name"))
    if not competencies or not state_pool["both"]:
        return {}
    rng = random.Random(SEED)
    stamp = {"created_at": at, "updated_at": at}
    providers = [
        Provider.objects.get_or_create(name=name, defaults={"kind": kind})[0].pk for name, kind in PROVIDERS
    ]
    t_programs = _Table(
        Program,
        [
            "id",
            "organization",
            "title",
            "summary",
            "format",
            "provider",
            "audience_roles",
            "career_stages",
            "indicator_codes",
            "pdp_category",
            "pdp_hours",
            "cost",
            "capacity",
            "requires_approval",
            "active",
        ],
        **stamp,
    )
    t_competencies = _Table(Program.competencies.through, ["program", "competency"])
    t_sessions = _Table(
        Session,
        [
            "id",
            "program",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "facilitators",
            "capacity",
            "cancelled",
        ],
        **stamp,
    )
    t_enrollments = _Table(
        Enrollment, ["session", "person", "status", "created_at", "completed_on"], updated_at=at
    )
    t_surveys = _Table(
        GrowthSurvey,
        ["id", "person", "rater", "submitted_at"],
        rater_kind=GrowthSurvey.Rater.SELF,
        moment=GrowthSurvey.Moment.NEEDS,
    )
    t_ratings = _Table(GrowthRating, ["survey", "competency", "score"])
    tables = [t_programs, t_competencies, t_sessions, t_enrollments, t_surveys, t_ratings]
    connection.ensure_connection()
    raw = connection.connection if connection.vendor == "postgresql" else None

    def flush() -> None:
        for t in tables:
            t.write(t.take(), raw)

    with _foreign_keys_set_aside([t.table for t in tables]):
        made = _programs(
            rng,
            t_programs,
            t_competencies,
            programs,
            STATE_PROGRAMS * programs // PROGRAMS if state_programs is None else state_programs,
            districts,
            pools,
            providers,
            competencies,
        )
        _sessions_and_registrations(
            rng, t_sessions, t_enrollments, made, sessions, enrollments, pools, state_pool, at, flush
        )
        _needs_assessments(rng, t_surveys, t_ratings, leaders, competencies, at)
        flush()
    for t in tables:
        t.sequence_past()
    return {
        "programs": t_programs.written,
        "sessions": t_sessions.written,
        "enrollments": t_enrollments.written,
        "surveys": t_surveys.written,
        "ratings": t_ratings.written,
    }


def _programs(
    rng: random.Random,
    table: _Table,
    links: _Table,
    count: int,
    state_count: int,
    districts: list[int],
    pools: dict[int, dict[str, list[int]]],
    providers: list[int],
    competencies: list[tuple[int, str]],
) -> list[_Program]:
    """The catalog: the state's programs first, then the districts', more in the larger districts."""
    size = [len(pools[d]["both"]) for d in districts]
    owners: list[int | None] = [None] * min(state_count, count)
    owners += rng.choices(districts, weights=[s + 10 for s in size], k=count - len(owners))
    formats = list(FORMATS)
    format_weights = [FORMATS[f][1] for f in formats]
    audience_weights = [a[4] for a in AUDIENCES]
    made: list[_Program] = []
    for owner in owners:
        fmt = rng.choices(formats, format_weights)[0]
        words, _w, (low, high), capacities, hours, days = FORMATS[fmt]
        roles, stages, pool, for_whom = rng.choices(AUDIENCES, audience_weights)[0][:4]
        chosen = rng.sample(competencies, rng.choice((1, 1, 2, 2, 2, 3)))
        name = chosen[0][1]
        title = f"{name} — {words}{(' ' + for_whom) if for_whom else ''}{rng.choice(EDITIONS)}"
        topics = ", ".join(c[1].lower() for c in chosen)
        summary = f"A {FORMATS[fmt][0].lower()} on {topics}: practice, tools and a plan for your school."
        if rng.random() < 0.5:
            summary += " Part of the leadership pathway."
        provider = providers[rng.randrange(STATE_PROVIDERS)] if owner is None else rng.choice(providers)
        cost = 0 if owner is not None and rng.random() < 0.7 else rng.choice((0, 0, 75, 150, 250, 400, 900))
        capacity = rng.choice(capacities)
        indicators = sorted(rng.sample(INDICATOR_CODES, rng.randint(1, 2))) if rng.random() < 0.3 else []
        pid = table.new_id()
        table.add(
            pid,
            owner,
            title[:200],
            summary,
            fmt,
            provider,
            _json(roles),
            _json(stages),
            _json(indicators),
            rng.choice(PDP_CATEGORIES),
            f"{rng.randint(low, high)}.00",
            f"{cost}.00",
            capacity,
            cost >= 500,
            rng.random() >= 0.03,
        )
        for cid, _name in chosen:
            links.add(pid, cid)
        made.append(_Program(pid, pool, owner, capacity, days, hours))
    return made


def _sessions_and_registrations(
    rng: random.Random,
    sessions: _Table,
    enrollments: _Table,
    programs: list[_Program],
    count: int,
    target: int,
    pools: dict[int, dict[str, list[int]]],
    state_pool: dict[str, list[int]],
    at: dt.datetime,
    flush: Callable[[], None],
) -> None:
    """Sessions spread over the programs (more for the state's), then the registrations: `target` in all,
    shared out in proportion to each session's seats and demand, none beyond who may come."""
    today = timezone.localdate(at)
    weights = [3 if p.district is None else 1 for p in programs]
    # Every program has a session; the rest go where the weights say.
    owners = list(range(min(count, len(programs))))
    owners += rng.choices(range(len(programs)), weights=weights, k=count - len(owners))
    owners.sort()
    plan: list[tuple[_Program, dt.date, int, bool, int]] = []  # program, day, seats, cancelled, id
    for index in owners:
        p = programs[index]
        day = today + dt.timedelta(days=rng.randint(-PAST_DAYS, AHEAD_DAYS))
        if day == today:
            day += dt.timedelta(days=1)
        seats = p.capacity if rng.random() < 0.85 else max(5, p.capacity + rng.choice((-5, 5, 10)))
        sid = sessions.new_id()
        starts = _at(day, 9 if p.hours >= 3 else 15)
        ends = _at(day + dt.timedelta(days=p.days - 1), (9 if p.hours >= 3 else 15) + p.hours)
        cancelled = rng.random() < CANCELLED_SESSIONS
        online = p.pool != "leaders" and rng.random() < 0.3
        sessions.add(
            sid,
            p.id,
            starts,
            ends,
            "" if online else rng.choice(PLACES),
            f"https://learn.example.org/s/{sid}" if online else "",
            rng.choice(FACILITATORS),
            None if seats == p.capacity else seats,
            cancelled,
        )
        plan.append((p, day, seats, cancelled, sid))
    # How many register for each session: about its seats (a big online module or conference draws a
    # crowd of its own size, not its capacity) × its demand. A quarter of the sessions are oversubscribed
    # — a waitlist — and get all who ask; the others share the rest of the target by their demand.
    popular = [rng.random() < POPULAR_SHARE for _ in plan]
    demand = [
        min(seats, POPULAR_SEATS) * (rng.uniform(1.1, 1.6) if hot else rng.uniform(0.3, 1.0))
        for (_p, _d, seats, _c, _s), hot in zip(plan, popular, strict=True)
    ]
    caps = [min(len(_pool(p, pools, state_pool)), seats * 2) for p, _d, seats, _c, _s in plan]
    asked = [min(cap, round(d)) if hot else 0 for d, cap, hot in zip(demand, caps, popular, strict=True)]
    if sum(asked) <= target:
        rest = [0 if hot else cap for cap, hot in zip(caps, popular, strict=True)]
        more = _share(target - sum(asked), demand, rest, rng)
        wanted = [a + m for a, m in zip(asked, more, strict=True)]
    else:  # a target too small for the popular sessions' crowds: all in proportion
        wanted = _share(target, demand, caps, rng)
    for n, ((p, day, seats, cancelled, sid), k) in enumerate(zip(plan, wanted, strict=True)):
        _registrations(rng, enrollments, sid, p, day, seats, cancelled, k, pools, state_pool, today)
        if n % CHUNK_SESSIONS == CHUNK_SESSIONS - 1:
            flush()


def _pool(p: _Program, pools: dict[int, dict[str, list[int]]], state_pool: dict[str, list[int]]) -> list[int]:
    return state_pool[p.pool] if p.district is None else pools[p.district][p.pool]


def _share(total: int, demand: list[float], caps: list[int], rng: random.Random) -> list[int]:
    """`total` split in proportion to `demand`, none above its cap (as near `total` as the caps allow)."""
    given = [0] * len(demand)
    open_ = [i for i, c in enumerate(caps) if c > 0]
    left = min(total, sum(caps))
    for _ in range(8):
        if left <= 0 or not open_:
            break
        weight = sum(demand[i] for i in open_) or 1.0
        still: list[int] = []
        handed = 0
        for i in open_:
            more = min(caps[i] - given[i], int(left * demand[i] / weight))
            given[i] += more
            handed += more
            if given[i] < caps[i]:
                still.append(i)
        left -= handed
        open_ = still
        if handed == 0:
            break
    while left > 0 and open_:  # the remainder, one each
        rng.shuffle(open_)
        still = []
        for i in open_:
            if left <= 0:
                break
            given[i] += 1
            left -= 1
            if given[i] < caps[i]:
                still.append(i)
        open_ = still
    return given


def _registrations(
    rng: random.Random,
    table: _Table,
    sid: int,
    p: _Program,
    day: dt.date,
    seats: int,
    cancelled: bool,
    count: int,
    pools: dict[int, dict[str, list[int]]],
    state_pool: dict[str, list[int]],
    today: dt.date,
) -> None:
    """One session's registrations in the order they were made: seats first come first served, then the
    waitlist; a held session's seats completed; a cancelled session's registrations all cancelled."""
    if count <= 0:
        return
    people = rng.sample(_pool(p, pools, state_pool), count)
    ends_on = day + dt.timedelta(days=p.days - 1)
    held = ends_on < today
    # Registered from two months before to the day before (and before today).
    latest = min(day, today) - dt.timedelta(days=1)
    asked = sorted(latest - dt.timedelta(days=int(rng.random() * 60)) for _ in people)
    taken = 0
    rand = rng.random
    for person, on in zip(people, asked, strict=True):
        when = _at(on, 15)
        if cancelled or rand() < CANCELLED_REGISTRATIONS:
            table.add(sid, person, S.CANCELLED, when, None)
        elif taken < seats:
            taken += 1
            if held:
                table.add(sid, person, S.COMPLETED, when, ends_on)
            else:
                table.add(sid, person, S.ENROLLED, when, None)
        else:
            table.add(sid, person, S.WAITLISTED, when, None)


def _needs_assessments(
    rng: random.Random,
    surveys: _Table,
    ratings: _Table,
    leaders: list[int],
    competencies: list[tuple[int, str]],
    at: dt.datetime,
) -> None:
    """About one leader in ten rated themselves on every competency in the last months (1–4, a few gaps
    each, as the demo's leaders did)."""
    today = timezone.localdate(at)
    for person in leaders:
        if rng.random() >= NEEDS_SHARE:
            continue
        sid = surveys.new_id()
        surveys.add(sid, person, person, _at(today - dt.timedelta(days=rng.randint(10, 200)), 16))
        for cid, _name in competencies:
            ratings.add(sid, cid, rng.choices((1, 2, 3, 4), (1, 3, 4, 2))[0])
