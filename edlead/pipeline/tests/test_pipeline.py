"""The pipeline's rules and pages: hours logged by the candidate and signed only by the mentor, refused outside
the placement or overlapping; the supervisor's sign-off only when complete; applications to closed postings
refused and ineligible ones flagged; the hiring team reads applicants, others get 404; the succession view
shared district-wide, edited only by the school's supervisor; readiness notes never read by the candidate;
the pool's demographics only as suppressed aggregates; fixed query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.core.errors import ApplicationError
from edlead.credentials.models import Posting
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.pipeline import selectors, services
from edlead.pipeline.models import (
    Application,
    Candidacy,
    Demographics,
    HoursEntry,
    Placement,
    PoolEntry,
    PrepProgram,
)
from edlead.testing import (
    make_district,
    make_network,
    make_person,
    make_position,
    make_school,
    make_state,
    make_user,
)

pytestmark = pytest.mark.django_db
R = RoleGrant.Role
TODAY = dt.date.today()


@dataclass
class W:
    district: Organization
    north: Organization
    south: Organization
    school: Organization
    other_school: Organization
    teacher: Person
    principal: Person
    supervisor: Person
    south_supervisor: Person
    superintendent: Person
    prof: Person
    users: dict[str, Any]
    placement: Placement
    posting: Posting


def _world() -> W:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    north = make_network(district, "North")
    south = make_network(district, "South")
    school = make_school(north, "Oak Elementary", code="99100010")
    other = make_school(south, "Elm Middle", code="99100020")
    teacher = make_person("Tess", "Teacher")
    make_position(teacher, school, Position.Role.TEACHER)
    principal = make_person("Pat", "Principal")
    make_position(principal, school, Position.Role.PRINCIPAL)
    supervisor = make_person("Sam", "Supervisor")
    make_position(supervisor, north, Position.Role.PRINCIPAL_SUPERVISOR)
    south_sup = make_person("Sol", "Southward")
    make_position(south_sup, south, Position.Role.PRINCIPAL_SUPERVISOR)
    supt = make_person("Dana", "Superintendent")
    make_position(supt, district, Position.Role.SUPERINTENDENT)
    prof = make_person("Uma", "University")
    users = {
        "teacher": make_user(teacher, password=None),
        "principal": make_user(principal, password=None),
        "supervisor": make_user(supervisor, password=None),
        "south": make_user(south_sup, password=None),
        "superintendent": make_user(supt, password=None),
        "prof": make_user(prof, password=None),
        "hr": make_user(make_person("Hal", "Hr"), password=None, grants=[(R.HR, district)]),
        "admin": make_user(make_person("Ada", "Admin"), password=None, grants=[(R.DISTRICT_ADMIN, district)]),
        "coordinator": make_user(
            make_person("Cora", "Coordinator"), password=None, grants=[(R.PROGRAM_COORDINATOR, district)]
        ),
        "outsider": make_user(make_person("Otto", "Outsider"), password=None),
    }
    program = PrepProgram.objects.create(
        name="Principal licensure", partner="State University", required_hours=2
    )
    services.pool_join(
        actor=users["teacher"], person=teacher, district=district, interests=["Elementary principal"]
    )
    cand = services.candidacy_enroll(
        actor=users["coordinator"], person=teacher, program=program, cohort_year=2026
    )
    placement = services.placement_create(
        actor=users["coordinator"],
        candidacy=cand,
        school=school,
        mentor=principal,
        supervisor=prof,
        starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=60),
    )
    posting = Posting.objects.create(
        organization=other,
        title="Principal, Elm Middle",
        role="principal",
        opens_on=TODAY - dt.timedelta(days=5),
    )
    return W(
        district,
        north,
        south,
        school,
        other,
        teacher,
        principal,
        supervisor,
        south_sup,
        supt,
        prof,
        users,
        placement,
        posting,
    )


def _log(w: W, day: dt.date, start: str, end: str) -> HoursEntry:
    return services.hours_log(
        actor=w.users["teacher"],
        placement=w.placement,
        day=day,
        starts_at=dt.time.fromisoformat(start),
        ends_at=dt.time.fromisoformat(end),
        standard="I",
        activity="Led the grade 3 data meeting",
    )


def test_stage_moves_forward_as_things_happen() -> None:
    w = _world()
    assert PoolEntry.objects.get(person=w.teacher).stage == PoolEntry.Stage.PRACTICUM
    assert list(PoolEntry.objects.get(person=w.teacher).events.values_list("to_status", flat=True)) == [
        "interested",
        "preparing",
        "practicum",
    ]


def test_hours_logged_signed_by_the_mentor_only_and_signed_off_when_complete() -> None:
    w = _world()
    day = TODAY - dt.timedelta(days=2)
    e1 = _log(w, day, "08:00", "09:00")
    e2 = _log(w, day, "09:00", "10:30")
    with pytest.raises(ApplicationError, match="overlaps"):
        _log(w, day, "10:00", "11:00")
    with pytest.raises(ApplicationError, match="outside the placement"):
        _log(w, TODAY - dt.timedelta(days=60), "08:00", "09:00")
    with pytest.raises(ApplicationError, match="still to come"):
        _log(w, TODAY + dt.timedelta(days=1), "08:00", "09:00")
    with pytest.raises(ApplicationError, match="Only the candidate"):
        services.hours_log(
            actor=w.users["principal"],
            placement=w.placement,
            day=day,
            starts_at=dt.time(12),
            ends_at=dt.time(13),
            standard="I",
            activity="x",
        )
    for key in ("supervisor", "prof", "superintendent", "teacher", "hr"):
        with pytest.raises(ApplicationError, match="mentor principal signs"):
            services.hours_sign(actor=w.users[key], placement=w.placement, entry_ids=[e1.pk])
    with pytest.raises(ApplicationError, match="Only the program's supervisor"):
        services.placement_sign_off(actor=w.users["principal"], placement=w.placement)
    with pytest.raises(ApplicationError, match="not signed"):
        services.placement_sign_off(actor=w.users["prof"], placement=w.placement)
    assert (
        services.hours_sign(actor=w.users["principal"], placement=w.placement, entry_ids=[e1.pk, e2.pk]) == 2
    )
    with pytest.raises(ApplicationError, match="already signed"):
        services.hours_sign(actor=w.users["principal"], placement=w.placement, entry_ids=[e1.pk])
    services.placement_sign_off(actor=w.users["prof"], placement=w.placement)  # 2.5 h signed of 2 required
    assert Placement.objects.get(pk=w.placement.pk).signed_off_at is not None
    with pytest.raises(ApplicationError, match="signed off"):
        _log(w, day, "13:00", "14:00")


def test_placement_page_by_role() -> None:
    w = _world()
    _log(w, TODAY - dt.timedelta(days=1), "08:00", "09:00")
    url = reverse("pipeline:placement", args=[w.placement.pk])
    for key, status in {
        "teacher": 200,
        "principal": 200,
        "prof": 200,
        "supervisor": 200,  # the teacher's chain
        "hr": 200,
        "coordinator": 200,
        "south": 404,
        "outsider": 404,
    }.items():
        c = Client()
        c.force_login(w.users[key])
        assert c.get(url).status_code == status, key
    c = Client()
    c.force_login(w.users["principal"])
    page = c.get(url).content.decode()
    assert "Sign the ticked hours" in page
    entry = HoursEntry.objects.get()
    response = c.post(url, {"form": "sign", "entry": [entry.pk]})
    assert response.status_code == 302
    assert HoursEntry.objects.get().signed_at is not None


def test_applications_closed_refused_ineligible_flagged_and_read_by_the_hiring_team() -> None:
    w = _world()
    app = services.application_submit(
        actor=w.users["teacher"], posting=w.posting, statement="I grew up here."
    )
    assert app.eligible is False and app.missing  # no principal licence on record
    assert PoolEntry.objects.get(person=w.teacher).stage == PoolEntry.Stage.APPLYING
    with pytest.raises(ApplicationError, match="already applied"):
        services.application_submit(actor=w.users["teacher"], posting=w.posting, statement="")
    closed = Posting.objects.create(
        organization=w.other_school,
        title="Closed post",
        role="principal",
        opens_on=TODAY - dt.timedelta(days=40),
        closes_on=TODAY - dt.timedelta(days=1),
    )
    with pytest.raises(ApplicationError, match="closed on"):
        services.application_submit(actor=w.users["teacher"], posting=closed, statement="")
    assert Application.objects.count() == 1
    url = reverse("pipeline:applicants", args=[w.posting.pk])
    for key, status in {
        "hr": 200,
        "supervisor": 200,
        "south": 200,
        "superintendent": 200,
        "teacher": 404,
        "admin": 200,  # administrators manage the postings
        "outsider": 404,
        "principal": 404,
    }.items():
        c = Client()
        c.force_login(w.users[key])
        response = c.get(url)
        assert response.status_code == status, key
        if status == 200:
            assert "Tess Teacher" in response.content.decode() and "Flagged" in response.content.decode()
    with pytest.raises(ApplicationError, match="Only those who manage"):
        services.application_move(actor=w.users["supervisor"], application=app, move="interview")
    services.application_move(actor=w.users["hr"], application=app, move="offer")
    services.application_move(actor=w.users["hr"], application=Application.objects.get(), move="hire")
    assert PoolEntry.objects.get(person=w.teacher).stage == PoolEntry.Stage.PLACED


def test_succession_shared_district_wide_edited_by_the_schools_supervisor() -> None:
    w = _world()
    with pytest.raises(ApplicationError, match="principal supervisor or the superintendent"):
        services.succession_add(
            actor=w.users["south"], school=w.school, person=w.teacher, readiness="one_two_years"
        )
    with pytest.raises(ApplicationError):
        services.succession_add(
            actor=w.users["admin"], school=w.school, person=w.teacher, readiness="one_two_years"
        )
    services.succession_add(
        actor=w.users["supervisor"], school=w.school, person=w.teacher, readiness="one_two_years"
    )
    url = reverse("pipeline:succession", args=[w.district.pk])
    for key, status in {
        "admin": 200,
        "south": 200,
        "superintendent": 200,
        "hr": 200,
        "supervisor": 200,
        "teacher": 404,
        "principal": 404,
        "outsider": 404,
    }.items():
        c = Client()
        c.force_login(w.users[key])
        response = c.get(url)
        assert response.status_code == status, key
        if status == 200:
            body = response.content.decode()
            assert "Tess Teacher" in body and "None named" in body  # Elm Middle has nobody
    view = selectors.succession(w.users["south"], w.district)
    assert [(r.school.name, r.may_edit) for r in view.rows] == [
        ("Elm Middle", True),
        ("Oak Elementary", False),
    ]
    assert view.gaps == 1


def test_readiness_notes_by_the_chain_never_read_by_the_candidate() -> None:
    w = _world()
    entry = PoolEntry.objects.get(person=w.teacher)
    with pytest.raises(ApplicationError, match="principal, supervisor or superintendent"):
        services.readiness_note_save(actor=w.users["south"], entry=entry, readiness="ready_now", text="x")
    with pytest.raises(ApplicationError):
        services.readiness_note_save(actor=w.users["teacher"], entry=entry, readiness="ready_now", text="x")
    services.readiness_note_save(
        actor=w.users["principal"], entry=entry, readiness="one_two_years", text="Leads our data team well."
    )
    url = reverse("pipeline:entry", args=[entry.pk])
    for key, sees in {
        "principal": True,
        "supervisor": True,
        "hr": True,
        "teacher": False,
        "coordinator": False,
    }.items():
        c = Client()
        c.force_login(w.users[key])
        response = c.get(url)
        assert response.status_code == 200, key
        assert ("Leads our data team well." in response.content.decode()) is sees, key


def test_demographics_only_as_suppressed_aggregates(settings: Any) -> None:
    w = _world()
    c = Client()
    c.force_login(w.users["teacher"])
    assert (
        c.post(
            reverse("pipeline:demographics"),
            {"race": "hispanic", "gender": "female", "first_generation": "yes"},
        ).status_code
        == 302
    )
    row = Demographics.objects.get(person=w.teacher)
    assert row.race == "hispanic" and row.first_generation is True
    d = selectors.pool_diversity(w.district)
    assert d.answered == 1 and all(r.pool_n is None for r in d.race)  # one answer: nothing shown
    for i in range(7):
        p = make_person("Pool", f"Member{i}")
        make_position(p, w.school, Position.Role.TEACHER)
        PoolEntry.objects.create(person=p, organization=w.district, stage_since=TODAY)
        Demographics.objects.create(person=p, race="white" if i < 6 else "asian", gender="female")
    d = selectors.pool_diversity(w.district)
    shown = {r.code: r.pool_n for r in d.race}
    assert shown["white"] == 6
    assert shown["asian"] is None and shown["hispanic"] is None  # 1 each: hidden
    c.force_login(w.users["admin"])
    body = c.get(reverse("pipeline:pool", args=[w.district.pk])).content.decode()
    assert "Tess Teacher" in body and ">6<" in body


def test_pool_page_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    w = _world()
    c = Client()
    c.force_login(w.users["admin"])
    url = reverse("pipeline:pool", args=[w.district.pk])
    c.get(url)
    for i in range(12):
        p = make_person("More", f"Pooled{i}")
        make_position(p, w.school, Position.Role.TEACHER)
        PoolEntry.objects.create(person=p, organization=w.district, stage_since=TODAY)
    with django_assert_max_num_queries(24):
        response = c.get(url)
    assert response.content.decode().count("More Pooled") == 12


def test_pool_export_reads_every_page_in_the_same_queries_as_one() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = _world()
    c = Client()
    c.force_login(w.users["admin"])
    url = reverse("pipeline:pool", args=[w.district.pk]) + "?format=csv"
    c.get(url)
    with CaptureQueriesContext(connection) as small:
        before = c.get(url).content.decode()
    for i in range(selectors.PAGE_SIZE + 10):  # more than one page
        p = make_person("Export", f"Pooled{i:02d}")
        make_position(p, w.school, Position.Role.TEACHER)
        PoolEntry.objects.create(person=p, organization=w.district, stage_since=TODAY)
    with CaptureQueriesContext(connection) as large:
        after = c.get(url).content.decode()
    assert len(large) == len(small)
    assert after.count("Export Pooled") == selectors.PAGE_SIZE + 10
    assert len(after.splitlines()) == len(before.splitlines()) + selectors.PAGE_SIZE + 10


def test_a_coordinator_enrols_and_places_from_the_entry_page_and_others_may_not() -> None:
    w = _world()
    other = make_person("Nia", "Newcomer")
    make_position(other, w.school, Position.Role.TEACHER)
    entry = services.pool_join(actor=w.users["coordinator"], person=other, district=w.district)
    program = PrepProgram.objects.get()
    url = reverse("pipeline:entry", args=[entry.pk])
    c = Client()
    c.force_login(w.users["supervisor"])
    assert "Enrol in a preparation program" not in c.get(url).content.decode()
    assert c.post(url, {"form": "enroll", "program": program.pk, "cohort_year": 2026}).status_code in (
        200,
        404,
    )
    assert not other.candidacies.exists()
    c.force_login(w.users["coordinator"])
    body = c.get(url).content.decode()
    assert "Enrol in a preparation program" in body and "Place in a practicum" not in body
    assert c.post(url, {"form": "enroll", "program": program.pk, "cohort_year": 2026}).status_code == 302
    cand = other.candidacies.get()
    response = c.post(
        url,
        {
            "form": "place",
            "candidacy": cand.pk,
            "school": w.school.pk,
            "mentor": w.principal.pk,
            "supervisor": w.prof.pk,
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert "cannot end before it starts" in response.content.decode()  # refused whole, named
    assert not Placement.objects.filter(person=other).exists()
    response = c.post(
        url,
        {
            "form": "place",
            "candidacy": cand.pk,
            "school": w.school.pk,
            "mentor": w.principal.pk,
            "supervisor": w.prof.pk,
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    placed = Placement.objects.get(person=other)
    assert (
        placed.mentor == w.principal and PoolEntry.objects.get(pk=entry.pk).stage == PoolEntry.Stage.PRACTICUM
    )


def test_an_aspiring_leader_finds_open_postings_in_the_work_queue_until_they_apply() -> None:
    from edlead.core import workqueue

    w = _world()
    titles = [e.item.title for e in workqueue.items_for(w.users["teacher"])]
    assert "Open posting: Principal, Elm Middle" in titles
    services.application_submit(actor=w.users["teacher"], posting=w.posting, statement="")
    titles = [e.item.title for e in workqueue.items_for(w.users["teacher"])]
    assert "Open posting: Principal, Elm Middle" not in titles


def test_preparation_programs_kept_by_coordinators_read_by_the_pipelines_readers() -> None:
    w = _world()
    c = Client()
    c.force_login(w.users["coordinator"])
    new = reverse("pipeline:program-new")
    response = c.post(
        new,
        {
            "name": "Aspiring Principals Academy",
            "partner": "Alpha Public Schools",
            "provider": "district",
            "required_hours": 0,
            "offered_by": str(w.district.pk),
            "active": "on",
        },
    )
    assert (
        response.status_code == 200 and not PrepProgram.objects.filter(name__startswith="Aspiring").exists()
    )
    response = c.post(
        new,
        {
            "name": "Aspiring Principals Academy",
            "partner": "Alpha Public Schools",
            "provider": "district",
            "required_hours": 300,
            "offered_by": str(w.district.pk),
            "active": "on",
        },
    )
    assert response.status_code == 302
    academy = PrepProgram.objects.get(name="Aspiring Principals Academy")
    assert academy.organization == w.district and academy.required_hours == 300
    # The state's program is not the district coordinator's to change; nor may they offer one statewide.
    state_program = PrepProgram.objects.get(name="Principal licensure")
    assert c.get(reverse("pipeline:program-edit", args=[state_program.pk])).status_code == 404
    assert (
        c.post(
            new,
            {"name": "X", "partner": "Y", "provider": "state", "required_hours": 5, "offered_by": "state"},
        ).status_code
        == 200
    )
    assert not PrepProgram.objects.filter(name="X").exists()
    listing = reverse("pipeline:program-list")
    for key, status in {
        "coordinator": 200,
        "superintendent": 200,
        "hr": 200,
        "teacher": 404,
        "outsider": 404,
    }.items():
        c.force_login(w.users[key])
        assert c.get(listing).status_code == status, key
    c.force_login(w.users["superintendent"])
    body = c.get(listing).content.decode()
    assert "Aspiring Principals Academy" in body and "Add a preparation program" not in body


def _completers_leading(w: W, program: PrepProgram, count: int) -> list[Organization]:
    """`count` completers of `program` who became principals of new schools in 2019-20, each school's ELA
    meeting-or-exceeding 40 in 2018-19 and 40 + i in 2020-21 (i = 1..count)."""
    from edlead.metrics.models import Fact, Metric, StudentGroup

    metric, _ = Metric.objects.get_or_create(
        code="mcas_ela_me_pct", defaults={"name": "ELA meeting or exceeding", "unit": Metric.Unit.PERCENT}
    )
    everyone, _ = StudentGroup.objects.get_or_create(code="all", defaults={"name": "All students"})
    schools = []
    for i in range(1, count + 1):
        school = make_school(w.south, f"Led School {i}")
        person = make_person("Led", f"Completer{i}")
        Candidacy.objects.create(
            person=person,
            program=program,
            cohort_year=2017,
            status=Candidacy.Status.COMPLETED,
            completed_on=dt.date(2019, 6, 1),
        )
        make_position(person, school, Position.Role.PRINCIPAL, starts_on=dt.date(2019, 8, 1))
        for year, value in ((2018, 40), (2020, 40 + i)):
            Fact.objects.create(
                organization=school, school_year=year, metric=metric, group=everyone, value=value
            )
        schools.append(school)
    return schools


def test_outcomes_by_program_read_against_the_states_change_and_hide_small_groups() -> None:
    from edlead.metrics.models import Fact, Metric, StudentGroup

    w = _world()
    program = PrepProgram.objects.create(name="Leaders Academy", partner="Bay College", required_hours=10)
    small = PrepProgram.objects.create(name="Small Program", partner="Tiny College", required_hours=10)
    _completers_leading(w, program, 6)
    _completers_leading(w, small, 5)
    found = {o.program.name: o for o in selectors.program_outcomes(w.district)}
    academy = found["Leaders Academy"]
    assert (academy.completers, academy.leaders, academy.schools) == (6, 6, 6)
    assert academy.retained == 6 and academy.retained_of == 6  # started in 2019, still leading
    assert academy.change == 3.5  # (1 + 2 + … + 6) / 6
    # No state figure imported: the mean of the state's schools (all eleven), 40 → (21 + 15) / 11 + 40.
    assert academy.state_change == round((21 + 15) / 11, 1)
    tiny = found["Small Program"]
    assert tiny.change is None and tiny.retained is None and tiny.state_change is None  # 5 < 6
    # DESE's "State" row for both years wins over the schools' mean.
    metric = Metric.objects.get(code="mcas_ela_me_pct")
    everyone = StudentGroup.objects.get(code="all")
    state = Organization.objects.get(kind=Organization.Kind.STATE)
    for year, value in ((2018, 52), (2020, 49)):
        Fact.objects.create(organization=state, school_year=year, metric=metric, group=everyone, value=value)
    academy = next(o for o in selectors.program_outcomes(w.district) if o.program == program)
    assert academy.state_change == -3.0 and academy.change == 3.5
    c = Client()
    c.force_login(w.users["superintendent"])
    page = c.get(reverse("pipeline:outcomes", args=[w.district.pk])).content.decode()
    assert "Leaders Academy" in page and "-3.0" in page and "3.5" in page
