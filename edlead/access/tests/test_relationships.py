"""Relationship-based access: every rule a model declares (`policy.declare`) is checked against one
cast of viewers, and the expected answer is read from the rule itself, so a new rule is covered the
moment it is declared. A rule on a model this file does not know how to build fails the test until a
builder is added to RECORD_BUILDERS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from edlead.access import policy
from edlead.access.models import Relationship, RoleGrant
from edlead.access.services import relationship_end, relationship_start
from edlead.coaching.tests.factories import record_builders as coaching_builders
from edlead.communications.tests.factories import record_builders as communications_builders
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.credentials.tests.factories import record_builders as credential_builders
from edlead.evaluations.tests.factories import record_builders
from edlead.learning.tests.factories import record_builders as learning_builders
from edlead.networks.tests.factories import record_builders as network_builders
from edlead.people.models import CorrectionRequest, Person, Position
from edlead.pipeline.tests.factories import record_builders as pipeline_builders
from edlead.support.tests.factories import record_builders as support_builders
from edlead.teacherleaders.tests.factories import record_builders as teacherleader_builders
from edlead.testing import (
    make_district,
    make_network,
    make_person,
    make_position,
    make_school,
    make_state,
    make_user,
)

R = Position.Role
G = RoleGrant.Role
K = Relationship.Kind
TODAY = dt.date.today()

# model label → build a record of that model about `person` (the rule's `person` path leads back to it).
RECORD_BUILDERS: dict[str, Callable[[Person], Any]] = {
    "people.person": lambda person: person,
    "people.correctionrequest": lambda person: CorrectionRequest.objects.get_or_create(
        person=person,
        defaults={"district": person.positions.select_related("organization").first().organization.district},
    )[0],
    **record_builders(),  # evaluation cycles, their evidence, visits
    **credential_builders(),  # licences, endorsements, degrees, assessments, PDP activities, plans
    **learning_builders(),  # registrations (approval, the learning record), growth surveys
    **support_builders(),  # department support requests
    **coaching_builders(),  # coaching relationships and their sessions (notes)
    **network_builders(),  # network meeting attendance
    **pipeline_builders(),  # pool entries, readiness notes, practicum placements
    **communications_builders(),  # recognition nominations (nominator + review panel)
    **teacherleader_builders(),  # leadership teams, councils, cabinets (their convener and members)
}


class Cast:
    """A principal (the owner of the records) and everyone around them."""

    def __init__(self) -> None:
        state = make_state()
        self.district = make_district("Alpha Public Schools", code="99100000")
        other = make_district("Beta Public Schools", code="99200000")
        network = make_network(self.district, "North Quadrant")
        school = make_school(network, "Lincoln Elementary", code="99100010")
        other_school = make_school(make_network(other, "East"), "Beta Elementary", code="99200010")
        self.owner = make_person("Pat", "Principal")
        make_position(self.owner, school, R.PRINCIPAL)
        self.people: dict[str, Person] = {"owner": self.owner}
        self.users: dict[str, Any] = {"owner": make_user(self.owner, password=None)}

        def person_user(key: str, org: Any = None, role: str | None = None, grants: Any = None) -> None:
            person = make_person(key.title(), "Cast")
            if org is not None and role is not None:
                make_position(person, org, role)
            self.people[key] = person
            self.users[key] = make_user(person, password=None, grants=grants)

        person_user("supervisor", network, R.PRINCIPAL_SUPERVISOR)  # the owner's supervision chain
        person_user("superintendent", self.district, R.SUPERINTENDENT)
        person_user("assistant_principal", school, R.ASSISTANT_PRINCIPAL)  # below the owner: never up
        person_user("teacher", school, R.TEACHER)
        person_user("hr", grants=[(G.HR, self.district)])
        person_user("district_admin", grants=[(G.DISTRICT_ADMIN, self.district)])
        person_user("state_admin", grants=[(G.STATE_ADMIN, state)])
        person_user("other_hr", grants=[(G.HR, other)])
        person_user("other_principal", other_school, R.PRINCIPAL)
        person_user("coach_role_only", grants=[(G.COACH, school)])  # a role on the school, no relationship
        person_user("program_coordinator", grants=[(G.PROGRAM_COORDINATOR, self.district)])
        for kind in K.values:
            key = f"rel_{kind}"
            person_user(key, self.district, R.OTHER)  # district staff with no role from it
            if kind in Relationship.PERSON_KINDS:
                Relationship.objects.create(
                    kind=kind,
                    holder=self.people[key],
                    person=self.owner,
                    organization=self.district,
                    starts_on=TODAY,
                )
        # Relationships outside their dates give nothing.
        person_user("ended_coach")
        Relationship.objects.create(
            kind=K.COACH,
            holder=self.people["ended_coach"],
            person=self.owner,
            organization=self.district,
            starts_on=TODAY - dt.timedelta(days=400),
            ends_on=TODAY - dt.timedelta(days=1),
        )
        person_user("future_evaluator")
        Relationship.objects.create(
            kind=K.EVALUATOR,
            holder=self.people["future_evaluator"],
            person=self.owner,
            organization=self.district,
            starts_on=TODAY + dt.timedelta(days=5),
        )


def expected(rule: policy.Rule, key: str) -> bool:
    """What the rule says about each member of the cast."""
    if key == "owner":
        return rule.owner
    if key.startswith("rel_"):
        return key.removeprefix("rel_") in rule.relationships
    if key in ("supervisor", "superintendent"):
        role = G.PRINCIPAL_SUPERVISOR if key == "supervisor" else G.SUPERINTENDENT
        return rule.chain or role in rule.roles
    if key in ("hr", "district_admin", "state_admin"):
        return {"hr": G.HR, "district_admin": G.DISTRICT_ADMIN, "state_admin": G.STATE_ADMIN}[
            key
        ] in rule.roles
    if key == "program_coordinator":
        return G.PROGRAM_COORDINATOR in rule.roles
    # Below or beside the owner, another district, a role with no relationship, dates outside: never.
    return False


@pytest.mark.django_db
def test_every_declared_rule_gives_exactly_what_it_says() -> None:
    rules = policy.declared_rules()
    assert ("people.person", policy.PERSON_RESTRICTED) in rules
    assert ("people.person", policy.PERSON_SHARED) in rules
    cast = Cast()
    checked = 0
    for (label, action), rule in rules.items():
        assert label in RECORD_BUILDERS, f"add a builder for {label} to RECORD_BUILDERS"
        record = RECORD_BUILDERS[label](cast.owner)
        model = type(record)
        for key, user in cast.users.items():
            want = expected(rule, key)
            assert policy.can(user, action, record) is want, (label, action, key)
            listed = policy.visible_to(user, model.objects.all(), action).filter(pk=record.pk).exists()
            assert listed is want, (label, action, key, "visible_to")
            checked += 1
    assert checked >= 2 * len(cast.users)


@pytest.mark.django_db
def test_coach_sees_coachees_shared_record_not_restricted_and_assistant_principal_sees_neither() -> None:
    cast = Cast()
    coach = cast.users[f"rel_{K.COACH}"]
    assert policy.can(coach, policy.PERSON_SHARED, cast.owner)
    assert not policy.can(coach, policy.PERSON_RESTRICTED, cast.owner)
    ap = cast.users["assistant_principal"]
    assert not policy.can(ap, policy.PERSON_RESTRICTED, cast.owner)
    assert not policy.can(ap, policy.PERSON_SHARED, cast.owner)
    # The principal reads their assistant principal's record: up the chain.
    assert policy.can(cast.users["owner"], policy.PERSON_RESTRICTED, cast.people["assistant_principal"])


@pytest.mark.django_db
def test_declared_action_needs_a_record_and_unknown_model_is_refused() -> None:
    cast = Cast()
    with pytest.raises(TypeError):
        policy.can(cast.users["hr"], policy.PERSON_SHARED)
    with pytest.raises(TypeError):
        policy.visible_to(cast.users["hr"], Position.objects.all(), policy.PERSON_SHARED)
    with pytest.raises(ValueError):
        policy.can(cast.users["hr"], "nothing.such", cast.owner)


@pytest.mark.django_db
def test_relationship_start_and_end_are_audited_and_access_follows() -> None:
    cast = Cast()
    hr = cast.users["hr"]
    mentor_person = make_person("Mo", "Mentor")
    mentor = make_user(mentor_person, password=None)
    make_position(mentor_person, cast.district, R.OTHER)
    assert not policy.can(mentor, policy.PERSON_SHARED, cast.owner)
    rel = relationship_start(
        actor=hr, kind=K.MENTOR, holder=mentor_person, person=cast.owner, organization=cast.district
    )
    assert policy.can(mentor, policy.PERSON_SHARED, cast.owner)
    started = AuditEvent.objects.get(action="relationship_started")
    assert started.detail["kind"] == "mentor" and started.actor == hr
    assert cast.district.path in started.scope
    relationship_end(actor=hr, relationship=rel, ends_on=TODAY - dt.timedelta(days=0))
    # Ended today: still in force today, gone tomorrow.
    rel.refresh_from_db()
    assert rel.ends_on == TODAY and not rel.is_active(TODAY + dt.timedelta(days=1))
    assert AuditEvent.objects.filter(action="relationship_ended").count() == 1
    with pytest.raises(ApplicationError):
        relationship_end(actor=hr, relationship=rel, ends_on=TODAY)


@pytest.mark.django_db
def test_only_managers_in_scope_record_relationships() -> None:
    cast = Cast()
    for key in ("teacher", "supervisor", "other_hr", "coach_role_only"):
        with pytest.raises(ApplicationError):
            relationship_start(
                actor=cast.users[key],
                kind=K.COACH,
                holder=cast.people["teacher"],
                person=cast.owner,
                organization=cast.district,
            )
    assert not Relationship.objects.filter(holder=cast.people["teacher"]).exists()
    # In scope but the wrong shape: a coach of a group, a member of a person, oneself.
    hr = cast.users["hr"]
    with pytest.raises(ApplicationError):
        relationship_start(
            actor=hr,
            kind=K.COACH,
            holder=cast.people["teacher"],
            group="cohort:1",
            organization=cast.district,
        )
    with pytest.raises(ApplicationError):
        relationship_start(
            actor=hr,
            kind=K.MEMBER,
            holder=cast.people["teacher"],
            person=cast.owner,
            organization=cast.district,
        )
    with pytest.raises(ValidationError):
        relationship_start(
            actor=hr, kind=K.COACH, holder=cast.owner, person=cast.owner, organization=cast.district
        )
    # A duplicate of a running relationship is refused.
    relationship_start(
        actor=hr, kind=K.COACH, holder=cast.people["teacher"], person=cast.owner, organization=cast.district
    )
    with pytest.raises(ApplicationError):
        relationship_start(
            actor=hr,
            kind=K.COACH,
            holder=cast.people["teacher"],
            person=cast.owner,
            organization=cast.district,
        )


@pytest.mark.django_db
def test_group_rule_follows_membership() -> None:
    """A rule with a group path: responders for a department see the records filed under it, and
    nobody else does. (Relationship rows themselves carry a group, so they stand in for such records.)"""
    cast = Cast()
    hr = cast.users["hr"]
    sped = "department:Special education"
    relationship_start(
        actor=hr,
        kind=K.RESPONDER,
        holder=cast.people["rel_responder"],
        group=sped,
        organization=cast.district,
    )
    filed = relationship_start(
        actor=hr, kind=K.MEMBER, holder=cast.people["teacher"], group=sped, organization=cast.district
    )
    elsewhere = relationship_start(
        actor=hr,
        kind=K.MEMBER,
        holder=cast.people["teacher"],
        group="department:Mathematics",
        organization=cast.district,
    )
    rule = policy.Rule(person="holder", owner=False, group="group", group_kinds=frozenset({K.RESPONDER}))
    seen = set(
        Relationship.objects.filter(policy.rule_q(cast.users["rel_responder"], rule)).values_list(
            "pk", flat=True
        )
    )
    assert filed.pk in seen and elsewhere.pk not in seen
    assert not Relationship.objects.filter(policy.rule_q(cast.users["rel_member"], rule)).exists()
