"""Readers of coaching, through the access chokepoint, each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.coaching import matching
from edlead.coaching.models import CoachingRelationship, CoachingSession
from edlead.coaching.rules import COACHING_NOTES, COACHING_NOTES_SHARED, COACHING_VIEW
from edlead.coaching.services import (
    ASSIGNING_ACTIONS,
    CASELOAD,
    INDUCTION_HOURS,
    MENTOR_WITHIN_DAYS,
    MENTOR_YEARS,
    NEW_PRINCIPAL_DAYS,
    mentor_load,
)
from edlead.metrics import rules as metric_rules
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

K = CoachingRelationship.Kind
SHARED = CoachingSession.SharedWith
PRINCIPAL = Position.Role.PRINCIPAL


# --- for the lead: hours by person ----------------------------------------------------------------------
def coaching_hours_by_person(person_ids: Iterable[int], since: dt.date) -> dict[int, float]:
    """Hours of coaching and mentoring each person received since `since` (sessions held that day or
    later), in one query; nothing about a session but its length. The caller shows it only to those who
    may read the person (e.g. their supervisor's home)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = (
        CoachingSession.objects.filter(relationship__coachee_id__in=ids, held_on__gte=since)
        .values("relationship__coachee_id")
        .annotate(total=Sum("minutes"))
    )
    return {r["relationship__coachee_id"]: round(r["total"] / 60, 2) for r in rows}


# --- relationships -------------------------------------------------------------------------------------
def relationships_visible(user: Any) -> QuerySet[CoachingRelationship]:
    return policy.visible_to(user, CoachingRelationship.objects.all(), COACHING_VIEW)


def relationships_for_user(user: Any, *, limit: int = 300) -> list[CoachingRelationship]:
    """The relationships the user may see (their own first), with hours: one query."""
    pid = getattr(user, "person_id", None) or 0
    rows = (
        relationships_visible(user)
        .select_related("coach", "coachee", "organization")
        .annotate(total_minutes=Sum("sessions__minutes"), last_session=Max("sessions__held_on"))
        .order_by("-starts_on", "pk")
    )
    found: list[CoachingRelationship] = list(rows[:limit])
    found.sort(
        key=lambda r: (pid not in (r.coach_id, r.coachee_id), r.ends_on is not None, -r.starts_on.toordinal())
    )
    return found


def relationship_for_user(user: Any, pk: int) -> CoachingRelationship:
    """One relationship the user may see, or 404."""
    rows = CoachingRelationship.objects.select_related("coach", "coachee", "organization")
    return policy.get_for_user(user, rows, COACHING_VIEW, pk=pk)


def sessions_readable(user: Any, sessions: QuerySet[CoachingSession]) -> QuerySet[CoachingSession]:
    """The sessions whose focus, actions and notes the user may read: the notes rule, narrowed to the
    coach and the coachee of each session's own relationship (another coach of the same person reads
    nothing), and the sessions the coachee shared with their evaluator and supervisors."""
    pid = getattr(user, "person_id", None) or 0
    own = policy.visible_to(user, sessions, COACHING_NOTES).filter(
        Q(relationship__coach_id=pid) | Q(relationship__coachee_id=pid)
    )
    shared = policy.visible_to(user, sessions.filter(shared_with=SHARED.SUPERVISION), COACHING_NOTES_SHARED)
    return sessions.filter(Q(pk__in=own.values("pk")) | Q(pk__in=shared.values("pk")))


def session_for_user(user: Any, pk: int) -> CoachingSession:
    from django.http import Http404

    found = (
        sessions_readable(user, CoachingSession.objects.select_related("relationship")).filter(pk=pk).first()
    )
    if found is None:
        raise Http404("No such session.")
    return found


@dataclass
class Hours:
    total: float
    this_year: float
    sessions: int


