"""The account-invitation CSV through the import framework: detection, errors by line and column,
skipped rows that reveal nothing, one transaction, e-mails only after it commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.accounts import services
from edlead.accounts.kinds import AccountInvitations
from edlead.accounts.models import Invitation
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.imports.kinds import KINDS, detect
from edlead.imports.kinds.base import Context, Outcome
from edlead.imports.models import ImportRun
from edlead.people.models import Position
from edlead.testing import make_person, make_position

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

HEADER = "E-mail,MEPID,Employee Number,Access Role,Org Code\n"


def upload(client: Client, content: str) -> ImportRun:
    response = client.post(
        reverse("imports:run-create"),
        {"file": SimpleUploadedFile("invitations.csv", content.encode()), "kind": "", "school_year": ""},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportRun.objects.latest("pk")


def apply(client: Client, run: ImportRun, capture: Any) -> ImportRun:
    with capture(execute=True):
        client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    return run


@pytest.fixture
def numbered(people: World) -> World:
    people.people["P3"].mepid = "11112222"
    people.people["P3"].save()
    people.people["PT1"].mepid = "33334444"  # Beta: outside district A
    people.people["PT1"].save()
    people.people["SUP2"].local_employee_number = "E-77"
    people.people["SUP2"].save()
    return people


def test_the_kind_is_registered_and_detected_from_its_header_not_a_staff_file() -> None:
    assert KINDS["account-invitations"] is AccountInvitations
    found, _ = detect([["E-mail", "MEPID", "Access Role", "Org Code"]])
    assert found is AccountInvitations
    staff, _ = detect([["MEPID", "First Name", "Last Name", "E-mail", "Org Code", "Role", "Start Date"]])
    assert staff is not None and staff.slug == "staff-positions"


def test_a_valid_file_invites_by_mepid_employee_number_and_address(
    client: Client, numbered: World, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(numbered.users["district_admin"])
    run = upload(
        client,
        HEADER
        + "p3@alpha.example.org,11112222,,school_leader,99100030\n"
        + "sup2@alpha.example.org,,E-77,Principal supervisor,99100000\n"
        + "new.coach@alpha.example.org,,,coach,99100000\n",
    )
    assert run.status == ImportRun.Status.PREVIEWED, run.report
    assert not Invitation.objects.exists() and mail.outbox == []
    preview = client.get(reverse("imports:run-detail", args=[run.pk])).content.decode()
    assert "Invitation" in preview and "p3@alpha.example.org — School leader at Birch High" in preview
    run = apply(client, run, django_capture_on_commit_callbacks)
    assert run.status == ImportRun.Status.APPLIED, run.summary
    invitations = {i.email: i for i in Invitation.objects.all()}
    assert set(invitations) == {
        "p3@alpha.example.org",
        "sup2@alpha.example.org",
        "new.coach@alpha.example.org",
    }
    assert invitations["p3@alpha.example.org"].person == numbered.people["P3"]
    assert invitations["sup2@alpha.example.org"].person == numbered.people["SUP2"]
    assert invitations["sup2@alpha.example.org"].role == RoleGrant.Role.PRINCIPAL_SUPERVISOR
    assert invitations["new.coach@alpha.example.org"].person is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(invitations)
    assert all("/accounts/manage/invitations/accept/" in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(action=services.INVITATION_SENT).count() == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_APPLIED).count() == 1

    again = apply(
        client,
        upload(client, HEADER + "p3@alpha.example.org,11112222,,school_leader,99100030\n"),
        django_capture_on_commit_callbacks,
    )
    assert again.unchanged_count == 1 and again.created_count == 0 and Invitation.objects.count() == 3


def test_invalid_cells_refuse_the_whole_file_by_line_and_column(client: Client, numbered: World) -> None:
    client.force_login(numbered.users["district_admin"])
    run = upload(
        client,
        HEADER
        + "p3@alpha.example.org,11112222,,school_leader,99100030\n"
        + "not-an-address,,,coach,99100000\n"
        + "x@alpha.example.org,1234,,coach,99100000\n"
        + "y@alpha.example.org,,,wizard,99100000\n",
    )
    assert run.status == ImportRun.Status.REFUSED
    errors = {(e["line"], e["column"]) for e in run.report["errors"]}
    assert errors == {(3, "E-mail"), (4, "MEPID"), (5, "Access Role")}
    assert not Invitation.objects.exists() and mail.outbox == []
    both = upload(client, HEADER + "z@alpha.example.org,11112222,E-77,coach,99100000\n")
    assert both.status == ImportRun.Status.REFUSED
    assert both.report["errors"][0]["line"] == 2 and both.report["errors"][0]["column"] == "Employee Number"


def test_out_of_scope_rows_are_skipped_without_revealing_whether_the_mepid_exists(
    client: Client, numbered: World, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(numbered.users["district_admin"])
    run = upload(
        client,
        HEADER
        + "p3@alpha.example.org,11112222,,school_leader,99100030\n"
        + "pt1@beta.example.org,33334444,,school_leader,99100010\n"  # Beta's person, A's school
        + "ghost@alpha.example.org,55556666,,school_leader,99100010\n"  # nobody has this MEPID
        + "cedar@beta.example.org,,,educator,99200010\n"  # Beta's school
        + "nowhere@alpha.example.org,,,educator,99999999\n"  # unknown org
        + "boss@alpha.example.org,,,state_admin,99100000\n",  # a role the admin cannot give there
    )
    run = apply(client, run, django_capture_on_commit_callbacks)
    assert run.status == ImportRun.Status.APPLIED
    skips = {s["line"]: s for s in run.report["skips"]}
    assert set(skips) == {3, 4, 5, 6, 7}
    beta, ghost = skips[3]["message"], skips[4]["message"]
    assert beta.replace("33334444", "X") == ghost.replace("55556666", "X")
    assert "Beta" not in beta and "Cedar" not in beta
    assert "outside the organizations you manage" in skips[5]["message"]
    assert "not known" in skips[6]["message"]
    assert skips[7]["column"] == "Access Role"
    assert list(Invitation.objects.values_list("email", flat=True)) == ["p3@alpha.example.org"]
    assert [m.to for m in mail.outbox] == [["p3@alpha.example.org"]]


def test_hr_cannot_raise_access_through_the_file(
    client: Client, numbered: World, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(numbered.users["hr"])
    run = apply(
        client,
        upload(client, HEADER + "sup2@alpha.example.org,,E-77,district_admin,99100000\n"),
        django_capture_on_commit_callbacks,
    )
    assert run.skipped_count == 1
    assert "may not give the District administrator role" in run.report["skips"][0]["message"]
    assert not Invitation.objects.exists()


def test_an_ambiguous_employee_number_and_an_existing_account_are_skipped(
    client: Client, numbered: World, django_capture_on_commit_callbacks: Any
) -> None:
    twin = make_person("Twin", "Number", local_employee_number="E-77")
    make_position(twin, numbered.orgs["S2"], Position.Role.TEACHER)
    client.force_login(numbered.users["district_admin"])
    run = apply(
        client,
        upload(
            client,
            HEADER
            + "sup2@alpha.example.org,,E-77,coach,99100000\n"
            + f"{numbered.users['school_leader'].email},,,school_leader,99100010\n",
        ),
        django_capture_on_commit_callbacks,
    )
    messages = [s["message"] for s in run.report["skips"]]
    assert any("belongs to several people" in m for m in messages)
    assert any("already has an account" in m for m in messages)
    assert not Invitation.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_written(
    numbered: World, django_capture_on_commit_callbacks: Any
) -> None:
    """A row that became impossible between preview and apply (someone invited the same address in
    another tab) stops the apply: the file's earlier rows are not kept, and no e-mail leaves."""
    admin = numbered.users["district_admin"]
    outcome = Outcome(file_name="invitations.csv")
    rows = AccountInvitations.parse(
        ["E-mail", "MEPID", "Employee Number", "Access Role", "Org Code"],
        [
            (2, ["a@alpha.example.org", "", "", "coach", "99100000"]),
            (3, ["p3@alpha.example.org", "11112222", "", "school_leader", "99100030"]),
        ],
        outcome,
    )
    plan = AccountInvitations.plan(
        rows, Context("invitations.csv", None, dt.date.today(), actor=admin), outcome
    )
    services.invitation_create(
        actor=admin, role="school_leader", organization=numbered.orgs["S3"], person=numbered.people["P3"]
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError, match="Line 3"),
        transaction.atomic(),
    ):
        plan.write()
    assert list(Invitation.objects.values_list("email", flat=True)) == ["p3@alpha.example.org"]
    assert mail.outbox == []  # the rolled-back row's e-mail never leaves


def test_the_import_page_documents_the_kind_and_offers_its_template(client: Client, people: World) -> None:
    client.force_login(people.users["hr"])
    page = client.get(reverse("imports:run-list")).content.decode()
    assert 'id="kind-account-invitations"' in page and "Access Role" in page
    template = client.get(reverse("imports:kind-template", args=["account-invitations"]))
    lines = template.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "E-mail,MEPID,Employee Number,Access Role,Org Code" and len(lines) == 3
