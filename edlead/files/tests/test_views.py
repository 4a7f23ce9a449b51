"""Upload and remove from a person's page: HR and district administrators (PERSON_EDIT) add files;
whoever reads personnel details sees them; bad files come back with the reason."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse

from edlead.core.models import AuditEvent
from edlead.files.models import Attachment
from edlead.files.services import ADDED
from edlead.files.tests import samples
from edlead.files.tests.samples import upload


def upload_url(person: Any) -> str:
    return reverse("files:upload", args=["people.person", person.pk])


def test_hr_uploads_on_the_person_page_and_sees_it_listed(client: Any, world: Any) -> None:
    person = world.people["P1"]
    client.force_login(world.users["hr"])
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'id="attachments"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(
        upload_url(person),
        {
            "file": upload("Offer letter.pdf", samples.PDF, "text/html"),
            "restricted": "on",
            "next": person.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{person.get_absolute_url()}#attachments"
    attachment = Attachment.objects.get()
    assert (
        attachment.owner == person and attachment.restricted and attachment.uploaded_by == world.users["hr"]
    )
    assert attachment.content_type == "application/pdf"  # from the bytes, not the browser's text/html
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("files:download", args=[attachment.pk]) in page and "Offer letter.pdf" in page


def test_a_refused_upload_says_why(client: Any, world: Any) -> None:
    person = world.people["P1"]
    client.force_login(world.users["district_admin"])
    response = client.post(upload_url(person), {"file": upload("invoice.pdf", samples.ELF)})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        "“invoice.pdf” is a Linux program, not a PDF document: programs are never accepted. Nothing was saved."
    ]
    assert not Attachment.objects.exists() and not AuditEvent.objects.filter(action=ADDED).exists()


def test_next_must_be_a_local_address(client: Any, world: Any) -> None:
    person = world.people["P1"]
    client.force_login(world.users["hr"])
    response = client.post(
        upload_url(person), {"file": upload("a.txt", samples.TXT), "next": "https://evil.example/"}
    )
    assert response["Location"] == f"{person.get_absolute_url()}#attachments"


def test_those_who_may_not_edit_get_no_form_and_a_404_on_post(client: Any, world: Any) -> None:
    person = world.people["P1"]
    for who in ("principal_supervisor", "coach", "educator"):
        client.force_login(world.users[who])
        page = client.get(person.get_absolute_url()).content.decode()
        assert 'enctype="multipart/form-data"' not in page, who
        assert client.post(upload_url(person), {"file": upload("a.txt", samples.TXT)}).status_code == 404, who
    assert not Attachment.objects.exists()


def test_unregistered_owner_kinds_and_get_are_refused(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    assert client.post(reverse("files:upload", args=["access.user", 1]), {}).status_code == 404
    assert client.get(upload_url(world.people["P1"])).status_code == 405


def test_the_list_follows_the_view_rule(client: Any, world: Any) -> None:
    from edlead.access import policy
    from edlead.files.services import attachment_add

    person = world.people["P1"]
    attachment_add(
        owner=person,
        file=upload("plan.pdf", samples.PDF),
        actor=world.users["hr"],
        view_action=policy.PERSONNEL_VIEW,
    )
    client.force_login(world.users["principal_supervisor"])  # reads personnel details, may not edit
    page = client.get(person.get_absolute_url()).content.decode()
    assert "plan.pdf" in page and "Remove" not in page
    client.force_login(world.users["coach"])  # reads the record, not personnel details
    assert "plan.pdf" not in client.get(person.get_absolute_url()).content.decode()


def test_remove_needs_the_edit_action(client: Any, world: Any) -> None:
    from edlead.access import policy
    from edlead.files.services import attachment_add

    person = world.people["P1"]
    attachment = attachment_add(
        owner=person,
        file=upload("plan.pdf", samples.PDF),
        actor=world.users["hr"],
        view_action=policy.PERSONNEL_VIEW,
    )
    url = reverse("files:remove", args=[attachment.pk])
    client.force_login(world.users["principal_supervisor"])
    assert client.post(url).status_code == 404
    client.force_login(world.users["hr"])
    assert client.post(url).status_code == 302
    assert not Attachment.objects.exists()


def test_a_shared_document_reaches_the_coach_and_a_restricted_one_does_not(client: Any, world: Any) -> None:
    """Relationship-based access through the files store: the coach of a principal downloads what HR
    shared with coaches, not the restricted documents; the assistant principal downloads neither."""
    import datetime as dt

    from edlead.access import policy
    from edlead.access.models import Relationship

    person = world.people["P1"]
    Relationship.objects.create(
        kind="coach",
        holder=world.people["COACH"],
        person=person,
        organization=world.orgs["A"],
        starts_on=dt.date.today(),
    )
    hr = world.users["hr"]
    client.force_login(hr)
    for name, visibility in (
        ("Coaching plan.pdf", policy.PERSON_SHARED),
        ("Offer letter.pdf", policy.PERSON_RESTRICTED),
    ):
        client.post(upload_url(person), {"file": upload(name, samples.PDF), "visibility": visibility})
    shared = Attachment.objects.get(name="Coaching plan.pdf")
    restricted = Attachment.objects.get(name="Offer letter.pdf")
    assert (shared.view_action, restricted.view_action) == (policy.PERSON_SHARED, policy.PERSON_RESTRICTED)
    client.force_login(world.users["coach"])
    assert client.get(reverse("files:download", args=[shared.pk])).status_code == 200
    assert client.get(reverse("files:download", args=[restricted.pk])).status_code == 404
    client.force_login(world.users["assistant_principal"])
    assert client.get(reverse("files:download", args=[shared.pk])).status_code == 404
    assert client.get(reverse("files:download", args=[restricted.pk])).status_code == 404
    # A forged choice is refused: only the registered choices are offered and accepted.
    client.force_login(hr)
    client.post(upload_url(person), {"file": upload("x.pdf", samples.PDF), "visibility": policy.AUDIT_VIEW})
    assert not Attachment.objects.filter(name="x.pdf").exists()
