"""The communications pages through HTTP, as each role: who reads a district's issue, a draft, a reflection
piece and a nomination (404 for "missing" and "not yours" alike), publishing twice from the page, the
subscriptions page, the archive's search, export and fixed number of queries, and the awards on a
person's record."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.communications import services
from edlead.communications.models import NewsletterIssue, Subscription
from edlead.communications.tests.factories import make_issue, make_program
from edlead.notices.models import Notice
from edlead.testing import make_user

pytestmark = pytest.mark.django_db
ALL = {
    "state_admin",
    "district_admin",
    "superintendent",
    "hr",
    "principal_supervisor",
    "school_leader",
    "assistant_principal",
    "coach",
    "educator",
    "program_coordinator",
    "cabinet",
    "no_role",
}


def _get(world: World, who: str, url: str) -> int:
    client = Client()
    client.force_login(world.users[who])
    return client.get(url).status_code


def _published(world: World, org_key: str = "A", title: str = "Alpha top three") -> NewsletterIssue:
    actor = world.users["state_admin" if org_key == "state" else "district_admin"]
    issue = make_issue(actor, world.orgs[org_key], title=title)
    services.issue_publish(actor=actor, issue=issue)
    return issue


def test_a_district_issue_is_read_in_the_district_and_a_draft_by_its_publishers(world: World) -> None:
    issue = _published(world)
    draft = make_issue(world.users["district_admin"], world.orgs["A"], title="Draft")
    url, draft_url = issue.get_absolute_url(), draft.get_absolute_url()
    readers = {who for who in ALL if _get(world, who, url) == 200}
    assert readers == ALL - {"no_role"}  # everyone with a role in Alpha (or the state); nobody else
    assert {who for who in ALL if _get(world, who, draft_url) == 200} == {
        "state_admin",
        "district_admin",
        "superintendent",
    }
    outsider = make_user(person=world.people["PT1"], password=None)  # Beta's principal
    client = Client()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("communications:issue-detail", args=[99999])).status_code == 404


def test_a_state_issue_is_read_by_everyone_signed_in(world: World) -> None:
    issue = _published(world, "state", "State top three")
    assert {who for who in ALL if _get(world, who, issue.get_absolute_url()) == 200} == ALL
    assert Client().get(issue.get_absolute_url()).status_code == 302  # signed out: to the sign-in page


def test_publishing_twice_from_the_page_sends_once_with_a_plain_message(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    issue = make_issue(world.users["state_admin"], world.orgs["state"])
    client = Client()
    client.force_login(world.users["state_admin"])
    url = reverse("communications:issue-publish", args=[issue.pk])
    page = client.get(url)
    assert page.status_code == 200 and "It goes to 3 people" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    again = client.post(url)  # a second tab, a double click
    assert again.status_code == 200
    assert "was already published on" in again.content.decode()
    assert Notice.objects.filter(once_key=f"newsletter:{issue.pk}").count() == 3
    assert _get(world, "school_leader", url) == 404  # not a publisher: nothing to see


def test_writing_an_issue_from_the_form_refuses_a_half_item(world: World) -> None:
    client = Client()
    client.force_login(world.users["district_admin"])
    data = {
        "organization": world.orgs["A"].pk,
        "title": "Week 12",
        "intro": "",
        "audiences": ["principals"],
        "item1_headline": "One",
        "item1_body": "Text",
        "item1_link": "",
        "item2_headline": "Two without a text",
        "item2_body": "",
        "item2_link": "",
        "item3_headline": "",
        "item3_body": "",
        "item3_link": "",
    }
    page = client.post(reverse("communications:issue-new"), data)
    assert page.status_code == 200 and "Give both a headline and a text" in page.content.decode()
    assert not NewsletterIssue.objects.exists()
    data["item2_body"] = "Now it has one."
    assert client.post(reverse("communications:issue-new"), data).status_code == 302
    issue = NewsletterIssue.objects.get()
    assert [i.headline for i in issue.items.all()] == ["One", "Two without a text"]
    assert _get(world, "school_leader", reverse("communications:issue-new")) == 404


def test_subscriptions_page_unsubscribes(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_leader"])
    url = reverse("communications:subscriptions")
    page = client.get(url).content.decode()
    assert "Alpha Public Schools" in page and "Beta Regional" not in page
    client.post(url, {"organization": world.orgs["A"].pk, "subscribed": "0"})
    assert Subscription.objects.get(person=world.people["P1"]).subscribed is False
    assert client.post(url, {"organization": world.orgs["B"].pk, "subscribed": "1"}).status_code == 404


def test_archive_searches_filters_exports_and_costs_fixed_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    _published(world, "state", "Spring top three")
    client = Client()
    client.force_login(world.users["school_leader"])
    url = reverse("communications:archive")
    client.get(url)  # warm the session and grants

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(6):
        _published(world, "A", f"Alpha week {n}")
        services.reflection_publish(
            actor=world.users["district_admin"],
            reflection=services.reflection_submit(
                actor=world.users["educator"],
                reflection=services.reflection_save(
                    actor=world.users["educator"],
                    organization=world.orgs["A"],
                    title=f"Piece {n}",
                    topic="t",
                    body="b",
                ),
            ),
        )
    with django_assert_num_queries(few):
        page = client.get(url)
    assert "Alpha week 5" in page.content.decode() and "Piece 5" in page.content.decode()
    found = client.get(url, {"q": "Summer institute", "publisher": world.orgs["state"].pk}).content.decode()
    assert "Spring top three" in found and "Alpha week" not in found
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "Alpha week 3" in csv.content.decode()
    pieces_csv = client.get(url, {"format": "csv", "list": "reflections"}).content.decode()
    assert "Piece 4" in pieces_csv and "Alpha week" not in pieces_csv


def test_reflection_and_nomination_pages_answer_404_to_outsiders(world: World) -> None:
    u, p = world.users, world.people
    piece = services.reflection_submit(
        actor=u["educator"],
        reflection=services.reflection_save(
            actor=u["educator"], organization=world.orgs["A"], title="T", topic="t", body="b"
        ),
    )
    readers = {who for who in ALL if _get(world, who, piece.get_absolute_url()) == 200}
    assert readers == {"educator", "district_admin", "state_admin", "superintendent"}
    program = make_program(u["district_admin"], world.orgs["A"])
    nomination = services.nomination_create(
        actor=u["school_leader"], program=program, nominee=p["P3"], statement="S"
    )
    readers = {who for who in ALL if _get(world, who, nomination.get_absolute_url()) == 200}
    assert readers == {"school_leader", "district_admin", "state_admin", "superintendent"}
    # The program page is public to the district; its nominations table is not.
    page = Client()
    page.force_login(u["coach"])
    body = page.get(program.get_absolute_url()).content.decode()
    assert "Principal of the Year" in body and "Nominations you can read" not in body


def test_panelist_scores_from_the_page_and_the_award_shows_on_the_record(world: World) -> None:
    u, p = world.users, world.people
    program = make_program(u["district_admin"], world.orgs["A"])
    admin = Client()
    admin.force_login(u["district_admin"])
    admin.post(reverse("communications:program-panel-add", args=[program.pk]), {"person": p["SUP2"].pk})
    assert [x.pk for x in services.panel(program)] == [p["SUP2"].pk]
    nominator = Client()
    nominator.force_login(u["school_leader"])
    nominator.post(
        program.get_absolute_url(), {"nominee": p["P3"].pk, "statement": "Growth in every subgroup."}
    )
    refused = nominator.post(program.get_absolute_url(), {"nominee": p["P1"].pk, "statement": "Me."})
    assert (
        "does not accept nominations of oneself" in refused.content.decode()
    )  # P1 is not in the list for self
    nomination = program.nominations.get()
    panelist = Client()
    panelist.force_login(make_user(person=p["SUP2"], password=None))
    panelist.post(nomination.get_absolute_url(), {"score": "5", "comment": "Outstanding."})
    assert nomination.reviews.get().score == 5
    admin.post(
        reverse("communications:nomination-decide", args=[nomination.pk, "award"]),
        {"citation": "For growth."},
    )
    part = reverse("communications:person-awards", args=[p["P3"].pk])
    assert "Principal of the Year" in admin.get(part).content.decode()
    assert "Principal of the Year" in nominator.get(part).content.decode()  # a colleague in the district
    stranger = Client()
    stranger.force_login(make_user(person=p["PT1"], password=None))
    assert stranger.get(part).content == b""


def test_a_program_is_changed_from_its_page_by_its_publishers_only(world: World) -> None:
    u, p = world.users, world.people
    program = make_program(u["district_admin"], world.orgs["A"])
    url = reverse("communications:program-edit", args=[program.pk])
    assert _get(world, "school_leader", url) == 404
    assert _get(world, "superintendent", url) == 200
    admin = Client()
    admin.force_login(u["district_admin"])
    page = admin.get(program.get_absolute_url()).content.decode()
    assert url in page
    form = {
        "name": "Principal of the Year",
        "award_title": "Principal of the Year",
        "criteria": "Leadership for every student.",
        "opens_on": program.opens_on.isoformat(),
        "closes_on": program.closes_on.isoformat(),
        "organization": str(world.orgs["B"].pk),  # ignored: who runs it does not change here
        "version": "1",
    }
    assert admin.post(url, form).status_code == 302
    program.refresh_from_db()
    assert program.criteria == "Leadership for every student." and program.version == 2
    assert program.organization == world.orgs["A"]
    stale = admin.post(url, {**form, "criteria": "Something else."})
    assert "after you opened it" in stale.content.decode()
    program.refresh_from_db()
    assert program.criteria == "Leadership for every student."
    admin.post(reverse("communications:program-panel-add", args=[program.pk]), {"person": p["SUP2"].pk})
    remove = reverse("communications:program-panel-remove", args=[program.pk, p["SUP2"].pk])
    assert remove in admin.get(program.get_absolute_url()).content.decode()
    leader = Client()
    leader.force_login(u["school_leader"])
    assert leader.post(remove).status_code == 404
    admin.post(remove)
    assert "leaves the panel at the end of" in admin.get(program.get_absolute_url()).content.decode()
