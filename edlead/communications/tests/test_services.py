"""The communications services: a newsletter issue published once and sent in batches to its audiences
(unsubscribes respected, retries sending nobody twice), reflection pieces' workflow, and recognition
(self-nomination refused where forbidden, panel-only scoring, awards)."""

from __future__ import annotations

from typing import Any

import pytest

from edlead.access.tests.conftest import World
from edlead.communications import rules, services
from edlead.communications.models import (
    Award,
    NewsletterDelivery,
    NewsletterIssue,
    Nomination,
    Reflection,
    ReflectionEvent,
)
from edlead.communications.tests.factories import make_issue, make_program
from edlead.core.errors import ApplicationError
from edlead.notices.models import Notice

pytestmark = pytest.mark.django_db


def _newsletter_notices(issue: NewsletterIssue) -> list[int]:
    return sorted(
        Notice.objects.filter(once_key=f"newsletter:{issue.pk}").values_list("person_id", flat=True)
    )


def test_audience_is_people_by_current_position_under_the_publisher(world: World) -> None:
    p = world.people
    issue = make_issue(world.users["district_admin"], world.orgs["A"], ["principals", "assistant_principals"])
    # Alpha's principals and assistant principals now; not Beta's principal, nor the former principal.
    assert services.recipients_ids(issue) == sorted([p["P1"].pk, p["AP1"].pk, p["P3"].pk])
    state_issue = make_issue(world.users["state_admin"], world.orgs["state"], ["principals"])
    assert services.recipients_ids(state_issue) == sorted([p["P1"].pk, p["P3"].pk, p["PT1"].pk])
    p["TEA1"].is_aspiring_leader = True
    p["TEA1"].save()
    aspiring = make_issue(world.users["district_admin"], world.orgs["A"], ["aspiring_leaders"])
    assert services.recipients_ids(aspiring) == [p["TEA1"].pk]  # a teacher marked an aspiring leader


def test_unsubscribe_wins_and_a_subscriber_outside_the_audience_receives(world: World) -> None:
    p, u = world.people, world.users
    services.subscription_set(actor=u["school_leader"], organization=world.orgs["A"], subscribed=False)
    services.subscription_set(actor=u["educator"], organization=world.orgs["A"], subscribed=True)
    issue = make_issue(u["district_admin"], world.orgs["A"], ["principals"])
    assert services.recipients_ids(issue) == sorted([p["P3"].pk, p["TEA1"].pk])
    # Another district's newsletter is not theirs to subscribe to.
    with pytest.raises(ApplicationError, match="cannot subscribe"):
        services.subscription_set(actor=u["educator"], organization=world.orgs["B"], subscribed=True)