def hours_of(rel: CoachingRelationship, today: dt.date) -> Hours:
    year_start = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    agg = rel.sessions.aggregate(
        total=Sum("minutes"),
        year=Sum("minutes", filter=Q(held_on__gte=year_start)),
        n=Sum(1),
    )
    return Hours(round((agg["total"] or 0) / 60, 1), round((agg["year"] or 0) / 60, 1), agg["n"] or 0)


@dataclass
class Induction:
    required: int
    logged: float

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 100
        return min(100, round(self.logged * 100 / self.required))

    @property
    def remaining(self) -> float:
        return max(0.0, round(self.required - self.logged, 1))


def induction_progress(rel: CoachingRelationship, hours: Hours) -> Induction | None:
    """A new principal's mentoring hours against the district's induction requirement (mentoring of a
    new principal only)."""
    if rel.kind != K.NEW_PRINCIPAL_MENTOR:
        return None
    return Induction(int(config.setting(rel.organization, INDUCTION_HOURS)), hours.total)


# --- new principals awaiting a mentor -----------------------------------------------------------------------
def _assign_scope(user: Any) -> Q | None:
    """Organizations where the user assigns mentors (as a filter on positions), None for none."""
    grants = [g for a in ASSIGNING_ACTIONS for g in policy.grants_for(user, a)]
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    if not grants:
        return None
    scope = Q()
    for g in grants:
        scope |= Q(organization__path__startswith=g.path)
    return scope


