"""Seeding the demo and state scales, and the demo accounts (one persona per role)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Literal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from edlead.access.models import RoleGrant, User
from edlead.orgs.models import Organization
from edlead.orgs.services import state_agency_get_or_create, supervision_override_set
from edlead.people.models import Person

from .demo import RIVERTON_CODE, DemoGenerator, DemoWorld
from .state import FIRST_DISTRICT_CODE, StateGenerator

Scale = Literal["demo", "state"]
GrantRole = RoleGrant.Role

# Demo data only: printed openly by `make run`. Never used for a real account.
DEMO_PASSWORD = "edlead-demo-2026"  # noqa: S105
DEMO_EMAIL_DOMAIN = "demo.edlead.org"
OVERRIDE_STARTS = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Persona:
    """A demo account: who it is (a key of DemoWorld.key_people) and the grant it needs, if any."""

    key: str
    label: str
    person_key: str | None = None
    grant: str | None = None  # a RoleGrant role, held on Riverton (or the state root for state_admin)

    @property
    def email(self) -> str:
        return f"{self.key.replace('_', '.')}@{DEMO_EMAIL_DOMAIN}"


PERSONAS: tuple[Persona, ...] = (
    Persona("state_admin", "State administrator (whole state)", grant=GrantRole.STATE_ADMIN),
    Persona(
        "district_admin",
        "District administrator, Riverton Public Schools",
        "district_admin",
        GrantRole.DISTRICT_ADMIN,
    ),
    Persona("superintendent", "Superintendent, Riverton Public Schools", "superintendent"),
    Persona("hr", "HR / licensure staff, Riverton Public Schools", "hr", GrantRole.HR),
    Persona("supervisor", "Principal supervisor, North Quadrant of Riverton", "supervisor_north"),
    Persona("principal", "Principal (school leader), North Quadrant of Riverton", "principal"),
    Persona("coach", "Coach / mentor, Riverton Public Schools", "coach"),
    Persona("educator", "Educator (a teacher and aspiring leader)", "educator"),
    Persona(
        "programs",
        "Program coordinator, Riverton Public Schools",
        "program_coordinator",
        GrantRole.PROGRAM_COORDINATOR,
    ),
    Persona("cabinet", "Cabinet member (read-only), Riverton Public Schools", "cabinet", GrantRole.CABINET),
    # A central-office staff member with a staff grant (the district's directory and catalog): reads the
    # requests routed to Special Education through a responder relationship, not a role (edlead/support).
    Persona(
        "responder",
        "Department responder, Special Education, Riverton Public Schools",
        "responder",
        GrantRole.EDUCATOR,
    ),
)


def persona(key: str) -> Persona:
    return next(p for p in PERSONAS if p.key == key)


@dataclass
class SeedReport:
    scale: str
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0


def demo_present() -> bool:
    return Organization.objects.filter(code=RIVERTON_CODE).exists()


def state_present() -> bool:
    return Organization.objects.filter(code=FIRST_DISTRICT_CODE).exists()


def database_has_organizations() -> bool:
    """Anything beyond the state root (demo or real imports)."""
    return Organization.objects.exclude(kind=Organization.Kind.STATE).exists()


@transaction.atomic
def demo_seed(*, scale: Scale) -> SeedReport:
    """Write the demo scale (and the state scale on top when asked); parts already present are skipped."""
    started = time.perf_counter()
    report = SeedReport(scale)
    root = state_agency_get_or_create()
    if demo_present():
        report.lines.append("Demo districts (codes 99…) already present: left as they are.")
    else:
        generator = DemoGenerator(root)
        world = generator.build()
        _demo_finish(world)
        report.lines.append(
            f"Demo: {generator.b.org_count} organizations, {len(generator.b.people)} people, "
            f"{len(generator.b.positions)} positions, {len(PERSONAS)} accounts."
        )
    # Issue 10: postings, first-year principals, role requirements — before the evaluations and the
    # credentials, which then cover the first-year principals like every principal.
    from .postings import postings_seed

    posted = postings_seed()
    report.lines.append(f"Postings: {posted} added." if posted else "Postings: already present.")
    from .evaluations import evaluations_seed  # issue 9: cycles for the demo's principals and teachers

    added = evaluations_seed()
    report.lines.append(f"Evaluations: {added} cycles added." if added else "Evaluations: already present.")
    from .credentials import credentials_seed  # issue 10: licences and PDPs of Riverton's leaders

    given = credentials_seed()
    report.lines.append(
        f"Credentials: {given} leaders given licences." if given else "Credentials: already present."
    )
    from .learning import learning_seed  # issue 11: the learning catalog and sessions

    programs = learning_seed()
    report.lines.append(f"Learning: {programs} programs added." if programs else "Learning: already present.")
    from .learning_modules import modules_seed  # an online module's items and progress

    items = modules_seed()
    report.lines.append(
        f"Online module: {items} items added." if items else "Online module: already present."
    )
    from .learning_cohorts import cohorts_seed  # the state's cohort of new principals and a think tank

    cohorts = cohorts_seed()
    report.lines.append(f"Cohorts: {cohorts} added." if cohorts else "Cohorts: already present.")
    from .plans import plans_seed  # Riverton's strategy and every school's improvement plan

    plans = plans_seed()
    report.lines.append(
        f"School improvement plans: {plans} added." if plans else "School improvement plans: already present."
    )
    from .support import support_seed  # issue 12: requests to Riverton's departments in every state

    requests = support_seed()
    report.lines.append(
        f"Department support: {requests} requests added."
        if requests
        else "Department support: already present."
    )
    from .coaching import coaching_seed  # issue 12: coaching with session logs, new principals' mentoring

    coached = coaching_seed()
    report.lines.append(
        f"Coaching: {coached} relationships added." if coached else "Coaching: already present."
    )
    from .visits import visits_seed  # the supervisors' visits to their schools this school year

    visits = visits_seed()
    report.lines.append(
        f"Supervision visits: {visits} added." if visits else "Supervision visits: already present."
    )
    from .networks import networks_seed  # the quadrants' network meetings, attendance and peer pairs

    meetings = networks_seed()
    report.lines.append(
        f"Network meetings: {meetings} added." if meetings else "Network meetings: already present."
    )
    from .network_reports import network_reports_seed  # last month's network report, as the schedule makes it

    reported = network_reports_seed()
    report.lines.append(
        f"Network reports: {reported} added." if reported else "Network reports: already present."
    )
    from .pipeline import (
        pipeline_seed,
    )  # issue 13: the aspiring-leader pool, practicums, applications, succession

    pooled = pipeline_seed()
    report.lines.append(
        f"Leadership pipeline: {pooled} aspiring leaders in the pool."
        if pooled
        else "Leadership pipeline: already present."
    )
    from .teacherleaders import teacherleaders_seed  # issue 13: roles, a school's guide, a council, cabinets

    led = teacherleaders_seed()
    report.lines.append(
        f"Teacher leadership: {led} records added." if led else "Teacher leadership: already present."
    )
    from .communications import communications_seed  # issue 13: digests, reflection pieces, recognition

    told = communications_seed()
    report.lines.append(
        f"Communications: {told} items added." if told else "Communications: already present."
    )
    from .library import library_seed  # issue 13: resources and case studies, linked to programs and cohorts

    resources = library_seed()
    report.lines.append(
        f"Library: {resources} resources added." if resources else "Library: already present."
    )
    if scale == "state":
        if state_present():
            report.lines.append(
                "State-scale districts (codes 9001… to 9397…) already present: left as they are."
            )
        else:
            counts = StateGenerator(root).build()
            report.lines.append(
                "State scale: {districts} districts, {schools} schools, {leaders} leaders, "
                "{educators} educators ({people} people, {positions} positions).".format(**counts)
            )
        from .evaluations_state import state_evaluations_seed  # issue 9's benchmark: ~12,000 cycles a year

        made = state_evaluations_seed()
        report.lines.append(
            "State-scale evaluations: {cycles} cycles, {evidence} pieces of evidence, {visits} visits.".format(
                **made
            )
            if made
            else "State-scale evaluations: already present."
        )
        from .credentials_state import state_credentials_seed  # issue 10's benchmark: licences and PDPs

        held = state_credentials_seed()
        report.lines.append(
            "State-scale credentials: {licences} licences, {activities} PDP activities.".format(**held)
            if held
            else "State-scale credentials: already present."
        )
        from .learning_state import state_learning_seed  # issue 11's benchmark: the catalog at state scale

        learned = state_learning_seed()
        report.lines.append(
            "State-scale learning: {programs} programs, {sessions} sessions, {enrollments} registrations, "
            "{surveys} needs assessments.".format(**learned)
            if learned
            else "State-scale learning: already present."
        )
        from .pipeline_state import state_pipeline_seed  # issue 13's benchmark: 10,000 aspiring leaders

        piped = state_pipeline_seed()
        report.lines.append(
            "State-scale pipeline: {pool} aspiring leaders, {placements} practicums, {hours} hours entries, "
            "{successors} successors.".format(**piped)
            if piped
            else "State-scale pipeline: already present."
        )
    report.seconds = time.perf_counter() - started
    return report


def _demo_finish(world: DemoWorld) -> None:
    people = world.key_people
    assert world.override_school is not None
    supervision_override_set(
        school=world.override_school,
        supervisor=people["supervisor_north"],
        starts_on=OVERRIDE_STARTS,
        reason="Caseload rebalance",
    )
    from .support import responder_create  # the responder persona's person (Special Education)

    people["responder"] = responder_create(world.riverton)
    accounts_ensure(world)
    relationships_seed(world)


def relationships_seed(world: DemoWorld) -> None:
    """Working relationships dated around today, so the personas' homes have people and queue items: the
    North Quadrant supervisor evaluates its principals; the coach coaches three of them (one began this
    week, one ends this month); the demo principal mentors the demo educator (an aspiring leader)."""
    import datetime as dt

    from edlead.access.models import Relationship
    from edlead.access.services import relationship_start
    from edlead.people.models import Position

    today = dt.date.today()
    people = world.key_people
    north = world.quadrants.get("North")
    if north is None or "supervisor_north" not in people:
        return
    heads = [
        pos.person
        for pos in Position.objects.current(today)
        .filter(role=Position.Role.PRINCIPAL, organization__path__startswith=north.path)
        .select_related("person")
        .order_by("organization__name", "pk")
    ]
    kind = Relationship.Kind
    year_start = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    for head in heads:
        relationship_start(
            actor=None,
            kind=kind.EVALUATOR,
            holder=people["supervisor_north"],
            person=head,
            organization=world.riverton,
            starts_on=year_start,
            note="Demo",
        )
    coach = people.get("coach")
    principal = people.get("principal")
    if coach is not None and principal is not None:
        coached = [principal, *[h for h in heads if h.pk != principal.pk][:2]]
        dates = [
            (year_start, None),
            (today - dt.timedelta(days=3), None),
            (year_start, today + dt.timedelta(days=10)),
        ]
        for head, (start, end) in zip(coached, dates, strict=False):
            relationship_start(
                actor=None,
                kind=kind.COACH,
                holder=coach,
                person=head,
                organization=world.riverton,
                starts_on=start,
                ends_on=end,
                note="Demo",
            )
        educator = people.get("educator")
        if educator is not None:
            relationship_start(
                actor=None,
                kind=kind.MENTOR,
                holder=principal,
                person=educator,
                organization=world.riverton,
                starts_on=year_start,
                note="Demo",
            )


def accounts_ensure(world: DemoWorld) -> list[User]:
    """One account per persona, all with the shared demo password (hashed once: argon2 is slow on purpose)."""
    password_hash = make_password(DEMO_PASSWORD)
    root = state_agency_get_or_create()
    users = []
    for p in PERSONAS:
        person = world.key_people[p.person_key] if p.person_key else None
        user = User.objects.filter(email=p.email).first()
        if user is None:
            user = User(email=p.email)
        user.password = password_hash
        user.person = person
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=p.email, defaults={"verified": True, "primary": True}
        )
        if p.grant:
            org = root if p.grant == GrantRole.STATE_ADMIN else world.riverton
            RoleGrant.objects.get_or_create(
                user=user, role=p.grant, organization=org, revoked_at=None, defaults={"note": "Demo persona"}
            )
        users.append(user)
    return users


def persona_logins() -> list[tuple[Persona, User, Person | None]]:
    """The personas whose accounts exist, in the order of PERSONAS."""
    users = {
        u.email: u
        for u in User.objects.filter(email__in=[p.email for p in PERSONAS]).select_related("person")
    }
    return [(p, users[p.email], users[p.email].person) for p in PERSONAS if p.email in users]


def login_lines() -> list[str]:
    """`user: EMAIL  password: PASSWORD` lines, each after a line naming the role and the person."""
    lines = []
    for p, _user, person in persona_logins():
        who = f" — {person.display_name}" if person else ""
        lines.append(f"# {p.label}{who}")
        lines.append(f"user: {p.email}  password: {DEMO_PASSWORD}")
    return lines
