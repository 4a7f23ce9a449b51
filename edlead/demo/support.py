"""Demo department support (issue 12, item 5): Riverton's department responders — among them the
`responder` persona, a Special Education coordinator at the central office — and requests from its
schools in every state of the workflow, dated relative to the day the demo is seeded: new, triaged,
assigned, answered, reopened, resolved, overdue, and a safety and crisis request nobody has answered,
escalated to the supervisor and the superintendent by the real escalation service.

From its own random generator; the rows are written directly (the services' checks pass by
construction: requesters lead or supervise their schools, assignees answer for the department)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from edlead.access.models import Relationship
from edlead.access.services import relationship_start
from edlead.notices.models import Notice
from edlead.notices.registry import OFF
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.support import departments
from edlead.support.models import SupportEvent, SupportMessage, SupportRequest
from edlead.support.services import due_at, support_escalate

from .builder import july_first
from .demo import RIVERTON_CODE

SEED = "edlead-demo-support-v1"
R = Position.Role
S = SupportRequest.Status
C = SupportRequest.Category
TL, ML, SPED, TECH, PYD = departments.DEFAULT_DEPARTMENTS
RESPONDER_TITLE = "Special Education coordinator"

# (department, category, subject, description, answer)
CATALOG: list[tuple[str, str, str, str, str]] = [
    (
        SPED,
        C.SPECIAL_EDUCATION,
        "District representative for an annual IEP review",
        "A grade 4 student's annual review is on Thursday at 9:00; the team needs a district representative "
        "who can commit services.",
        "Our program specialist will attend in person and bring the updated service grid.",
    ),
    (
        SPED,
        C.SPECIAL_EDUCATION,
        "Paraprofessional coverage for a substantially separate classroom",
        "One of two paraprofessionals in the grade 2–3 classroom is on leave for six weeks; the IEPs need "
        "two adults in the room.",
        "A floating paraprofessional starts Monday for the six weeks; timesheets go to the school office.",
    ),
    (
        SPED,
        C.SPECIAL_EDUCATION,
        "Evaluation timeline at risk for two initial referrals",
        "Two initial evaluations are due within 30 school days and the school psychologist's caseload is full.",
        "A contracted psychologist will complete both evaluations; the consent dates are logged.",
    ),
    (
        ML,
        C.MULTILINGUAL,
        "Interpreter for family conferences in Haitian Creole",
        "Eleven families asked for Haitian Creole at the November conferences.",
        "Two interpreters are booked for both conference evenings; the schedule is attached to the calendar.",
    ),
    (
        ML,
        C.MULTILINGUAL,
        "ACCESS testing schedule and proctors",
        "The school needs a testing window and two trained proctors for 64 English learners.",
        "Your window is the second and third weeks of January; two ESL teachers from the cluster will proctor.",
    ),
    (
        TL,
        C.CURRICULUM,
        "Coaching for the new grade 6 math curriculum",
        "Teachers are behind the pacing guide after the first unit and ask for in-class coaching.",
        "A math coach will co-plan with the grade 6 team every Tuesday for the next eight weeks.",
    ),
    (
        TL,
        C.CURRICULUM,
        "Literacy screener data review",
        "The fall screener flagged 38% of grade 1 students; the team wants help planning intervention groups.",
        "We will join the data meeting on the 14th with intervention group templates.",
    ),
    (
        TECH,
        C.TECHNOLOGY,
        "Chromebook cart failing to charge before testing",
        "One of three carts does not charge; 30 devices are needed for the benchmark assessment.",
        "",
    ),
    (
        TECH,
        C.TECHNOLOGY,
        "Staff accounts for three new hires",
        "Three teachers started this week and cannot sign in to the student information system.",
        "",
    ),
    (
        PYD,
        C.STUDENT_SUPPORT,
        "Attendance outreach for chronically absent students",
        "Forty students have missed 10% of days; the school asks for outreach workers for home visits.",
        "",
    ),
    (
        PYD,
        C.STUDENT_SUPPORT,
        "Restorative circles training for grade 8 advisors",
        "Suspensions doubled this fall; advisors ask for restorative practices training.",
        "",
    ),
]
SAFETY = (
    "A threat reported at dismissal",
    "A parent reported a threat against a student at dismissal; the police liaison is informed. The school "
    "needs the district's crisis team and guidance for the family communication tomorrow morning.",
)


@dataclass
class Spec:
    """One request to write: where it stands and the steps it took, dated back from `now`."""

    school: Organization
    requester: Person
    department: str
    category: str
    priority: str
    subject: str
    description: str
    routed_at: dt.datetime
    steps: list[tuple[str, str, Person | None, dt.datetime, str]] = field(default_factory=list)
    messages: list[tuple[str, Person, dt.datetime, str]] = field(default_factory=list)
    assignee: Person | None = None
    status: str = S.NEW


# --- the responder persona ---------------------------------------------------------------------------------
def responder_create(riverton: Organization, *, today: dt.date | None = None) -> Person:
    """The `responder` persona's person: a Special Education coordinator at Riverton's central office,
    answering for Special Education since the school year began (called before the demo accounts are
    made, so the account is linked to them)."""
    today = today or timezone.localdate()
    person = Person.objects.create(
        first_name="Noor",
        last_name="Haddad",
        mepid=_free_mepid(),
        local_employee_number="R999001",
        email="noor.haddad@riverton.example.org",
        source=Person.Source.DEMO,
    )
    Position.objects.create(
        person=person, organization=riverton, role=R.OTHER, title=RESPONDER_TITLE, starts_on=july_first(2019)
    )
    year_start = july_first(today.year if today.month >= 7 else today.year - 1)
    relationship_start(
        actor=None,
        kind=Relationship.Kind.RESPONDER,
        holder=person,
        group=departments.group_key(riverton.pk, SPED),
        organization=riverton,
        starts_on=year_start,
        note="Demo",
    )
    return person


def _free_mepid() -> str:
    """The highest demo staff ID not taken (the generator draws its IDs at random from the same range)."""
    taken = set(Person.objects.filter(mepid__startswith="999").values_list("mepid", flat=True))
    return next(str(n) for n in range(99_999_999, 99_000_000, -1) if str(n) not in taken)


# --- the requests ------------------------------------------------------------------------------------------
def support_seed(*, now: dt.datetime | None = None) -> int:
    """Riverton's requests; returns how many were added (0 when present, or without the demo)."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or SupportRequest.objects.filter(district=riverton).exists():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = random.Random(SEED)
    responders = _responders(riverton, today)
    if SPED not in responders:
        return 0
    schools = list(
        Organization.objects.schools().open().within(riverton).select_related("parent").order_by("name", "pk")
    )
    from edlead.people.selectors import principals_for_schools, supervisors_for_schools

    heads = {
        pk: positions[0].person
        for pk, positions in principals_for_schools(schools, on=today).items()
        if positions
    }
    supervisors = supervisors_for_schools(schools, on=today)
    persona_school = _persona_school(schools, heads)
    north = [s for s in schools if s.parent and s.parent.name == "North Quadrant" and s.pk in heads]
    others = [s for s in schools if s.pk in heads and s not in north]
    specs: list[Spec] = []

    def spec(
        school: Organization,
        item: tuple[str, str, str, str, str],
        hours_ago: float,
        by_supervisor: bool = False,
    ) -> Spec:
        dept, category, subject, description, _answer = item
        requester = supervisors.get(school.pk) if by_supervisor else heads[school.pk]
        routed = now - dt.timedelta(hours=hours_ago, minutes=rng.randint(0, 50))
        made = Spec(
            school=school,
            requester=requester or heads[school.pk],
            department=dept,
            category=category,
            priority=rng.choice(["normal", "normal", "high", "low"]),
            subject=subject,
            description=description,
            routed_at=routed,
        )
        made.steps.append(("routed", S.NEW, made.requester, routed, f"To {dept}."))
        specs.append(made)
        return made

    def work(s: Spec, to: str, answer: str = "", reopen: str = "") -> None:
        """Move `s` along its department's steps up to status `to`."""
        people = responders.get(s.department, [])
        if not people:
            return
        who = people[0] if s.department == SPED and s.school == persona_school else rng.choice(people)
        at = s.routed_at + dt.timedelta(hours=rng.randint(1, 6))
        s.steps.append(("triaged", S.TRIAGED, who, at, ""))
        s.status = S.TRIAGED
        if to == S.TRIAGED:
            return
        at += dt.timedelta(hours=rng.randint(1, 20))
        s.steps.append(("assigned", S.ASSIGNED, who, at, f"To {who.display_name}."))
        s.status, s.assignee = S.ASSIGNED, who
        if to == S.ASSIGNED and not reopen:
            return
        at += dt.timedelta(hours=rng.randint(2, 40))
        s.steps.append(("answered", S.ANSWERED, who, at, ""))
        s.messages.append(("answer", who, at, answer or "Done: see the note in the school's folder."))
        s.status = S.ANSWERED
        if reopen:
            at += dt.timedelta(hours=rng.randint(2, 20))
            s.steps.append(("reopened", S.ASSIGNED, s.requester, at, reopen))
            s.messages.append(("comment", s.requester, at, reopen))
            s.status = S.ASSIGNED
            return
        if to == S.RESOLVED:
            at += dt.timedelta(hours=rng.randint(2, 30))
            s.steps.append(
                ("resolved", S.RESOLVED, s.requester, at, rng.choice(["", "Thank you.", "Settled."]))
            )
            s.status = S.RESOLVED

    sped = [c for c in CATALOG if c[0] == SPED]
    # The persona principal's school: an answer to resolve, one assigned to the responder persona, a new one.
    if persona_school is not None:
        work(spec(persona_school, sped[0], 70), S.ANSWERED, sped[0][4])
        work(spec(persona_school, sped[1], 30), S.ASSIGNED)
        spec(persona_school, CATALOG[3], 5)
    # The escalated safety request (North Quadrant: the supervisor persona's), and a fresh one elsewhere.
    if north:
        school = next((s for s in north if s != persona_school), north[0])
        made = spec(school, (PYD, C.SAFETY, *SAFETY, ""), 9.5)
        made.priority = "urgent"
    if others:
        fresh = "A fight at lunch; two students hurt"
        made = spec(others[0], (PYD, C.SAFETY, fresh, "Both students went home with their families.", ""), 1)
        made.priority = "urgent"
    # Every state across the district, a request of each kind.
    states = [S.NEW, S.TRIAGED, S.ASSIGNED, S.ANSWERED, S.RESOLVED, S.RESOLVED, "reopened", S.ASSIGNED]
    pool = [s for s in (north + others) if s != persona_school]
    rng.shuffle(pool)
    for i, school in enumerate(pool[:22]):
        item = CATALOG[i % len(CATALOG)]
        state = states[i % len(states)]
        hours = rng.randint(2, 24 * 20) if state in (S.RESOLVED, S.ANSWERED) else rng.randint(2, 24 * 6)
        made = spec(school, item, hours, by_supervisor=i % 5 == 0)
        if state == "reopened":
            work(made, S.ASSIGNED, item[4], reopen="The schedule still leaves Friday uncovered.")
        elif state != S.NEW:
            work(made, state, item[4])
    resolved_safety = pool[22] if len(pool) > 22 else None
    if resolved_safety is not None:
        eloped = (
            SPED,
            C.SAFETY,
            "A student with an IEP left the building",
            "A grade 2 student left during recess and was found safe two streets away; the team needs the "
            "district's help to review the safety plan in the IEP before Monday.",
            "",
        )
        made = spec(resolved_safety, eloped, 24 * 25)
        made.priority = "urgent"
        work(made, S.RESOLVED, "The IEP team met Friday: a new safety plan, a door alarm and a recess adult.")
    _write(specs, riverton)
    before = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    support_escalate(now=now)
    # The escalation notices are the demo's history: shown in the inbox, never e-mailed.
    Notice.objects.filter(pk__gt=before, once_key__startswith="support-").update(delivery=OFF)
    return len(specs)


