"""Demo teacher leadership (issue 13, items 4 and 5): Riverton's catalog of teacher-leader roles with
holders (the `educator` persona among them), the `principal` persona's school's distributed-leadership
guide (rated at the start and middle of the year, actions with owners, one overdue), its leadership
council with meetings and decisions, and the state's teacher and principal advisory cabinets with a
year of meetings and recommendations. Written through the app's services, as the system (actor None);
dates relative to today; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from edlead.access.models import User
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.teacherleaders import dimensions, selectors, services, services_bodies, services_guide
from edlead.teacherleaders.models import LeadershipBody, TeacherLeaderRole

from .demo import RIVERTON_CODE

SEED = "edlead-demo-teacherleaders-v1"
K = TeacherLeaderRole.Kind
ROLES = [
    (
        "Instructional coach",
        K.INSTRUCTIONAL_COACH,
        "Coaches teachers through cycles of observation and feedback; leads grade-level data meetings.",
        "Five years' proficient or exemplary ratings; a master's in a content area or coaching.",
        Decimal("4500"),
        2,
    ),
    (
        "Department head, mathematics",
        K.DEPARTMENT_HEAD,
        "Leads the department's curriculum, common assessments and new-teacher support.",
        "Professional licence in mathematics; three years at the school.",
        Decimal("3500"),
        3,
    ),
    (
        "Grade-level team leader",
        K.TEAM_LEADER,
        "Runs the team's weekly meeting and its data cycle; the team's voice on the leadership council.",
        "Elected by the team.",
        Decimal("1500"),
        1,
    ),
    (
        "Mentor teacher",
        K.MENTOR_TEACHER,
        "Mentors a first-year teacher through induction: weekly meetings, two observations a term.",
        "Proficient or better; mentor training completed.",
        Decimal("1200"),
        1,
    ),
    (
        "Data lead",
        K.DATA_LEAD,
        "Prepares the school's assessment data for teams and trains teachers to use it.",
        "Experience with the district's assessment platform.",
        Decimal("2000"),
        2,
    ),
]


def _persona_person(key: str) -> Person | None:
    u = User.objects.filter(email=f"{key}@demo.edlead.org").select_related("person").first()
    return u.person if u else None


def teacherleaders_seed() -> int:
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or TeacherLeaderRole.objects.filter(organization=riverton).exists():
        return 0
    rnd = random.Random(SEED)
    today = dt.date.today()
    added = 0
    roles = [
        services.role_save(
            actor=None,
            district=riverton,
            name=n,
            kind=k,
            responsibilities=r,
            selection_criteria=c,
            stipend=s,
            term_years=t,
        )
        for n, k, r, c, s, t in ROLES
    ]
    added += len(roles)
    teachers = list(
        Position.objects.current(today)
        .filter(
            organization__path__startswith=riverton.path,
            role=Position.Role.TEACHER,
            organization__kind="school",
        )
        .select_related("person", "organization")
        .order_by("pk")[:40]
    )
    educator = _persona_person("educator")
    chosen = rnd.sample(teachers, min(10, len(teachers)))
    holders = [(p.person, p.organization) for p in chosen]
    if educator is not None:
        pos = Position.objects.current(today).filter(person=educator).select_related("organization").first()
        if pos is not None:
            holders.insert(0, (educator, pos.organization))
    # One role each: a teacher with posts at two schools (or the educator drawn again) is seated once, so
    # no one is given a role they already hold.
    once: dict[int, tuple[Person, Organization]] = {}
    for person, where in holders:
        once.setdefault(person.pk, (person, where))
    holders = list(once.values())
    for i, (person, school) in enumerate(holders):
        catalog_role = roles[i % len(roles)]
        # Some terms end within 60 days (flagged), others started this year.
        start = (
            services.add_years(today, -catalog_role.term_years) + dt.timedelta(days=rnd.randint(20, 50))
            if i % 3 == 0
            else today - dt.timedelta(days=rnd.randint(30, 200))
        )
        services.assignment_start(
            actor=None, role=catalog_role, person=person, organization=school, starts_on=start
        )
        added += 1
    principal = _persona_person("principal")
    ppos = (
        Position.objects.current(today)
        .filter(person=principal, role=Position.Role.PRINCIPAL)
        .select_related("organization")
        .first()
        if principal
        else None
    )
    if principal is not None and ppos is not None:
        school = ppos.organization
        staff = [p for p in services_guide.school_staff(school) if p.pk != principal.pk][:8]
        council = services_bodies.body_create(
            actor=None,
            organization=school,
            kind=LeadershipBody.Kind.LEADERSHIP_TEAM,
            name=f"{school.name} leadership council",
            convener=principal,
            purpose="Teachers and leaders deciding together on the school's instructional priorities, schedule and professional learning.",
        )
        year_start = selectors.year_range(selectors.school_year(today))[0]
        seats = [
            services_bodies.member_seat(
                actor=None, body=council, person=principal, role="chair", starts_on=year_start
            )
        ]
        for j, p in enumerate(staff[:5]):
            seats.append(
                services_bodies.member_seat(
                    actor=None,
                    body=council,
                    person=p,
                    role="secretary" if j == 0 else "member",
                    starts_on=year_start,
                    ends_on=today + dt.timedelta(days=45) if j == 1 else None,
                    represents=f"Grade {j + 1} team",
                )
            )
        meetings = []
        for k in range(4):
            day = min(today, year_start + dt.timedelta(days=30 * k + 10))
            meetings.append(
                services_bodies.meeting_record(
                    actor=None,
                    body=council,
                    held_on=day,
                    agenda=[
                        "Norms and decision rights",
                        "Schedule for common planning time",
                        "Mid-year data review",
                        "Professional learning days",
                    ][k],
                    minutes="Discussed; see decisions.",
                    attendee_ids=[s.pk for s in seats if rnd.random() < 0.85 and s.starts_on <= day],
                )
            )
        for k, (text, why) in enumerate(
            [
                (
                    "Common planning time moves to Wednesday afternoons",
                    "Fewer conflicts with specialists' schedules",
                ),
                ("Teams choose one focus skill for the next data cycle", "Teams own their goals"),
                (
                    "Two professional learning days led by teacher leaders",
                    "Build on expertise in the building",
                ),
            ]
        ):
            services_bodies.decision_log(
                actor=None,
                body=council,
                decided_on=meetings[k].held_on,
                decision=text,
                rationale=why,
                owner=seats[1 + k % (len(seats) - 1)].person if len(seats) > 1 else None,
                meeting=meetings[k],
                status=["done", "in_progress", "decided"][k],
            )
        plan = services_guide.plan_create(
            actor=None,
            school=school,
            school_year=selectors.school_year(today),
            team=council,
            focus="Give teacher teams real decision rights over planning time and professional learning.",
        )
        for s in seats:
            for cp, bump in (("start", 0), ("middle", 1)):
                services_guide.ratings_save(
                    actor=None,
                    plan=plan,
                    person=s.person,
                    checkpoint=cp,
                    levels={
                        d.key: max(1, min(4, rnd.choice([1, 2, 2, 3]) + bump * rnd.choice([0, 1])))
                        for d in dimensions.DIMENSIONS
                    },
                )
        for k, (dim, text) in enumerate(
            [
                ("roles", "Write responsibilities for every team-leader role"),
                ("decisions", "Publish the council's decision log to staff monthly"),
                ("capacity", "Team leaders attend the facilitation course"),
                ("data", "Each team sets one measurable goal per cycle"),
            ]
        ):
            owner = staff[k % len(staff)] if staff else principal
            a = services_guide.action_add(
                actor=None,
                plan=plan,
                dimension=dim,
                action=text,
                owner=owner,
                due_on=today + dt.timedelta(days=[-10, 12, 40, 90][k]),
            )
            if k == 0:
                services_guide.action_update(
                    actor=None,
                    action=a,
                    status="in_progress",
                    note="Drafts for three roles shared with the council.",
                )
        added += 3 + len(seats)
    state = Organization.objects.filter(kind=Organization.Kind.STATE).first()
    state_admin = _persona_person("state_admin") or principal
    if state is not None and state_admin is not None:
        for kind, name, position_role in (
            (LeadershipBody.Kind.TEACHER_CABINET, "Teacher Advisory Cabinet", Position.Role.TEACHER),
            (LeadershipBody.Kind.PRINCIPAL_CABINET, "Principal Advisory Cabinet", Position.Role.PRINCIPAL),
        ):
            if LeadershipBody.objects.filter(organization=state, name=name).exists():
                continue
            cab = services_bodies.body_create(
                actor=None,
                organization=state,
                kind=kind,
                name=name,
                convener=state_admin,
                purpose="Advises the agency on policy and resources from the classroom and the principal's office.",
            )
            people = list(
                Position.objects.current(today)
                .filter(role=position_role, organization__code__startswith="99")
                .select_related("organization__district")
                .order_by("pk")[:60]
            )
            picks = rnd.sample(people, min(8, len(people)))
            if kind == LeadershipBody.Kind.TEACHER_CABINET and educator is not None:
                epos = (
                    Position.objects.current(today)
                    .filter(person=educator)
                    .select_related("organization__district")
                    .first()
                )
                if epos and all(p.person_id != educator.pk for p in picks):
                    picks.insert(0, epos)
            ystart = selectors.year_range(selectors.school_year(today))[0]
            seats = [
                services_bodies.member_seat(
                    actor=None,
                    body=cab,
                    person=p.person,
                    role="chair" if i == 0 else "member",
                    starts_on=ystart - dt.timedelta(days=365 * (i % 2)),
                    ends_on=today + dt.timedelta(days=30 if i == 1 else 400),
                    district=p.organization.district or p.organization,
                )
                for i, p in enumerate(picks)
            ]
            meets = [
                services_bodies.meeting_record(
                    actor=None,
                    body=cab,
                    held_on=min(today, ystart + dt.timedelta(days=60 * k + 20)),
                    agenda=t,
                    attendee_ids=[s.pk for s in seats if rnd.random() < 0.8],
                )
                for k, t in enumerate(
                    ["Educator evaluation guidance", "Teacher leadership roles", "Family engagement"]
                )
            ]
            for k, t in enumerate(
                [
                    "Shorten the evidence requirements of the evaluation cycle",
                    "Publish model teacher-leader role descriptions",
                    "Translate family communications templates",
                ]
            ):
                services_bodies.decision_log(
                    actor=None,
                    body=cab,
                    decided_on=meets[k].held_on,
                    decision=t,
                    rationale="From the cabinet's discussion with agency staff.",
                    meeting=meets[k],
                )
            added += 1 + len(seats)
    return added