@dataclass
class Awaiting:
    person: Person
    school: Organization
    started_on: dt.date
    due: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def awaiting_mentor(user: Any, today: dt.date | None = None, *, limit: int = 500) -> list[Awaiting]:
    """New principals (first year as principal anywhere) in the user's assigning scope with no mentor
    from the day they started or later: one query."""
    day = today or timezone.localdate()
    scope = _assign_scope(user)
    if scope is None:
        return []
    since = day - dt.timedelta(days=NEW_PRINCIPAL_DAYS)
    earlier = Position.objects.filter(person_id=OuterRef("person_id"), role=PRINCIPAL).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lt=since)
    )
    mentored = CoachingRelationship.objects.filter(
        coachee_id=OuterRef("person_id"), kind=K.NEW_PRINCIPAL_MENTOR
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    positions = (
        Position.objects.current(day)
        .filter(scope, role=PRINCIPAL, starts_on__gte=since)
        .filter(~Exists(earlier), ~Exists(mentored))
        .select_related("person", "organization__district")
        .order_by("starts_on", "organization__name", "pk")[:limit]
    )
    seen: set[int] = set()
    out: list[Awaiting] = []
    for pos in positions:
        if pos.person_id in seen:
            continue
        seen.add(pos.person_id)
        assert pos.starts_on is not None
        out.append(
            Awaiting(
                pos.person,
                pos.organization,
                pos.starts_on,
                pos.starts_on + dt.timedelta(days=MENTOR_WITHIN_DAYS),
            )
        )
    return out


# --- the matching problem from the database ------------------------------------------------------------------
CONTEXT_CODES = {"enrollment_total", "class_econ_disadvantaged_pct", "class_el_pct"}
MEASURE_ROLES = ("chronic_absence", "ela_me", "math_me")
MEASURE_WORDS = {
    "chronic_absence": "chronic absence",
    "ela_me": "ELA meeting or exceeding",
    "math_me": "math meeting or exceeding",
}


@dataclass
class MatchingData:
    problem: matching.Problem
    mentees: list[Awaiting]
    mentors: list[Position]  # each mentor's current principal position (person and school loaded)


def _school_features(
    schools: list[Organization], years: int
) -> tuple[dict[int, tuple[float, float, float]], dict[int, dict[str, tuple[float, float]]], list[Any]]:
    """(context by school: enrolment, low-income share, EL share), (key measures by school: role →
    (latest value, value `years` earlier)), the key metrics found. Four queries whatever the schools."""
    ids = [s.pk for s in schools]
    metrics = list(
        Metric.objects.filter(Q(code__iregex=metric_rules.KEY_CODE_REGEX) | Q(code__in=CONTEXT_CODES))
    )
    key = {role: m for role, m in metric_rules.key_metrics(metrics).items() if role in MEASURE_ROLES}
    groups = {g.code: g.pk for g in StudentGroup.objects.filter(code__in=["all", "low_income", "el"])}
    base = Fact.objects.filter(organization_id__in=ids, period="")
    latest = base.aggregate(y=Max("school_year"))["y"] or 0  # no figures: the next query finds none
    context: dict[int, tuple[float, float, float]] = {}
    measures: dict[int, dict[str, tuple[float, float]]] = defaultdict(dict)
    key_ids = {m.pk: role for role, m in key.items()}
    code_of = {m.pk: m.code for m in metrics}
    rows = base.filter(
        Q(school_year=latest) | Q(school_year=latest - years, metric_id__in=list(key_ids)),
        group_id__in=list(groups.values()),
    ).values_list("organization_id", "school_year", "metric_id", "group_id", "value", "n")
    n_max: dict[tuple[int, int], int] = defaultdict(int)
    direct: dict[tuple[int, str], float] = {}
    now: dict[tuple[int, str], float] = {}
    then: dict[tuple[int, str], float] = {}
    all_id = groups.get("all")
    for org_id, year, metric_id, group_id, value, n in rows:
        if year == latest and n:
            n_max[(org_id, group_id)] = max(n_max[(org_id, group_id)], int(n))
        code = code_of.get(metric_id, "")
        if year == latest and code in CONTEXT_CODES and value is not None and group_id == all_id:
            direct[(org_id, code)] = float(value)
        role = key_ids.get(metric_id)
        if role and group_id == all_id and value is not None:
            (now if year == latest else then)[(org_id, role)] = float(value)
    for org_id in ids:
        total = (
            direct.get((org_id, "enrollment_total")) or float(n_max.get((org_id, all_id or 0), 0)) or np.nan
        )

        def share(code: str, group: str, org_id: int = org_id, total: float = total) -> float:
            if (org_id, code) in direct:
                return direct[(org_id, code)] / 100
            n = n_max.get((org_id, groups.get(group, 0)), 0)
            return n / total if n and total and not np.isnan(total) else np.nan

        context[org_id] = (
            total,
            share("class_econ_disadvantaged_pct", "low_income"),
            share("class_el_pct", "el"),
        )
        for role in key:
            if (org_id, role) in now:
                measures[org_id][role] = (now[(org_id, role)], then.get((org_id, role), np.nan))
    return context, measures, [key[r] for r in MEASURE_ROLES if r in key]


def matching_data(user: Any, today: dt.date | None = None) -> MatchingData:
    """Every new principal awaiting a mentor in the user's assigning scope, and every principal there with
    the district's years as principal and room in their caseload: a fixed number of queries."""
    day = today or timezone.localdate()
    mentees = awaiting_mentor(user, day)
    scope = _assign_scope(user)
    mentor_positions: list[Position] = []
    first_start: dict[int, dt.date] = {}
    if scope is not None and mentees:
        mentor_positions = list(
            Position.objects.current(day)
            .filter(scope, role=PRINCIPAL)
            .exclude(person_id__in=[m.person.pk for m in mentees])
            .select_related("person", "organization", "organization__district")
            .order_by("organization__name", "pk")
        )
        starts = (
            Position.objects.filter(person_id__in={p.person_id for p in mentor_positions}, role=PRINCIPAL)
            .values("person_id")
            .annotate(first=Min("starts_on"))
        )
        first_start = {r["person_id"]: r["first"] for r in starts if r["first"] is not None}
    districts = {p.organization.district for p in mentor_positions if p.organization.district is not None}
    districts |= {m.school.district for m in mentees if m.school.district is not None}
    config.prefetch_settings(list(districts))
    by_pk = {d.pk: d for d in districts if d is not None}

    def setting(org: Organization, key: str) -> int:
        district = by_pk.get(org.district_id or 0, org)
        return int(config.setting(district, key))

    # One position per mentor (their primary school first), experienced enough for their district.
    chosen: dict[int, Position] = {}
    for pos in sorted(mentor_positions, key=lambda p: (not p.is_primary, p.pk)):
        started = first_start.get(pos.person_id)
        if started is None or pos.person_id in chosen:
            continue
        if (day - started).days >= 365 * setting(pos.organization, MENTOR_YEARS):
            chosen[pos.person_id] = pos
    mentors = list(chosen.values())
    load_now = mentor_load([p.person_id for p in mentors], day)
    years = 3
    schools = [m.school for m in mentees] + [p.organization for p in mentors]
    context, measures, key_metrics = _school_features(schools, years) if mentees and mentors else ({}, {}, [])
    roles = [role for role in MEASURE_ROLES if role in {r for s in measures.values() for r in s}]
    direction = {m.code: m.direction for m in key_metrics}
    role_direction = {
        role: direction.get(m.code, "higher")
        for role, m in metric_rules.key_metrics(key_metrics).items()
        if role in roles
    }

    def side(people: list[Person], orgs: list[Organization]) -> matching.Side:
        levels = [matching.school_level(o.grades) for o in orgs]
        ctx = [context.get(o.pk, (np.nan, np.nan, np.nan)) for o in orgs]
        return matching.Side(
            person_ids=np.array([p.pk for p in people], dtype=np.int64),
            names=[p.display_name for p in people],
            schools=[o.name for o in orgs],
            district=np.array([o.district_id or o.pk for o in orgs], dtype=np.int64),
            level=np.array([lv[0] for lv in levels], dtype=np.int64),
            grade_lo=np.array([lv[1] for lv in levels], dtype=np.float64),
            grade_hi=np.array([lv[2] for lv in levels], dtype=np.float64),
            enrolment=np.array([c[0] for c in ctx], dtype=np.float64),
            low_income=np.array([c[1] for c in ctx], dtype=np.float64),
            english_learners=np.array([c[2] for c in ctx], dtype=np.float64),
        )

    sign = np.array([-1.0 if role_direction.get(r) == "lower" else 1.0 for r in roles])
    # Mentee schools: each measure's latest value against all the schools here, direction-adjusted.
    latest = np.array(
        [[measures.get(o.pk, {}).get(r, (np.nan, np.nan))[0] for r in roles] for o in schools],
        dtype=np.float64,
    ).reshape(len(schools), len(roles))
    weakest = np.full(len(mentees), -1, dtype=np.int64)
    if roles and len(mentees):
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (latest - np.nanmean(latest, axis=0)) / np.where(
                np.nanstd(latest, axis=0) > 0, np.nanstd(latest, axis=0), 1.0
            )
        z = z * sign
        head = z[: len(mentees)]
        has = ~np.all(np.isnan(head), axis=1)
        weakest[has] = np.nanargmin(head[has], axis=1)
    improvement = np.array(
        [
            [
                (lambda pair: pair[0] - pair[1])(measures.get(p.organization_id, {}).get(r, (np.nan, np.nan)))
                for r in roles
            ]
            for p in mentors
        ],
        dtype=np.float64,
    ).reshape(len(mentors), len(roles)) * (sign if roles else 1.0)
    load = np.array([load_now.get(p.person_id, 0) for p in mentors], dtype=np.int64)
    limit = np.array([setting(p.organization, CASELOAD) for p in mentors], dtype=np.int64)
    problem = matching.Problem(
        mentees=side([m.person for m in mentees], [m.school for m in mentees]),
        mentors=side([p.person for p in mentors], [p.organization for p in mentors]),
        measure_names=[MEASURE_WORDS[r] for r in roles],
        weakest=weakest,
        improvement=improvement,
        load=load,
        free=np.maximum(limit - load, 0),
        years=years,
    )
    return MatchingData(problem, mentees, mentors)