def _responders(riverton: Organization, today: dt.date) -> dict[str, list[Person]]:
    """Special Education (the persona, made with the demo's people), Multilingual Education (the
    multilingual instructional coach) and Teaching and Learning (the assistant superintendent)."""
    current = Position.objects.current(today).filter(organization=riverton).select_related("person")
    for title, dept in (
        ("Instructional coach, multilingual education", ML),
        ("Assistant Superintendent of Teaching and Learning", TL),
    ):
        pos = current.filter(title=title).order_by("pk").first()
        if pos is not None and not Relationship.objects.filter(holder=pos.person, kind="responder").exists():
            relationship_start(
                actor=None,
                kind=Relationship.Kind.RESPONDER,
                holder=pos.person,
                group=departments.group_key(riverton.pk, dept),
                organization=riverton,
                starts_on=july_first(2024),
                note="Demo",
            )
    keys = {departments.group_key(riverton.pk, d): d for d in departments.DEFAULT_DEPARTMENTS}
    found: dict[str, list[Person]] = {}
    for rel in departments.responder_relationships(keys, today):
        found.setdefault(keys[rel.group], []).append(rel.holder)
    return found


def _persona_school(schools: list[Organization], heads: dict[int, Person]) -> Organization | None:
    from edlead.access.models import User

    from .services import persona

    user = User.objects.filter(email=persona("principal").email).first()
    return next((s for s in schools if user is not None and heads.get(s.pk) == user.person), None)


