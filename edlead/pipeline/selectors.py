"""Readers of the pipeline: the district's pool, its diversity, the succession view, a practicum, the
applicants to a posting, one's own pathway and the outcomes of each preparation program. Each reads in a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from edlead.access import policy
from edlead.credentials import eligibility
from edlead.credentials.models import Posting
from edlead.metrics import suppression
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.pipeline import rules
from edlead.pipeline.models import (
    Application,
    Candidacy,
    Demographics,
    HoursEntry,
    Placement,
    PoolEntry,
    PrepProgram,
    ReadinessNote,
    SuccessionCandidate,
)

Stage = PoolEntry.Stage
PAGE_SIZE = 50


def districts_for(user: Any) -> QuerySet[Organization]:
    """Districts whose pipeline the user reads."""
    return policy.visible_to(
        user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.PIPELINE_VIEW
    ).order_by("name")


# --- the pool ---------------------------------------------------------------------------------------------
@dataclass
class PoolRow:
    entry: PoolEntry
    positions: list[Position] = field(default_factory=list)
    readiness: list[ReadinessNote] = field(default_factory=list)
    signed_minutes: int = 0
    required_hours: int | None = None
    applications: int = 0

    @property
    def hours_text(self) -> str:
        if self.required_hours is None:
            return "—"
        return f"{self.signed_minutes / 60:.0f} of {self.required_hours} h"


@dataclass
class Pool:
    district: Organization
    counts: dict[str, int]
    page: Page[PoolEntry] | None  # None: every entry at once (the CSV export)
    rows: list[PoolRow]
    total: int


def pool(user: Any, district: Organization, *, stage: str = "", q: str = "", page: int | None = 1) -> Pool:
    """One page of the district's pool (every entry with `page=None`, for the export) with each person's
    current positions, the readiness notes the reader may read, practicum hours signed and applications:
    a fixed number of queries whatever the pool's size."""
    entries = policy.visible_to(user, PoolEntry.objects.filter(organization=district), policy.PIPELINE_VIEW)
    counts = dict(entries.values_list("stage").annotate(n=Count("pk")).order_by())
    listed = entries
    if stage in Stage.values:
        listed = listed.filter(stage=stage)
    if q.strip():
        for word in q.split()[:4]:
            listed = listed.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__preferred_name__icontains=word)
            )
    listed = listed.select_related("person").order_by("person__last_name", "person__first_name", "pk")
    current: Page[PoolEntry] | None = None
    if page is None:
        rows = [PoolRow(e) for e in listed]
        total = len(rows)
        ids: Any = listed.values("person_id")  # a subquery: no list of thousands of ids
    else:
        paginator = Paginator(listed, PAGE_SIZE)
        current = paginator.get_page(page)
        rows = [PoolRow(e) for e in current.object_list]
        total = paginator.count
        ids = [r.entry.person_id for r in rows]
    by_person = {r.entry.person_id: r for r in rows}
    if rows:
        today = dt.date.today()
        for pos in (
            Position.objects.current(today)
            .filter(person_id__in=ids)
            .select_related("organization")
            .order_by("pk")
        ):
            by_person[pos.person_id].positions.append(pos)
        notes = policy.visible_to(
            user, ReadinessNote.objects.filter(person_id__in=ids), rules.READINESS_READ
        ).select_related("author")
        for note in notes:
            by_person[note.person_id].readiness.append(note)
        for pid, required, minutes in (
            HoursEntry.objects.filter(placement__person_id__in=ids, signed_at__isnull=False)
            .values_list("placement__person_id", "placement__candidacy__program__required_hours")
            .annotate(m=Sum("minutes"))
            .order_by()
        ):
            row = by_person[pid]
            row.signed_minutes += minutes or 0
            row.required_hours = required
        for pid, required in Placement.objects.filter(person_id__in=ids).values_list(
            "person_id", "candidacy__program__required_hours"
        ):
            by_person[pid].required_hours = by_person[pid].required_hours or required
        for pid, n in (
            Application.objects.filter(person_id__in=ids, organization__path__startswith=district.path)
            .values_list("person_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            by_person[pid].applications = n
    return Pool(district, counts, current, rows, total)


@dataclass
class DiversityRow:
    code: str
    label: str
    pool_n: int | None  # None: hidden (a small group, or one that would reveal it)
    pool_pct: float | None
    students_pct: float | None


@dataclass
class Diversity:
    answered: int
    threshold: int
    race: list[DiversityRow]
    gender: list[DiversityRow]
    students_period: str = ""
    hidden_any: bool = False


def pool_diversity(district: Organization) -> Diversity:
    """Self-reported race/ethnicity and gender of the district's pool, beside the district's students
    (the latest in-year monitoring counts by group). A group of fewer than the staff threshold is hidden, and
    one more when a single hidden group could be worked out by subtraction. Never one person's answer."""
    limit = int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6))
    answers = list(
        Demographics.objects.filter(person__pool_entries__organization=district).values_list("race", "gender")
    )
    races = Counter(r for r, _ in answers if r)
    genders = Counter(g for _, g in answers if g)
    total = len(answers)
    race_codes = [c for c in Demographics.Race.values if c]
    hidden = suppression.complementary_hidden(total, {c: races.get(c, 0) for c in race_codes}, limit)
    gender_codes = [c for c in Demographics.Gender.values if c]
    hidden_g = suppression.complementary_hidden(total, {c: genders.get(c, 0) for c in gender_codes}, limit)
    students, period = _student_shares(district)
    labels = dict(Demographics.Race.choices)

    def row(code: str, label: str, n: int, hide: bool, student: float | None) -> DiversityRow:
        if hide or total < limit:
            return DiversityRow(code, label, None, None, student)
        return DiversityRow(code, label, n, round(100 * n / total, 1) if total else None, student)

    race_rows = [row(c, labels[c], races.get(c, 0), c in hidden, students.get(c)) for c in race_codes]
    gender_labels = dict(Demographics.Gender.choices)
    gender_rows = [row(c, gender_labels[c], genders.get(c, 0), c in hidden_g, None) for c in gender_codes]
    return Diversity(
        total,
        limit,
        race_rows,
        gender_rows,
        period,
        hidden_any=any(r.pool_n is None for r in race_rows + gender_rows),
    )


