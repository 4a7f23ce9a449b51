"""District views of evaluation: completion by network and step, calibration of evaluators' ratings, and
rating–outcome divergence. All are aggregates — counts and shares, never one educator's evaluation.

Who: district administrators, the superintendent, HR (their district) and principal supervisors (their
network): the holders of `ORG_VIEW` through one of `REPORT_ROLES`; the cycles counted are those whose
school is in an organization `policy.visible_to` gives them under that grant. Shares describing fewer
than the staff threshold (`EDLEAD_SUPPRESS_MIN_STAFF`, 6) final ratings are suppressed ("—").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q, QuerySet

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.evaluations import deadlines
from edlead.evaluations.models import Assessment, Cycle, PerformanceLevel, Rating
from edlead.metrics import rules as metric_rules
from edlead.metrics import suppression
from edlead.metrics.models import Fact, Metric
from edlead.metrics.selectors.common import key_metric_candidates
from edlead.orgs.models import Organization
from edlead.people.models import Person

Step = Cycle.Step
Role = RoleGrant.Role
REPORT_ROLES = frozenset(
    {Role.STATE_ADMIN, Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.HR, Role.PRINCIPAL_SUPERVISOR}
)
LEVELS = [str(v) for v in PerformanceLevel.values]  # highest first
STANDARDS = ("I", "II", "III", "IV")
NO_NETWORK = "Schools not in a network"
DISTRICT_OFFICE = "District office"
# The chart's colour per step (USWDS blues, done in green), as SVG attributes: no inline style (CSP).
STEP_COLOURS = dict(
    zip(Step.values, ("#162e51", "#1a4480", "#2378c3", "#73b3e7", "#97d4ea", "#00a91c"), strict=True)
)

# Evaluation figures are staff figures: EdLead computes them from individual records, so the staff
# threshold applies (the suppression module's own rule for a staff subject).
_STAFF_FIGURE = SimpleNamespace(code="evaluation_ratings", subject="staff", suppress_below=None)


def staff_threshold() -> int:
    return suppression.threshold(_STAFF_FIGURE)


# --- scope -----------------------------------------------------------------------------------------------
def report_grants(user: Any) -> list[policy.Grant]:
    return [g for g in policy.grants_for(user, policy.ORG_VIEW) if g.role in REPORT_ROLES]


def reports_allowed(user: Any) -> bool:
    """May `user` open the district evaluation views at all (the Administration menu's test)?"""
    return bool(report_grants(user)) or bool(getattr(user, "is_superuser", False) and user.is_active)


def scope_organizations(user: Any) -> QuerySet[Organization]:
    """The organizations whose cycles `user` counts: under a report grant and visible to them (ORG_VIEW)."""
    grants = report_grants(user)
    if grants:
        under = Q()
        for g in grants:
            under |= Q(path__startswith=g.path)
        qs = Organization.objects.filter(under)
    elif getattr(user, "is_superuser", False):
        qs = Organization.objects.all()
    else:
        return Organization.objects.none()
    return policy.visible_to(user, qs, policy.ORG_VIEW)


def scope_cycles(user: Any, school_year: int) -> QuerySet[Cycle]:
    return Cycle.objects.filter(school_year=school_year, organization__in=scope_organizations(user))


def year_choices(user: Any) -> list[int]:
    """School years with cycles in scope, newest first (1 query)."""
    return list(
        Cycle.objects.filter(organization__in=scope_organizations(user))
        .values_list("school_year", flat=True)
        .distinct()
        .order_by("-school_year")
    )


# --- completion ------------------------------------------------------------------------------------------
@dataclass
class CompletionRow:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in Step.values})
    overdue: dict[str, int] = field(default_factory=lambda: {s: 0 for s in Step.values})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        return [(s, self.counts[s], self.overdue[s]) for s in Step.values]

    @property
    def bars(self) -> list[tuple[str, str, float, float, int, str]]:
        """(step, label, x %, width %, count, colour) for the chart's stacked bar."""
        out, x = [], 0.0
        total = self.total or 1
        for s in Step.values:
            w = 100.0 * self.counts[s] / total
            out.append((s, Step(s).label, round(x, 2), round(w, 2), self.counts[s], STEP_COLOURS[s]))
            x += w
        return out


@dataclass
class Completion:
    school_year: int
    rows: list[CompletionRow]
    total: CompletionRow


def _bucket(kind: str, name: str, parent_kind: str | None, parent_name: str | None, district: str) -> str:
    if kind == Organization.Kind.NETWORK:
        return name
    if kind in (Organization.Kind.DISTRICT, Organization.Kind.STATE):
        return f"{DISTRICT_OFFICE} ({name})"
    if parent_kind == Organization.Kind.NETWORK and parent_name:
        return parent_name
    return f"{NO_NETWORK} ({district})" if district else NO_NETWORK


