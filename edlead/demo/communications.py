"""Demo communications (issue 13, item 6): three published "top three" newsletter issues (two of the
state's, one of Riverton's) already sent to their audiences, a state draft waiting for the state
administrator to publish, reflection pieces (two published, the educator persona's waiting for Riverton's
review), and a recognition cycle: Riverton's Principal of the Year, open now, with a review panel (the
North Quadrant supervisor persona among them), nominations part-reviewed, and last year's state Teacher
Leader award on a teacher leader's record.

From its own random generator, dated relative to the day it runs; rows written directly (the services'
checks pass by construction), the issues sent by the real send service, their notices kept in the inbox and
never e-mailed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from edlead.access.models import Relationship, User
from edlead.communications.models import (
    Audience,
    Award,
    NewsletterIssue,
    NewsletterItem,
    Nomination,
    NominationReview,
    RecognitionProgram,
    Reflection,
    ReflectionEvent,
)
from edlead.communications.services import issue_send
from edlead.notices.models import Notice
from edlead.notices.registry import OFF
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-communications-v1"
R = Position.Role
A = Audience

ISSUES: list[dict[str, Any]] = [
    {
        "state": True,
        "days_ago": 35,
        "title": "Top three: leading the new school year",
        "intro": "Short and to the point: the three things we think school leaders will find most useful this month.",
        "audiences": [A.PRINCIPALS, A.ASSISTANT_PRINCIPALS, A.SUPERVISORS, A.SUPERINTENDENTS],
        "items": [
            (
                "Updated educator evaluation guidance",
                "The revised Model System guidance adds examples of evidence for Standard II and a new self-assessment template.",
                "https://www.doe.mass.edu/edeval/",
            ),
            (
                "Register for the Fall leadership institute",
                "Three days on instructional coaching and using student work in leadership teams; 22.5 PDPs.",
                "",
            ),
            (
                "From a principal: our first ninety days",
                "A middle-school principal reflects on listening tours, quick wins and what she would do differently.",
                "",
            ),
        ],
    },
    {
        "state": True,
        "days_ago": 21,
        "title": "Top three: feedback that helps principals grow",
        "intro": "This issue is for principal supervisors and the principals they coach.",
        "audiences": [A.PRINCIPALS, A.SUPERVISORS],
        "items": [
            (
                "Principal supervisor standards in practice",
                "How three districts cut caseloads and spend most of their time in schools.",
                "",
            ),
            (
                "School visit protocols",
                "A one-page protocol for focused school visits, with a feedback template.",
                "",
            ),
            (
                "Nominate a Principal of the Year",
                "District recognition programs are open: nominate a colleague who leads instruction.",
                "",
            ),
        ],
    },
    {
        "state": False,
        "days_ago": 7,
        "title": "Riverton leaders' top three: winter",
        "intro": "From the superintendent's office to Riverton's school and teacher leaders.",
        "audiences": [A.PRINCIPALS, A.ASSISTANT_PRINCIPALS, A.TEACHER_LEADERS, A.ASPIRING_LEADERS],
        "items": [
            (
                "Mid-year formative assessments due 1 February",
                "Supervisors will schedule the conversations in January; bring your goal evidence.",
                "",
            ),
            (
                "Principal of the Year nominations are open",
                "Nominate a Riverton principal by the closing date; the panel meets the week after.",
                "",
            ),
            (
                "Family engagement nights",
                "Share your school's date with the central office so interpreters can be booked.",
                "",
            ),
        ],
    },
]
DRAFT = {
    "title": "Top three: spring assessment season",
    "intro": "What leaders need to know before MCAS testing begins.",
    "audiences": [A.PRINCIPALS, A.ASSISTANT_PRINCIPALS],
    "items": [
        (
            "Testing windows and accommodations",
            "The spring windows, and what changes for English learners' accommodations.",
            "",
        ),
        ("Licence renewal reminder", "Check your PDPs before June: at least 15 in each required area.", ""),
    ],
}
REFLECTIONS = [
    ("What peer school visits taught our leadership team", "Instructional leadership", 12),
    ("Teacher leaders as the bridge to families", "Family engagement", 30),
]
STATEMENTS = [
    "Under her leadership the school's median SGP in mathematics rose from 41 to 58 in two years; she built "
    "grade-level data teams that meet weekly and she observes every classroom each month.",
    "He rebuilt trust with families after a difficult year: attendance at family nights tripled, chronic "
    "absenteeism fell by a third, and the school council now writes the improvement plan with him.",
    "She mentors two aspiring leaders, leads the network's peer visits and turned the school's professional "
    "learning into teacher-led inquiry cycles that other schools now copy.",
]


def communications_seed(*, now: dt.datetime | None = None) -> int:
    """Add the demo's communications; returns how many things were added (0 when present or no demo)."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    state = Organization.objects.filter(kind=Organization.Kind.STATE).first()
    if riverton is None or state is None:
        return 0
    if NewsletterIssue.objects.filter(organization__in=[state, riverton], title=ISSUES[0]["title"]).exists():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = random.Random(SEED)
    people = _personas()
    added = 0
    before = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for spec in ISSUES:
        org = state if spec["state"] else riverton
        issue = _issue(
            org,
            spec,
            status=NewsletterIssue.Status.PUBLISHED,
            published=now - dt.timedelta(days=spec["days_ago"], hours=rng.randint(1, 5)),
        )
        issue_send(issue_id=issue.pk)
        added += 1
    _issue(state, DRAFT, status=NewsletterIssue.Status.DRAFT, published=None)
    added += 1
    # The issues were sent: they are in the inboxes, never e-mailed from a demo.
    Notice.objects.filter(pk__gt=before, once_key__startswith="newsletter:").update(delivery=OFF)
    added += _reflections(riverton, state, people, now, rng)
    added += _recognition(riverton, state, people, today, rng)
    return added


