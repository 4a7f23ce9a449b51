"""Support pages: the list with its filters, ageing and CSV export in a fixed number of queries; the new
request form refusing bad input with a plain message; the detail page's steps; the district and
department pages; the work queue items; the "Member of…" labels; the selector for the supervisor's home."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from edlead.access import groups
from edlead.access.models import Relationship
from edlead.access.tests.conftest import World
from edlead.core import workqueue
from edlead.people.models import Person, Position
from edlead.support import departments, selectors, services
from edlead.support.models import SupportRequest
from edlead.support.tests.factories import SPED, make_request, make_responder
from edlead.testing import make_person, make_position

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_principal_routes_through_the_form_and_bad_input_is_named(world: World) -> None:
    make_responder(world.orgs["A"])
    client = client_for(world.users["school_leader"])
    url = reverse("support:request-new")
    page = client.get(url).content.decode()
    assert "Oak Elementary" in page and "Elm Middle" not in page and "Positive Youth Development" in page
    good = {
        "school": world.orgs["S1"].pk,
        "department": SPED,
        "category": "special_education",
        "priority": "normal",
        "subject": "IEP meeting",
        "description": "Thursday 9:00",
    }
    for change, message in (
        ({"school": world.orgs["S3"].pk}, "School: Birch High is not a school you lead or supervise"),
        ({"department": "Cooking"}, "Department: “Cooking” is not a department of Alpha Public Schools."),
        ({"description": ""}, "Description: describe what the school needs"),
    ):
        response = client.post(url, {**good, **change})
        html = response.content.decode()
        assert response.status_code == 400 and message in html, message
        assert "Select a valid choice" not in html  # one plain message, not a second generic one
    assert not SupportRequest.objects.exists()
    response = client.post(url, {**good, "category": "safety", "priority": "low"})
    req = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
    assert req.priority == "urgent"
    page = client.get(req.get_absolute_url()).content.decode()
    assert "Safety and crisis request" in page and "Routed" in page


def test_route_form_is_404_for_those_who_lead_no_school(world: World) -> None:
    for key in ("educator", "superintendent", "district_admin"):
        assert client_for(world.users[key]).get(reverse("support:request-new")).status_code == 404


def test_the_responder_works_the_request_from_its_page(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    req = make_request(world.orgs["S1"], world.people["P1"])
    client = client_for(rae_user)
    page = client.get(req.get_absolute_url()).content.decode()
    assert "Mark triaged" in page and "Assign" in page and "Send the answer" not in page
    act = lambda step, **data: client.post(reverse("support:request-act", args=[req.pk, step]), data)  # noqa: E731
    assert act("answer", answer="Early").status_code == 409  # out of order: refused, plainly
    assert act("assign", assignee=world.people["P1"].pk).status_code == 400
    assert act("assign", assignee=rae.pk).status_code == 302
    response = act("answer", answer="Ms. Ortiz attends.")
    assert response.status_code == 302
    page = client_for(world.users["school_leader"]).get(req.get_absolute_url()).content.decode()
    assert "Does the answer settle it?" in page and "Ms. Ortiz attends." in page
    stale = client_for(world.users["school_leader"]).post(
        reverse("support:request-act", args=[req.pk, "resolve"]), {"version": "1"}
    )
    assert (
        stale.status_code == 409
        and "Someone acted on this request after you opened it" in stale.content.decode()
    )
    version = SupportRequest.objects.get(pk=req.pk).version
    done = client_for(world.users["school_leader"]).post(
        reverse("support:request-act", args=[req.pk, "resolve"]), {"version": str(version)}
    )
    assert done.status_code == 302 and SupportRequest.objects.get(pk=req.pk).status == "resolved"


def _requests(world: World, n: int) -> None:
    rae, _ = make_responder(world.orgs["A"], first=f"R{n}", last="Extra", user=False)
    for i in range(n):
        school = world.orgs["S1"] if i % 2 else world.orgs["S2"]
        safety = i % 3 == 0
        req = make_request(
            school,
            world.people["P1"],
            subject=f"Request {i}",
            category="safety" if safety else "technology",
            priority="urgent" if safety else "normal",
        )
        if i % 2:
            SupportRequest.objects.filter(pk=req.pk).update(status="assigned", assignee=rae)


@pytest.mark.parametrize("size", [2, 12])
def test_pages_issue_a_fixed_number_of_queries(world: World, size: int) -> None:
    _rae, rae_user = make_responder(world.orgs["A"])
    _requests(world, size)
    alpha = world.orgs["A"]
    one = SupportRequest.objects.order_by("pk").first()
    assert one is not None
    sup = world.users["principal_supervisor"]
    pages = [
        # Session and account (2), the grants (3), the inbox count in the header (1), then the page's own:
        # the requests (1), the user's districts (2) and their settings (1), the schools to filter by (1).
        (sup, reverse("support:request-list"), 11),
        (
            sup,
            reverse("support:request-list") + "?status=all&priority=urgent&department=Special+Education",
            11,
        ),
        # The export: the requests, then the audit event the platform writes for every export (its scope: 4).
        (sup, reverse("support:request-list") + "?format=csv", 10),
        # A responder with no role: + the header's "is a responder" question.
        (rae_user, reverse("support:request-list"), 13),
        # The request, its events and thread, whether the user responds (1) and the responders to assign to.
        (rae_user, one.get_absolute_url(), 12),
        (sup, one.get_absolute_url(), 10),
        (world.users["district_admin"], reverse("support:district-departments", args=[alpha.pk]), 7),
        (
            world.users["district_admin"],
            reverse("support:department-detail", args=[alpha.pk, "special-education"]),
            8,
        ),
    ]
    ContentType.objects.get_for_model(Person)  # the per-process cache a running server has warm
    seen = {}
    for user, url, _expected in pages:
        client = client_for(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        seen[url + user.email] = len(ctx)
    assert seen == {url + user.email: expected for user, url, expected in pages}


def test_the_list_shows_ageing_overdue_and_exports_csv(world: World) -> None:
    old = make_request(
        world.orgs["S1"],
        world.people["P1"],
        subject="Projector",
        category="technology",
        routed_at=timezone.now() - dt.timedelta(days=3, hours=2),
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    client = client_for(world.users["principal_supervisor"])
    page = client.get(reverse("support:request-list")).content.decode()
    assert "open 3 days" in page and "Overdue" in page
    csv = client.get(reverse("support:request-list") + "?format=csv").content.decode()
    header, row = csv.lstrip("\ufeff").splitlines()[:2]
    assert header.startswith("Request,Routed,School,Department,Category")
    assert row.startswith(f"{old.pk},") and "Oak Elementary" in row and "yes,open 3 days" in row
    filtered = client.get(reverse("support:request-list") + f"?school={world.orgs['S2'].pk}").content.decode()
    assert "Projector" not in filtered


def test_district_page_lists_departments_responders_and_open_counts(world: World) -> None:
    make_responder(world.orgs["A"])
    make_request(world.orgs["S1"], world.people["P1"])
    make_request(world.orgs["S1"], world.people["P1"], status="resolved")
    page = client_for(world.users["district_admin"]).get(
        reverse("support:district-departments", args=[world.orgs["A"].pk])
    )
    html = page.content.decode()
    for name in departments.DEFAULT_DEPARTMENTS:
        assert name in html
    assert "Rae Responder" in html
    assert selectors.open_counts_by_department(world.orgs["A"]) == {
        SPED: {"open": 1, "unassigned": 1, "overdue": 0}
    }


def test_administrators_add_and_end_responders_on_the_department_page(world: World) -> None:
    alpha = world.orgs["A"]
    kim = make_person("Kim", "Central")
    make_position(kim, alpha, Position.Role.OTHER)
    url = reverse("support:department-detail", args=[alpha.pk, "special-education"])
    admin = client_for(world.users["district_admin"])
    assert "Kim Central" in admin.get(url).content.decode()  # a candidate
    refused = admin.post(url, {"person": world.people["PT1"].pk})
    assert (
        refused.status_code == 400
        and "Quinn Principal-Beta does not work in Alpha" in refused.content.decode()
    )
    assert admin.post(url, {"person": kim.pk}).status_code == 302
    rel = Relationship.objects.get(holder=kim, kind="responder")
    assert rel.group == departments.group_key(alpha.pk, SPED)
    educator = client_for(world.users["educator"])
    assert educator.post(url, {"person": kim.pk}).status_code == 404
    assert educator.post(reverse("support:responder-end", args=[rel.pk])).status_code == 404
    assert admin.post(reverse("support:responder-end", args=[rel.pk])).status_code == 302
    rel.refresh_from_db()
    assert rel.ends_on == timezone.localdate()


def test_the_work_queue_holds_each_sides_items(world: World) -> None:
    rae, rae_user = make_responder(world.orgs["A"])
    new = make_request(world.orgs["S1"], world.people["P1"], subject="New one")
    mine = make_request(world.orgs["S1"], world.people["P1"], subject="Mine", status="assigned", assignee=rae)
    answered = make_request(world.orgs["S1"], world.people["P1"], subject="Answered", status="answered")
    escalated = make_request(
        world.orgs["S1"],
        world.people["P1"],
        subject="Escalated",
        category="safety",
        priority="urgent",
        escalation_level=1,
    )
    today = timezone.localdate()
    for_rae = {i.url for i in services_items(rae_user, today)}
    assert for_rae == {new.get_absolute_url(), mine.get_absolute_url(), escalated.get_absolute_url()}
    assert {i.url for i in services_items(world.users["school_leader"], today)} == {
        answered.get_absolute_url()
    }
    assert {i.url for i in services_items(world.users["principal_supervisor"], today)} == {
        escalated.get_absolute_url()
    }
    assert services_items(world.users["superintendent"], today) == []  # level 1 only
    titles = [e.item.title for e in workqueue.items_for(rae_user) if e.item.source == "support"]
    assert "Answer “Mine”" in titles and "Safety and crisis: Triage and assign “Escalated”" in titles


def services_items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    from edlead.access import policy
    from edlead.support import queue

    policy.effective_grants(user)  # computed once per request before the queue runs
    with CaptureQueriesContext(connection) as ctx:
        found = queue.items(user, today)
    assert len(ctx) <= 1
    return found


def test_member_of_labels_name_the_department_and_link_its_page(world: World) -> None:
    rae, _ = make_responder(world.orgs["A"])
    rel = Relationship.objects.get(holder=rae)
    groups.label([rel])
    assert rel.group_label == "Special Education, Alpha Public Schools"  # type: ignore[attr-defined]
    assert rel.group_url == reverse(
        "support:department-detail", args=[world.orgs["A"].pk, "special-education"]
    )  # type: ignore[attr-defined]


def test_open_requests_by_school_in_one_query(world: World, django_assert_num_queries: Any) -> None:
    make_request(world.orgs["S1"], world.people["P1"])
    make_request(world.orgs["S1"], world.people["P1"])
    make_request(world.orgs["S1"], world.people["P1"], status="resolved")
    make_request(world.orgs["S2"], world.people["P1"])
    with django_assert_num_queries(1):
        counts = selectors.open_requests_by_school(
            [world.orgs["S1"].pk, world.orgs["S2"].pk, world.orgs["S3"].pk]
        )
    assert counts == {world.orgs["S1"].pk: 2, world.orgs["S2"].pk: 1}


def test_support_is_in_the_navigation_for_those_who_route_or_answer(world: World) -> None:
    _rae, rae_user = make_responder(world.orgs["A"])
    for user, shown in (
        (world.users["school_leader"], True),
        (world.users["principal_supervisor"], True),
        (world.users["superintendent"], True),
        (rae_user, True),
        (world.users["educator"], False),
        (world.users["hr"], False),
    ):
        html = client_for(user).get("/").content.decode()
        assert (f'href="{reverse("support:request-list")}"' in html) is shown
    assert services.NOTICE_ROUTED  # notices declared
