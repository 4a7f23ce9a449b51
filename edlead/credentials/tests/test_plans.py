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
from edlead.credentials import services
from edlead.credentials.models import DevelopmentPlan
from edlead.notices.models import Notice
from edlead.testing import make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _plan(person: Any) -> DevelopmentPlan:
    return services.plan_create(
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
    submitted = services.plan_submit(actor=world.users["school_leader"], plan=plan)
    assert submitted.status == "submitted"
    # Their principal supervisor (SUP1) is told; the principal is not.
    told = set(Notice.objects.filter(kind=services.NOTICE_PLAN).values_list("person_id", flat=True))
    assert told == {world.people["SUP1"].pk}
    peer = make_user(person=world.people["P3"], password=None)
    with pytest.raises(ApplicationError, match="evaluator of record"):
        services.plan_decide(actor=peer, plan=submitted, approve=True)
    with pytest.raises(ApplicationError, match="evaluator of record"):
        services.plan_decide(actor=_committee(world), plan=submitted, approve=True)
    with pytest.raises(ApplicationError, match="Say what to change"):
        services.plan_decide(actor=world.users["principal_supervisor"], plan=submitted, approve=False)
    returned = services.plan_decide(
        actor=world.users["principal_supervisor"],
        plan=submitted,
        approve=False,
        note="Add a disabilities goal.",
    )
    resubmitted = services.plan_submit(actor=world.users["school_leader"], plan=returned)
    approved = services.plan_decide(actor=world.users["principal_supervisor"], plan=resubmitted, approve=True)
    assert approved.status == "approved" and approved.approved_by == world.users["principal_supervisor"]
    assert [e.action for e in approved.events.all()] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    with pytest.raises(TransitionRefused):
        services.plan_decide(actor=world.users["principal_supervisor"], plan=approved, approve=True)


def test_a_superintendents_plan_is_approved_by_a_school_committee_member(world: World, client: Any) -> None:
    plan = _plan(world.people["SUPT"])
    member = _committee(world)
    other_member = _committee(world, "B")
    services.plan_submit(actor=world.users["superintendent"], plan=plan)
    assert Notice.objects.filter(person=member.person, kind=services.NOTICE_PLAN).exists()
    assert not Notice.objects.filter(person=other_member.person).exists()
    plan.refresh_from_db()
    assert not services.plan_may_approve(other_member, plan)
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
