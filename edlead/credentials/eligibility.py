"""Eligibility (issue 10, item 5): who meets a posting's requirements and what each near-candidate lacks,
which roles a person qualifies for now, and bench strength — for each principal post of a district, how
many eligible internal candidates there are and which schools would have none if their principal left.

Everything is computed in Python over a few batched reads (`Evidence.load`: positions, licences,
endorsements, degrees, assessments of every candidate at once), so a page costs the same number of
queries for ten candidates or ten thousand. Requirements come from the district's role template, the
posting's own rows and the district setting `credentials.required_endorsements` (which endorsements a
role requires). Reasons are plain words, e.g. "no Principal/Assistant Principal or
Superintendent/Assistant Superintendent licence (Initial or higher)"."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from edlead import config
from edlead.credentials.models import (
    AssessmentPassed,
    CredentialType,
    Degree,
    Endorsement,
    Licence,
)
from edlead.credentials.models_postings import Posting, Requirement, RoleTemplate
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

STAGE_RANK = {"temporary": 1, "provisional": 2, "initial": 3, "professional": 4}
SCHOOL_LEVEL = "school"  # a licence level that must cover the posting's school
NEAR = 2  # a candidate lacking at most this many required items is listed with what they lack
ROLE_LABELS = dict(Position.Role.choices)
DEGREE_LABELS = dict(Degree.Level.choices)


# --- requirements -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Need:
    """One requirement as eligibility checks it (from a `Requirement` row or the district setting)."""

    kind: str
    required: bool
    fields: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    min_stage: str = ""
    degree_level: str = ""
    years: int = 0
    roles: tuple[str, ...] = ()
    source: str = ""  # "setting" for the district's endorsement setting

    @classmethod
    def of(cls, row: Requirement) -> Need:
        return cls(
            kind=row.kind,
            required=row.importance == Requirement.Importance.REQUIRED,
            fields=tuple(row.fields or ()),
            levels=tuple(row.levels or ()),
            min_stage=row.min_stage,
            degree_level=row.degree_level,
            years=row.years or 0,
            roles=tuple(row.roles or ()),
        )

    def describe(self, names: dict[tuple[str, str], str]) -> str:
        """The requirement in words (for the posting page and the template editor)."""
        if self.kind == Requirement.Kind.LICENCE:
            fields = " or ".join(names.get(("field", f), f) for f in self.fields) or "any"
            stage = f", {self.min_stage.capitalize()} or higher" if self.min_stage else ""
            levels = ""
            if self.levels:
                levels = (
                    ", at the school's level"
                    if self.levels == (SCHOOL_LEVEL,)
                    else f", level {' or '.join(self.levels)}"
                )
            return f"{fields} licence{stage}{levels}"
        if self.kind in (Requirement.Kind.ENDORSEMENT, Requirement.Kind.ASSESSMENT):
            kind = "endorsement" if self.kind == Requirement.Kind.ENDORSEMENT else "assessment"
            what = names.get((kind, self.fields[0]), self.fields[0]) if self.fields else "?"
            return f"{what} {kind}" if kind == "endorsement" else f"{what} passed"
        if self.kind == Requirement.Kind.DEGREE:
            label = DEGREE_LABELS.get(self.degree_level, self.degree_level)
            return f"{label} degree or higher"
        roles = " or ".join(ROLE_LABELS.get(r, r).lower() for r in self.roles)
        return f"{self.years} year{'s' if self.years != 1 else ''} as {roles}"


def setting_needs(org: Organization, role: str, catalog: dict[tuple[str, str], str]) -> list[Need]:
    """The endorsements the district setting requires of `role` (`principal: SEI Administrator`)."""
    from edlead.credentials.apps import REQUIRED_ENDORSEMENTS

    by_name = {name.lower(): code for (kind, code), name in catalog.items() if kind == "endorsement"}
    needs = []
    for line in config.setting(org, REQUIRED_ENDORSEMENTS):
        name_role, _, name = str(line).partition(":")
        code = by_name.get(name.strip().lower())
        if name_role.strip() == role and code:
            needs.append(Need(kind="endorsement", required=True, fields=(code,), source="setting"))
    return needs


def catalog_names() -> dict[tuple[str, str], str]:
    """(kind, code) → name for every credential type (1 query)."""
    return {(t.kind, t.code): t.name for t in CredentialType.objects.all()}


def district_of(org: Organization) -> Organization:
    return org if org.kind == Organization.Kind.DISTRICT or org.district is None else org.district


def templates_by_role(district: Organization) -> dict[str, RoleTemplate]:
    """The district's role templates with their requirement rows (2 queries)."""
    return {
        t.role: t for t in RoleTemplate.objects.filter(organization=district).prefetch_related("requirements")
    }


