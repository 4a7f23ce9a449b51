"""Who reads and who manages library resources: the state's published items to every staff role, a
district's to its own people only (404 elsewhere, in lists, pages, print, PDF and files), drafts to the
publisher's coordinators."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from edlead.access.tests.conftest import World
from edlead.library import selectors, services
from edlead.library.models import Resource
from edlead.library.tests.factories import make_resource

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_state_resources_reach_every_staff_role_and_district_ones_stay_home(world: World) -> None:
    state_item = make_resource("Leading data meetings")
    alpha_item = make_resource("Alpha's observation protocol", organization=world.orgs["A"])
    beta_item = make_resource("Beta's family survey", organization=world.orgs["B"])
    for key in ("school_leader", "educator", "coach", "principal_supervisor", "superintendent", "hr"):
        seen = set(selectors.readable(world.users[key]))
        assert seen == {state_item, alpha_item}, key
        assert client_for(world.users[key]).get(alpha_item.get_absolute_url()).status_code == 200
    beta_principal = _beta_principal(world)
    assert set(selectors.readable(beta_principal)) == {state_item, beta_item}
    c = client_for(beta_principal)
    for suffix in ("", "print/", "pdf/", "edit/"):
        assert c.get(f"{alpha_item.get_absolute_url()}{suffix}").status_code == 404, suffix
    listing = c.get("/library/").content.decode()
    assert "Beta&#x27;s family survey" in listing and "Alpha" not in listing
    assert set(selectors.readable(world.users["no_role"])) == set()
    assert client_for(world.users["no_role"]).get("/library/").status_code == 404


def _beta_principal(world: World) -> Any:
    from edlead.testing import make_user

    return make_user(person=world.people["PT1"], password=None)


def test_drafts_are_seen_by_the_publishers_coordinators_only(world: World) -> None:
    draft = make_resource("Draft protocol", organization=world.orgs["A"], publish=False)
    coordinator = world.users["program_coordinator"]
    assert client_for(coordinator).get(draft.get_absolute_url()).status_code == 200
    assert client_for(world.users["district_admin"]).get(draft.get_absolute_url()).status_code == 200
    for key in ("school_leader", "educator", "superintendent"):
        assert client_for(world.users[key]).get(draft.get_absolute_url()).status_code == 404, key
    c = client_for(coordinator)
    assert c.post(f"{draft.get_absolute_url()}publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Resource.Status.PUBLISHED and draft.published_at is not None
    assert client_for(world.users["school_leader"]).get(draft.get_absolute_url()).status_code == 200
    assert c.post(f"{draft.get_absolute_url()}withdraw/").status_code == 302
    assert client_for(world.users["school_leader"]).get(draft.get_absolute_url()).status_code == 404


def test_readers_may_not_edit_and_district_coordinators_may_not_edit_the_states(world: World) -> None:
    state_item = make_resource("State reading")
    alpha_item = make_resource("Alpha tool", organization=world.orgs["A"], kind=Resource.Kind.TOOL)
    leader = client_for(world.users["school_leader"])
    assert leader.get(f"{alpha_item.get_absolute_url()}edit/").status_code == 403
    assert leader.post(f"{alpha_item.get_absolute_url()}withdraw/").status_code == 403
    assert leader.get("/library/new/").status_code == 403
    coordinator = client_for(world.users["program_coordinator"])
    assert coordinator.get(f"{state_item.get_absolute_url()}edit/").status_code == 403
    assert coordinator.get(f"{alpha_item.get_absolute_url()}edit/").status_code == 200
    assert services.publishing_organizations(world.users["program_coordinator"]) == [
        (str(world.orgs["A"].pk), "Alpha Public Schools")
    ]
    assert services.publishing_organizations(world.users["state_admin"])[0][0] == ""


def test_a_coordinator_publishes_for_their_district_and_bad_input_is_named(world: World) -> None:
    c = client_for(world.users["program_coordinator"])
    alpha, beta = world.orgs["A"], world.orgs["B"]
    base = {"title": "Walkthrough tool", "kind": "tool", "summary": "A one-page look-for list."}
    refused = c.post("/library/new/", {**base, "publisher": str(beta.pk)})
    assert refused.status_code == 400 and "Published by" in refused.content.decode()
    video = c.post(
        "/library/new/", {**base, "kind": "video", "publisher": str(alpha.pk), "action": "publish"}
    )
    assert video.status_code == 400 and "a video needs the address" in video.content.decode()
    case = c.post("/library/new/", {**base, "kind": "case_study", "publisher": str(alpha.pk)})
    assert case.status_code == 400 and "a case study tells both" in case.content.decode()
    assert not Resource.objects.exists()
    made = c.post(
        "/library/new/",
        {
            **base,
            "publisher": str(alpha.pk),
            "roles": ["principal", "assistant_principal"],
            "action": "draft",
        },
    )
    assert made.status_code == 302
    resource = Resource.objects.get()
    assert resource.organization == alpha and resource.status == Resource.Status.DRAFT
    assert sorted(r.role for r in resource.roles.all()) == ["assistant_principal", "principal"]
    page = c.get(resource.get_absolute_url()).content.decode()
    assert "Walkthrough tool" in page and "Publish" in page


def test_the_file_lives_in_the_one_attachment_store_and_follows_the_resource(world: World) -> None:
    from edlead.files.models import Attachment

    alpha_item = make_resource("Alpha tool", organization=world.orgs["A"], kind=Resource.Kind.TOOL)
    coordinator = client_for(world.users["program_coordinator"])
    upload = SimpleUploadedFile("look-fors.txt", b"Look-fors for a walkthrough\n", content_type="text/plain")
    resp = coordinator.post(f"/files/library.resource/{alpha_item.pk}/upload/", {"file": upload})
    assert resp.status_code == 302
    attachment = Attachment.objects.for_owner(alpha_item).get()
    assert client_for(world.users["school_leader"]).get(f"/files/{attachment.pk}/").status_code == 200
    assert client_for(_beta_principal(world)).get(f"/files/{attachment.pk}/").status_code == 404
    upload2 = SimpleUploadedFile("x.txt", b"nope\n", content_type="text/plain")
    leader = client_for(world.users["school_leader"])
    assert (
        leader.post(f"/files/library.resource/{alpha_item.pk}/upload/", {"file": upload2}).status_code == 404
    )
    assert (
        "look-fors.txt"
        in client_for(world.users["educator"]).get(alpha_item.get_absolute_url()).content.decode()
    )
    # Withdrawn to a draft: its file is no longer read by staff who may not open the draft, by its own
    # address either — the coordinator still reads it.
    assert coordinator.post(f"{alpha_item.get_absolute_url()}withdraw/").status_code == 302
    assert client_for(world.users["school_leader"]).get(f"/files/{attachment.pk}/").status_code == 404
    assert coordinator.get(f"/files/{attachment.pk}/").status_code == 200


def test_print_view_and_pdf_of_a_case_study_and_editing_its_tags(world: World) -> None:
    case = make_resource(
        "Attendance turnaround",
        kind=Resource.Kind.CASE_STUDY,
        organization=world.orgs["A"],
        topics=("family-engagement",),
        roles=("principal",),
        indicators=("III-A",),
        results="Chronic absenteeism fell to 15%.",
        discussion_questions="What would you try first?\nWho would you ask?",
    )
    leader = client_for(world.users["school_leader"])
    printed = leader.get(f"{case.get_absolute_url()}print/").content.decode()
    for text in (
        "The challenge",
        "Questions for discussion",
        "What would you try first?",
        "III-A",
        "Principal",
    ):
        assert text in printed, text
    pdf = leader.get(f"{case.get_absolute_url()}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    coordinator = client_for(world.users["program_coordinator"])
    form = coordinator.get(f"{case.get_absolute_url()}edit/").content.decode()
    assert "Family and community engagement" in form and "checked" in form
    posted = {
        "title": "Attendance turnaround",
        "kind": "case_study",
        "summary": "Now with equity.",
        "context": case.context,
        "challenge": case.challenge,
        "topics": [t.pk for t in case.topics.all()] + [_topic("equity")],
        "roles": ["principal", "teacher_leader"],
        "version": str(case.version),
    }
    resp = coordinator.post(f"{case.get_absolute_url()}edit/", posted)
    assert resp.status_code == 302
    case.refresh_from_db()
    assert sorted(t.code for t in case.topics.all()) == ["equity", "family-engagement"]
    assert sorted(r.role for r in case.roles.all()) == ["principal", "teacher_leader"]
    assert not case.indicators.exists() and case.organization == world.orgs["A"]
    assert case.version == 2
    # A second editor whose form was drawn from version 1 is shown both versions; nothing is overwritten.
    stale = coordinator.post(
        f"{case.get_absolute_url()}edit/", {**posted, "summary": "Another summary.", "roles": ["principal"]}
    )
    page = stale.content.decode()
    assert stale.status_code == 409 and "after you opened it" in page and "Now with equity." in page
    case.refresh_from_db()
    assert case.summary == "Now with equity." and case.roles.count() == 2
    # "Keep mine" resubmits over the saved version, knowingly.
    kept = coordinator.post(
        f"{case.get_absolute_url()}edit/",
        {**posted, "summary": "Another summary.", "roles": ["principal"], "keep_mine": "2"},
    )
    assert kept.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Another summary." and case.version == 3 and case.roles.count() == 1


def _topic(code: str) -> int:
    from edlead.library.models import Topic

    return Topic.objects.get(code=code).pk