def _student_shares(district: Organization) -> tuple[dict[str, float], str]:
    """Share of the district's students in each race group, from the latest in-year monitoring period's
    student counts (n) summed over its schools: two queries."""
    from edlead.metrics.models import Fact

    base = Fact.objects.filter(
        organization__path__startswith=district.path,
        metric__code__startswith="monitor_",
        n__isnull=False,
        period__gt="",
    )
    races = list(suppression.PARTITIONS["race"])
    latest = (
        base.filter(group__code__in=races)
        .order_by("-school_year", "-period")
        .values_list("school_year", "period", "metric_id")
        .first()
    )
    if latest is None:
        return {}, ""
    year, period, metric_id = latest
    counts = dict(
        base.filter(school_year=year, period=period, metric_id=metric_id, group__code__in=[*races, "all"])
        .values_list("group__code")
        .annotate(n=Sum("n"))
        .order_by()
    )
    total = counts.get(suppression.TOTAL_GROUP) or 0
    if not total:
        return {}, ""
    shares = {
        code: round(100 * (counts.get(code) or 0) / total, 1) for code in suppression.PARTITIONS["race"]
    }
    return shares, _period_words(period)


def _period_words(period: str) -> str:
    """A monitoring period as people say it: "2026-12" is December 2026; other periods as they are."""
    year, _, month = period.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"{calendar.month_name[int(month)]} {year}"
    return period


# --- succession -------------------------------------------------------------------------------------------
@dataclass
class SuccessionRow:
    school: Organization
    principals: list[Position]
    ready_now: list[SuccessionCandidate]
    one_two: list[SuccessionCandidate]
    eligible_internal: int  # meet the district's principal requirements at this school's level
    may_edit: bool

    @property
    def gap(self) -> bool:
        return not self.ready_now and not self.one_two

    @property
    def tenure_years(self) -> float | None:
        years = [p.tenure_years for p in self.principals if p.tenure_years is not None]
        return max(years) if years else None