def needs_for(
    *,
    district: Organization,
    role: str,
    template: RoleTemplate | None,
    posting: Posting | None,
    catalog: dict[tuple[str, str], str],
) -> list[Need]:
    """A role's requirements in a district (its template), with the posting's own rows and the
    endorsements the district setting requires of the role (no duplicates)."""
    needs: list[Need] = []
    for rows in (
        template.requirements.all() if template else [],
        posting.requirements.all() if posting else [],
    ):
        needs.extend(Need.of(r) for r in rows)
    for need in setting_needs(district, role, catalog):
        if not any(n.kind == need.kind and n.fields == need.fields and n.required for n in needs):
            needs.append(need)
    return needs


# --- what a person holds ------------------------------------------------------------------------------
def _grade_number(grade: str) -> int | None:
    g = grade.strip().upper()
    if g in ("PK", "PREK"):
        return -1
    if g == "K":
        return 0
    return int(g) if g.isdigit() else None


def _level_span(level: str) -> tuple[int, int] | None:
    """ "PreK-6" → (-1, 6); "All levels" → the whole span; None when not a grade range."""
    text = level.strip().lower()
    if text.startswith("all"):
        return (-1, 12)
    m = re.fullmatch(r"(prek|pk|k|\d{1,2})\s*-\s*(k|\d{1,2})", text)
    if not m:
        return None
    low, high = _grade_number(m.group(1)), _grade_number(m.group(2))
    return (low, high) if low is not None and high is not None else None


def covers_school(level: str, grades: str) -> bool:
    """A licence level qualifies for a school when it covers most (more than half) of its grades; a
    school without recorded grades takes any level."""
    numbers = [n for n in (_grade_number(g) for g in grades.split(",") if g.strip()) if n is not None]
    if not numbers:
        return True
    span = _level_span(level)
    if span is None:
        return False
    inside = sum(1 for n in numbers if span[0] <= n <= span[1])
    return inside * 2 > len(numbers)


# What the pages read of a position and its organization (timestamps and addresses are left unread).
POSITION_FIELDS = (
    "person_id",
    "role",
    "title",
    "starts_on",
    "ends_on",
    "is_primary",
    "organization__name",
    "organization__kind",
    "organization__path",
    "organization__grades",
    "organization__parent_id",
    "organization__district_id",
)
PERSON_FIELDS = ("first_name", "last_name", "preferred_name")


