"""Demo evaluation cycles (issue 9): every Riverton principal and the demo principal's teachers get a
completed 2025-26-style cycle (last school year) and one in progress this year; idempotent; the demo's
people are unchanged; the supervisor and principal have full caseloads."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from edlead.demo import services
from edlead.demo.evaluations import evaluations_seed
from edlead.demo.tests.test_seed_demo import digest
from edlead.evaluations import deadlines, rules
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, Rating
from edlead.lib.schoolyears import SchoolYear
from edlead.people.models import Position

pytestmark = pytest.mark.django_db
Step = Cycle.Step


def test_seed_demo_gives_cycles_idempotently_without_changing_the_demos_people() -> None:
    services.demo_seed(scale="demo")
    this_year = SchoolYear.current().start_year
    cycles = list(Cycle.objects.select_related("educator", "evaluator", "organization"))
    principals = set(
        Position.objects.current(dt.date.today())
        .filter(role=Position.Role.PRINCIPAL, organization__path__startswith="/")
        .filter(organization__code__startswith="9901")
        .values_list("person_id", flat=True)
    )
    done = [c for c in cycles if c.school_year == this_year - 1]
    running = [c for c in cycles if c.school_year == this_year]
    assert {c.educator_id for c in done} >= principals
    assert all(c.step == Step.DONE and c.locked_at for c in done)
    assert len(done) == len(running) and len(done) > len(principals)  # the principal's teachers too
    spread = Counter(c.step for c in running)
    assert set(spread) == {
        Step.SELF_ASSESSMENT,
        Step.GOALS_PLAN,
        Step.IMPLEMENTATION,
        Step.FORMATIVE,
        Step.SUMMATIVE,
    }
    # Both signatures on every completed one, with ratings the rules accept.
    finals = Assessment.objects.filter(stage="summative", cycle__in=[c.pk for c in done])
    assert finals.count() == len(done)
    assert not finals.filter(educator_signed_at__isnull=True).exists()
    for sa in finals.select_related("cycle")[:20]:
        standards = sc._standard_ratings(sa.cycle, Rating.objects.filter(assessment=sa))
        assert all(s.level for s in standards)
        assert [
            p
            for p in rules.rating_problems(sa.overall, standards, min_proficient=0)
            if "rated first" not in p
        ] == []
    # Something is overdue relative to today, unless the year's first due date is still ahead.
    first_due = min(deadlines.step_dates(running[0].organization, this_year).values())
    overdue = [
        p
        for p in deadlines.pending(deadlines.with_state(Cycle.objects.filter(school_year=this_year)))
        if p.overdue(dt.date.today())
    ]
    assert overdue or dt.date.today() <= first_due
    # The supervisor's and principal's logins have a caseload.
    supervisor = services.persona("supervisor")
    principal = services.persona("principal")
    from edlead.access.models import User

    for p in (supervisor, principal):
        person = User.objects.get(email=p.email).person
        assert len([c for c in running if c.evaluator_id == person.pk]) >= 5
    # Twice adds nothing; the demo's people do not change.
    before, count = digest(), Cycle.objects.count()
    report = services.demo_seed(scale="demo")
    assert "Evaluations: already present." in report.lines
    assert evaluations_seed() == 0
    assert (digest(), Cycle.objects.count()) == (before, count)


def test_on_a_database_that_already_holds_the_demos_people_the_cycles_are_added_and_people_unchanged() -> (
    None
):
    services.demo_seed(scale="demo")
    first = sorted(Cycle.objects.values_list("educator__mepid", "school_year", "step"))
    Cycle.objects.all().delete()  # a database seeded before the evaluations existed
    people = digest()
    assert evaluations_seed() == len(first)
    assert digest() == people
    # Its own generator: the same cycles again.
    assert sorted(Cycle.objects.values_list("educator__mepid", "school_year", "step")) == first