@dataclass
class Succession:
    district: Organization
    rows: list[SuccessionRow]

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows if r.gap)

    @property
    def ready_now(self) -> int:
        return sum(1 for r in self.rows if r.ready_now)


def succession(user: Any, district: Organization, *, network_id: int | None = None) -> Succession:
    """Every open school's principal post: its principal(s) and tenure, who is ready now, who in 1–2 years,
    how many internal candidates meet the requirements, and "none" where nobody is named. The licensure
    app's bench strength counts the internal candidates; a fixed number of queries."""
    today = dt.date.today()
    schools_qs = Organization.objects.filter(
        path__startswith=district.path, kind=Organization.Kind.SCHOOL, closed_on__isnull=True
    )
    if network_id:
        schools_qs = schools_qs.filter(parent_id=network_id)
    schools = list(schools_qs.select_related("parent").order_by("name", "pk"))
    ids = [s.pk for s in schools]
    heads: dict[int, list[Position]] = defaultdict(list)
    for pos in (
        Position.objects.current(today)
        .filter(organization_id__in=ids, role=Position.Role.PRINCIPAL)
        .select_related("person")
        .order_by("starts_on", "pk")
    ):
        heads[pos.organization_id].append(pos)
    named: dict[int, list[SuccessionCandidate]] = defaultdict(list)
    for row in (
        policy.visible_to(
            user, SuccessionCandidate.objects.filter(organization_id__in=ids), policy.PIPELINE_VIEW
        )
        .select_related("person")
        .order_by("readiness", "person__last_name", "pk")
    ):
        named[row.organization_id].append(row)
    bench = eligibility.bench_strength(
        district, visible=policy.visible_to(user, Person.objects.all(), policy.PERSON_DIRECTORY), today=today
    )
    internal = {b.school.pk: len(b.eligible) for b in bench.schools}
    editable = (
        {
            s.pk
            for s in schools
            if any(g.covers(s.path) for g in policy.grants_for(user, policy.SUCCESSION_EDIT))
        }
        if not getattr(user, "is_superuser", False)
        else set(ids)
    )
    rows = [
        SuccessionRow(
            school=s,
            principals=heads.get(s.pk, []),
            ready_now=[
                c for c in named.get(s.pk, []) if c.readiness == SuccessionCandidate.Readiness.READY_NOW
            ],
            one_two=[c for c in named.get(s.pk, []) if c.readiness == SuccessionCandidate.Readiness.ONE_TWO],
            eligible_internal=internal.get(s.pk, 0),
            may_edit=s.pk in editable,
        )
        for s in schools
    ]
    return Succession(district, rows)


# --- a practicum ------------------------------------------------------------------------------------------
@dataclass
class PracticumView:
    placement: Placement
    entries: list[HoursEntry]
    totals: dict[str, int]
    projects: list[Any]
    goals: list[Any]

    @property
    def required_minutes(self) -> int:
        return self.placement.candidacy.program.required_hours * 60

    @property
    def percent(self) -> int:
        return (
            min(100, round(100 * self.totals["signed"] / self.required_minutes))
            if self.required_minutes
            else 0
        )

    @property
    def unsigned(self) -> list[HoursEntry]:
        return [e for e in self.entries if e.signed_at is None]


def practicum(placement: Placement) -> PracticumView:
    from edlead.pipeline.services import hours_totals
    from edlead.plans.models import Goal

    entries = list(placement.hours.select_related("signed_by").order_by("-day", "-starts_at"))
    projects = list(placement.projects.select_related("plan_goal"))
    goals = list(
        Goal.objects.filter(plan__organization_id=placement.organization_id)
        .filter(plan__is_template=False)
        .select_related("plan")
        .order_by("-plan__first_year", "order", "pk")[:40]
    )
    return PracticumView(placement, entries, hours_totals(placement), projects, goals)


