"""The needs assessment → growth profile → recommended programs with reasons; Needs Improvement ratings
in an evaluation feed them only for readers of that evaluation; the effectiveness figures by Guskey's
levels, small groups hidden."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.learning import effectiveness, recommend, services_surveys
from edlead.learning.models import Enrollment, GrowthRating, GrowthSurvey, Reaction
from edlead.learning.tests.factories import make_evaluator, make_program, make_session

S = Enrollment.Status


def _rate(world: World, key: str, ratings: dict[str, int]) -> GrowthSurvey:
    user = next(u for u in world.users.values() if u.person_id == world.people[key].pk)
    return services_surveys.submit_ratings(actor=user, person=world.people[key], ratings=ratings)


@pytest.mark.django_db
def test_gaps_rank_the_programs_that_meet_them_with_reasons(world: World) -> None:
    data = make_program("Data Teams", competencies=["data-decisions"], audience_roles=["principal"])
    make_session(data)
    equity = make_program("Equity Institute", competencies=["equity", "data-decisions"])
    make_session(equity)
    make_program("Crisis Response", competencies=["crisis-management"])  # no gap: not recommended
    make_program("Teachers Only", competencies=["data-decisions"], audience_roles=["teacher"])
    _rate(world, "P1", {"data-decisions": 1, "equity": 2, "crisis-management": 4})
    profile, recs = recommend.recommendations(world.users["school_leader"], world.people["P1"])
    assert [r.competency.code for r in profile.gaps] == ["data-decisions", "equity"]
    assert [r.competency.code for r in profile.strengths] == ["crisis-management"]
    titles = [r.program.title for r in recs]
    assert titles == [
        "Equity Institute",
        "Data Teams",
    ]  # two gaps met beats one; a teachers' program is left out
    reasons = recs[1].reasons
    assert "Develops data-driven decision making, which you rated Beginning" in reasons
    assert "Meant for your role" in reasons
    assert any(r.startswith("Next session") for r in reasons)
    # Once registered, it is no longer recommended.
    Enrollment.objects.create(session=equity.sessions.get(), person=world.people["P1"], status=S.ENROLLED)
    _, recs = recommend.recommendations(world.users["school_leader"], world.people["P1"])
    assert [r.program.title for r in recs] == ["Data Teams"]


@pytest.mark.django_db
def test_no_ratings_no_recommendations_and_the_page_asks_for_the_assessment(
    world: World, client: Any
) -> None:
    make_session(make_program())
    profile, recs = recommend.recommendations(world.users["school_leader"], world.people["P1"])
    assert profile.rated_on is None and recs == []
    client.force_login(world.users["school_leader"])
    page = client.get(reverse("learning:recommendations")).content.decode()
    assert "Take the needs assessment" in page


@pytest.mark.django_db
def test_the_needs_assessment_page_saves_and_refuses_bad_answers_whole(world: World, client: Any) -> None:
    client.force_login(world.users["school_leader"])
    bad = client.post(reverse("learning:needs"), {"c-equity": "2", "c-data-decisions": "9"})
    assert bad.status_code == 400 and "outside 1 to 4" in bad.content.decode()
    assert not GrowthSurvey.objects.exists()
    good = client.post(reverse("learning:needs"), {"c-equity": "2", "c-data-decisions": "1"})
    assert good.status_code == 302 and good["Location"] == reverse("learning:recommendations")
    assert sorted(GrowthRating.objects.values_list("competency__code", "score")) == [
        ("data-decisions", 1),
        ("equity", 2),
    ]
    # The form comes back filled with the last ratings.
    again = client.get(reverse("learning:needs")).content.decode()
    assert 'id="c-equity-2" name="c-equity" value="2" checked' in again


@pytest.mark.django_db
def test_recommendations_read_in_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any
) -> None:
    _rate(world, "P1", {"data-decisions": 1, "equity": 2})
    make_session(make_program("One", competencies=["data-decisions"]))
    client.force_login(world.users["school_leader"])
    client.get(reverse("learning:recommendations"))
    with django_assert_num_queries(15) as few:  # 3 of them the growth profile (self, supervisor, staff)
        client.get(reverse("learning:recommendations"))
    for n in range(6):
        program = make_program(f"More {n}", competencies=["equity", "data-decisions"])
        make_session(program)
        make_session(program, days=30)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("learning:recommendations"))
    assert page.content.decode().count("Why:") == 7  # every program meets a gap


def _signed_summative(world: World, educator: str, evaluator: str, level: str, standard: str = "I") -> None:
    """A signed summative evaluation rating one standard at `level`."""
    from edlead.evaluations.models import Framework, PerformanceLevel, Standard
    from edlead.evaluations.models_cycle import Assessment, Cycle, Rating

    framework = Framework.objects.filter(standards__code=standard).first()
    assert framework is not None, "the state frameworks load with the migrations"
    cycle = Cycle.objects.create(
        educator=world.people[educator],
        evaluator=world.people[evaluator],
        organization=world.orgs["S1"],
        school_year=timezone.localdate().year,
        framework=framework,
    )
    assessment = Assessment.objects.create(
        cycle=cycle, stage=Assessment.Stage.SUMMATIVE, evaluator_signed_at=timezone.now()
    )
    Rating.objects.create(
        assessment=assessment, standard=Standard.objects.get(framework=framework, code=standard), level=level
    )
    assert level in PerformanceLevel.values


@pytest.mark.django_db
def test_needs_improvement_in_an_evaluation_feeds_only_readers_of_that_evaluation(world: World) -> None:
    make_evaluator(world)
    _signed_summative(world, "P1", "SUP1", "needs_improvement", "I")
    make_session(
        make_program("Instructional Leadership Lab", competencies=["vision-goals"], indicator_codes=["I-B"])
    )
    _rate(world, "P1", {"equity": 3})  # no self-rated gap
    _, mine = recommend.recommendations(world.users["school_leader"], world.people["P1"])
    assert [r.program.title for r in mine] == ["Instructional Leadership Lab"]
    assert "Targets indicator I-B, rated Needs Improvement in your latest evaluation" in mine[0].reasons
    _, supervisors = recommend.recommendations(world.users["principal_supervisor"], world.people["P1"])
    assert [r.program.title for r in supervisors] == ["Instructional Leadership Lab"]
    # A coordinator may not read evaluations: no trace of the rating in what they get.
    _, coordinators = recommend.recommendations(world.users["program_coordinator"], world.people["P1"])
    assert coordinators == []
    assert recommend.evaluation_gaps(world.users["program_coordinator"], world.people["P1"].pk) == {}


# --- effectiveness ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_effectiveness_shows_group_figures_and_hides_small_groups(world: World, settings: Any) -> None:
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 3
    program = make_program("Data Teams", organization=world.orgs["A"], competencies=["data-decisions"])
    start = timezone.now() - dt.timedelta(days=20)
    session = program.sessions.create(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    people = [world.people[k] for k in ("P1", "AP1", "TEA1", "P3")]
    for n, person in enumerate(people):
        before = GrowthSurvey.objects.create(
            person=person, rater=person, submitted_at=start - dt.timedelta(days=30)
        )
        GrowthRating.objects.create(survey=before, competency_id=_cid("data-decisions"), score=2)
        e = Enrollment.objects.create(session=session, person=person, status=S.COMPLETED)
        after = GrowthSurvey.objects.create(
            person=person,
            rater=person,
            moment=GrowthSurvey.Moment.POST,
            enrollment=e,
            submitted_at=timezone.now(),
        )
        GrowthRating.objects.create(survey=after, competency_id=_cid("data-decisions"), score=3 + n % 2)
    for relevant in (5, 4):
        Reaction.objects.create(
            session=session,
            answers={"relevant": relevant, "quality": 4, "will_use": 4},
            submitted_on=timezone.localdate(),
        )
    data = effectiveness.program_effectiveness(program)
    assert (data.participants, data.completed, data.completion_rate) == (4, 4, 100)
    assert [f.value for f in data.reaction] == [None, None, None]  # two answers: under three, hidden
    assert data.comments == []
    (level2,) = data.learning
    assert (level2.n, level2.pre, level2.value, level2.change) == (4, 2.0, 3.5, 1.5)
    Reaction.objects.create(
        session=session,
        answers={"relevant": 3, "quality": 4, "will_use": 5},
        submitted_on=timezone.localdate(),
    )
    data = effectiveness.program_effectiveness(program)
    assert [f.value for f in data.reaction] == [4.0, 4.0, 4.33]


def _cid(code: str) -> int:
    from edlead.learning.models import Competency

    return Competency.objects.get(code=code).pk


@pytest.mark.django_db
def test_the_effectiveness_page_is_for_coordinators(world: World, client: Any) -> None:
    program = make_program("Data Teams", organization=world.orgs["A"])
    url = reverse("learning:effectiveness", args=[program.pk])
    client.force_login(world.users["school_leader"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["program_coordinator"])
    page = client.get(url).content.decode()
    assert "Level 1" in page and "Level 2" in page and "Level 4" in page and "Level 5" in page
    csv = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert csv.startswith("Level,Measure,People or schools") and "1 Reaction,The session was relevant" in csv


@pytest.mark.django_db
def test_level_five_compares_participants_schools_with_matched_schools(world: World) -> None:
    from decimal import Decimal

    from edlead.learning import outcomes
    from edlead.metrics.models import Fact, Metric, StudentGroup
    from edlead.orgs.models import Organization
    from edlead.testing import make_school

    metric, _ = Metric.objects.get_or_create(code="mcas_ela_me_pct", defaults={"name": "ELA", "unit": "pct"})
    group, _ = StudentGroup.objects.get_or_create(code="all", defaults={"name": "All students"})
    program = make_program("Data Teams")
    day = timezone.make_aware(dt.datetime(2022, 10, 14, 9))
    session = program.sessions.create(starts_at=day, ends_at=day + dt.timedelta(hours=6))
    treated, others = [], []
    for n in range(4):
        school = make_school(world.orgs["N1"], f"Treated {n}", code=f"9910070{n}")
        leader = make_person_principal(school, n)
        Enrollment.objects.create(session=session, person=leader, status=S.COMPLETED)
        treated.append(school)
        others.append(make_school(world.orgs["N2"], f"Comparison {n}", code=f"9910080{n}"))
    far = make_school(world.orgs["N2"], "Far away", code="99100900")
    Organization.objects.filter(pk__in=[s.pk for s in treated + others + [far]]).update(
        school_type="public", grades="K,01,02,03,04,05"
    )

    def fact(org: Any, year: int, value: str) -> None:
        Fact.objects.create(
            organization=org, school_year=year, metric=metric, group=group, value=Decimal(value)
        )

    for n, school in enumerate(treated):
        fact(school, 2021, f"{40 + n}")
        fact(school, 2023, f"{48 + n}")  # +8 each
    for n, school in enumerate(others):
        fact(school, 2021, f"{41 + n}")
        fact(school, 2023, f"{43 + n}")  # +2 each
    fact(far, 2021, "90")  # baseline too far to match
    fact(far, 2023, "50")
    result = outcomes.level5(program, "mcas_ela_me_pct")
    (cohort,) = result.cohorts
    assert (cohort.year, cohort.schools, cohort.matched) == (2022, 4, 4)
    assert (cohort.change, cohort.comparison_change, cohort.did) == (8.0, 2.0, 6.0)
    # With fewer than three matched schools there is no figure.
    Fact.objects.filter(organization__in=treated[1:], school_year=2023).delete()
    (cohort,) = outcomes.level5(program, "mcas_ela_me_pct").cohorts
    assert cohort.did is None and "Fewer than 3" in cohort.note


def make_person_principal(school: Any, n: int) -> Any:
    from edlead.testing import make_person, make_position

    person = make_person("Lead", f"Principal{n}")
    make_position(person, school, "principal", starts_on=dt.date(2019, 7, 1))
    return person


@pytest.mark.django_db
def test_the_evaluator_rates_their_principal_and_sees_what_is_recommended(world: World, client: Any) -> None:
    make_evaluator(world)
    make_session(make_program("Equity Institute", competencies=["equity"]))
    _rate(world, "P1", {"equity": 3, "communication": 3})
    url = reverse("learning:person-growth", args=[world.people["P1"].pk])
    client.force_login(world.users["principal_supervisor"])
    bad = client.post(url, {"c-equity": "7"})
    assert bad.status_code == 400 and "outside 1 to 4" in bad.content.decode()
    client.post(url, {"c-equity": "2"})
    profile, recs = recommend.recommendations(world.users["school_leader"], world.people["P1"])
    equity = next(r for r in profile.rows if r.competency.code == "equity")
    assert (equity.self_score, equity.supervisor_score, equity.is_gap) == (3, 2, True)
    assert (
        "Develops equity and cultural proficiency, which your supervisor rated Developing" in recs[0].reasons
    )
    page = client.get(url).content.decode()
    assert "Equity Institute" in page and "Your ratings as their evaluator" in page
    # Nobody else who does not support them: not a coordinator, a colleague, the other network's supervisor.
    for key in ("program_coordinator", "assistant_principal", "educator"):
        client.force_login(world.users[key])
        assert client.get(url).status_code == 404, key
    from edlead.testing import make_user

    client.force_login(make_user(person=world.people["SUP2"], password=None))
    assert client.get(url).status_code == 404