# What `deadlines.pending` and the buckets read of an open cycle and its school, district and network.
_OVERDUE_FIELDS = (
    "step",
    "school_year",
    "plan_ends_on",
    "reopen_count",
    "evaluator_id",
    "organization__kind",
    "organization__name",
    "organization__path",
    "organization__district__kind",
    "organization__district__name",
    "organization__district__path",
    "organization__parent__kind",
    "organization__parent__name",
)


def completion(user: Any, school_year: int, *, today: dt.date | None = None) -> Completion:
    """Cycles of `school_year` by network × step, with overdue counts (a cycle is overdue at its step
    when something it waits for is past due). Queries: the scope's grants, the counts, the open cycles,
    and one for the due-date settings of their districts."""
    day = today or dt.date.today()
    cycles = scope_cycles(user, school_year)
    buckets: dict[str, CompletionRow] = {}
    total = CompletionRow("All")
    for kind, name, pkind, pname, district, step, n in (
        cycles.values(
            "organization__kind",
            "organization__name",
            "organization__parent__kind",
            "organization__parent__name",
            "organization__district__name",
            "step",
        )
        .annotate(n=Count("pk"))
        .values_list(
            "organization__kind",
            "organization__name",
            "organization__parent__kind",
            "organization__parent__name",
            "organization__district__name",
            "step",
            "n",
        )
    ):
        label = _bucket(kind, name, pkind, pname, district or "")
        row = buckets.setdefault(label, CompletionRow(label))
        row.counts[step] += n
        total.counts[step] += n
    # Overdue needs each open cycle's step, dates and goal states, not its people: no educator, evaluator
    # or rubric is read (the titles `pending` words are never read here), and the districts' settings
    # are read in one query for the list.
    open_cycles = list(
        deadlines.with_state(cycles.exclude(step=Step.DONE))
        .select_related(None)
        .select_related("organization__district", "organization__parent")
        .only(*_OVERDUE_FIELDS)
    )
    seen: set[int] = set()
    for p in deadlines.pending(open_cycles):
        c = p.cycle
        if c.pk in seen or not p.overdue(day):
            continue
        seen.add(c.pk)
        org = c.organization
        parent = org.parent
        label = _bucket(
            org.kind,
            org.name,
            parent.kind if parent else None,
            parent.name if parent else None,
            org.district.name if org.district else "",
        )
        row = buckets.get(label) or buckets.setdefault(label, CompletionRow(label))
        row.overdue[c.step] += 1
        total.overdue[c.step] += 1
    rows = sorted(
        buckets.values(), key=lambda r: (r.label.startswith((NO_NETWORK, DISTRICT_OFFICE)), r.label)
    )
    return Completion(school_year, rows, total)


def completion_table(data: Completion) -> tuple[list[str], list[list[Any]]]:
    """The completion table as export rows: network, then count and overdue per step, then totals."""
    header = ["Network"]
    for s in Step.values:
        header += [Step(s).label, f"{Step(s).label} — overdue"]
    header += ["Total", "Overdue"]
    rows = []
    for r in [*data.rows, data.total]:
        line: list[Any] = [r.label]
        for _s, n, late in r.cells:
            line += [n, late]
        rows.append([*line, r.total, r.overdue_total])
    return header, rows


# --- distributions ---------------------------------------------------------------------------------------
@dataclass
class Distribution:
    """Ratings counted by level; shares are hidden below the staff threshold."""

    counts: Counter[str] = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def suppressed(self) -> bool:
        return self.n < staff_threshold()

    def share(self, *levels: str) -> Decimal | None:
        if self.n == 0 or self.suppressed:
            return None
        return (Decimal(100) * sum(self.counts[lv] for lv in levels) / self.n).quantize(Decimal("1"))

    @property
    def exemplary(self) -> Decimal | None:
        return self.share(PerformanceLevel.EXEMPLARY)

    @property
    def below_proficient(self) -> Decimal | None:
        return self.share(PerformanceLevel.NEEDS_IMPROVEMENT, PerformanceLevel.UNSATISFACTORY)

    @property
    def proficient_or_better(self) -> Decimal | None:
        return self.share(PerformanceLevel.EXEMPLARY, PerformanceLevel.PROFICIENT)

    @property
    def shares(self) -> list[Decimal | None]:
        return [self.share(lv) for lv in LEVELS]


FLAG_POINTS = Decimal(20)