def placements_for(user: Any) -> list[Placement]:
    """Practicums the user takes part in as candidate, mentor or program supervisor (and reads)."""
    pid = getattr(user, "person_id", None)
    if not pid:
        return []
    return list(
        rules.placements_readable(user)
        .filter(Q(person_id=pid) | Q(mentor_id=pid) | Q(supervisor_id=pid))
        .select_related("person", "organization", "mentor", "supervisor", "candidacy__program")
        .annotate(
            unsigned=Count("hours", filter=Q(hours__signed_at__isnull=True)),
            signed_minutes=Sum("hours__minutes", filter=Q(hours__signed_at__isnull=False)),
        )
        .order_by("-starts_on", "pk")
    )


# --- applications -----------------------------------------------------------------------------------------
def applicants(user: Any, posting: Posting) -> list[Application]:
    """The applications the hiring team reads for one posting, with each applicant's current positions."""
    rows = list(
        rules.applications_readable(user, Application.objects.filter(posting=posting))
        .exclude(person_id=getattr(user, "person_id", None) or 0)
        .select_related("person")
        .order_by("-eligible", "created_at", "pk")
    )
    ids = [r.person_id for r in rows]
    positions: dict[int, list[Position]] = defaultdict(list)
    for pos in (
        Position.objects.current(dt.date.today()).filter(person_id__in=ids).select_related("organization")
    ):
        positions[pos.person_id].append(pos)
    stages = dict(
        PoolEntry.objects.filter(
            person_id__in=ids,
            organization__path__startswith=eligibility.district_of(posting.organization).path,
        ).values_list("person_id", "stage")
    )
    for r in rows:
        r.current_positions = positions.get(r.person_id, [])  # type: ignore[attr-defined]
        r.pool_stage = Stage(stages[r.person_id]).label if r.person_id in stages else ""  # type: ignore[attr-defined]
    return rows


