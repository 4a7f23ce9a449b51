"""The state scale's evaluation cycles (issue 9's benchmark), on a small state-scale district: who is
evaluated by whom each year, complete cycles with ~30 pieces of evidence tagged to indicators, visits,
goals and ratings the rules accept, the running year spread across the steps, dated evaluator
relationships, nothing outside the state-scale districts, idempotent — and the district completion view
keeps its query count when another district's cycles arrive."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.models import Relationship, RoleGrant
from edlead.demo import evaluations_state as es
from edlead.evaluations import rules
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, Evidence, Goal, Indicator, Rating
from edlead.evaluations.tests import reports_helpers as rh
from edlead.people.models import Position
from edlead.testing import make_district, make_network, make_person, make_position, make_school, make_user
from edlead.visits.models import Visit

pytestmark = pytest.mark.django_db
Role = Position.Role
Step = Cycle.Step
TODAY = dt.date(2026, 12, 2)  # the running school year 2026-27; complete 2024-25 and 2025-26
PER_YEAR = 9


@pytest.fixture
def state_world(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(es, "CYCLES_PER_YEAR", PER_YEAR)
    monkeypatch.setattr(es, "CHUNK_CYCLES", 4)  # several chunks
    district = make_district("Ashby Public Schools", code="90010000")
    network = make_network(district, "North Network")
    s1 = make_school(network, "Ashby High School", code="90010505")
    s2 = make_school(district, "Ashby Elementary School", code="90010005")
    p: dict[str, Any] = {}

    def person(key: str, org: Any, role: str, starts: dt.date, ends: dt.date | None = None) -> None:
        p[key] = p.get(key) or make_person(key, f"State{key}", mepid=f"9{len(p):07d}")
        make_position(p[key], org, role, starts_on=starts, ends_on=ends)

    person("supt", district, Role.SUPERINTENDENT, dt.date(2015, 7, 1))
    person("sup", network, Role.PRINCIPAL_SUPERVISOR, dt.date(2016, 7, 1))
    person("p1", s1, Role.PRINCIPAL, dt.date(2015, 7, 1))
    person("p0", s2, Role.PRINCIPAL, dt.date(2018, 7, 1), dt.date(2025, 6, 30))  # left in June 2025
    person("p2", s2, Role.PRINCIPAL, dt.date(2025, 7, 1))
    person("ap", s1, Role.ASSISTANT_PRINCIPAL, dt.date(2019, 7, 1))
    for n in range(4):
        person(f"t1{n}", s1, Role.TEACHER, dt.date(2020, 7, 1))
        person(f"t2{n}", s2, Role.TEACHER, dt.date(2020, 7, 1))
    person("new", s2, Role.TEACHER, dt.date(2025, 7, 1))  # not there all three years: not in the cohort
    # A district outside the state scale (the demo's codes begin 99): never touched.
    demo = make_district("Demo District", code="99770000")
    demo_school = make_school(demo, "Demo School", code="99770005")
    person("demo_head", demo_school, Role.PRINCIPAL, dt.date(2015, 7, 1))
    person("demo_supt", demo, Role.SUPERINTENDENT, dt.date(2015, 7, 1))
    return {"people": p, "district": district, "s1": s1, "s2": s2, "demo": demo}


def test_state_scale_cycles_who_evaluates_whom_and_what_a_cycle_holds(state_world: dict[str, Any]) -> None:
    p = state_world["people"]
    made = es.state_evaluations_seed(today=TODAY)
    cycles = list(Cycle.objects.select_related("evaluator_relationship", "framework"))
    assert made["cycles"] == len(cycles) == 3 * PER_YEAR
    by_year = Counter(c.school_year for c in cycles)
    assert by_year == {2024: PER_YEAR, 2025: PER_YEAR, 2026: PER_YEAR}
    evaluator = {(c.educator_id, c.school_year): c.evaluator_id for c in cycles}
    # Principals by the supervisor then (the network's), else the superintendent; the others by the
    # school's principal then — the principal who left in June 2025 for 2024-25, the new one after.
    assert evaluator[(p["p1"].pk, 2024)] == p["sup"].pk
    assert evaluator[(p["p0"].pk, 2024)] == p["supt"].pk
    assert (p["p0"].pk, 2025) not in evaluator and evaluator[(p["p2"].pk, 2025)] == p["supt"].pk
    assert (p["p2"].pk, 2024) not in evaluator
    assert evaluator[(p["ap"].pk, 2026)] == p["p1"].pk
    s2_teachers = [
        c for c in cycles if c.organization_id == state_world["s2"].pk and c.educator_id != p["p0"].pk
    ]
    assert {c.evaluator_id for c in s2_teachers if c.school_year == 2024} <= {p["supt"].pk, p["p0"].pk}
    assert {c.evaluator_id for c in s2_teachers if c.school_year == 2026} <= {p["supt"].pk, p["p2"].pk}
    assert p["new"].pk not in {c.educator_id for c in cycles}
    assert not Cycle.objects.filter(organization__district=state_world["demo"]).exists()
    # Each cycle's dated evaluator relationship gives its evaluator access that year.
    for c in cycles:
        rel = c.evaluator_relationship
        assert rel is not None and rel.kind == Relationship.Kind.EVALUATOR
        assert (rel.holder_id, rel.person_id) == (c.evaluator_id, c.educator_id)
        assert rel.is_active(dt.date(c.school_year, 10, 1))
    # A teacher whose principal changed: the old principal's relationship ended with June 2025.
    t = next(c.educator_id for c in s2_teachers if c.school_year == 2024 and c.evaluator_id == p["p0"].pk)
    assert Relationship.objects.get(holder=p["p0"], person_id=t).ends_on == dt.date(2025, 6, 30)
    assert Relationship.objects.get(holder=p["p2"], person_id=t).ends_on is None
    # Complete years: both signatures, locked, ratings the rules accept, ~30 pieces of evidence each.
    done = [c for c in cycles if c.school_year < 2026]
    assert all(c.step == Step.DONE and c.locked_at for c in done)
    finals = Assessment.objects.filter(stage=Assessment.Stage.SUMMATIVE, cycle__in=done)
    assert finals.count() == len(done) and not finals.filter(educator_signed_at__isnull=True).exists()
    for sa in finals.select_related("cycle"):
        standards = sc._standard_ratings(sa.cycle, Rating.objects.filter(assessment=sa))
        assert all(s.level for s in standards)
        assert rules.rating_problems(sa.overall, standards, min_proficient=0) == []
    evidence = Counter(Evidence.objects.filter(cycle__in=done).values_list("cycle_id", flat=True))
    assert all(es.EVIDENCE_PER_CYCLE[0] <= evidence[c.pk] <= es.EVIDENCE_PER_CYCLE[1] for c in done)
    # Evidence is tagged to indicators of the cycle's own rubric; administrators have staff feedback.
    tags = Evidence.indicators.through.objects.filter(evidence__cycle__in=done)
    assert tags.count() >= sum(evidence.values())
    rubric = dict(Indicator.objects.values_list("pk", "standard__framework_id"))
    frameworks = {c.pk: c.framework_id for c in cycles}
    for cycle_id, indicator_id in tags.values_list("evidence__cycle_id", "indicator_id")[:300]:
        assert rubric[indicator_id] == frameworks[cycle_id]
    p1_done = next(c for c in done if c.educator_id == p["p1"].pk)
    assert Evidence.objects.filter(cycle=p1_done, staff_feedback=True, category=3).count() == 1
    assert Goal.objects.filter(cycle=p1_done, status=Goal.Status.APPROVED).count() == 4
    visits = Visit.objects.filter(cycle=p1_done)
    assert 2 <= visits.count() <= 4
    assert all(
        v.evaluative and v.visitor_id == p1_done.evaluator_id and v.focus_indicators.exists() for v in visits
    )
    # The running year is spread across the steps (a fixed seed: the same spread every time).
    running = Counter(c.step for c in cycles if c.school_year == 2026)
    assert Step.DONE not in running and len(running) >= 3


def test_state_scale_cycles_are_written_once(state_world: dict[str, Any]) -> None:
    first = es.state_evaluations_seed(today=TODAY)
    counts = (
        Cycle.objects.count(),
        Evidence.objects.count(),
        Visit.objects.count(),
        Relationship.objects.count(),
    )
    assert first and es.state_evaluations_seed(today=TODAY) == {}
    assert counts == (
        Cycle.objects.count(),
        Evidence.objects.count(),
        Visit.objects.count(),
        Relationship.objects.count(),
    )
    # Ids handed out are past the sequence: a row written the ordinary way afterwards gets a fresh id.
    cycle = Cycle.objects.order_by("-pk").first()
    assert cycle is not None
    extra = Evidence.objects.create(cycle=cycle, kind="note", category=1, title="Later")
    assert extra.pk > Evidence.objects.exclude(pk=extra.pk).order_by("-pk").values_list("pk", flat=True)[0]


def test_completion_view_queries_do_not_grow_with_other_districts_cycles(
    state_world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """The district administrator of another district sees their own cycles; the state scale's cycles
    elsewhere change neither what they count nor how many queries the page issues."""
    other = make_district("Other Public Schools", code="99880000")
    school = make_school(other, "Other School", code="99880005")
    head = make_person("Head", "Other")
    make_position(head, school, Role.PRINCIPAL)
    supt = make_person("Supt", "Other")
    make_position(supt, other, Role.SUPERINTENDENT)
    admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, other)], password=None)
    rh.cycles(evaluator=supt, school=school, steps=[Step.IMPLEMENTATION, Step.SELF_ASSESSMENT])
    client = Client()
    client.force_login(admin)
    url = reverse("evaluation_reports:completion") + f"?year={rh.YEAR}"
    with django_assert_num_queries(7):
        before = client.get(url)
    es.state_evaluations_seed(today=TODAY)
    assert Cycle.objects.count() > 3 * PER_YEAR
    with django_assert_num_queries(7):
        after = client.get(url)
    assert before.status_code == after.status_code == 200
    assert before.context["data"].total.counts == after.context["data"].total.counts