def _personas() -> dict[str, Person | None]:
    from edlead.demo.services import PERSONAS  # late: the demo services import this module

    users = User.objects.filter(email__in=[p.email for p in PERSONAS]).select_related("person")
    by_email = {u.email: u.person for u in users}
    return {p.key: by_email.get(p.email) for p in PERSONAS}


def _issue(
    org: Organization, spec: dict[str, Any], *, status: str, published: dt.datetime | None
) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(
        organization=org,
        title=spec["title"],
        intro=spec["intro"],
        audiences=[str(a) for a in spec["audiences"]],
        status=status,
        published_at=published,
    )
    NewsletterItem.objects.bulk_create(
        NewsletterItem(issue=issue, position=n, headline=h, body=b, link=link)
        for n, (h, b, link) in enumerate(spec["items"], start=1)
    )
    return issue


def _current(org: Organization, roles: tuple[str, ...], exclude: set[int]) -> list[Person]:
    rows = (
        Position.objects.current()
        .filter(organization__path__startswith=org.path, role__in=roles)
        .exclude(person_id__in=exclude)
        .select_related("person")
        .order_by("person__last_name", "person_id")
    )
    seen: dict[int, Person] = {}
    for pos in rows:
        seen.setdefault(pos.person_id, pos.person)
    return list(seen.values())


def _reflections(
    riverton: Organization,
    state: Organization,
    people: dict[str, Person | None],
    now: dt.datetime,
    rng: random.Random,
) -> int:
    personas = {p.pk for p in people.values() if p is not None}
    principals = _current(riverton, (R.PRINCIPAL,), personas)
    teacher_leaders = _current(riverton, (R.TEACHER_LEADER, R.TEACHER), personas)
    authors = [principals[0] if principals else None, teacher_leaders[0] if teacher_leaders else None]
    added = 0
    for (title, topic, days), author, org in zip(REFLECTIONS, authors, (riverton, state), strict=True):
        if author is None:
            continue
        published = now - dt.timedelta(days=days)
        piece = Reflection.objects.create(
            author=author,
            organization=org,
            title=title,
            topic=topic,
            status=Reflection.Status.PUBLISHED,
            body=_body(title, rng),
            submitted_at=published - dt.timedelta(days=3),
            published_at=published,
        )
        ReflectionEvent.objects.create(
            record=piece,
            action="submitted",
            from_status="draft",
            to_status="submitted",
            actor_label=author.display_name,
        )
        ReflectionEvent.objects.create(
            record=piece,
            action="published",
            from_status="submitted",
            to_status="published",
            actor_label="Communications office",
        )
        added += 1
    educator = people.get("educator")
    if educator is not None:
        piece = Reflection.objects.create(
            author=educator,
            organization=riverton,
            title="Why I want to lead a school one day",
            topic="Aspiring leaders",
            body=_body("leading", rng),
            status=Reflection.Status.SUBMITTED,
            submitted_at=now - dt.timedelta(days=2),
        )
        ReflectionEvent.objects.create(
            record=piece,
            action="submitted",
            from_status="draft",
            to_status="submitted",
            actor_label=educator.display_name,
        )
        added += 1
    return added


