"""The Individual Professional Development Plan: approved by the evaluator of record — a principal's by
their supervision chain, a superintendent's by a school committee member of the district — with its
status history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.core.editing import TransitionRefused
from edlead.core.errors import ApplicationError
from edlead.credentials import services, services_plans
from edlead.credentials.models import DevelopmentPlan
from edlead.notices.models import Notice
from edlead.testing import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _plan(person: Any) -> DevelopmentPlan:
    return services_plans.plan_create(
        actor=None,
        person=person,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=5 * 365),
        goals="Lead inclusive instruction.",
        activities=[{"title": "SEI course", "category": "sei", "pdps": 15}],
    )


def _committee(world: World, district: str = "A") -> Any:
    member = make_person("Casey", f"Committee-{district}")
    return make_user(
        person=member, grants=[(RoleGrant.Role.SCHOOL_COMMITTEE, world.orgs[district])], password=None
    )


def test_a_principals_plan_is_approved_by_their_supervisor_not_a_peer(world: World) -> None:
    plan = _plan(world.people["P1"])
    submitted = services_plans.plan_submit(actor=world.users["school_leader"], plan=plan)
    assert submitted.status == "submitted"
    # Their principal supervisor (SUP1) is told; the principal is not.
    told = set(Notice.objects.filter(kind=services.NOTICE_PLAN).values_list("person_id", flat=True))
    assert told == {world.people["SUP1"].pk}
    peer = make_user(person=world.people["P3"], password=None)
    with pytest.raises(ApplicationError, match="evaluator of record"):
        services_plans.plan_decide(actor=peer, plan=submitted, approve=True)
    with pytest.raises(ApplicationError, match="evaluator of record"):
        services_plans.plan_decide(actor=_committee(world), plan=submitted, approve=True)
    with pytest.raises(ApplicationError, match="Say what to change"):
        services_plans.plan_decide(actor=world.users["principal_supervisor"], plan=submitted, approve=False)
    returned = services_plans.plan_decide(
        actor=world.users["principal_supervisor"],
        plan=submitted,
        approve=False,
        note="Add a disabilities goal.",
    )
    resubmitted = services_plans.plan_submit(actor=world.users["school_leader"], plan=returned)
    approved = services_plans.plan_decide(
        actor=world.users["principal_supervisor"], plan=resubmitted, approve=True
    )
    assert approved.status == "approved" and approved.approved_by == world.users["principal_supervisor"]
    assert [e.action for e in approved.events.all()] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    with pytest.raises(TransitionRefused):
        services_plans.plan_decide(actor=world.users["principal_supervisor"], plan=approved, approve=True)


def test_a_superintendents_plan_is_approved_by_a_school_committee_member(world: World, client: Any) -> None:
    plan = _plan(world.people["SUPT"])
    member = _committee(world)
    other_member = _committee(world, "B")
    services_plans.plan_submit(actor=world.users["superintendent"], plan=plan)
    assert Notice.objects.filter(person=member.person, kind=services.NOTICE_PLAN).exists()
    assert not Notice.objects.filter(person=other_member.person).exists()
    plan.refresh_from_db()
    assert not services_plans.plan_may_approve(other_member, plan)
    url = reverse("credentials:plan-detail", args=[plan.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200 and "Record the decision" in page.content.decode()
    assert client.post(url, {"decision": "approve", "note": ""}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == member
    # The member reads no one else's plan.
    principal_plan = _plan(world.people["P1"])
    assert client.get(reverse("credentials:plan-detail", args=[principal_plan.pk])).status_code == 404


def test_school_committee_members_see_the_directory_and_no_records(world: World) -> None:
    member = _committee(world)
    assert policy.can(member, policy.ORG_DIRECTORY, world.orgs["S1"])
    assert policy.can(member, policy.PERSON_DIRECTORY, world.people["P1"])
    for action in (policy.ORG_VIEW, policy.PERSON_VIEW, policy.PERSONNEL_VIEW, policy.PERSON_EDIT):
        assert not policy.can(member, action, world.people["P1"] if "person" in action else world.orgs["S1"])
    assert not policy.can(member, services.CREDENTIALS_VIEW, world.people["SUPT"])


def _queue_titles(user: Any) -> list[str]:
    from edlead.core import workqueue

    return [e.item.title for e in workqueue.items_for(user) if e.item.source == "credentials"]


def test_a_principal_drafts_their_plan_on_its_page_and_their_supervisor_decides(
    world: World, client: Any
) -> None:
    leader, supervisor = world.users["school_leader"], world.users["principal_supervisor"]
    p1 = world.people["P1"]
    client.force_login(leader)
    page = client.get(reverse("credentials:my-licences")).content.decode()
    assert reverse("credentials:plan-add", args=[p1.pk]) in page and "Roles I qualify for" in page
    response = client.post(
        reverse("credentials:plan-add", args=[p1.pk]),
        {
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=900)).isoformat(),
            "goals": "SEI.",
        },
    )
    plan = DevelopmentPlan.objects.get(person=p1)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == "draft" and plan.version == 1
    assert "Your development plan is a draft" in " ".join(_queue_titles(leader))

    # Sending an empty plan is refused with a reason; nothing moves.
    client.post(reverse("credentials:plan-step", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert plan.status == "draft"

    # The goals save themselves (htmx): the status line answers, the version goes up.
    save = reverse("credentials:plan-save", args=[plan.pk])
    form = {"version": "1", "starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat()}
    answer = client.post(save, {**form, "goals": "Lead inclusive instruction."}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "Saved" in answer.content.decode()
    plan.refresh_from_db()
    assert plan.goals == "Lead inclusive instruction." and plan.version == 2
    # A second tab still on version 1 is refused and shown both texts; nothing is overwritten.
    stale = client.post(save, {**form, "goals": "Something else."}, HTTP_HX_REQUEST="true")
    assert "Not saved" in stale.content.decode() and "Lead inclusive instruction." in stale.content.decode()
    plan.refresh_from_db()
    assert plan.goals == "Lead inclusive instruction."

    add = reverse("credentials:plan-activity-add", args=[plan.pk])
    bad = client.post(add, {"title": "SEI course", "category": "nonsense", "pdps": "15"})
    assert bad.status_code == 400 and plan.activities.count() == 0
    assert client.post(add, {"title": "SEI course", "category": "sei", "pdps": "15"}).status_code == 302
    assert client.post(add, {"title": "Spare", "category": "sei", "pdps": "3"}).status_code == 302
    spare = plan.activities.get(title="Spare")
    client.post(reverse("credentials:plan-activity-remove", args=[plan.pk, spare.pk]))
    assert [a.title for a in plan.activities.all()] == ["SEI course"]

    # The supervisor may read the draft but not change it.
    client.force_login(supervisor)
    assert client.get(plan.get_absolute_url()).status_code == 200
    refused = client.post(save, {**form, "version": "9", "goals": "Mine now."}, HTTP_HX_REQUEST="true")
    assert "Only the plan&#x27;s owner changes it" in refused.content.decode()

    client.force_login(leader)
    client.post(reverse("credentials:plan-step", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert any("waits for your approval" in t for t in _queue_titles(supervisor))

    client.force_login(supervisor)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Approve or return the plan" in page and "Lead inclusive instruction." in page
    missing_note = client.post(plan.get_absolute_url(), {"decision": "return", "note": ""})
    assert missing_note.status_code == 400 and "Say what to change" in missing_note.content.decode()
    client.post(plan.get_absolute_url(), {"decision": "return", "note": "Add a goal on your school's plan."})
    plan.refresh_from_db()
    assert plan.status == "returned"
    assert not any("waits for your approval" in t for t in _queue_titles(supervisor))
    assert any("was returned" in t for t in _queue_titles(leader))
    assert Notice.objects.filter(person=p1, kind=services.NOTICE_PLAN).exists()

    client.force_login(leader)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Add a goal on your school&#x27;s plan." in page and "Send for approval" in page


def test_a_submitted_plan_can_be_taken_back_by_its_owner_only(world: World, client: Any) -> None:
    plan = _plan(world.people["P1"])
    services_plans.plan_submit(actor=world.users["school_leader"], plan=plan)
    step = reverse("credentials:plan-step", args=[plan.pk, "take-back"])
    client.force_login(world.users["principal_supervisor"])
    client.post(step)
    plan.refresh_from_db()
    assert plan.status == "submitted"
    client.force_login(world.users["school_leader"])
    client.post(step)
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert [e.action for e in plan.events.all()] == ["created", "submitted", "taken_back"]
