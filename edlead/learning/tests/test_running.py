"""Running a program: supervisor approval of registrations, attendance per meeting, completion by the
program's rule with PDPs credited once and a certificate, and the surveys after (anonymous reaction,
ratings after, follow-up), with the bad input each refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.core import workqueue
from edlead.core.errors import ApplicationError
from edlead.credentials.models import PdpActivity
from edlead.learning import services, services_completion, services_surveys
from edlead.learning.models import Attendance, Enrollment, Meeting, Reaction, ReactionReceipt, Session
from edlead.learning.tests.factories import make_evaluator, make_program, make_session
from edlead.notices.models import Notice

S = Enrollment.Status


def _past_session(program: Any, *, meetings: int = 2, days_ago: int = 10) -> Session:
    start = timezone.now() - dt.timedelta(days=days_ago)
    session = Session.objects.create(
        program=program, starts_at=start, ends_at=start + dt.timedelta(days=meetings - 1, hours=6)
    )
    for n in range(meetings):
        at = start + dt.timedelta(days=n)
        Meeting.objects.create(session=session, starts_at=at, ends_at=at + dt.timedelta(hours=6))
    return session


def _enrol(session: Session, *people: Any) -> list[Enrollment]:
    return [Enrollment.objects.create(session=session, person=p, status=S.ENROLLED) for p in people]


# --- approval -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_registration_waits_for_the_supervisor_who_approves_or_declines_with_a_reason(
    world: World, client: Any
) -> None:
    make_evaluator(world, "SUP1", "P1")
    session = make_session(make_program(organization=world.orgs["A"], capacity=1, requires_approval=True))
    principal, supervisor = world.users["school_leader"], world.users["principal_supervisor"]
    e = services.register(actor=principal, session=session, person=world.people["P1"])
    assert e.status == S.PENDING  # holds no seat yet
    assert Notice.objects.filter(person=world.people["SUP1"], kind=services.NOTICE_APPROVAL).count() == 1
    # The supervisor sees it in the work queue and on the approvals page; the principal's colleague does not.
    titles = [q.item.title for q in workqueue.items_for(supervisor)]
    assert f"{world.people['P1'].display_name} asks to attend Data Teams" in titles
    assert not [q for q in workqueue.items_for(world.users["coach"]) if "asks to attend" in q.item.title]
    with pytest.raises(ApplicationError, match="Only the participant's supervisor"):
        services.decide(actor=world.users["coach"], enrollment=e, approve=True)
    with pytest.raises(ApplicationError, match="Only the participant's supervisor"):
        services.decide(actor=principal, enrollment=e, approve=True)  # not one's own
    with pytest.raises(ApplicationError, match="Say why"):
        services.decide(actor=supervisor, enrollment=e, approve=False)
    # A coordinator's registration of someone else needs no approval: it takes the only seat.
    other = services.register(
        actor=world.users["program_coordinator"], session=session, person=world.people["P3"]
    )
    assert other.status == S.ENROLLED
    client.force_login(supervisor)
    page = client.get(reverse("learning:approvals"))
    assert world.people["P1"].display_name in page.content.decode()
    client.post(reverse("learning:decide", args=[e.pk]), {"decision": "approve"})
    e.refresh_from_db()
    assert e.status == S.WAITLISTED and e.decided_by_id == world.people["SUP1"].pk  # approved, but full
    told = Notice.objects.get(person=world.people["P1"], kind=services.NOTICE_DECIDED)
    assert "approved: you are on the waitlist" in told.subject
    with pytest.raises(ApplicationError, match="nothing to decide"):
        services.decide(actor=supervisor, enrollment=e, approve=False, note="Changed my mind")


@pytest.mark.django_db
def test_a_declined_registration_carries_the_note_and_frees_the_person_to_ask_again(world: World) -> None:
    make_evaluator(world, "SUP1", "P1")
    session = make_session(make_program(organization=world.orgs["A"], requires_approval=True))
    e = services.register(actor=world.users["school_leader"], session=session, person=world.people["P1"])
    services.decide(
        actor=world.users["principal_supervisor"], enrollment=e, approve=False, note="Budget is spent"
    )
    e.refresh_from_db()
    assert (e.status, e.decision_note) == (S.DECLINED, "Budget is spent")
    again = services.register(actor=world.users["school_leader"], session=session, person=world.people["P1"])
    assert again.pk == e.pk and again.status == S.PENDING


# --- attendance and completion --------------------------------------------------------------------------
@pytest.mark.django_db
def test_attendance_then_completion_by_the_rule_credits_pdps_once(world: World) -> None:
    program = make_program(
        organization=world.orgs["A"],
        capacity=10,
        pdp_hours=Decimal("12"),
        pdp_category="content",
        completion_attendance=100,
    )
    session = _past_session(program, meetings=2)
    p1, ap1, tea = _enrol(session, world.people["P1"], world.people["AP1"], world.people["TEA1"])
    coordinator = world.users["program_coordinator"]
    first, second = list(session.meetings.all())
    services_completion.record_attendance(actor=coordinator, meeting=first, present=[p1.pk, ap1.pk, tea.pk])
    services_completion.record_attendance(actor=coordinator, meeting=second, present=[p1.pk, ap1.pk])
    # Taking it again changes the marks, not the rows.
    services_completion.record_attendance(actor=coordinator, meeting=second, present=[p1.pk, ap1.pk])
    assert Attendance.objects.count() == 6
    result = services_completion.complete_session(actor=coordinator, session=session)
    assert {e.person_id for e in result.completed} == {world.people["P1"].pk, world.people["AP1"].pk}
    assert [s.missing for s in result.not_yet] == ["attended 1 of 2 meetings (50%; 100% needed)"]
    credited = PdpActivity.objects.filter(person=world.people["P1"], title="Data Teams")
    assert credited.count() == 1 and credited.get().amount == Decimal("12")
    assert (
        Notice.objects.filter(person=world.people["P1"], kind=services_completion.NOTICE_COMPLETED).count()
        == 1
    )
    # Marking completion again credits nothing twice.
    again = services_completion.complete_session(actor=coordinator, session=session)
    assert again.completed == [] and credited.count() == 1


@pytest.mark.django_db
def test_attendance_refuses_strangers_future_meetings_and_non_coordinators(world: World) -> None:
    session = _past_session(make_program(organization=world.orgs["A"], capacity=10))
    (p1,) = _enrol(session, world.people["P1"])
    stranger = Enrollment.objects.create(
        session=make_session(make_program("Other", organization=world.orgs["A"])),
        person=world.people["AP1"],
        status=S.ENROLLED,
    )
    meeting = session.meetings.first()
    assert meeting is not None
    coordinator = world.users["program_coordinator"]
    with pytest.raises(ApplicationError, match="not enrolled in this session; nothing was saved"):
        services_completion.record_attendance(
            actor=coordinator, meeting=meeting, present=[p1.pk, stranger.pk]
        )
    assert not Attendance.objects.exists()
    with pytest.raises(ApplicationError, match="Only a coordinator"):
        services_completion.record_attendance(actor=world.users["school_leader"], meeting=meeting, present=[])
    future = make_session(session.program)
    later = services_completion.meetings(future)[0]
    with pytest.raises(ApplicationError, match="has not happened yet"):
        services_completion.record_attendance(actor=coordinator, meeting=later, present=[])
    with pytest.raises(ApplicationError, match="meetings still to come"):
        services_completion.complete_session(actor=coordinator, session=future)


@pytest.mark.django_db
def test_an_assessment_is_needed_where_the_program_asks_for_one(world: World) -> None:
    session = _past_session(
        make_program(
            organization=world.orgs["A"], capacity=10, requires_assessment=True, completion_attendance=50
        )
    )
    p1, ap1 = _enrol(session, world.people["P1"], world.people["AP1"])
    coordinator = world.users["program_coordinator"]
    for m in session.meetings.all():
        services_completion.record_attendance(actor=coordinator, meeting=m, present=[p1.pk, ap1.pk])
    services_completion.record_assessment(actor=coordinator, enrollment=p1, passed=True)
    services_completion.record_assessment(actor=coordinator, enrollment=ap1, passed=False)
    result = services_completion.complete_session(actor=coordinator, session=session)
    assert [e.pk for e in result.completed] == [p1.pk]
    assert result.not_yet[0].missing == "assessment not passed"


@pytest.mark.django_db
def test_the_roster_page_is_the_coordinators_and_takes_attendance(world: World, client: Any) -> None:
    session = _past_session(make_program(organization=world.orgs["A"], capacity=10), meetings=1)
    p1, ap1 = _enrol(session, world.people["P1"], world.people["AP1"])
    meeting = session.meetings.get()
    url = reverse("learning:roster", args=[session.pk])
    client.force_login(world.users["school_leader"])
    assert client.get(url).status_code == 404  # a participant does not see the roster
    client.force_login(world.users["program_coordinator"])
    page = client.get(url)
    assert page.status_code == 200 and world.people["AP1"].display_name in page.content.decode()
    client.post(
        reverse("learning:attendance", args=[meeting.pk]), {"roster": [p1.pk, ap1.pk], "present": [p1.pk]}
    )
    assert dict(Attendance.objects.values_list("enrollment_id", "present")) == {p1.pk: True, ap1.pk: False}
    client.post(reverse("learning:complete", args=[session.pk]))
    p1.refresh_from_db()
    assert p1.status == S.COMPLETED
    csv = client.get(reverse("learning:roster-csv", args=[session.pk])).content.decode("utf-8-sig")
    assert "Completed" in csv and "attended 0 of 1 meetings" in csv
    # The participant downloads the certificate; the coordinator's colleague at another district cannot.
    client.force_login(world.users["school_leader"])
    pdf = client.get(reverse("learning:certificate", args=[p1.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Certificate of completion" in text and world.people["P1"].display_name in text
    assert p1.certificate_number in text
    client.force_login(world.users["assistant_principal"])
    assert client.get(reverse("learning:certificate", args=[p1.pk])).status_code == 404


@pytest.mark.django_db
def test_the_roster_reads_in_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any
) -> None:
    small = _past_session(make_program("Small", organization=world.orgs["A"], capacity=50), meetings=2)
    big = _past_session(make_program("Big", organization=world.orgs["A"], capacity=50), meetings=2)
    _enrol(small, world.people["P1"])
    _enrol(big, *[world.people[k] for k in ("P1", "AP1", "TEA1", "P3", "PT1", "SUP1", "SUP2")])
    client.force_login(world.users["program_coordinator"])
    client.get(reverse("learning:roster", args=[small.pk]))  # warm the session and grants
    with django_assert_num_queries(9) as small_ctx:
        client.get(reverse("learning:roster", args=[small.pk]))
    with django_assert_num_queries(len(small_ctx.captured_queries)):
        client.get(reverse("learning:roster", args=[big.pk]))


# --- surveys ----------------------------------------------------------------------------------------------
def _completed(world: World, key: str = "P1", **program: Any) -> Enrollment:
    session = _past_session(make_program(organization=world.orgs["A"], capacity=10, **program), meetings=1)
    (e,) = _enrol(session, world.people[key])
    services_completion.record_attendance(actor=None, meeting=session.meetings.get(), present=[e.pk])
    services_completion.complete_session(actor=None, session=session)
    e.refresh_from_db()
    return e


@pytest.mark.django_db
def test_the_reaction_is_anonymous_answered_once_and_in_range(world: World, client: Any) -> None:
    e = _completed(world)
    me = world.users["school_leader"]
    with pytest.raises(ApplicationError, match="outside 1 to 5"):
        services_surveys.submit_reaction(
            actor=me, enrollment=e, answers={"relevant": 6, "quality": 3, "will_use": 3}
        )
    with pytest.raises(ApplicationError, match="choose an answer"):
        services_surveys.submit_reaction(actor=me, enrollment=e, answers={"relevant": "x"})
    assert not Reaction.objects.exists() and not ReactionReceipt.objects.exists()
    with pytest.raises(ApplicationError, match="Only the participant"):
        services_surveys.submit_reaction(
            actor=world.users["assistant_principal"],
            enrollment=e,
            answers={"relevant": 4, "quality": 4, "will_use": 4},
        )
    client.force_login(me)
    answers = {
        "part": "reaction",
        "relevant": "5",
        "quality": "4",
        "will_use": "3",
        "comment": "Useful",
        "c-data-decisions": "3",
    }
    assert client.post(reverse("learning:survey", args=[e.pk]), answers).status_code == 302
    reaction = Reaction.objects.get()
    # Nothing on the answer row points at the person: no person, enrollment or time of day.
    fields = {f.name for f in Reaction._meta.get_fields()}
    assert fields == {"id", "session", "answers", "comment", "submitted_on"}
    assert reaction.answers == {"relevant": 5, "quality": 4, "will_use": 3}
    assert ReactionReceipt.objects.filter(enrollment=e).exists()
    with pytest.raises(ApplicationError, match="already answered"):
        services_surveys.submit_reaction(
            actor=me, enrollment=e, answers={"relevant": 4, "quality": 4, "will_use": 4}
        )
    again = client.post(reverse("learning:survey", args=[e.pk]), answers)
    assert again.status_code == 400 and Reaction.objects.count() == 1


@pytest.mark.django_db
def test_ratings_are_refused_out_of_range_or_for_unknown_competencies_and_saved_whole(world: World) -> None:
    me = world.users["school_leader"]
    person = world.people["P1"]
    with pytest.raises(ApplicationError, match="Data-driven decision making: the rating 5 is outside 1 to 4"):
        services_surveys.submit_ratings(actor=me, person=person, ratings={"equity": 2, "data-decisions": 5})
    with pytest.raises(ApplicationError, match="not a competency"):
        services_surveys.submit_ratings(actor=me, person=person, ratings={"juggling": 2})
    with pytest.raises(ApplicationError, match="Self-ratings are given by the person"):
        services_surveys.submit_ratings(
            actor=world.users["assistant_principal"], person=person, ratings={"equity": 2}
        )
    with pytest.raises(ApplicationError, match="only the people they evaluate"):
        services_surveys.submit_ratings(
            actor=world.users["principal_supervisor"],
            person=person,
            ratings={"equity": 2},
            rater_kind="supervisor",
        )
    from edlead.learning.models import GrowthRating

    assert not GrowthRating.objects.exists()


@pytest.mark.django_db
def test_the_follow_up_opens_three_months_after_completion(world: World) -> None:
    e = _completed(world)
    me = world.users["school_leader"]
    with pytest.raises(ApplicationError, match="opens 90 days after"):
        services_surveys.submit_follow_up(actor=me, enrollment=e, use=3)
    Enrollment.objects.filter(pk=e.pk).update(completed_on=timezone.localdate() - dt.timedelta(days=95))
    e.refresh_from_db()
    titles = [q.item.title for q in workqueue.items_for(me)]
    assert "Three months on: are you using what you learned in Data Teams?" in titles
    with pytest.raises(ApplicationError, match="outside 1 to 4"):
        services_surveys.submit_follow_up(actor=me, enrollment=e, use=7)
    services_surveys.submit_follow_up(actor=me, enrollment=e, use=3, example="Data meetings weekly")
    with pytest.raises(ApplicationError, match="already answered"):
        services_surveys.submit_follow_up(actor=me, enrollment=e, use=4)
    assert not [q for q in workqueue.items_for(me) if "Three months on" in q.item.title]


@pytest.mark.django_db
def test_a_completer_is_asked_for_the_survey_in_the_work_queue(world: World) -> None:
    _completed(world)
    titles = [q.item.title for q in workqueue.items_for(world.users["school_leader"])]
    assert "Tell us how Data Teams went" in titles


@pytest.mark.django_db
def test_the_coordinators_queue_asks_for_attendance_then_completion_then_nothing(world: World) -> None:
    session = _past_session(make_program(organization=world.orgs["A"], capacity=10), meetings=2)
    p1, ap1 = _enrol(session, world.people["P1"], world.people["AP1"])
    coordinator = world.users["program_coordinator"]

    def asked() -> list[str]:
        return [q.item.title for q in workqueue.items_for(coordinator) if q.item.source == "learning"]

    assert asked() == ["Take attendance and mark completion: Data Teams"]
    first, second = list(session.meetings.all())
    services_completion.record_attendance(actor=coordinator, meeting=first, present=[p1.pk, ap1.pk])
    assert asked() == ["Take attendance and mark completion: Data Teams"]  # one meeting still to take
    services_completion.record_attendance(actor=coordinator, meeting=second, present=[p1.pk])
    assert asked() == ["Mark completion: Data Teams"]
    services_completion.complete_session(actor=coordinator, session=session)
    assert asked() == []  # the one short of the rule stays enrolled, off the queue
    assert not [q for q in workqueue.items_for(world.users["school_leader"]) if "attendance" in q.item.title]


@pytest.mark.django_db
def test_the_supervisor_reads_the_learning_of_the_leaders_they_oversee(
    world: World, client: Any, django_assert_num_queries: Any
) -> None:
    e = _completed(world, "P1", pdp_hours=Decimal("6"), pdp_category="content")
    supervisor = world.users["principal_supervisor"]
    from edlead.learning.participation import participation

    data = participation(supervisor)
    names = {r.person.pk: r for r in data.rows}
    assert world.people["P1"].pk in names and world.people["AP1"].pk in names
    assert (
        world.people["P3"].pk not in names and world.people["PT1"].pk not in names
    )  # other network, district
    assert (names[world.people["P1"].pk].completed, names[world.people["P1"].pk].pdps) == (1, Decimal("6"))
    client.force_login(supervisor)
    page = client.get(reverse("learning:participation"))
    assert page.status_code == 200 and "1 of 2 completed a program" in page.content.decode()
    csv = client.get(reverse("learning:participation") + "?format=csv").content.decode("utf-8-sig")
    assert f"{e.person.display_name},Principal" in csv
    client.force_login(world.users["educator"])
    assert client.get(reverse("learning:participation")).status_code == 404
    client.force_login(supervisor)
    with django_assert_num_queries(9) as ctx:
        client.get(reverse("learning:participation"))
    _completed(world, "AP1")
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(reverse("learning:participation"))
