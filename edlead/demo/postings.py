"""Demo postings (issue 10, item 5): Riverton's principal requirements (a role template), two first-year
principals — assistant principals promoted in their own school this July, their predecessors retired on
30 June, each seat a filled posting — two open principal postings for next July, and the Executive
Director of Instruction and School Leadership posting with the requirements from the field (Principal
and/or Superintendent licence, SEI Administrator endorsement, master's degree, five years as principal or
district administrator; doctorate preferred).

Runs before the evaluation and credential demos, so the first-year principals get this year's cycles and
their licences like every principal. Idempotent: once Riverton has a posting nothing is written. Dated
relative to the day it runs; from its own generator. Schools are chosen away from the personas' North
Quadrant, among those with an assistant principal."""

from __future__ import annotations

import datetime as dt
import random

from edlead.credentials import services_postings as sp
from edlead.credentials.models import Degree
from edlead.credentials.models_postings import Posting
from edlead.orgs.models import Organization
from edlead.people import services as people_services
from edlead.people.models import Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-postings-v1"
R = Position.Role
ED_TITLE = "Executive Director of Instruction and School Leadership"
DISTRICT_ADMINISTRATOR_ROLES: list[str] = [
    R.PRINCIPAL,
    R.PRINCIPAL_SUPERVISOR,
    R.DIRECTOR,
    R.ASSISTANT_SUPERINTENDENT,
    R.SUPERINTENDENT,
]


def _school_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def postings_seed(*, today: dt.date | None = None) -> int:
    """Returns the postings written (0 when Riverton has some already, or without the demo)."""
    day = today or dt.date.today()
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or Posting.objects.filter(organization__path__startswith=riverton.path).exists():
        return 0
    rng = random.Random(SEED)
    year_start = _school_year_start(day)
    template = sp.role_template_get_or_create(actor=None, district=riverton, role=R.PRINCIPAL)
    sp.requirement_add(
        actor=None,
        template=template,
        kind="licence",
        fields=["principal"],
        min_stage="initial",
        levels=["school"],
    )
    sp.requirement_add(actor=None, template=template, kind="degree", degree_level=Degree.Level.MASTER)
    sp.requirement_add(
        actor=None,
        template=template,
        kind="experience",
        years=2,
        roles=[R.ASSISTANT_PRINCIPAL],
        importance="preferred",
    )
    current = list(
        Position.objects.current(day)
        .filter(organization__path__startswith=riverton.path, role__in=[R.PRINCIPAL, R.ASSISTANT_PRINCIPAL])
        .select_related("person", "organization__parent")
        .order_by("organization__name", "pk")
    )
    heads = {p.organization_id: p for p in current if p.role == R.PRINCIPAL}
    deputies: dict[int, Position] = {}
    for p in current:
        if p.role == R.ASSISTANT_PRINCIPAL:
            deputies.setdefault(p.organization_id, p)
    north = "north"

    def away_from_north(pos: Position) -> bool:
        parent = pos.organization.parent
        return north not in (parent.name.lower() if parent is not None else "")

    candidates = [
        (heads[org_id], deputy)
        for org_id, deputy in sorted(deputies.items())
        if org_id in heads and not heads[org_id].is_co_principal and away_from_north(heads[org_id])
    ]
    rng.shuffle(candidates)
    written = 0
    promoted_schools = set()
    for head, deputy in candidates[:2]:
        school = head.organization
        posting = sp.posting_open(
            actor=None,
            organization=school,
            title=f"Principal, {school.name}",
            role=R.PRINCIPAL,
            opens_on=year_start - dt.timedelta(days=150),
            closes_on=year_start - dt.timedelta(days=110),
            starts_on=year_start,
            description=f"{head.person.display_name} retires at the end of the school year.",
        )
        people_services.position_end(position=deputy, ends_on=year_start - dt.timedelta(days=1))
        people_services.position_start(
            person=deputy.person,
            organization=school,
            role=R.PRINCIPAL,
            starts_on=year_start,
            source=Position.Source.DEMO,
            end_current_principals_on=year_start - dt.timedelta(days=1),
        )
        sp.posting_fill(actor=None, posting=posting, person=deputy.person)
        promoted_schools.add(school.pk)
        written += 1
    # Two principals leave next June: their seats are open now.
    leaving = [
        h
        for org_id, h in sorted(heads.items())
        if org_id not in promoted_schools
        and north not in (h.organization.parent.name.lower() if h.organization.parent else "")
    ]
    for head in rng.sample(leaving, min(2, len(leaving))):
        sp.posting_open(
            actor=None,
            organization=head.organization,
            title=f"Principal, {head.organization.name}",
            role=R.PRINCIPAL,
            opens_on=day - dt.timedelta(days=rng.randint(5, 20)),
            closes_on=day + dt.timedelta(days=rng.randint(20, 45)),
            starts_on=dt.date(year_start.year + 1, 7, 1),
            description=f"{head.person.display_name} leaves at the end of the school year.",
        )
        written += 1
    ed = sp.posting_open(
        actor=None,
        organization=riverton,
        title=ED_TITLE,
        role=R.DIRECTOR,
        opens_on=day - dt.timedelta(days=10),
        closes_on=day + dt.timedelta(days=30),
        starts_on=dt.date(year_start.year + 1, 7, 1),
        description="Leads instruction and the principal supervisors across Riverton's schools.",
    )
    add = sp.requirement_add
    add(actor=None, posting=ed, kind="licence", fields=["principal", "superintendent"], min_stage="initial")
    add(actor=None, posting=ed, kind="endorsement", fields=["sei-administrator"])
    add(actor=None, posting=ed, kind="degree", degree_level=Degree.Level.MASTER)
    add(actor=None, posting=ed, kind="experience", years=5, roles=DISTRICT_ADMINISTRATOR_ROLES)
    add(actor=None, posting=ed, kind="degree", degree_level=Degree.Level.DOCTORATE, importance="preferred")
    return written + 1
