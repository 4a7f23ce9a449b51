"""The leadership pipeline at state scale (issue 13's benchmark): 10,000 aspiring leaders — teachers of the
state-scale districts (codes 9001…-9397…), each in their own district's pool at a stage — 2,000 of them in
a practicum at their school under its principal with 100 hours-log entries each (200,000 entries, most
signed), and successors named for about half of the state-scale schools.

Written as the other state seeds are (`edlead/demo/evaluations_state.py`'s `_Table`: `COPY` on
PostgreSQL, ids reserved from each table's sequence, foreign keys checked once at the end), from its own
generator. Runs only when no state-scale district has a pool entry yet; the demo's records are never
touched."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils import timezone

from edlead.orgs.models import Organization
from edlead.people.models import Position
from edlead.pipeline.models import (
    Candidacy,
    HoursEntry,
    Placement,
    PoolEntry,
    PrepProgram,
    SuccessionCandidate,
)

from .evaluations_state import LAST_DISTRICT_CODE, _foreign_keys_set_aside, _Table
from .state import FIRST_DISTRICT_CODE

SEED = "edlead-state-pipeline-v1"
POOL = 10_000
PLACEMENTS = 2_000
ENTRIES_PER_PLACEMENT = 100
STAGES = [s.value for s in PoolEntry.Stage]
STANDARDS = ["I", "II", "III", "IV"]
ACTIVITY = {
    "I": "Led the grade-level data meeting",
    "II": "Built the testing schedule",
    "III": "Led the family curriculum night",
    "IV": "Facilitated the new teachers' PLC",
}


def _state_districts() -> dict[str, Organization]:
    return {
        d.path: d
        for d in Organization.objects.filter(
            kind=Organization.Kind.DISTRICT, code__gte=FIRST_DISTRICT_CODE, code__lte=LAST_DISTRICT_CODE
        )
    }


def state_pipeline_seed(*, now: dt.datetime | None = None) -> dict[str, int]:
    districts = _state_districts()
    if not districts:
        return {}
    if PoolEntry.objects.filter(organization_id__in=[d.pk for d in districts.values()]).exists():
        return {}
    at = now or timezone.now()
    today = timezone.localdate(at)
    rng = random.Random(SEED)
    teachers: list[tuple[int, int, str]] = []  # person, school, district path
    principal_of: dict[int, int] = {}
    schools_by_district: dict[str, list[int]] = defaultdict(list)
    for pid, org_id, path, role in (
        Position.objects.current(today)
        .filter(
            organization__kind=Organization.Kind.SCHOOL,
            role__in=[Position.Role.TEACHER, Position.Role.PRINCIPAL],
        )
        .values_list("person_id", "organization_id", "organization__path", "role")
        .order_by("pk")
    ):
        district = "/" + "/".join([p for p in path.strip("/").split("/") if p][:2]) + "/"
        if district not in districts:
            continue
        if role == Position.Role.PRINCIPAL:
            principal_of.setdefault(org_id, pid)
            schools_by_district[district].append(org_id)
        else:
            teachers.append((pid, org_id, district))
    if not teachers:
        return {}
    seen: set[int] = set()
    unique = [t for t in teachers if not (t[0] in seen or seen.add(t[0]))]  # type: ignore[func-returns-value]
    chosen = rng.sample(unique, k=min(POOL, len(unique)))
    program = PrepProgram.objects.filter(organization__isnull=True).order_by(
        "pk"
    ).first() or PrepProgram.objects.create(
        name="Principal Licensure Program", partner="Commonwealth State University", required_hours=500
    )
    from edlead.people.models import Person

    from .pipeline import _free_mepid

    supervisor = Person.objects.create(  # the university's program supervisor
        first_name="Grace", last_name="Adeyemi", mepid=_free_mepid(rng)
    )
    stamp = {"created_at": at, "updated_at": at}
    t_entries = _Table(
        PoolEntry, ["person", "organization", "stage", "stage_since"], interests=[], goal="", **stamp
    )
    t_cands = _Table(
        Candidacy, ["id", "person", "program", "cohort_year", "status"], completed_on=None, **stamp
    )
    t_places = _Table(
        Placement,
        ["id", "candidacy", "person", "organization", "mentor", "supervisor", "starts_on", "ends_on"],
        signed_off_at=None,
        signed_off_by=None,
        **stamp,
    )
    t_hours = _Table(
        HoursEntry,
        [
            "placement",
            "day",
            "starts_at",
            "ends_at",
            "minutes",
            "standard",
            "activity",
            "signed_at",
            "signed_by",
        ],
        **stamp,
    )
    t_succ = _Table(SuccessionCandidate, ["organization", "person", "readiness", "note", "added_by"], **stamp)
    tables = [t_entries, t_cands, t_places, t_hours, t_succ]
    connection.ensure_connection()
    raw: Any = connection.connection if connection.vendor == "postgresql" else None
    year = today.year if today.month >= 7 else today.year - 1
    placed = 0
    by_district: dict[str, list[int]] = defaultdict(list)
    with _foreign_keys_set_aside([t.table for t in tables]):
        for pid, school, district in chosen:
            mentor = principal_of.get(school)
            practicum = placed < PLACEMENTS and mentor is not None and mentor != pid
            stage = "practicum" if practicum else rng.choice(STAGES)
            t_entries.add(pid, districts[district].pk, stage, today - dt.timedelta(days=rng.randint(10, 700)))
            by_district[district].append(pid)
            if not practicum:
                continue
            cand = t_cands.new_id()
            t_cands.add(cand, pid, program.pk, year, "enrolled")
            place = t_places.new_id()
            starts = today - dt.timedelta(days=200)
            t_places.add(
                place, cand, pid, school, mentor, supervisor.pk, starts, today + dt.timedelta(days=160)
            )
            placed += 1
            for i in range(ENTRIES_PER_PLACEMENT):
                day = starts + dt.timedelta(days=i * 2)
                hour = 7 + (i % 3) * 2
                standard = STANDARDS[i % 4]
                signed = i < ENTRIES_PER_PLACEMENT - 3
                t_hours.add(
                    place,
                    day,
                    f"{hour:02d}:00:00",
                    f"{hour + 1:02d}:30:00",
                    90,
                    standard,
                    ACTIVITY[standard],
                    at if signed else None,
                    mentor if signed else None,
                )
            if placed % 200 == 0:
                for t in tables:
                    t.write(t.take(), raw)
        for district, schools in schools_by_district.items():
            pool = by_district.get(district, [])
            if not pool:
                continue
            for school in schools:
                if rng.random() < 0.5:
                    continue
                for pid in rng.sample(pool, k=min(len(pool), 2)):
                    t_succ.add(school, pid, rng.choice(["ready_now", "one_two_years"]), "", None)
        for t in tables:
            t.write(t.take(), raw)
    for t in tables:
        t.sequence_past()
    return {
        "pool": t_entries.written,
        "placements": t_places.written,
        "hours": t_hours.written,
        "successors": t_succ.written,
    }