def _write(specs: list[Spec], riverton: Organization) -> None:
    rows = []
    for s in specs:
        rows.append(
            SupportRequest(
                district=riverton,
                organization=s.school,
                department=s.department,
                group_key=departments.group_key(riverton.pk, s.department),
                category=s.category,
                priority=s.priority,
                subject=s.subject,
                description=s.description,
                requester=s.requester,
                assignee=s.assignee,
                status=s.status,
                routed_at=s.routed_at,
                due_at=due_at(riverton, s.priority, s.routed_at),
                first_answered_at=next((at for a, _t, _w, at, _n in s.steps if a == "answered"), None),
                answered_at=next((at for a, _t, _w, at, _n in reversed(s.steps) if a == "answered"), None)
                if s.status in (S.ANSWERED, S.RESOLVED)
                else None,
                resolved_at=s.steps[-1][3] if s.status == S.RESOLVED else None,
                version=len(s.steps),
                edited_at=s.steps[-1][3],
            )
        )
    made = SupportRequest.objects.bulk_create(rows)
    events: list[SupportEvent] = []
    messages: list[SupportMessage] = []
    event_at: list[dt.datetime] = []
    message_at: list[dt.datetime] = []
    for req, s in zip(made, specs, strict=True):
        previous = ""
        for action, to, who, at, note in s.steps:
            events.append(
                SupportEvent(
                    record=req,
                    actor_label=who.display_name if who else "system",
                    action=action,
                    from_status=previous,
                    to_status=to,
                    note=note,
                )
            )
            event_at.append(at)
            previous = to
        for kind, who, at, body in s.messages:
            messages.append(SupportMessage(request=req, kind=kind, author_label=who.display_name, body=body))
            message_at.append(at)
    SupportEvent.objects.bulk_create(events)
    SupportMessage.objects.bulk_create(messages)
    # auto_now_add stamped today: date the rows back to when each step happened.
    _restamp(SupportRequest, [(r.pk, s.routed_at) for r, s in zip(made, specs, strict=True)], "created_at")
    _restamp(SupportEvent, [(e.pk, at) for e, at in zip(events, event_at, strict=True)], "at")
    _restamp(SupportMessage, [(m.pk, at) for m, at in zip(messages, message_at, strict=True)], "at")


def _restamp(model: Any, pairs: list[tuple[int, dt.datetime]], name: str) -> None:
    for start in range(0, len(pairs), 500):
        part = pairs[start : start + 500]
        model.objects.filter(pk__in=[pk for pk, _ in part]).update(
            **{name: Case(*[When(pk=pk, then=Value(at)) for pk, at in part], output_field=DateTimeField())}
        )