def _current_licences(today: dt.date) -> QuerySet[Licence]:
    """Licences in force on `today`: the current record, active, not expired."""
    return (
        Licence.objects.current()
        .filter(status=Licence.Status.ACTIVE)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


@dataclass
class Evidence:
    """What one person holds that requirements look at."""

    person: Person
    licences: list[Licence] = field(default_factory=list)
    endorsements: set[str] = field(default_factory=set)
    assessments: set[str] = field(default_factory=set)
    degree_rank: int = 0
    positions: list[Position] = field(default_factory=list)

    @staticmethod
    def load(
        people: Sequence[Person],
        *,
        today: dt.date,
        roles: Iterable[str] | None = None,
        among: Any = None,
    ) -> dict[int, Evidence]:
        """Evidence of every person at once: 5 queries whatever their number. With `roles`, only the
        positions in those roles and the current ones are read (what experience and the pages need). `among`, a
        subquery of person ids holding at least `people`, filters the reads instead of the ids themselves
        (hundreds of ids as parameters cost more than the database's own lookup)."""
        found = {p.pk: Evidence(p) for p in people}
        if not found:
            return found
        ids: Any = among if among is not None else list(found)
        # The licences by the people's own ids: with the subquery, PostgreSQL walked every current position
        # of the state in person order to meet it (a merge join), 35 ms at state scale.
        for lic in _current_licences(today).filter(person_id__in=list(found)).select_related("field"):
            if lic.person_id in found:
                found[lic.person_id].licences.append(lic)
        for pid, code in (
            Endorsement.objects.current()
            .filter(person_id__in=ids, status=Endorsement.Status.ACTIVE)
            .values_list("person_id", "kind__code")
        ):
            if pid in found:
                found[pid].endorsements.add(code)
        for pid, code in (
            AssessmentPassed.objects.current()
            .filter(person_id__in=ids)
            .values_list("person_id", "kind__code")
        ):
            if pid in found:
                found[pid].assessments.add(code)
        for pid, level in (
            Degree.objects.current().filter(person_id__in=ids).values_list("person_id", "level")
        ):
            if pid in found:
                found[pid].degree_rank = max(found[pid].degree_rank, Degree.RANK.get(level, 0))
        positions = Position.objects.filter(person_id__in=ids)
        if roles is not None:
            current = Q(starts_on__isnull=True) | Q(starts_on__lte=today)
            current &= Q(ends_on__isnull=True) | Q(ends_on__gte=today)
            positions = positions.filter(Q(role__in=sorted(set(roles))) | current)
        for pos in positions.select_related("organization").only(*POSITION_FIELDS):
            if pos.person_id in found:
                found[pos.person_id].positions.append(pos)
        return found

    def years_in(self, roles: Iterable[str], today: dt.date) -> float:
        """Years in any of `roles`, overlapping positions counted once (positions without a start date
        are not counted: their length is unknown)."""
        wanted = set(roles)
        spans = sorted(
            (p.starts_on, min(p.ends_on or today, today))
            for p in self.positions
            if p.role in wanted and p.starts_on is not None and p.starts_on <= today
        )
        days = 0
        current: list[dt.date] | None = None
        for start, end in spans:
            if current is None or start > current[1]:
                if current is not None:
                    days += (current[1] - current[0]).days + 1
                current = [start, end]
            else:
                current[1] = max(current[1], end)
        if current is not None:
            days += (current[1] - current[0]).days + 1
        return days / 365.25

    def current_positions(self, today: dt.date) -> list[Position]:
        return [p for p in self.positions if p.is_current(today)]


def check(
    need: Need, ev: Evidence, *, grades: str, today: dt.date, names: dict[tuple[str, str], str]
) -> tuple[bool, str]:
    """Whether `ev` meets `need`, and if not, what is lacking in plain words."""
    if need.kind == Requirement.Kind.LICENCE:
        fitting = [lic for lic in ev.licences if not need.fields or lic.field.code in need.fields]
        if not fitting:
            return False, f"no {need.describe(names)}"
        staged = [lic for lic in fitting if STAGE_RANK.get(lic.stage, 0) >= STAGE_RANK.get(need.min_stage, 0)]
        if not staged:
            held = ", ".join(f"{lic.field.name} ({lic.get_stage_display()})" for lic in fitting)
            return False, f"licence below {need.min_stage.capitalize()}: holds {held}"
        if need.levels:
            levelled = [
                lic
                for lic in staged
                if (
                    covers_school(lic.grade_level, grades)
                    if need.levels == (SCHOOL_LEVEL,)
                    else lic.grade_level in need.levels or lic.grade_level.lower().startswith("all")
                )
            ]
            if not levelled:
                held = ", ".join(f"{lic.field.name} {lic.grade_level}" for lic in staged)
                return False, f"licence at another level: holds {held}"
        return True, ""
    if need.kind == Requirement.Kind.ENDORSEMENT:
        ok = bool(need.fields) and need.fields[0] in ev.endorsements
        return ok, "" if ok else f"no {need.describe(names)}"
    if need.kind == Requirement.Kind.ASSESSMENT:
        ok = bool(need.fields) and need.fields[0] in ev.assessments
        return ok, "" if ok else f"has not passed the {names.get(('assessment', need.fields[0]), '?')}"
    if need.kind == Requirement.Kind.DEGREE:
        ok = ev.degree_rank >= Degree.RANK.get(need.degree_level, 99)
        return ok, "" if ok else f"no {need.describe(names)}"
    years = ev.years_in(need.roles, today)
    if years >= need.years:
        return True, ""
    have = f"{years:.1f}".rstrip("0").rstrip(".")
    return False, f"{have} of {need.describe(names)}"


@dataclass
class Assessment:
    """One person against one set of requirements."""

    person: Person
    lacking: list[str]  # required items not met, in words
    preferred_met: list[str]
    preferred_lacking: list[str]
    positions: list[Position]

    @property
    def eligible(self) -> bool:
        return not self.lacking

    @property
    def near(self) -> bool:
        return 0 < len(self.lacking) <= NEAR


def assess(
    needs: Sequence[Need],
    ev: Evidence,
    *,
    grades: str,
    today: dt.date,
    names: dict[tuple[str, str], str],
) -> Assessment:
    lacking: list[str] = []
    pref_met: list[str] = []
    pref_lacking: list[str] = []
    for need in needs:
        ok, reason = check(need, ev, grades=grades, today=today, names=names)
        if need.required:
            if not ok:
                lacking.append(reason)
        elif ok:
            pref_met.append(need.describe(names))
        else:
            pref_lacking.append(need.describe(names))
    return Assessment(ev.person, lacking, pref_met, pref_lacking, ev.current_positions(today))


# --- the candidate pool ------------------------------------------------------------------------------
def working_in(district: Organization, today: dt.date) -> Any:
    """The ids of people with a current position in the district (a subquery)."""
    return (
        Position.objects.current(today)
        .filter(organization__path__startswith=district.path)
        .values("person_id")
    )


def internal_people(district: Organization, *, today: dt.date, visible: QuerySet[Person]) -> list[Person]:
    """People with a current position in the district that `visible` (already scoped to the reader by
    the access policy) lets through (1 query)."""
    working = working_in(district, today)
    return list(visible.filter(pk__in=working).only(*PERSON_FIELDS).order_by("last_name", "first_name", "pk"))


def _experience_roles(needs: Iterable[Need]) -> set[str]:
    return {r for n in needs if n.kind == Requirement.Kind.EXPERIENCE for r in n.roles}


@dataclass
class PostingEligibility:
    posting: Posting
    needs: list[Need]
    described: list[tuple[Need, str]]
    eligible: list[Assessment]
    near: list[Assessment]
    considered: int


def _rank(a: Assessment) -> tuple[int, int, str]:
    return (len(a.lacking), -len(a.preferred_met), a.person.sort_name)


def posting_eligibility(
    posting: Posting, *, visible: QuerySet[Person], today: dt.date | None = None
) -> PostingEligibility:
    """Who in the posting's district meets its requirements (best matches on preferred first), and the
    near-candidates with what each lacks. A school's holder of the seat is left out. A fixed number of
    queries (about 11) for any number of candidates."""
    day = today or dt.date.today()
    org = posting.organization
    district = district_of(org)
    names = catalog_names()
    template = templates_by_role(district).get(posting.role)
    needs = needs_for(district=district, role=posting.role, template=template, posting=posting, catalog=names)
    people = internal_people(district, today=day, visible=visible)
    evidence = Evidence.load(
        people, today=day, roles=_experience_roles(needs), among=working_in(district, day)
    )
    eligible, near = [], []
    is_school = org.kind == Organization.Kind.SCHOOL
    for ev in evidence.values():
        if is_school and any(
            p.role == posting.role and p.organization_id == org.pk for p in ev.current_positions(day)
        ):
            continue  # the school's holder of the seat (a district office has many directors: not left out)
        a = assess(needs, ev, grades=org.grades, today=day, names=names)
        if a.eligible:
            eligible.append(a)
        elif a.near:
            near.append(a)
    eligible.sort(key=_rank)
    near.sort(key=_rank)
    return PostingEligibility(
        posting=posting,
        needs=needs,
        described=[(n, n.describe(names)) for n in needs],
        eligible=eligible,
        near=near,
        considered=len(evidence),
    )


@dataclass
class RoleFit:
    label: str
    organization: Organization
    posting: Posting | None
    assessment: Assessment


def roles_for_person(person: Person, *, today: dt.date | None = None) -> list[RoleFit]:
    """For each district the person works in: each role template and each open posting, whether they
    qualify now and what they lack (a fixed number of queries per district they work in — one, nearly
    always)."""
    day = today or dt.date.today()
    evidence = Evidence.load([person], today=day)[person.pk]
    names = catalog_names()
    districts: dict[int, Organization] = {}
    for pos in evidence.current_positions(day):
        d = district_of(pos.organization)
        districts.setdefault(d.pk, d)
    fits: list[RoleFit] = []
    for district in districts.values():
        templates = templates_by_role(district)
        for role, template in sorted(templates.items()):
            needs = needs_for(district=district, role=role, template=template, posting=None, catalog=names)
            a = assess(needs, evidence, grades="", today=day, names=names)
            fits.append(RoleFit(template.name, district, None, a))
        postings = (
            Posting.objects.filter(organization__path__startswith=district.path, status=Posting.Status.OPEN)
            .select_related("organization")
            .prefetch_related("requirements")
        )
        for posting in postings:
            needs = needs_for(
                district=district,
                role=posting.role,
                template=templates.get(posting.role),
                posting=posting,
                catalog=names,
            )
            a = assess(needs, evidence, grades=posting.organization.grades, today=day, names=names)
            fits.append(RoleFit(posting.title, posting.organization, posting, a))
    return fits


def _holders(needs: Sequence[Need], today: dt.date, working: Any) -> set[int] | None:
    """The ids of people in `working` holding everything the required licence, endorsement and assessment
    needs ask for, in one query (a superset of those who meet them: stage and level are checked later);
    None when no such need narrows anyone down."""
    held = [n for n in needs if n.required and n.kind in HELD_KINDS]
    if not held:
        return None
    people = Person.objects.filter(pk__in=working)
    for need in held:
        if need.kind == Requirement.Kind.LICENCE:
            rows: Any = _current_licences(today)
            if need.fields:
                rows = rows.filter(field__code__in=need.fields)
        elif not need.fields:
            return set()  # check() refuses such a need for everyone
        elif need.kind == Requirement.Kind.ENDORSEMENT:
            rows = Endorsement.objects.current().filter(
                status=Endorsement.Status.ACTIVE, kind__code=need.fields[0]
            )
        else:
            rows = AssessmentPassed.objects.current().filter(kind__code=need.fields[0])
        people = people.filter(Exists(rows.filter(person_id=OuterRef("pk"))))
    return set(people.values_list("pk", flat=True))


HELD_KINDS = frozenset({Requirement.Kind.LICENCE, Requirement.Kind.ENDORSEMENT, Requirement.Kind.ASSESSMENT})


# --- bench strength -------------------------------------------------------------------------------------
@dataclass
class SchoolBench:
    school: Organization
    network: Organization | None
    principals: list[Person]
    eligible: list[Person]  # internal candidates who meet the principal requirements for this school
    in_school: list[Person]  # those of them working in the school itself

    @property
    def none_if_left(self) -> bool:
        return not self.eligible


@dataclass
class Bench:
    district: Organization
    needs: list[tuple[Need, str]]
    schools: list[SchoolBench]
    considered: int

    @property
    def without_successor(self) -> list[SchoolBench]:
        return [s for s in self.schools if s.none_if_left]


def bench_strength(
    district: Organization, *, visible: QuerySet[Person], today: dt.date | None = None
) -> Bench:
    """For each open school of the district: its principal(s), the internal candidates (not principals
    now) who meet the district's principal requirements at that school's level, and whether the school
    would have none if its principal left. A fixed number of queries."""
    day = today or dt.date.today()
    names = catalog_names()
    template = templates_by_role(district).get(Position.Role.PRINCIPAL)
    needs = needs_for(
        district=district, role=Position.Role.PRINCIPAL, template=template, posting=None, catalog=names
    )
    schools = list(
        Organization.objects.filter(
            path__startswith=district.path, kind=Organization.Kind.SCHOOL, closed_on__isnull=True
        )
        .select_related("parent")
        .order_by("name", "pk")
    )
    people = internal_people(district, today=day, visible=visible)
    by_pk = {p.pk: p for p in people}
    working = working_in(district, day)
    heads: dict[int, list[Person]] = defaultdict(list)
    for org_id, pid in (
        Position.objects.current(day)
        .filter(role=Position.Role.PRINCIPAL, organization__path__startswith=district.path)
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list("organization_id", "person_id")
    ):
        if pid in by_pk:
            heads[org_id].append(by_pk[pid])
    # Only those who hold what the required licences, endorsements and assessments ask for can meet them:
    # in a large district most staff do not, and loading everyone's evidence was most of the page's time.
    holders = _holders(needs, day, working)
    candidates = people if holders is None else [p for p in people if p.pk in holders]
    evidence = Evidence.load(candidates, today=day, roles=_experience_roles(needs), among=working)
    pool: list[tuple[Evidence, set[int]]] = []
    for ev in evidence.values():
        current = ev.current_positions(day)
        if not any(p.role == Position.Role.PRINCIPAL for p in current):
            pool.append((ev, {p.organization_id for p in current}))
    # Requirements that do not depend on the school are checked once per person; the level per school.
    general = [n for n in needs if not (n.kind == Requirement.Kind.LICENCE and n.levels == (SCHOOL_LEVEL,))]
    levelled = [n for n in needs if n not in general]
    ready = [
        (ev, orgs) for ev, orgs in pool if assess(general, ev, grades="", today=day, names=names).eligible
    ]
    rows = []
    for school in schools:
        fit = [
            ev.person
            for ev, _ in ready
            if all(
                check(n, ev, grades=school.grades, today=day, names=names)[0] for n in levelled if n.required
            )
        ]
        here = [ev.person for ev, orgs in ready if school.pk in orgs and ev.person in fit]
        network = school.parent if school.parent and school.parent.kind == Organization.Kind.NETWORK else None
        rows.append(SchoolBench(school, network, heads.get(school.pk, []), fit, here))
    return Bench(district, [(n, n.describe(names)) for n in needs], rows, len(people))