def far_from_peers(mine: Distribution, district: Distribution) -> list[str]:
    """The calibration rule, in one place: an evaluator with at least the staff threshold (6) of final
    overall ratings whose share rated Exemplary, or share rated below Proficient (Needs Improvement or
    Unsatisfactory), differs from the district's share by 20 percentage points or more. Returns the
    reasons in words (empty: not flagged). Small groups are never flagged: their shares are not shown."""
    if mine.suppressed or district.suppressed:
        return []
    reasons = []
    for what, a, b in (
        ("Exemplary", mine.exemplary, district.exemplary),
        ("below Proficient", mine.below_proficient, district.below_proficient),
    ):
        if a is not None and b is not None and abs(a - b) >= FLAG_POINTS:
            reasons.append(f"{a}% {what} against the district's {b}%")
    return reasons


def _final_assessments(cycles: QuerySet[Cycle]) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        cycle__in=cycles.filter(step=Step.DONE),
        stage=Assessment.Stage.SUMMATIVE,
        evaluator_signed_at__isnull=False,
        educator_signed_at__isnull=False,
    )


@dataclass
class EvaluatorRatings:
    evaluator_id: int
    name: str
    overall: Distribution = field(default_factory=Distribution)
    standards: dict[str, Distribution] = field(default_factory=lambda: {c: Distribution() for c in STANDARDS})
    flags: list[str] = field(default_factory=list)

    @property
    def standard_list(self) -> list[tuple[str, Distribution]]:
        return [(c, self.standards[c]) for c in STANDARDS]


@dataclass
class Calibration:
    school_year: int
    district: EvaluatorRatings
    evaluators: list[EvaluatorRatings]
    threshold: int


def _district_cycles(user: Any, school_year: int) -> QuerySet[Cycle]:
    """All cycles of the districts the user's scope lies in: the peers an evaluator is compared with
    (only their aggregate is shown)."""
    found: set[int | None] = set(scope_organizations(user).values_list("district_id", flat=True).distinct())
    found |= set(
        scope_organizations(user).filter(kind=Organization.Kind.DISTRICT).values_list("pk", flat=True)
    )
    districts = {d for d in found if d is not None}
    return Cycle.objects.filter(school_year=school_year).filter(
        Q(organization__district_id__in=districts) | Q(organization_id__in=districts)
    )


def calibration(user: Any, school_year: int) -> Calibration:
    """Final summative ratings of `school_year` by evaluator (those evaluating in the user's scope), beside
    the distribution of the whole district; fixed queries."""
    scoped = _final_assessments(scope_cycles(user, school_year)).values_list(
        "pk", "cycle__evaluator_id", "overall"
    )
    peers = _final_assessments(_district_cycles(user, school_year)).values_list(
        "pk", "cycle__evaluator_id", "overall"
    )
    mine_rows = list(scoped)
    peer_rows = list(peers)
    ids = {a for a, _e, _o in peer_rows} | {a for a, _e, _o in mine_rows}
    by_assessment: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for a, code, level in Rating.objects.filter(assessment_id__in=ids, standard__isnull=False).values_list(
        "assessment_id", "standard__code", "level"
    ):
        by_assessment[a].append((code, level))
    district = EvaluatorRatings(0, "District")
    for a, _e, overall in peer_rows:
        _count(district, a, overall, by_assessment)
    evaluators: dict[int, EvaluatorRatings] = {}
    names = {
        p.pk: p.display_name
        for p in Person.objects.filter(pk__in={e for _a, e, _o in mine_rows if e is not None})
    }
    for a, e, overall in mine_rows:
        if e is None:
            continue
        ev = evaluators.setdefault(e, EvaluatorRatings(e, names.get(e, "?")))
        _count(ev, a, overall, by_assessment)
    for ev in evaluators.values():
        ev.flags = far_from_peers(ev.overall, district.overall)
    ordered = sorted(evaluators.values(), key=lambda r: r.name)
    return Calibration(school_year, district, ordered, staff_threshold())


def _count(
    target: EvaluatorRatings, a: int, overall: str, by_assessment: dict[int, list[tuple[str, str]]]
) -> None:
    if overall:
        target.overall.counts[overall] += 1
    for code, level in by_assessment.get(a, []):
        if code in target.standards:
            target.standards[code].counts[level] += 1


# --- rating–outcome divergence -----------------------------------------------------------------------------
HIGH_RATINGS = (PerformanceLevel.EXEMPLARY, PerformanceLevel.PROFICIENT)
MOSTLY = Decimal("0.5")  # "mostly": more than half


