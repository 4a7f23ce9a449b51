"""Department support services: routing, the department's steps, the school's steps, the timeline and
thread, notices, due dates from the district's settings, and bad input refused with a plain message
that names the field, writing nothing.

The access tests' world: Pat Principal-One (P1) leads Oak Elementary (S1) in Alpha's North Quadrant,
supervised by Sam Supervisor-North (SUP1); Dana Superintendent (SUPT) heads Alpha; Beta is another
district."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from edlead import config
from edlead.access.tests.conftest import World
from edlead.config.services import setting_set
from edlead.core.editing import EditConflict, TransitionRefused
from edlead.core.errors import ApplicationError
from edlead.notices.models import Notice
from edlead.support import departments, services
from edlead.support.models import SupportEvent, SupportMessage, SupportRequest
from edlead.support.tests.factories import SPED, make_responder

pytestmark = pytest.mark.django_db
S = SupportRequest.Status


def route(world: World, **extra: Any) -> SupportRequest:
    actor = extra.pop("actor", world.users["school_leader"])
    data = {
        "school": world.orgs["S1"],
        "department": SPED,
        "category": SupportRequest.Category.SPECIAL_EDUCATION,
        "priority": SupportRequest.Priority.NORMAL,
        "subject": "IEP meeting for a grade 3 student",
        "description": "The annual review needs a district representative on Thursday.",
        **extra,
    }
    return services.request_create(actor=actor, **data)


def test_a_request_is_routed_triaged_assigned_answered_and_resolved(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    lee, _ = make_responder(world.orgs["A"], first="Lee", last="Colleague", user=False)
    req = route(world)
    assert req.status == S.NEW and req.district == world.orgs["A"] and req.department == SPED
    assert req.group_key == departments.group_key(world.orgs["A"].pk, SPED)
    assert Notice.objects.filter(person__in=[rae, lee], kind=services.NOTICE_ROUTED).count() == 2

    req = services.request_triage(actor=rae_user, req=req, priority="high", note="Needs a psychologist")
    assert req.status == S.TRIAGED and req.priority == "high"
    assert req.due_at == req.routed_at + dt.timedelta(hours=24)
    req = services.request_assign(actor=rae_user, req=req, assignee=lee)
    assert req.status == S.ASSIGNED and req.assignee == lee
    assert Notice.objects.filter(person=lee, kind=services.NOTICE_ASSIGNED).exists()
    req = services.request_assign(actor=rae_user, req=req, assignee=rae)  # passed back: reassigned
    req = services.request_answer(actor=rae_user, req=req, answer="Ms. Ortiz will attend on Thursday.")
    assert req.status == S.ANSWERED and req.first_answered_at is not None
    p1 = world.people["P1"]
    assert Notice.objects.filter(person=p1, kind=services.NOTICE_ANSWERED).count() == 1

    req = services.request_reopen(actor=world.users["school_leader"], req=req, note="And the interpreter?")
    assert req.status == S.ASSIGNED and req.assignee == rae
    req = services.request_answer(actor=rae_user, req=req, answer="The interpreter is booked too.")
    req = services.request_resolve(actor=world.users["school_leader"], req=req, note="Thank you")
    assert req.status == S.RESOLVED and req.resolved_at is not None
    assert Notice.objects.filter(person=rae, kind=services.NOTICE_RESOLVED).exists()

    steps = list(SupportEvent.objects.filter(record=req).values_list("action", "to_status"))
    assert steps == [
        ("routed", "new"),
        ("triaged", "triaged"),
        ("assigned", "assigned"),
        ("assigned", "assigned"),
        ("answered", "answered"),
        ("reopened", "assigned"),
        ("answered", "answered"),
        ("resolved", "resolved"),
    ]
    thread = list(SupportMessage.objects.filter(request=req).values_list("kind", "body"))
    assert thread == [
        ("answer", "Ms. Ortiz will attend on Thursday."),
        ("comment", "And the interpreter?"),
        ("answer", "The interpreter is booked too."),
    ]
    event = SupportEvent.objects.filter(record=req).first()
    assert event is not None
    with pytest.raises(RuntimeError):
        event.delete()  # append-only


def test_the_supervisor_routes_for_a_school_they_supervise(world: World) -> None:
    req = route(world, actor=world.users["principal_supervisor"], school=world.orgs["S2"])
    assert req.requester == world.people["SUP1"] and req.organization == world.orgs["S2"]


def test_a_safety_request_is_always_urgent_and_flagged(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    req = route(world, category="safety", priority="low", subject="Threat reported")
    assert req.priority == "urgent" and req.is_safety
    assert req.due_at == req.routed_at + dt.timedelta(hours=4)
    assert Notice.objects.get(person=rae, kind=services.NOTICE_ROUTED).subject.startswith("Safety and crisis")
    with pytest.raises(ApplicationError, match="always urgent"):
        services.request_triage(actor=rae_user, req=req, priority="normal")
    assert SupportRequest.objects.get(pk=req.pk).status == S.NEW


def test_due_dates_follow_the_district_setting(world: World) -> None:
    setting_set(
        organization=world.orgs["A"],
        key="support.due_hours_normal",
        value="48",
        expected_version=0,
        actor=world.users["district_admin"],
    )
    req = route(world)
    assert req.due_at == req.routed_at + dt.timedelta(hours=48)
    assert config.setting(world.orgs["B"], "support.due_hours_normal") == 72


def test_departments_default_to_the_five_and_follow_the_district_setting(world: World) -> None:
    alpha = world.orgs["A"]
    assert departments.names(alpha) == list(departments.DEFAULT_DEPARTMENTS)
    setting_set(
        organization=alpha,
        key="people.departments",
        value="Special Education\nFacilities",
        expected_version=0,
        actor=world.users["district_admin"],
    )
    alpha = type(alpha).objects.get(pk=alpha.pk)
    assert departments.names(alpha) == ["Special Education", "Facilities"]
    with pytest.raises(
        ApplicationError, match="Department: “Teaching and Learning” is not a department of Alpha"
    ):
        route(
            world, department="Teaching and Learning", school=type(alpha).objects.get(pk=world.orgs["S1"].pk)
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"school": "S3"}, "School: Birch High is not a school you lead or supervise"),
        ({"school": "T1"}, "School: Cedar Elementary is not a school you lead or supervise"),
        (
            {"department": "Mathematics"},
            "Department: “Mathematics” is not a department of Alpha Public Schools",
        ),
        ({"department": ""}, r"Department: “\(none\)” is not a department"),
        ({"category": "gossip"}, "Category: choose one of the categories"),
        ({"priority": "whenever"}, "Priority: choose low, normal, high or urgent"),
        ({"subject": "  "}, "Subject: say in a few words"),
        ({"description": ""}, "Description: describe what the school needs"),
    ],
)
def test_bad_routing_is_refused_plainly_and_writes_nothing(
    world: World, change: dict[str, str], message: str
) -> None:
    extra: dict[str, Any] = dict(change)
    if "school" in extra:
        extra["school"] = world.orgs[extra["school"]]
    with pytest.raises(ApplicationError, match=message):
        route(world, **extra)
    assert not SupportRequest.objects.exists() and not SupportEvent.objects.exists()


def test_only_a_principal_or_supervisor_routes(world: World) -> None:
    for key in ("educator", "district_admin", "superintendent", "hr", "coach"):
        with pytest.raises(ApplicationError):
            route(world, actor=world.users[key])
    assert not SupportRequest.objects.exists()


def test_out_of_order_steps_are_refused(world: World) -> None:
    _rae, rae_user = make_responder(world.orgs["A"])
    req = route(world)
    with pytest.raises(TransitionRefused, match="can no longer be answered"):
        services.request_answer(actor=rae_user, req=req, answer="Done")
    with pytest.raises(TransitionRefused):
        services.request_resolve(actor=world.users["school_leader"], req=req)
    with pytest.raises(TransitionRefused):
        services.request_reopen(actor=world.users["school_leader"], req=req, note="Again")
    req = services.request_triage(actor=rae_user, req=req)
    with pytest.raises(TransitionRefused, match="can no longer be triaged"):
        services.request_triage(actor=rae_user, req=req)
    assert SupportRequest.objects.get(pk=req.pk).status == S.TRIAGED


def test_the_assignee_must_answer_for_the_department(world: World) -> None:
    _rae, rae_user = make_responder(world.orgs["A"])
    other, _ = make_responder(world.orgs["A"], "Multilingual Education", "Mo", "Multilingual", user=False)
    beta, _ = make_responder(
        world.orgs["B"], first="Bea", last="Beta", user=False
    )  # Beta's Special Education
    req = route(world)
    for person in (other, beta, world.people["P1"]):
        with pytest.raises(ApplicationError, match=f"Assignee: {person.display_name} is not a responder of"):
            services.request_assign(actor=rae_user, req=req, assignee=person)
    assert SupportRequest.objects.get(pk=req.pk).status == S.NEW


def test_only_the_departments_responders_act_for_it(world: World) -> None:
    rae, _ = make_responder(world.orgs["A"])
    _mo, mo_user = make_responder(world.orgs["A"], "Multilingual Education", "Mo", "Multilingual")
    _bea, bea_user = make_responder(world.orgs["B"], first="Bea", last="Beta")
    req = route(world)
    for user in (mo_user, bea_user, world.users["school_leader"], world.users["principal_supervisor"]):
        with pytest.raises(ApplicationError, match="Only a responder of Special Education"):
            services.request_assign(actor=user, req=req, assignee=rae)


def test_answers_need_words_and_reopening_a_reason(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    req = services.request_assign(actor=rae_user, req=route(world), assignee=rae)
    with pytest.raises(ApplicationError, match="Answer: write the answer"):
        services.request_answer(actor=rae_user, req=req, answer="  ")
    req = services.request_answer(actor=rae_user, req=req, answer="Yes")
    with pytest.raises(ApplicationError, match="Reason: say what is still needed"):
        services.request_reopen(actor=world.users["school_leader"], req=req, note="")
    with pytest.raises(ApplicationError, match="Only the school's leaders, its supervisor or the requester"):
        services.request_resolve(actor=rae_user, req=req)
    # The supervisor resolves a request of a school they supervise.
    assert services.request_resolve(actor=world.users["principal_supervisor"], req=req).status == S.RESOLVED


def test_a_stale_step_meets_the_other_persons_step(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    req = route(world)
    drawn = req.version
    services.request_triage(actor=rae_user, req=req, expected_version=drawn)
    fresh = SupportRequest.objects.get(pk=req.pk)
    with pytest.raises(EditConflict):
        services.request_assign(actor=rae_user, req=fresh, assignee=rae, expected_version=drawn)


def test_comments_from_readers_until_resolved(world: World) -> None:
    _rae, rae_user = make_responder(world.orgs["A"])
    req = route(world)
    services.request_comment(actor=rae_user, req=req, body="Which grade?")
    services.request_comment(actor=world.users["principal_supervisor"], req=req, body="Grade 3")
    with pytest.raises(ApplicationError, match="You may not comment"):
        services.request_comment(actor=world.users["educator"], req=req, body="Me too")
    with pytest.raises(ApplicationError, match="Comment: write something"):
        services.request_comment(actor=rae_user, req=req, body=" ")
    assert [m.body for m in SupportMessage.objects.filter(request=req)] == ["Which grade?", "Grade 3"]


def test_responders_are_named_and_ended_by_the_district_and_access_follows(world: World) -> None:
    alpha = world.orgs["A"]
    from edlead.people.models import Position
    from edlead.testing import make_person, make_position, make_user

    kim = make_person("Kim", "Central")
    make_position(kim, alpha, Position.Role.OTHER, title="Special education coordinator")
    kim_user = make_user(kim, password=None)
    req = route(world)
    from edlead.support import rules

    assert not rules.may_read(kim_user, req)
    with pytest.raises(
        ApplicationError, match="administrators and superintendent name department responders"
    ):
        services.responder_add(
            actor=world.users["principal_supervisor"], district=alpha, department=SPED, person=kim
        )
    rel = services.responder_add(
        actor=world.users["superintendent"], district=alpha, department=SPED, person=kim
    )
    assert rel.group == departments.group_key(alpha.pk, SPED) and rel.kind == "responder"
    assert rules.may_read(kim_user, req) and rules.may_respond(kim_user, req)
    with pytest.raises(ApplicationError, match="does not work in Beta"):
        services.responder_add(
            actor=world.users["state_admin"], district=world.orgs["B"], department=SPED, person=kim
        )
    with pytest.raises(ApplicationError, match="“Cooking” is not a department"):
        services.responder_add(
            actor=world.users["district_admin"], district=alpha, department="Cooking", person=kim
        )
    with pytest.raises(ApplicationError, match="already recorded"):
        services.responder_add(
            actor=world.users["district_admin"], district=alpha, department=SPED, person=kim
        )
    services.responder_end(
        actor=world.users["district_admin"],
        relationship=rel,
    )
    from edlead.core.models import AuditEvent

    assert AuditEvent.objects.filter(action=services.RESPONDER_CHANGED).count() == 2
    assert AuditEvent.objects.filter(action="relationship_started", detail__group=rel.group).exists()
    # Ended today: the access it gave ends tomorrow.
    from edlead.access.models import Relationship

    assert (
        not Relationship.objects.active(timezone.localdate() + dt.timedelta(days=1))
        .filter(pk=rel.pk)
        .exists()
    )
