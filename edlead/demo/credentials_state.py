"""Licences and PDP activities for the state scale (issue 10's benchmark): every current leader of the
state-scale districts (codes 9001…-9397…; the demo's districts are never touched) gets about 2.5
Massachusetts licences — the administrator licence of their role (Professional, falling due anywhere from
half a year ago to five years ahead), a teacher licence, and for half of them a second administrator
licence — and about 40 PDP activities of 3 to 12 clock hours across the renewal categories, in their
primary licence's window, approved.

Written as the state evaluations are (edlead/demo/evaluations_state.py's `_Table`: `COPY` on
PostgreSQL, `executemany` elsewhere, ids reserved from each table's sequence), from its own random
generator (`SEED`). Runs only when no state-scale leader holds a licence yet."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from edlead.credentials.models import CredentialType, Licence, PdpActivity, PdpAllocation
from edlead.credentials.services import _add_years
from edlead.people.models import Position

from .credentials import FIELD_OF_ROLE
from .evaluations_state import LAST_DISTRICT_CODE, _foreign_keys_set_aside, _Table
from .state import FIRST_DISTRICT_CODE

SEED = "edlead-state-credentials-v1"
ACTIVITIES_PER_LEADER = 40
TEACHER_FIELDS = ("elementary", "mathematics", "english", "history", "biology", "moderate-disabilities")
SECOND_ADMIN = ("special-education-administrator", "school-business-administrator", "supervisor-director")
TOPICS = (
    ("Sheltered English Immersion strategies", "sei"),
    ("Serving students with disabilities", "disabilities"),
    ("Instructional leadership in literacy", "content"),
    ("Feedback and coaching cycles", "pedagogy"),
    ("School improvement planning", "elective"),
    ("Family engagement", "elective"),
)
PROVIDERS = ("State Leadership Academy", "Regional Collaborative", "University Extension", "District PD")


def _leaders(today: dt.date) -> dict[int, str]:
    """Current leaders of the state-scale districts: person id → the role of their first position."""
    found: dict[int, str] = {}
    rows = (
        Position.objects.current(today)
        .leaders()
        .filter(organization__code__gte=FIRST_DISTRICT_CODE, organization__code__lt=LAST_DISTRICT_CODE)
        .order_by("person_id", "-is_primary", "pk")
        .values_list("person_id", "role")
    )
    for pid, role in rows:
        found.setdefault(pid, role)
    return found


def state_credentials_seed(*, today: dt.date | None = None) -> dict[str, int]:
    """Write the state scale's licences and PDP activities (inside the seed's transaction). Returns counts
    (empty when the state scale is absent or its leaders already hold licences)."""
    day = today or dt.date.today()
    leaders = _leaders(day)
    if not leaders or Licence.objects.filter(person_id__in=list(leaders)[:1000]).exists():
        return {}
    fields = {t.code: t for t in CredentialType.objects.filter(kind=CredentialType.Kind.FIELD)}
    rng = random.Random(SEED)
    now = timezone.now()
    stamp = {"created_at": now, "updated_at": now}
    licences = _Table(
        Licence,
        [
            "id",
            "person",
            "field",
            "grade_level",
            "stage",
            "number",
            "issued_on",
            "expires_on",
            "valid_employment_years",
        ],
        source=Licence.Source.DEMO,
        issuing_state="MA",
        status=Licence.Status.ACTIVE,
        change="",
        note="",
        **stamp,
    )
    activities = _Table(
        PdpActivity,
        ["id", "person", "title", "provider", "topic", "starts_on", "ends_on", "amount", "decided_at"],
        unit=PdpActivity.Unit.CLOCK_HOUR,
        status=PdpActivity.Status.APPROVED,
        source="Demo",
        **stamp,
    )
    allocations = _Table(PdpAllocation, ["activity", "category", "amount"])
    tables = [licences, activities, allocations]
    connection.ensure_connection()
    raw = connection.connection if connection.vendor == "postgresql" else None
    number = 800000000

    def licence(pid: int, code: str, stage: str, issued: dt.date, expires: dt.date | None) -> None:
        nonlocal number
        number += 1
        f = fields[code]
        level = rng.choice(f.levels) if f.levels else ""
        employment = 5 if expires is None else None
        licences.add(licences.new_id(), pid, f.pk, level, stage, str(number), issued, expires, employment)

    def flush() -> None:
        for t in tables:
            t.write(t.take(), raw)

    with _foreign_keys_set_aside([t.table for t in tables]):
        for n, (pid, role) in enumerate(sorted(leaders.items())):
            expires = day + dt.timedelta(days=rng.randint(-180, 1800))
            issued = _add_years(expires, -5) + dt.timedelta(days=1)
            licence(pid, FIELD_OF_ROLE.get(role, "principal"), Licence.Stage.PROFESSIONAL, issued, expires)
            teacher_expires = day + dt.timedelta(days=rng.randint(-100, 1800))
            licence(
                pid,
                rng.choice(TEACHER_FIELDS),
                Licence.Stage.PROFESSIONAL,
                dt.date(teacher_expires.year - 5, 7, 1),
                teacher_expires,
            )
            if n % 2:
                licence(
                    pid,
                    rng.choice(SECOND_ADMIN),
                    Licence.Stage.INITIAL,
                    issued - dt.timedelta(days=900),
                    None,
                )
            span = max((min(day, expires) - issued).days - 3, ACTIVITIES_PER_LEADER)
            for k in range(ACTIVITIES_PER_LEADER):
                topic, category = TOPICS[k % len(TOPICS)]
                ends = issued + dt.timedelta(days=(span * (k + 1)) // (ACTIVITIES_PER_LEADER + 1) + 1)
                hours = rng.randint(3, 12)
                aid = activities.new_id()
                activities.add(
                    aid,
                    pid,
                    f"{topic} ({k + 1})",
                    rng.choice(PROVIDERS),
                    topic,
                    ends - dt.timedelta(days=1),
                    ends,
                    hours,
                    now,
                )
                allocations.add(aid, category, hours)
            if n % 500 == 499:
                flush()
        flush()
    for t in tables:
        t.sequence_past()
    return {"licences": licences.written, "activities": activities.written}