def test_publish_sends_once_and_a_second_publish_is_refused(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    admin = world.users["state_admin"]
    issue = make_issue(admin, world.orgs["state"], ["principals"])
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(actor=admin, issue=issue)
    issue.refresh_from_db()
    people = [world.people[k].pk for k in ("P1", "P3", "PT1")]
    assert issue.status == NewsletterIssue.Status.PUBLISHED and issue.sent_at is not None
    assert issue.recipients == 3
    assert _newsletter_notices(issue) == sorted(people)
    notice = Notice.objects.filter(once_key=f"newsletter:{issue.pk}").first()
    assert (
        notice is not None
        and "New leadership standards" in notice.body
        and notice.link == issue.get_absolute_url()
    )
    with pytest.raises(ApplicationError, match="already published on"):
        services.issue_publish(actor=admin, issue=issue)
    # The worker running the send again (a retry) sends nobody anything twice.
    assert services.issue_send(issue_id=issue.pk) == 0
    assert Notice.objects.filter(once_key=f"newsletter:{issue.pk}").count() == 3
    assert NewsletterDelivery.objects.filter(issue=issue).count() == 3


def test_sending_in_batches_costs_the_same_queries_per_batch(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = world.users["state_admin"]
    counts = []
    for batch_size in (6, 3, 2):  # 1, 2 and 3 batches for the same 6 people
        issue = make_issue(
            admin, world.orgs["state"], ["principals", "assistant_principals", "principal_supervisors"]
        )
        NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.PUBLISHED)
        assert len(services.recipients_ids(issue)) == 6
        with CaptureQueriesContext(connection) as captured:
            assert services.issue_send(issue_id=issue.pk, batch_size=batch_size) == 6
        counts.append(len(captured))
        assert NewsletterDelivery.objects.filter(issue=issue).count() == 6
        assert len(_newsletter_notices(issue)) == 6
    per_batch = counts[1] - counts[0]
    assert per_batch > 0 and counts[2] - counts[1] == per_batch
    assert per_batch <= 10  # savepoint, deliveries read + insert, the notices' reads and insert, release


def test_only_publishers_write_and_publish(world: World) -> None:
    u = world.users
    with pytest.raises(ApplicationError, match="do not publish"):
        make_issue(u["school_leader"], world.orgs["A"])
    with pytest.raises(ApplicationError, match="do not publish"):
        make_issue(u["district_admin"], world.orgs["state"])  # a district administrator, not the state's
    assert make_issue(u["superintendent"], world.orgs["A"]).pk  # the superintendent speaks for the district
    with pytest.raises(ApplicationError, match="three top items"):
        services.issue_create(
            actor=u["state_admin"],
            organization=world.orgs["state"],
            title="Too many",
            intro="",
            audiences=["principals"],
            items=[{"headline": f"H{n}", "body": "b"} for n in range(4)],
        )
    with pytest.raises(ApplicationError, match="Audiences"):
        services.issue_create(
            actor=u["state_admin"],
            organization=world.orgs["state"],
            title="Nobody",
            intro="",
            audiences=[],
            items=[{"headline": "H", "body": "b"}],
        )


def test_reflection_is_submitted_returned_and_published_with_a_timeline(world: World) -> None:
    author, admin = world.users["educator"], world.users["district_admin"]
    piece = services.reflection_save(
        actor=author,
        organization=world.orgs["A"],
        title="What I learned from peer visits",
        topic="Instructional leadership",
        body="Visiting classrooms with colleagues…",
    )
    assert not rules.readable_reflections(world.users["principal_supervisor"]).filter(pk=piece.pk).exists()
    piece = services.reflection_submit(actor=author, reflection=piece)
    with pytest.raises(ApplicationError, match="do not publish"):
        services.reflection_publish(actor=world.users["school_leader"], reflection=piece)
    piece = services.reflection_return(actor=admin, reflection=piece, comment="Add one concrete example.")
    assert piece.status == Reflection.Status.RETURNED
    piece = services.reflection_save(
        actor=author,
        organization=world.orgs["A"],
        title=piece.title,
        topic=piece.topic,
        body=piece.body + " For example…",
        reflection=piece,
    )
    piece = services.reflection_submit(actor=author, reflection=piece)
    piece = services.reflection_publish(actor=admin, reflection=piece)
    assert piece.status == Reflection.Status.PUBLISHED
    assert [e.action for e in ReflectionEvent.objects.filter(record=piece)] == [
        "submitted",
        "returned",
        "submitted",
        "published",
    ]
    assert rules.readable_reflections(world.users["principal_supervisor"]).filter(pk=piece.pk).exists()
    assert not rules.readable_reflections(world.users["no_role"]).exists()
    assert Notice.objects.filter(person=world.people["TEA1"], kind=services.NOTICE_REFLECTION).count() == 2


def test_self_nomination_refused_where_the_program_forbids_it(world: World) -> None:
    program = make_program(world.users["district_admin"], world.orgs["A"], self_nomination=False)
    with pytest.raises(ApplicationError, match="does not accept nominations of oneself"):
        services.nomination_create(
            actor=world.users["school_leader"], program=program, nominee=world.people["P1"], statement="Me."
        )
    assert not Nomination.objects.exists()
    open_program = make_program(world.users["district_admin"], world.orgs["A"], self_nomination=True)
    assert services.nomination_create(
        actor=world.users["school_leader"], program=open_program, nominee=world.people["P1"], statement="Me."
    ).pk


def test_nomination_is_read_by_nominator_panel_and_administrators_only(world: World) -> None:
    u, p = world.users, world.people
    program = make_program(u["district_admin"], world.orgs["A"])
    services.panel_member_add(actor=u["district_admin"], program=program, person=p["SUP2"])
    nomination = services.nomination_create(
        actor=u["school_leader"], program=program, nominee=p["P3"], statement="She turned the school around."
    )
    readers = {
        k for k, user in u.items() if rules.readable_nominations(user).filter(pk=nomination.pk).exists()
    }
    assert readers == {"school_leader", "district_admin", "state_admin", "superintendent"}
    sup2 = make_user_for(p["SUP2"])
    assert rules.readable_nominations(sup2).filter(pk=nomination.pk).exists()
    assert rules.may_review(sup2, nomination)
    assert not rules.may_review(u["school_leader"], nomination)  # the nominator does not score
    with pytest.raises(ApplicationError, match="review panel"):
        services.nomination_review(actor=u["district_admin"], nomination=nomination, score=5, comment="")
    services.nomination_review(actor=sup2, nomination=nomination, score=4, comment="Strong evidence.")
    services.nomination_review(actor=sup2, nomination=nomination, score=5, comment="Stronger on reread.")
    assert nomination.reviews.get().score == 5  # one review per panelist, revisable
    with pytest.raises(ApplicationError, match="do not publish"):
        services.nomination_award(actor=sup2, nomination=nomination)
    award = services.nomination_award(
        actor=u["district_admin"], nomination=nomination, citation="For growth."
    )
    assert award.person == p["P3"] and Award.objects.count() == 1
    assert Notice.objects.filter(person=p["P3"], kind=services.NOTICE_AWARD).count() == 1
    with pytest.raises(ApplicationError, match="already decided"):
        services.nomination_award(actor=u["district_admin"], nomination=nomination)


def test_nominations_outside_the_window_or_twice_are_refused(world: World) -> None:
    import datetime as dt

    u, p = world.users, world.people
    program = make_program(u["district_admin"], world.orgs["A"])
    with pytest.raises(ApplicationError, match="are open from"):
        services.nomination_create(
            actor=u["school_leader"],
            program=program,
            nominee=p["P3"],
            statement="x",
            today=program.closes_on + dt.timedelta(days=1),
        )
    services.nomination_create(actor=u["school_leader"], program=program, nominee=p["P3"], statement="x")
    with pytest.raises(ApplicationError, match="already nominated"):
        services.nomination_create(actor=u["school_leader"], program=program, nominee=p["P3"], statement="y")
    with pytest.raises(ApplicationError, match="colleague from your district"):
        services.nomination_create(actor=u["school_leader"], program=program, nominee=p["PT1"], statement="z")


def make_user_for(person: Any) -> Any:
    from edlead.testing import make_user

    return make_user(person=person, password=None)


def test_the_declared_nomination_rules_against_the_access_cast() -> None:
    """As edlead/access/tests/test_relationships.py checks every declared rule (its RECORD_BUILDERS needs
    this app's builder): the nominator reads, nobody around them by role or chain does."""
    from edlead.access import policy
    from edlead.access.tests.test_relationships import Cast, expected
    from edlead.communications.tests.factories import record_builders

    cast = Cast()
    record = record_builders()["communications.nomination"](cast.owner)
    for action in (rules.NOMINATION_READ, rules.NOMINATION_REVIEW):
        rule = policy.declared_rules()[("communications.nomination", action)]
        for key, user in cast.users.items():
            assert policy.can(user, action, record) is expected(rule, key), (action, key)


def test_a_superintendent_names_a_panelist_and_takes_them_off(world: World) -> None:
    """Publishing is an access action (`news.publish`): the superintendent holds it without managing
    working relationships, and still names the panel; a panelist taken off reads until the day ends."""
    import datetime as dt

    from edlead.access.models import Relationship

    u, p = world.users, world.people
    program = make_program(u["superintendent"], world.orgs["A"])
    services.panel_member_add(actor=u["superintendent"], program=program, person=p["SUP2"])
    assert [x.pk for x in services.panel(program)] == [p["SUP2"].pk]
    with pytest.raises(ApplicationError, match="do not publish"):
        services.panel_member_add(actor=u["school_leader"], program=program, person=p["P3"])
    with pytest.raises(ApplicationError, match="do not publish"):
        services.panel_member_remove(actor=u["school_leader"], program=program, person=p["SUP2"])
    with pytest.raises(ApplicationError, match="not on the review panel"):
        services.panel_member_remove(actor=u["superintendent"], program=program, person=p["P3"])
    services.panel_member_remove(actor=u["superintendent"], program=program, person=p["SUP2"])
    rel = Relationship.objects.get(group=program.panel_key, holder=p["SUP2"])
    assert rel.ends_on == dt.date.today()
    (left,) = services.panel(program)
    assert left.panel_ends_on == dt.date.today()
    nomination = services.nomination_create(
        actor=u["school_leader"], program=program, nominee=p["P3"], statement="x"
    )
    tomorrow = Relationship.objects.active(dt.date.today() + dt.timedelta(days=1))
    assert not tomorrow.filter(group=program.panel_key).exists()
    assert rules.may_review(make_user_for(p["SUP2"]), nomination)  # still today


def test_a_program_is_changed_with_safe_editing(world: World) -> None:
    import datetime as dt

    from edlead.core.editing import EditConflict

    u = world.users
    program = make_program(u["district_admin"], world.orgs["A"])
    fields: dict[str, Any] = {
        "name": "Principal of the Year 2027",
        "criteria": "Instructional leadership and equity.",
        "award_title": "Principal of the Year",
        "opens_on": program.opens_on,
        "closes_on": program.closes_on,
        "self_nomination": True,
    }
    changed = services.program_update(
        actor=u["superintendent"], program=program, expected_version=1, **fields
    )
    assert changed.version == 2 and changed.self_nomination and changed.name.endswith("2027")
    with pytest.raises(EditConflict) as conflict:
        services.program_update(
            actor=u["district_admin"], program=program, expected_version=1, **{**fields, "name": "Other"}
        )
    assert [row.label for row in conflict.value.rows] == ["Program name"]
    with pytest.raises(ApplicationError, match="close on or after"):
        services.program_update(
            actor=u["district_admin"],
            program=changed,
            expected_version=2,
            **{**fields, "closes_on": program.opens_on - dt.timedelta(days=1)},
        )
    with pytest.raises(ApplicationError, match="do not publish"):
        services.program_update(actor=u["school_leader"], program=changed, expected_version=2, **fields)
    changed.refresh_from_db()
    assert changed.version == 2 and changed.closes_on == program.closes_on
