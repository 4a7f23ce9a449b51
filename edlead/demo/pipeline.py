"""Demo leadership pipeline (issue 13, items 1–3), Riverton only, from its own generator and dated relative
to today: three preparation programs; Riverton's aspiring leaders in the pool across every stage, most with
self-reported demographics and a readiness note by their principal; the `educator` persona (Mira) in a
practicum at her own school under the `principal` persona, with weeks of hours (the last ones waiting for
the mentor's signature) and a leadership project tied to the school's improvement plan goal; five more
practicums; applications to the open principal postings (teachers without the licence flagged, assistant
principals who hold it eligible); successors named for most schools,
leaving gaps; and earlier completers of each program who went on to lead, for the outcomes page.
Idempotent: once a preparation program exists nothing is written."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from edlead.credentials.models_postings import Posting
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.pipeline import services
from edlead.pipeline.models import (
    Application,
    ApplicationEvent,
    Candidacy,
    Demographics,
    HoursEntry,
    LeadershipProject,
    Placement,
    PoolEntry,
    PoolEvent,
    PrepProgram,
    ReadinessNote,
    SuccessionCandidate,
)

from .demo import RIVERTON_CODE

SEED = "edlead-demo-pipeline-v1"
Stage = PoolEntry.Stage
R = Position.Role
ACTIVITIES = {
    "I": [
        "Led the grade-level data meeting",
        "Observed and debriefed two literacy blocks",
        "Planned the MCAS item analysis",
    ],
    "II": [
        "Built the spring testing schedule",
        "Reviewed the building budget with the principal",
        "Ran arrival duty and the safety drill",
    ],
    "III": [
        "Led the family curriculum night",
        "Met the school council about the improvement plan",
        "Called families about attendance",
    ],
    "IV": [
        "Facilitated the new teachers' PLC",
        "Planned the staff meeting on feedback",
        "Co-led the equity team",
    ],
}
RACES = ["white", "white", "white", "hispanic", "hispanic", "black", "black", "asian", "multi_race", ""]
GENDERS = ["female", "female", "female", "male", "male", ""]


def pipeline_seed(*, today: dt.date | None = None) -> int:
    if PrepProgram.objects.exists():
        return 0
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None:
        return 0
    day = today or timezone.localdate()
    rng = random.Random(SEED)
    programs = [
        PrepProgram.objects.create(
            name="Principal Licensure Program",
            partner="Commonwealth State University",
            provider="university",
            required_hours=500,
        ),
        PrepProgram.objects.create(
            name="Riverton Aspiring Principals Academy",
            partner="Riverton Public Schools",
            provider="district",
            organization=riverton,
            required_hours=500,
        ),
        PrepProgram.objects.create(
            name="Urban Leadership Fellows",
            partner="Bay State Leadership Partners",
            provider="nonprofit",
            required_hours=500,
        ),
    ]
    current = list(
        Position.objects.current(day)
        .filter(organization__path__startswith=riverton.path)
        .select_related("organization", "person")
        .order_by("pk")
    )
    principal_of = {p.organization_id: p.person for p in current if p.role == R.PRINCIPAL}
    aspiring = [
        p for p in current if p.person.is_aspiring_leader and p.role in (R.TEACHER, R.TEACHER_LEADER, R.COACH)
    ]
    seen: set[int] = set()
    aspiring = [p for p in aspiring if not (p.person_id in seen or seen.add(p.person_id))]  # type: ignore[func-returns-value]
    mira = next((p for p in aspiring if p.person.first_name == "Mira"), None)
    stages = [Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICUM, Stage.LICENSED, Stage.APPLYING]
    entries: list[PoolEntry] = []
    for i, pos in enumerate(aspiring):
        stage = Stage.PRACTICUM if mira and pos.person_id == mira.person_id else stages[i % len(stages)]
        entries.append(
            PoolEntry(
                person=pos.person,
                organization=riverton,
                stage=stage,
                stage_since=day - dt.timedelta(days=rng.randint(20, 400)),
                interests=rng.sample(
                    [
                        "Elementary principal",
                        "Middle school principal",
                        "High school principal",
                        "Assistant principal",
                        "Teacher leader",
                    ],
                    2,
                ),
                goal="Lead a school where every student reads on grade level." if i % 3 == 0 else "",
            )
        )
    PoolEntry.objects.bulk_create(entries)
    entries = list(PoolEntry.objects.filter(organization=riverton).select_related("person"))
    PoolEvent.objects.bulk_create(
        [PoolEvent(record=e, actor_label="Demo", action="joined", to_status=e.stage) for e in entries]
    )
    Demographics.objects.bulk_create(
        [
            Demographics(
                person=e.person,
                race=rng.choice(RACES),
                gender=rng.choice(GENDERS),
                first_generation=rng.choice([True, False, None]),
            )
            for e in entries
            if rng.random() < 0.85
        ]
    )
    school_of = {p.person_id: p.organization for p in aspiring}
    notes = []
    for e in entries:
        author = principal_of.get(school_of[e.person_id].pk)
        if author and e.stage != Stage.INTERESTED and rng.random() < 0.8:
            notes.append(
                ReadinessNote(
                    entry=e,
                    person=e.person,
                    author=author,
                    readiness=rng.choice(["ready_now", "one_two_years", "one_two_years", "later"]),
                    text=rng.choice(
                        [
                            "Runs our grade-level data meetings; staff follow her lead on the literacy shifts.",
                            "Strong with families and the school council; still building budget and scheduling experience.",
                            "Led the PLC redesign this year. Needs a year as an assistant principal first.",
                        ]
                    ),
                )
            )
    ReadinessNote.objects.bulk_create(notes)
    # Candidacies and practicums.
    year = day.year if day.month >= 7 else day.year - 1
    placements = 0
    prof = Person.objects.create(  # the university's program supervisor: no position in a district
        first_name="Helen", last_name="Okafor", preferred_name="Dr. Helen", mepid=_free_mepid(rng)
    )
    for e in entries:
        if e.stage == Stage.INTERESTED:
            continue
        program = programs[0] if mira and e.person_id == mira.person_id else rng.choice(programs)
        done = e.stage in (Stage.LICENSED, Stage.APPLYING)
        cand = Candidacy.objects.create(
            person=e.person,
            program=program,
            cohort_year=year - (1 if done else 0),
            status="completed" if done else "enrolled",
            completed_on=day - dt.timedelta(days=60) if done else None,
        )
        if e.stage != Stage.PRACTICUM:
            continue
        host = school_of[e.person_id]
        mentor = principal_of.get(host.pk)
        if mentor is None:
            continue
        is_mira = mira is not None and e.person_id == mira.person_id
        placement = Placement.objects.create(
            candidacy=cand,
            person=e.person,
            organization=host,
            mentor=mentor,
            supervisor=prof,
            starts_on=dt.date(year, 9, 1),
            ends_on=dt.date(year + 1, 6, 15),
        )
        placements += 1
        _hours(placement, rng, day, unsigned_last=3 if is_mira else rng.randint(0, 2))
        if is_mira:
            from edlead.plans.models import Goal

            goal = (
                Goal.objects.filter(plan__organization=host, plan__is_template=False)
                .order_by("-plan__first_year", "order")
                .first()
            )
            LeadershipProject.objects.create(
                placement=placement,
                title="Small-group reading in grades 3–4",
                description="Redesign the intervention block so every student below benchmark meets a teacher in a group of four.",
                plan_goal=goal,
                status="underway",
            )
    # Earlier completers who went on to lead: current principals and APs with a completed candidacy
    # the year before their first leadership post.
    firsts: dict[int, dt.date] = {}
    for pos in Position.objects.filter(
        organization__path__startswith=riverton.path,
        role__in=[R.PRINCIPAL, R.ASSISTANT_PRINCIPAL],
        starts_on__isnull=False,
    ).order_by("starts_on"):
        if pos.starts_on is not None:
            firsts.setdefault(pos.person_id, pos.starts_on)
    Candidacy.objects.bulk_create(
        [
            Candidacy(
                person_id=pid,
                program=programs[i % 3],
                cohort_year=started.year - 2,
                status="completed",
                completed_on=started - dt.timedelta(days=rng.randint(30, 300)),
            )
            for i, (pid, started) in enumerate(sorted(firsts.items()))
            if pid not in {e.person_id for e in entries}
        ],
        ignore_conflicts=True,
    )
    # Applications to the open principal postings.
    postings = list(
        Posting.objects.filter(organization__path__startswith=riverton.path, status="open").order_by("pk")
    )
    applying = [e.person for e in entries if e.stage in (Stage.APPLYING, Stage.LICENSED)][:4]
    # Assistant principals ready for a principal's post apply too: licensed, they meet the requirements.
    aps = [p.person for p in current if p.role == R.ASSISTANT_PRINCIPAL]
    for posting in postings[:2]:
        ready = [ap for ap in aps if services.assess_applicant(posting, ap, today=day).eligible][:2]
        for person in [*applying, *ready]:
            assessment = services.assess_applicant(posting, person, today=day)
            app = Application.objects.create(
                posting=posting,
                person=person,
                organization=posting.organization,
                statement="I have taught and led in Riverton for years and know these families.",
                eligible=assessment.eligible,
                missing=list(assessment.lacking),
            )
            ApplicationEvent.objects.create(
                record=app, actor_label="Demo", action="submitted", to_status="submitted"
            )
    # Successors: most schools have someone named, a few have nobody.
    schools = list(
        Organization.objects.filter(
            path__startswith=riverton.path, kind=Organization.Kind.SCHOOL, closed_on__isnull=True
        ).order_by("pk")
    )
    candidates = [e.person for e in entries if e.stage != Stage.INTERESTED]
    named = []
    for school in schools:
        if rng.random() < 0.3 or not candidates:
            continue  # a gap
        for person in rng.sample(candidates, k=min(len(candidates), rng.choice([1, 1, 2]))):
            named.append(
                SuccessionCandidate(
                    organization=school,
                    person=person,
                    readiness=rng.choice(["ready_now", "one_two_years", "one_two_years"]),
                    note="Named at the spring talent review.",
                )
            )
    SuccessionCandidate.objects.bulk_create(named, ignore_conflicts=True)
    return len(entries)


def _free_mepid(rng: random.Random) -> str:
    while True:
        mepid = str(rng.randint(10_000_000, 99_999_999))
        if not Person.objects.filter(mepid=mepid).exists():
            return mepid


def _hours(placement: Placement, rng: random.Random, today: dt.date, *, unsigned_last: int) -> None:
    days: list[dt.date] = []
    d = max(placement.starts_on, today - dt.timedelta(days=90))
    while d < today and len(days) < 45:
        if d.weekday() < 5 and rng.random() < 0.6:
            days.append(d)
        d += dt.timedelta(days=1)
    rows = []
    signed_at = timezone.now()
    for i, d in enumerate(days):
        standard = rng.choice(list(ACTIVITIES))
        start = rng.choice([7, 8, 13, 14])
        length = rng.choice([60, 90, 120])
        rows.append(
            HoursEntry(
                placement=placement,
                day=d,
                starts_at=dt.time(start, 0),
                ends_at=dt.time(start + length // 60, length % 60),
                minutes=length,
                standard=standard,
                activity=rng.choice(ACTIVITIES[standard]),
                signed_at=None if i >= len(days) - unsigned_last else signed_at,
                signed_by=None if i >= len(days) - unsigned_last else placement.mentor,
            )
        )
    HoursEntry.objects.bulk_create(rows)
