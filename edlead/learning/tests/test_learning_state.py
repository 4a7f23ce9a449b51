"""The state scale's learning catalog (issue 11's benchmark), on a small configuration of
`state_learning_seed`: the programs, sessions and registrations asked for, the state's programs and the
districts' own, registrations only of the state-scale people who may come (a district's program: its own
people), none twice for a session, no session overbooked (seats first, then the waitlist), statuses that
fit the session's date, needs assessments for some leaders, the demo untouched, once."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from edlead.demo import learning_state as ls
from edlead.learning import services
from edlead.learning.models import Competency, Enrollment, GrowthRating, GrowthSurvey, Program, Session
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_school

pytestmark = pytest.mark.django_db
R = Position.Role
S = Enrollment.Status
LEADERS_PER_DISTRICT = 8
TEACHERS_PER_DISTRICT = 40


def _people(org: Organization, roles: Sequence[str], tag: str) -> list[int]:
    people = Person.objects.bulk_create(
        Person(first_name=tag, last_name=f"{tag}{n}") for n in range(len(roles))
    )
    Position.objects.bulk_create(
        Position(person=p, organization=org, role=role, starts_on=dt.date(2020, 7, 1))
        for p, role in zip(people, roles, strict=True)
    )
    return [p.pk for p in people]


def test_state_learning_seed_on_a_small_configuration() -> None:
    district_of: dict[int, int] = {}
    for code in ("90010000", "90020000", "90030000"):
        district = make_district(f"State-scale {code}", code=code)
        school = make_school(district, f"School {code}", code=code[:4] + "0005")
        ids = _people(district, [R.SUPERINTENDENT], f"Supt{code}")
        heads = [R.PRINCIPAL] + [R.ASSISTANT_PRINCIPAL] * (LEADERS_PER_DISTRICT - 2)
        ids += _people(school, heads, f"Lead{code}")
        ids += _people(school, [R.TEACHER, R.TEACHER_LEADER] * (TEACHERS_PER_DISTRICT // 2), f"Teach{code}")
        district_of.update(dict.fromkeys(ids, district.pk))
    demo = make_district("Demo District", code="99010000")
    outsiders = set(
        _people(make_school(demo, "Demo School", code="99010005"), [R.PRINCIPAL, R.TEACHER], "Demo")
    )
    state_people = set(district_of)

    made = ls.state_learning_seed(programs=20, sessions=200, enrollments=2000)

    programs = Program.objects.filter(provider__name__in=[n for n, _ in ls.PROVIDERS])
    assert made["programs"] == programs.count() == 20
    assert programs.filter(organization__isnull=True).count() == 3  # 300 of 2,000, scaled
    assert set(programs.exclude(organization=None).values_list("organization_id", flat=True)) <= set(
        district_of.values()
    )
    assert not programs.annotate(n=Count("competencies")).filter(n=0).exists()
    sessions = {s.pk: s for s in Session.objects.filter(program__in=programs).select_related("program")}
    assert made["sessions"] == len(sessions) == 200
    assert set(programs.values_list("pk", flat=True)) == {s.program_id for s in sessions.values()}
    rows = list(
        Enrollment.objects.filter(session__in=list(sessions)).values_list(
            "session_id", "person_id", "status", "created_at", "pk"
        )
    )
    assert made["enrollments"] == len(rows) == 2000
    # One registration per person and session; only the state scale's people; a district's program,
    # only its own people.
    assert len({(s, p) for s, p, *_ in rows}) == len(rows)
    assert {p for _, p, *_ in rows} <= state_people and not {p for _, p, *_ in rows} & outsiders
    for sid, pid, *_ in rows:
        owner = sessions[sid].program.organization_id
        assert owner is None or district_of[pid] == owner
    # Seats first, then the waitlist; never more seats taken than the session has; statuses by date.
    now = timezone.now()
    by_session: dict[int, list[tuple[str, dt.datetime, int]]] = defaultdict(list)
    for sid, _pid, status, created, pk in rows:
        by_session[sid].append((status, created, pk))
    counts: Counter[str] = Counter()
    for sid, regs in by_session.items():
        session = sessions[sid]
        statuses = Counter(status for status, *_ in regs)
        counts.update(statuses)
        taken = statuses[S.ENROLLED] + statuses[S.COMPLETED]
        assert taken <= session.seats
        if statuses[S.WAITLISTED]:
            assert taken == session.seats
            first_waiting = min((c, pk) for status, c, pk in regs if status == S.WAITLISTED)
            assert all(
                (c, pk) < first_waiting for status, c, pk in regs if status in (S.ENROLLED, S.COMPLETED)
            )
        if session.cancelled:
            assert set(statuses) == {S.CANCELLED}
        elif session.ends_at < now:
            assert not statuses[S.ENROLLED]
        elif session.starts_at > now:
            assert not statuses[S.COMPLETED]
        assert all(created <= now for _s, created, _pk in regs)
    assert counts[S.COMPLETED] and counts[S.ENROLLED] and counts[S.WAITLISTED] and counts[S.CANCELLED]
    # Needs assessments: some leaders rated themselves on every competency.
    surveys = GrowthSurvey.objects.filter(person_id__in=state_people)
    assert made["surveys"] == surveys.count()
    assert made["ratings"] == GrowthRating.objects.filter(survey__in=surveys).count()
    assert made["ratings"] == made["surveys"] * Competency.objects.count()
    assert not surveys.filter(~Q(person__positions__role__in=Position.LEADER_ROLES)).exists()
    # Once.
    assert ls.state_learning_seed(programs=20, sessions=200, enrollments=2000) == {}
    assert Enrollment.objects.count() == 2000
    # The rows work with the application: a registration for a session to come takes a seat or a place
    # on its waitlist, and new rows get fresh ids.
    session = next(
        s for s in sessions.values() if s.starts_at > now + dt.timedelta(days=1) and not s.cancelled
    )
    registered = {p for s, p, *_ in rows if s == session.pk}
    person = Person.objects.get(pk=next(p for p in sorted(state_people) if p not in registered))
    added = services.register(actor=None, session=session, person=person)
    assert added.pk not in {pk for *_, pk in rows}
    full = sum(1 for s, _p, status, *_ in rows if s == session.pk and status == S.ENROLLED) >= session.seats
    assert added.status == (S.WAITLISTED if full else S.ENROLLED)


def test_nothing_without_the_state_scale() -> None:
    make_district("Demo District", code="99010000")
    assert ls.state_learning_seed(programs=5, sessions=10, enrollments=20) == {}
    assert not Program.objects.exists()
