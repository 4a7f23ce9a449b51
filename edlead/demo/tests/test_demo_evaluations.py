"""Demo evaluation cycles (issue 9): every Riverton principal and the demo principal's teachers get a
completed 2025-26-style cycle (last school year) and one in progress this year; idempotent; the demo's
people are unchanged; the supervisor and principal have full caseloads."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import models
from django.utils import timezone

from edlead.demo import services
from edlead.demo.evaluations import evaluations_seed
from edlead.demo.tests.test_seed_demo import digest
from edlead.evaluations import deadlines, rules
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, Evidence, Rating
from edlead.lib.schoolyears import SchoolYear
from edlead.people.models import Position

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]
Step = Cycle.Step


def test_seed_demo_gives_cycles_idempotently_without_changing_the_demos_people() -> None:
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
    report = services.demo_seed(scale="demo")  # again
    assert "Evaluations: already present." in report.lines
    assert evaluations_seed() == 0
    assert (digest(), Cycle.objects.count()) == (before, count)


def test_on_a_database_that_already_holds_the_demos_people_the_cycles_are_added_and_people_unchanged() -> (
    None
):
    first = sorted(Cycle.objects.values_list("educator__mepid", "school_year", "step"))
    from edlead.visits.models import Visit

    Visit.objects.all().delete()  # a database seeded before the evaluations (and their visits) existed
    Cycle.objects.all().delete()
    people = digest()
    assert evaluations_seed() == len(first)
    assert digest() == people
    # Its own generator: the same cycles again.
    assert sorted(Cycle.objects.values_list("educator__mepid", "school_year", "step")) == first


def _richness() -> tuple[int, int, int, int]:
    from edlead.visits.models import Visit

    return (
        Rating.objects.filter(assessment__stage="self").count(),
        Evidence.objects.count(),
        Evidence.indicators.through.objects.count(),
        Visit.objects.filter(cycle__isnull=False).count(),  # the evaluation's visits, not supervision's
    )


def test_demo_cycles_have_self_ratings_tagged_evidence_for_some_standards_and_visits() -> None:
    """The supervisor's and principal's caseloads show something real: evidence for some standards but
    not all, visits this year, days since feedback; every submitted self-assessment is rated; visits are
    announced and not, evaluative and not, released and not, all on or before today. Running it again
    adds nothing; a database whose demo cycles were seeded without these gets them, the same again."""
    from edlead.access.models import User
    from edlead.evaluations.caseload import caseload_for
    from edlead.visits.models import Visit

    today = dt.date.today()
    year = SchoolYear.containing(today)
    for persona in ("supervisor", "principal"):
        user = User.objects.get(email=services.persona(persona).email)
        rows = caseload_for(user)
        assert rows, persona
        later = [r for r in rows if r.cycle.step not in (Step.SELF_ASSESSMENT, Step.GOALS_PLAN)]
        assert later, persona
        assert any(r.standards_with_evidence for r in rows), persona
        assert all(r.missing_standards for r in rows), persona  # open cycles: never every standard yet
        assert all(r.visits >= 1 for r in later), persona
        assert any(r.days_since_feedback is not None for r in rows), persona
        assert len({len(r.missing_standards) for r in rows}) > 1, persona  # not the same everywhere
    # Every submitted self-assessment rates each standard (and some indicators).
    for sa in Assessment.objects.filter(stage="self", submitted_at__isnull=False).select_related("cycle")[
        :30
    ]:
        codes = set(
            Rating.objects.filter(assessment=sa, standard__isnull=False).values_list(
                "standard__code", flat=True
            )
        )
        assert codes == set(sa.cycle.framework.standards.values_list("code", flat=True))
    assert Rating.objects.filter(assessment__stage="self", indicator__isnull=False).exists()
    # Evidence: tagged to indicators of the cycle's own rubric, in the three categories, notes and links.
    tagged = Evidence.objects.filter(indicators__isnull=False).distinct()
    assert {e.category for e in tagged} == {1, 2, 3} and {e.kind for e in tagged} == {"note", "link"}
    assert not Evidence.indicators.through.objects.exclude(
        indicator__standard__framework_id=models.F("evidence__cycle__framework_id")
    ).exists()
    # Visits: the evaluator visits their educator, dated this year or last, never after today.
    visits = list(Visit.objects.filter(cycle__isnull=False).select_related("cycle"))
    this_year = [v for v in visits if year.starts_on <= v.date <= year.ends_on]
    assert this_year and all(v.date <= today for v in visits)
    assert all(v.visitor_id == v.cycle.evaluator_id and v.educator_id == v.cycle.educator_id for v in visits)
    assert {v.announced for v in this_year} == {True, False}
    assert {v.evaluative for v in this_year} == {True, False}
    assert {v.released for v in this_year} == {True, False}
    assert all(v.feedback_released_at <= timezone.now() for v in visits if v.feedback_released_at)
    # Twice adds nothing.
    before = _richness()
    assert evaluations_seed() == 0 and _richness() == before
    # A database whose demo cycles came without them: filled in, the same again (each cycle's own generator).
    cycle_visits = Visit.objects.filter(cycle__isnull=False)
    shape = sorted(cycle_visits.values_list("educator__mepid", "date", "announced", "evaluative"))
    cycle_visits.delete()
    Evidence.objects.filter(indicators__isnull=False).delete()
    Rating.objects.filter(assessment__stage="self").delete()
    assert evaluations_seed() == 0
    assert _richness() == before
    assert sorted(cycle_visits.values_list("educator__mepid", "date", "announced", "evaluative")) == shape