def open_postings(person_id: int, *, today: dt.date) -> list[Posting]:
    """Open postings in the districts where the person works or is in the pool, newest first."""
    paths = set(PoolEntry.objects.filter(person_id=person_id).values_list("organization__path", flat=True))
    for path in (
        Position.objects.current(today)
        .filter(person_id=person_id)
        .values_list("organization__path", flat=True)
    ):
        parts = [p for p in path.strip("/").split("/") if p]
        if len(parts) >= 2:
            paths.add("/" + "/".join(parts[:2]) + "/")
    if not paths:
        return []
    scope = Q()
    for path in paths:
        scope |= Q(organization__path__startswith=path)
    return list(
        Posting.objects.filter(scope, status=Posting.Status.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("organization")
        .order_by("closes_on", "-opens_on", "pk")[:30]
    )


# --- outcomes by preparation program ------------------------------------------------------------------------
OUTCOME_METRIC = ("mcas_ela_me_pct", "MCAS ELA: % meeting or exceeding expectations")


@dataclass
class ProgramOutcome:
    program: PrepProgram
    completers: int
    leaders: int  # completers who went on to lead (AP, principal) after completing
    retained: int | None  # of the leaders who started 3+ years ago, still leading 3 years on (None: too few)
    retained_of: int
    change: float | None  # mean change in the outcome at their schools, year before → year after starting
    schools: int
    state_change: float | None


def program_outcomes(district: Organization | None, *, today: dt.date | None = None) -> list[ProgramOutcome]:
    """For each preparation program: completers, how many went on to lead, how many of those who started 3+
    years ago still led 3 years on, and the change in the schools they took on against the state's change
    over the same years. Groups under the staff threshold show no figure. Observational, not causal."""
    from edlead.metrics.models import Fact

    day = today or dt.date.today()
    limit = int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6))
    programs = PrepProgram.objects.all()
    if district is not None:
        programs = programs.filter(Q(organization__isnull=True) | Q(organization=district))
    programs_list = list(programs.order_by("name"))
    done = list(
        Candidacy.objects.filter(program__in=programs_list, status=Candidacy.Status.COMPLETED).values_list(
            "program_id", "person_id", "completed_on"
        )
    )
    people = {pid for _, pid, _ in done}
    leads: dict[int, list[tuple[int, str, dt.date, dt.date | None]]] = defaultdict(list)
    for pid, org, role, since, until in Position.objects.filter(
        person_id__in=people, role__in=[Position.Role.PRINCIPAL, Position.Role.ASSISTANT_PRINCIPAL]
    ).values_list("person_id", "organization_id", "role", "starts_on", "ends_on"):
        if since is not None:
            leads[pid].append((org, role, since, until))
    firsts: dict[tuple[int, int], tuple[int, str, dt.date, dt.date | None]] = {}
    for prog, pid, completed in done:
        after = sorted(
            (p for p in leads.get(pid, []) if completed is not None and p[2] >= completed),
            key=lambda p: p[2],
        )
        if after:
            org, role, since, _until = after[0]
            last_end = max((p[3] or dt.date.max) for p in leads[pid])
            firsts[(prog, pid)] = (org, role, since, None if last_end == dt.date.max else last_end)
    start_years = {v[2].year if v[2].month >= 7 else v[2].year - 1 for v in firsts.values()}
    years = {y + d for y in start_years for d in (-1, 1)}
    values: dict[tuple[int, int], Decimal] = {}
    state: dict[int, list[Decimal]] = defaultdict(list)
    reported: dict[int, float] = {}  # the state's own figure (DESE's "State" row), where imported
    for org, kind, year, value in Fact.objects.filter(
        metric__code=OUTCOME_METRIC[0],
        group__code="all",
        period="",
        school_year__in=sorted(years),
        value__isnull=False,
        organization__kind__in=[Organization.Kind.SCHOOL, Organization.Kind.STATE],
    ).values_list("organization_id", "organization__kind", "school_year", "value"):
        if value is None:
            continue
        if kind == Organization.Kind.STATE:
            reported[year] = float(value)
        else:
            values[(org, year)] = value
            state[year].append(value)
    school_mean = {y: float(mean(v)) for y, v in state.items() if v}

    def state_change(before: int, after: int) -> float | None:
        """The state's change between two years: its reported figures when both are there, else the mean
        of its schools' (never one of each)."""
        for figures in (reported, school_mean):
            if before in figures and after in figures:
                return figures[after] - figures[before]
        return None

    out = []
    for program in programs_list:
        mine = [(pid, completed) for prog, pid, completed in done if prog == program.pk]
        started = [firsts[(program.pk, pid)] for pid, _ in mine if (program.pk, pid) in firsts]
        old = [s for s in started if (day - s[2]).days >= 3 * 365]
        kept = [s for s in old if s[3] is None or (s[3] - s[2]).days >= 3 * 365]
        changes, state_changes = [], []
        for org, _role, since, _end in started:
            y = since.year if since.month >= 7 else since.year - 1
            if (org, y - 1) in values and (org, y + 1) in values:
                changes.append(float(values[(org, y + 1)] - values[(org, y - 1)]))
                moved = state_change(y - 1, y + 1)
                if moved is not None:
                    state_changes.append(moved)
        enough = len(changes) >= limit
        out.append(
            ProgramOutcome(
                program=program,
                completers=len(mine),
                leaders=len(started),
                retained=len(kept) if len(old) >= limit else None,
                retained_of=len(old),
                change=round(mean(changes), 1) if enough else None,
                schools=len(changes),
                state_change=round(mean(state_changes), 1) if enough and state_changes else None,
            )
        )
    return out


# --- one's own pathway ------------------------------------------------------------------------------------
@dataclass
class Pathway:
    entries: list[PoolEntry]
    candidacies: list[Candidacy]
    placements: list[Placement]
    applications: list[Application]
    postings: list[Posting]
    applied: set[int]
    demographics: Demographics | None


def pathway(user: Any, *, today: dt.date | None = None) -> Pathway | None:
    pid = getattr(user, "person_id", None)
    if not pid:
        return None
    day = today or dt.date.today()
    entries = list(PoolEntry.objects.filter(person_id=pid).select_related("organization"))
    candidacies = list(Candidacy.objects.filter(person_id=pid).select_related("program"))
    placements = placements_for(user)
    apps = list(
        Application.objects.filter(person_id=pid)
        .select_related("posting__organization")
        .order_by("-created_at")
    )
    postings = open_postings(pid, today=day)
    return Pathway(
        entries,
        candidacies,
        [p for p in placements if p.person_id == pid],
        apps,
        postings,
        {a.posting_id for a in apps},
        Demographics.objects.filter(person_id=pid).first(),
    )
