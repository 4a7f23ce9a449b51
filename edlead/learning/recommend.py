"""A person's growth profile (strengths and gaps from their latest ratings) and the programs recommended
for it, ranked by how well they meet the gaps, fit the person's role and career stage, and can be
attended soon — each with its reasons in words.

Indicators rated Needs Improvement (or Unsatisfactory) in the person's latest signed evaluation feed the
ranking too, but only when the *reader* may see that evaluation (the person, their evaluator, their
supervision chain, HR): `recommendations(reader, person)` asks the access module, so a coordinator, who
may not read evaluations, gets recommendations from the ratings alone and never a hint of the rest.

A fixed number of queries whatever the catalog's size (the benchmark holds it under 100 ms at state
scale)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from edlead.access import policy
from edlead.learning.models import SCALE, Competency, Enrollment, GrowthRating, GrowthSurvey, Program, Session
from edlead.people.models import Person, Position

S = Enrollment.Status
SCALE_NAMES = dict(SCALE)
GAP_AT_MOST = 2  # Beginning or Developing
STRENGTH_AT_LEAST = 4
NEW_IN_ROLE_YEARS = 2
LIMIT = 8


@dataclass
class ProfileRow:
    competency: Competency
    self_score: int | None = None
    supervisor_score: int | None = None
    staff_mean: float | None = None  # colleagues' average (360), only from a survey shown
    staff_n: int = 0

    @property
    def staff_score(self) -> int | None:
        return None if self.staff_mean is None else int(self.staff_mean + 0.5)

    @property
    def score(self) -> int | None:
        """The lowest of the ratings given (the colleagues' average rounded): a gap the person, their
        supervisor or their colleagues see."""
        given = [s for s in (self.self_score, self.supervisor_score, self.staff_score) if s is not None]
        return min(given) if given else None

    @property
    def rated_by(self) -> str:
        """Who gave the rating that `score` is: "you rated", "your supervisor rated", "your colleagues
        rated" (on average)."""
        if self.self_score == self.score:
            return "you rated"
        if self.supervisor_score == self.score:
            return "your supervisor rated"
        return "your colleagues rated"

    @property
    def is_gap(self) -> bool:
        return self.score is not None and self.score <= GAP_AT_MOST

    @property
    def is_strength(self) -> bool:
        return self.score is not None and self.score >= STRENGTH_AT_LEAST

    @property
    def label(self) -> str:
        return SCALE_NAMES.get(self.score or 0, "Not rated")


@dataclass
class Profile:
    rows: list[ProfileRow]
    rated_on: dt.datetime | None
    staff_n: int = 0
    staff_closed_on: dt.date | None = None

    @property
    def gaps(self) -> list[ProfileRow]:
        return sorted((r for r in self.rows if r.is_gap), key=lambda r: (r.score, r.competency.order))

    @property
    def has_supervisor(self) -> bool:
        return any(r.supervisor_score is not None for r in self.rows)

    @property
    def has_staff(self) -> bool:
        return self.staff_n > 0

    @property
    def strengths(self) -> list[ProfileRow]:
        return [r for r in self.rows if r.is_strength]


def growth_profile(person_id: int) -> Profile:
    """The latest self-rating and the latest supervisor rating of each competency, and the colleagues'
    averages from their latest closed survey that may be shown (3 queries)."""
    from edlead.learning.services_staff import staff_means

    competencies = list(Competency.objects.all())
    rows = {c.pk: ProfileRow(c) for c in competencies}
    ratings = (
        GrowthRating.objects.filter(survey__person_id=person_id)
        .exclude(survey__rater_kind=GrowthSurvey.Rater.STAFF)
        .values_list("competency_id", "score", "survey__rater_kind", "survey__submitted_at")
        .order_by("-survey__submitted_at", "-survey_id")[:500]
    )
    latest: dt.datetime | None = None
    for cid, score, kind, when in ratings:
        row = rows.get(cid)
        if row is None:
            continue
        if kind == GrowthSurvey.Rater.SELF:
            latest = latest or when
            if row.self_score is None:
                row.self_score = score
        elif row.supervisor_score is None:
            row.supervisor_score = score
    staff = staff_means(person_id)
    for row in rows.values():
        row.staff_mean, row.staff_n = staff.means.get(row.competency.code, (None, 0))
    return Profile([rows[c.pk] for c in competencies], latest, staff.n, staff.closed_on)


def evaluation_gaps(reader: Any, person_id: int) -> dict[str, str]:
    """{standard or indicator code: level label} rated Needs Improvement or Unsatisfactory in the person's
    latest signed summative or formative assessment — empty unless `reader` may see that evaluation
    (2 queries)."""
    from edlead.evaluations.models import PerformanceLevel
    from edlead.evaluations.models_cycle import Assessment, Cycle, Rating
    from edlead.evaluations.services_cycle import CYCLE_VIEW

    cycles = policy.visible_to(reader, Cycle.objects.filter(educator_id=person_id), CYCLE_VIEW)
    latest = (
        Assessment.objects.filter(
            cycle__in=cycles.values("pk"),
            stage__in=[Assessment.Stage.SUMMATIVE, Assessment.Stage.FORMATIVE],
            evaluator_signed_at__isnull=False,
        )
        .order_by("-evaluator_signed_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is None:
        return {}
    low = [PerformanceLevel.NEEDS_IMPROVEMENT, PerformanceLevel.UNSATISFACTORY]
    labels = dict(PerformanceLevel.choices)
    found: dict[str, str] = {}
    for std, ind, level in Rating.objects.filter(assessment_id=latest, level__in=low).values_list(
        "standard__code", "indicator__code", "level"
    ):
        found[str(ind or std)] = labels.get(level, level)
    return found


def _code_matches(program_code: str, rated: str) -> bool:
    """A program for indicator I-A meets a Needs Improvement on standard I, and the other way round."""
    return (
        program_code == rated or program_code.startswith(rated + "-") or rated.startswith(program_code + "-")
    )


def _related_codes(eval_gaps: dict[str, str]) -> set[str]:
    """The codes a program may list to meet these gaps: each code itself, a rated standard's indicators
    (`I` → `I-A`, `I-B`…), a rated indicator's standard (1 query, only when there are gaps)."""
    if not eval_gaps:
        return set()
    from edlead.evaluations.models import Indicator

    codes = set(eval_gaps) | {c.split("-")[0] for c in eval_gaps}
    standards = {c for c in eval_gaps if "-" not in c}
    if standards:
        prefixes = Q()
        for std in standards:
            prefixes |= Q(code__startswith=f"{std}-")
        codes |= set(Indicator.objects.filter(prefixes).values_list("code", flat=True).distinct())
    return codes


def _targets(code: str) -> Q:
    """Programs whose indicator list holds `code`: JSON containment on PostgreSQL; on SQLite the quoted
    code in the list's text."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return Q(indicator_codes__contains=[code])
    return Q(indicator_codes__icontains=f'"{code}"')


@dataclass
class Recommendation:
    program: Program
    score: float
    reasons: list[str] = field(default_factory=list)
    next_start: dt.datetime | None = None
    seats_left: int | None = None


def _stages(person: Person, positions: list[Position], today: dt.date) -> set[str]:
    stages = {Program.Stage.ASPIRING.value} if person.is_aspiring_leader else set()
    for p in positions:
        if p.starts_on is None:
            continue
        years = (today - p.starts_on).days / 365.25
        stages.add(Program.Stage.NEW.value if years < NEW_IN_ROLE_YEARS else Program.Stage.EXPERIENCED.value)
    return stages


def recommendations(
    reader: Any, person: Person, *, limit: int = LIMIT
) -> tuple[Profile, list[Recommendation]]:
    """The person's profile and up to `limit` programs for it, best first, with reasons. Programs
    are those `reader` may see in the catalog, active, not already taken or booked by the person."""
    today = timezone.localdate()
    now = timezone.now()
    profile = growth_profile(person.pk)
    gaps = {r.competency.pk: r for r in profile.gaps}
    eval_gaps = evaluation_gaps(reader, person.pk)
    if not gaps and not eval_gaps:
        return profile, []
    positions = list(Position.objects.current(today).filter(person=person).only("role", "starts_on"))
    roles = {p.role for p in positions}
    stages = _stages(person, positions, today)
    taken = Enrollment.objects.filter(
        person=person, status__in=[S.PENDING, S.ENROLLED, S.WAITLISTED, S.COMPLETED]
    )
    candidates = Q(competencies__in=list(gaps))
    for code in _related_codes(eval_gaps):
        candidates |= _targets(code)
    upcoming = Q(sessions__starts_at__gt=now, sessions__cancelled=False)
    programs = list(
        policy.visible_to(reader, Program.objects.filter(active=True), policy.PROGRAM_VIEW)
        .filter(candidates)
        .exclude(sessions__in=taken.values("session_id"))
        .annotate(next_start=Min("sessions__starts_at", filter=upcoming))
        .select_related("provider")
        .distinct()
    )
    # The programs' competencies as pairs (an M2M prefetch builds a queryset per program: slow for hundreds).
    by_id = {r.competency.pk: r.competency for r in profile.rows}
    targets: dict[int, list[Competency]] = {}
    for pid, cid in Program.competencies.through.objects.filter(
        program_id__in=[p.pk for p in programs]
    ).values_list("program_id", "competency_id"):
        if cid in by_id:
            targets.setdefault(pid, []).append(by_id[cid])
    scored: list[Recommendation] = []
    for program in programs:
        rec = _score(program, targets.get(program.pk, []), gaps, eval_gaps, roles, stages)
        if rec is not None:
            scored.append(rec)
    # Seats left add half a point: only programs within half a point of the last place can use it, so
    # only theirs are counted (1 query).
    scored.sort(key=lambda r: -r.score)
    cut = scored[limit - 1].score - 0.5 if len(scored) >= limit else float("-inf")
    contenders = [r for r in scored if r.score >= cut]
    seats = _seats_left([r.program.pk for r in contenders if r.next_start is not None], now)
    for rec in contenders:
        if rec.next_start is None:
            continue
        rec.seats_left = seats.get(rec.program.pk, 0)
        when = f"{timezone.localtime(rec.next_start):%d %b %Y}"
        if rec.seats_left:
            rec.score += 0.5
            rec.reasons.append(f"Next session {when}, seats left")
        else:
            rec.reasons.append(f"Next session {when} is full: waitlist")
    contenders.sort(
        key=lambda r: (-r.score, r.next_start or dt.datetime.max.replace(tzinfo=dt.UTC), r.program.title)
    )
    return profile, contenders[:limit]


def _score(
    program: Program,
    competencies: list[Competency],
    gaps: dict[int, ProfileRow],
    eval_gaps: dict[str, str],
    roles: set[str],
    stages: set[str],
) -> Recommendation | None:
    """How well one program meets the gaps and fits the person (before seats), with the reasons; None
    when it meets no gap or is not for their role."""
    reasons: list[str] = []
    score = 0.0
    for c in competencies:
        row = gaps.get(c.pk)
        if row is not None:
            score += 3 - (row.score or 2)
            reasons.append(f"Develops {c.name.lower()}, which {row.rated_by} {row.label}")
    for code in program.indicator_codes:
        hit = next((r for r in eval_gaps if _code_matches(str(code), r)), None)
        if hit:
            score += 2
            reasons.append(f"Targets indicator {code}, rated {eval_gaps[hit]} in your latest evaluation")
    if score == 0:
        return None
    if program.audience_roles and not roles & set(program.audience_roles):
        if not (Program.Stage.ASPIRING in program.career_stages and Program.Stage.ASPIRING in stages):
            return None  # not for their role
    elif program.audience_roles:
        score += 0.5  # fit and schedule order programs that meet the same gaps
        reasons.append("Meant for your role")
    fit = stages & set(program.career_stages)
    if fit:
        score += 0.5
        reasons.append("Meant for " + Program.Stage(sorted(fit)[0]).label.lower())
    next_start = program.next_start  # type: ignore[attr-defined]
    if next_start is None:
        score -= 0.5
        reasons.append("No session scheduled yet")
    return Recommendation(program, score, reasons, next_start, None)


def _seats_left(program_ids: list[int], now: dt.datetime) -> dict[int, int]:
    """Seats still free across each program's upcoming sessions (1 query)."""
    rows = (
        Session.objects.filter(program_id__in=program_ids, starts_at__gt=now, cancelled=False)
        .annotate(taken=Count("enrollments", filter=Q(enrollments__status=S.ENROLLED)))
        .values_list("program_id", "capacity", "program__capacity", "taken")
    )
    left: dict[int, int] = {}
    for pid, cap, program_cap, taken in rows:
        left[pid] = left.get(pid, 0) + max((cap or program_cap) - taken, 0)
    return left