@dataclass
class Divergence:
    evaluator_id: int
    name: str
    rated: int = 0
    high: int = 0
    with_outcomes: int = 0
    worsening: int = 0
    improving: int = 0
    flag: str = ""

    @property
    def suppressed(self) -> bool:
        return self.rated < staff_threshold()

    def _pct(self, part: int, whole: int) -> Decimal | None:
        if self.suppressed or whole == 0:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("1"))

    @property
    def high_share(self) -> Decimal | None:
        return self._pct(self.high, self.rated)

    @property
    def worsening_share(self) -> Decimal | None:
        return self._pct(self.worsening, self.with_outcomes)

    @property
    def improving_share(self) -> Decimal | None:
        return self._pct(self.improving, self.with_outcomes)


DIVERGENCE_RULE = (
    "A school's outcomes worsened over the cycle year when, of chronic absence and the ELA and Math "
    "meeting-or-exceeding shares (all students), more moved the wrong way than the right way from the "
    "year before to the cycle's year (improved: the reverse). An evaluator is flagged for review when, "
    "with at least 6 final ratings, more than half of their ratings are Proficient or Exemplary while "
    "more than half of the ratings given at schools with figures are at schools that worsened — or more "
    "than half are below Proficient while more than half are at schools that improved. A flag asks for a "
    "conversation, not a conclusion: ratings rest on several kinds of evidence, and state test results "
    "may never be their sole basis."
)


def divergence_flag(d: Divergence) -> str:
    """The rule of `DIVERGENCE_RULE`, in one place."""
    if d.suppressed or d.with_outcomes == 0:
        return ""
    high = Decimal(d.high) / d.rated
    low = Decimal(d.rated - d.high) / d.rated
    if high > MOSTLY and Decimal(d.worsening) / d.with_outcomes > MOSTLY:
        return "Mostly Proficient or Exemplary ratings; mostly worsening outcomes"
    if low > MOSTLY and Decimal(d.improving) / d.with_outcomes > MOSTLY:
        return "Mostly below Proficient ratings; mostly improving outcomes"
    return ""


def school_trends(school_ids: set[int], school_year: int) -> dict[int, int]:
    """School → +1 (improved), −1 (worsened) or 0 over `school_year` against the year before, from the
    key metrics (2 queries). Schools with no comparable figure are absent."""
    key = metric_rules.key_metrics(key_metric_candidates())
    metrics = [key[r] for r in ("chronic_absence", "ela_me", "math_me") if r in key]
    if not metrics or not school_ids:
        return {}
    values: dict[tuple[int, int, int], Decimal] = {}
    for org, year, metric, value in Fact.objects.filter(
        organization_id__in=school_ids,
        school_year__in=[school_year - 1, school_year],
        metric_id__in=[m.pk for m in metrics],
        group__code=suppression.TOTAL_GROUP,
        period="",
        value__isnull=False,
    ).values_list("organization_id", "school_year", "metric_id", "value"):
        if value is not None:
            values[(org, year, metric)] = value
    out: dict[int, int] = {}
    for school in school_ids:
        score, compared = 0, 0
        for m in metrics:
            before, after = (
                values.get((school, school_year - 1, m.pk)),
                values.get((school, school_year, m.pk)),
            )
            if before is None or after is None or before == after:
                if before is not None and after is not None:
                    compared += 1
                continue
            compared += 1
            better = after < before if m.direction == Metric.Direction.LOWER_BETTER else after > before
            score += 1 if better else -1
        if compared:
            out[school] = (score > 0) - (score < 0)
    return out


def divergence(user: Any, school_year: int) -> list[Divergence]:
    """Each evaluator's final ratings of `school_year` against their educators' schools' outcome trends."""
    rows = list(
        _final_assessments(scope_cycles(user, school_year)).values_list(
            "cycle__evaluator_id", "overall", "cycle__organization_id", "cycle__organization__kind"
        )
    )
    schools = {o for _e, _l, o, k in rows if k == Organization.Kind.SCHOOL}
    trends = school_trends(schools, school_year)
    names = {p.pk: p.display_name for p in Person.objects.filter(pk__in={e for e, *_ in rows if e})}
    out: dict[int, Divergence] = {}
    for e, level, org, _k in rows:
        if e is None:
            continue
        d = out.setdefault(e, Divergence(e, names.get(e, "?")))
        d.rated += 1
        d.high += level in HIGH_RATINGS
        if org in trends:
            d.with_outcomes += 1
            d.worsening += trends[org] < 0
            d.improving += trends[org] > 0
    for d in out.values():
        d.flag = divergence_flag(d)
    return sorted(out.values(), key=lambda d: d.name)
