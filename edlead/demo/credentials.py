"""Demo licences and PDPs (issue 10): Riverton's leaders get Massachusetts licences dated relative to the
day it runs — some falling due within 30, 90 and 180 days, some years away on pace or behind — PDP
activities in their validity windows (some renewals complete, some short of PDPs), degrees, the PAL for
principals, and the SEI Administrator endorsement their role requires (the district setting
`credentials.required_endorsements`, whose default is the state's rule) for every principal but one.

From its own random generator (`SEED`): every leader's scenario is drawn whether or not it is written, and
a leader who already holds a licence is left alone, so running it twice adds nothing and the demo's
people are not changed. Written through the credential services (checked and audited like any entry).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from edlead.credentials import services
from edlead.credentials.models import CredentialType, Degree, Licence, PdpActivity
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-credentials-v1"
R = Position.Role
LEADER_ROLES = (
    R.PRINCIPAL,
    R.ASSISTANT_PRINCIPAL,
    R.PRINCIPAL_SUPERVISOR,
    R.ASSISTANT_SUPERINTENDENT,
    R.SUPERINTENDENT,
    R.DIRECTOR,
)
FIELD_OF_ROLE: dict[str, str] = {
    R.PRINCIPAL: "principal",
    R.ASSISTANT_PRINCIPAL: "principal",
    R.PRINCIPAL_SUPERVISOR: "supervisor-director",
    R.DIRECTOR: "supervisor-director",
    R.ASSISTANT_SUPERINTENDENT: "superintendent",
    R.SUPERINTENDENT: "superintendent",
}
# (days until the licence expires — a range, the share of the requirement earned so far, the stage)
SCENARIOS = (
    ((10, 30), Decimal("0.7"), Licence.Stage.PROFESSIONAL),  # due within 30 days, short
    ((45, 90), Decimal("1.0"), Licence.Stage.PROFESSIONAL),  # within 90, complete
    ((100, 180), Decimal("0.6"), Licence.Stage.PROFESSIONAL),  # within 180, short
    ((500, 1400), Decimal("0.9"), Licence.Stage.PROFESSIONAL),  # years away, ahead of pace
    ((300, 700), Decimal("0.2"), Licence.Stage.PROFESSIONAL),  # behind pace: at risk
    ((0, 0), Decimal("0"), Licence.Stage.INITIAL),  # Initial: five years of employment
)
CATEGORIES = ("sei", "disabilities", "content", "pedagogy", "elective")
ACTIVITIES = (
    ("Sheltered English Immersion for leaders", "Riverton Leadership Academy", "sei"),
    ("Inclusive schools institute", "Northeast Collaborative", "disabilities"),
    ("Instructional leadership network", "Riverton Public Schools", "content"),
    ("Observation and feedback cycles", "State Leadership Academy", "pedagogy"),
    ("Data-informed school improvement", "Leadership Institute", "elective"),
    ("School finance for leaders", "MA School Business Officials", "elective"),
)


def _level(org: Organization) -> str:
    name = org.name.lower()
    if "high" in name:
        return "9-12"
    if "middle" in name:
        return "5-8"
    return "PreK-6"


def _years_in_post(pos: Position, day: dt.date) -> float:
    return (day - pos.starts_on).days / 365.25 if pos.starts_on else 0.0


def credentials_seed(*, today: dt.date | None = None) -> int:
    """Licences, PDPs, degrees, assessments and endorsements for Riverton's leaders; returns how many
    leaders were given credentials (0 when they all have some, or without the demo)."""
    day = today or dt.date.today()
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None:
        return 0
    positions = list(
        Position.objects.current(day)
        .filter(organization__path__startswith=riverton.path, role__in=LEADER_ROLES)
        .select_related("person", "organization")
        .order_by("person_id", "-is_primary", "pk")
    )
    leaders: dict[int, Position] = {}
    for pos in positions:
        leaders.setdefault(pos.person_id, pos)
    have = set(Licence.objects.filter(person_id__in=list(leaders)).values_list("person_id", flat=True))
    catalog = {(t.kind, t.code): t for t in CredentialType.objects.all()}
    sei = catalog[(CredentialType.Kind.ENDORSEMENT, "sei-administrator")]
    pal = catalog[(CredentialType.Kind.ASSESSMENT, "pal")]
    rng = random.Random(SEED)
    lacking_endorsement = next((pid for pid, p in leaders.items() if p.role == R.PRINCIPAL), None)
    added = 0
    for i, (pid, pos) in enumerate(sorted(leaders.items())):
        scenario = SCENARIOS[i % len(SCENARIOS)]
        if scenario[2] == Licence.Stage.INITIAL and _years_in_post(pos, day) >= 5:
            scenario = SCENARIOS[4]  # five years in post: past Initial, a Professional licence behind pace
        (low, high), share, stage = scenario
        days = rng.randint(low, high)
        pieces = [rng.randint(10, 20) for _ in range(14)]
        doctorate = rng.random() < 0.2
        if pid in have:
            continue
        person = pos.person
        field = catalog[(CredentialType.Kind.FIELD, FIELD_OF_ROLE[pos.role])]
        level = _level(pos.organization) if field.code == "principal" else field.levels[0]
        if stage == Licence.Stage.INITIAL:
            issued = day - dt.timedelta(days=400)
            licence = services.licence_add(
                actor=None,
                person=person,
                field=field,
                stage=stage,
                issued_on=issued,
                grade_level=level,
                number=f"{500000 + pid}",
                source=Licence.Source.DEMO,
            )
        else:
            expires = day + dt.timedelta(days=days)
            issued = services._add_years(expires, -5) + dt.timedelta(days=1)
            licence = services.licence_add(
                actor=None,
                person=person,
                field=field,
                stage=stage,
                issued_on=issued,
                expires_on=expires,
                grade_level=level,
                number=f"{500000 + pid}",
                source=Licence.Source.DEMO,
            )
            _activities(person, licence, share, pieces, day)
        services.degree_add(
            actor=None,
            person=person,
            level=Degree.Level.DOCTORATE if doctorate else Degree.Level.MASTER,
            field="Educational Leadership",
            institution="University of Massachusetts" if i % 2 else "Bay State College of Education",
            year=issued.year - 3,
            source=Degree.Source.DEMO,
        )
        if field.code == "principal":
            services.assessment_add(
                actor=None, person=person, kind=pal, passed_on=issued - dt.timedelta(days=60), source="demo"
            )
        if pos.role in (R.PRINCIPAL, R.ASSISTANT_PRINCIPAL) and pid != lacking_endorsement:
            services.endorsement_add(
                actor=None, person=person, kind=sei, issued_on=issued - dt.timedelta(days=30), source="demo"
            )
        added += 1
    if added:
        plans_seed(day)
    return added


PLAN_ACTIVITIES = (
    ("Sheltered English Immersion for leaders", "sei", 15),
    ("Inclusive schools institute", "disabilities", 15),
    ("Instructional leadership network", "content", 30),
)


def plans_seed(day: dt.date) -> int:
    """Development plans: the demo principal's waits for their supervisor's approval (it is in the
    supervisor's work queue); another North principal's was approved by that supervisor."""
    from edlead.access.models import User
    from edlead.credentials import services_plans

    from .services import persona

    users = {
        u.email: u
        for u in User.objects.filter(email__in=[persona(k).email for k in ("principal", "supervisor")])
    }
    principal, supervisor = users.get(persona("principal").email), users.get(persona("supervisor").email)
    if principal is None or supervisor is None or principal.person is None or supervisor.person is None:
        return 0
    network = (
        Position.objects.current(day)
        .filter(person=supervisor.person, role=R.PRINCIPAL_SUPERVISOR)
        .select_related("organization")
        .first()
    )
    peer = (
        Position.objects.current(day)
        .filter(role=R.PRINCIPAL, organization__parent=network.organization if network else None)
        .exclude(person=principal.person)
        .order_by("organization__name")
        .first()
    )
    made = 0
    for person, approve in ((principal.person, False), (peer.person if peer else None, True)):
        if person is None:
            continue
        licence = Licence.objects.current().filter(person=person, expires_on__isnull=False).first()
        ends = (
            licence.expires_on
            if licence and licence.expires_on and licence.expires_on > day
            else day.replace(year=day.year + 5)
        )
        owner = User.objects.filter(person=person, is_active=True).first()  # None: written by the system
        plan = services_plans.plan_create(
            actor=owner,
            person=person,
            licence=licence,
            starts_on=day - dt.timedelta(days=20),
            ends_on=ends,
            goals="Lead inclusive instruction for English learners and students with disabilities, "
            "and build the school's instructional leadership team around our improvement plan's goals.",
            activities=[
                {
                    "title": t,
                    "category": c,
                    "pdps": p,
                    "target_on": min(ends, day + dt.timedelta(days=60 * (n + 1))),
                }
                for n, (t, c, p) in enumerate(PLAN_ACTIVITIES)
            ],
        )
        plan = services_plans.plan_submit(actor=owner, plan=plan)
        if approve:
            services_plans.plan_decide(
                actor=supervisor, plan=plan, approve=True, note="A clear plan: go ahead."
            )
        made += 1
    return made


def _activities(person: Person, licence: Licence, share: Decimal, pieces: list[int], day: dt.date) -> None:
    """Activities in the licence's window up to `share` of the Massachusetts requirement, each on a topic
    of ten PDPs or more: the four required categories first (15 or more each), then electives. A short
    renewal has no SEI activity at all, so what is missing is named."""
    target = Decimal(150) * share
    start = licence.issued_on
    span = max((min(day, licence.expires_on or day) - start).days - 1, 3)
    plan = [(ACTIVITIES[k], max(pieces[k], 15)) for k in range(4)]
    plan += [(ACTIVITIES[4 + k % 2], pieces[4 + k]) for k in range(len(pieces) - 4)]
    earned = Decimal(0)
    for n, ((title, provider, category), piece) in enumerate(plan):
        if earned >= target:
            break
        if share < 1 and category == "sei":
            continue
        hours = Decimal(piece) if share >= 1 else min(Decimal(piece), max(target - earned, Decimal(10)))
        ends = start + dt.timedelta(days=max((span * (n + 1)) // (len(plan) + 1), 2))
        services.pdp_activity_add(
            actor=None,
            person=person,
            title=f"{title} ({n + 1})",
            provider=provider,
            topic=title,
            starts_on=ends - dt.timedelta(days=2),
            ends_on=ends,
            amount=hours,
            unit=PdpActivity.Unit.CLOCK_HOUR,
            category=category,
            status=PdpActivity.Status.APPROVED if n % 3 else PdpActivity.Status.REPORTED,
        )
        earned += hours