def _body(title: str, rng: random.Random) -> str:
    parts = [
        "When we began this work we did not expect it to change how our leadership team talks about teaching.",
        "We started small: one classroom, one question, twenty minutes, and a conversation afterwards.",
        "The biggest shift was that teachers asked to be visited; the visits stopped feeling like evaluation.",
        "If I did it again I would protect the time earlier in the year and share our notes with families.",
        "What mattered most was the follow-up: a short note the next day naming one thing to try.",
    ]
    rng.shuffle(parts)
    return "\n\n".join(parts[:4])


def _recognition(
    riverton: Organization,
    state: Organization,
    people: dict[str, Person | None],
    today: dt.date,
    rng: random.Random,
) -> int:
    personas = {p.pk for p in people.values() if p is not None}
    program = RecognitionProgram.objects.create(
        organization=riverton,
        name="Riverton Principal of the Year",
        award_title="Riverton Principal of the Year",
        criteria="Leads instruction: evidence of student growth across groups.\nBuilds a professional culture "
        "where teachers lead.\nEngages families and the community as partners.",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=25),
        self_nomination=False,
    )
    supervisors = _current(riverton, (R.PRINCIPAL_SUPERVISOR,), personas)
    supervisor = people.get("supervisor")
    panel = [p for p in [supervisor, *supervisors[:2]] if p is not None]
    for member in panel:
        Relationship.objects.create(
            kind=Relationship.Kind.MEMBER,
            holder=member,
            group=program.panel_key,
            organization=riverton,
            starts_on=today - dt.timedelta(days=20),
            note=f"Review panel of {program.name}",
        )
    nominees = _current(riverton, (R.PRINCIPAL,), personas | {p.pk for p in panel})[:3]
    nominators = [people.get("principal"), *_current(riverton, (R.ASSISTANT_PRINCIPAL,), personas)[:2]]
    added = 1
    for n, (nominee, nominator) in enumerate(zip(nominees, nominators, strict=False)):
        if nominator is None:
            continue
        nomination = Nomination.objects.create(
            program=program,
            panel_key=program.panel_key,
            nominee=nominee,
            nominator=nominator,
            statement=STATEMENTS[n],
        )
        added += 1
        # The other panelists have scored the first two; the supervisor persona's reviews are still to do.
        for member in panel[1:] if n < 2 else []:
            NominationReview.objects.create(
                nomination=nomination,
                panelist=member,
                score=rng.randint(3, 5),
                comment="Strong evidence against the criteria.",
            )
    # Last year's state program, closed, with its award on a teacher leader's record.
    past = RecognitionProgram.objects.create(
        organization=state,
        name="Massachusetts Teacher Leader Award",
        award_title="Massachusetts Teacher Leader Award",
        criteria="Leads colleagues' learning beyond the classroom; shares practice across schools.",
        opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=340),
        self_nomination=True,
    )
    leaders = _current(riverton, (R.TEACHER_LEADER,), personas) or _current(riverton, (R.TEACHER,), personas)
    if leaders and supervisor is not None:
        winner = leaders[0]
        nomination = Nomination.objects.create(
            program=past,
            panel_key=past.panel_key,
            nominee=winner,
            nominator=supervisor,
            statement="Leads the district's new-teacher induction seminars and hosts open classrooms monthly.",
            status=Nomination.Status.AWARDED,
        )
        Award.objects.create(
            program=past,
            nomination=nomination,
            person=winner,
            title=past.award_title,
            citation="For leading colleagues' learning across Riverton.",
            awarded_on=today - dt.timedelta(days=320),
        )
        added += 2
    return added + 1
