"""The attachment store: content checked from the bytes, sanitised names, random stored names, size
limit; downloads only through the owner's access rule, restricted ones audited once."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.files import content
from edlead.files.models import Attachment
from edlead.files.services import ADDED, DOWNLOADED, REMOVED, attachment_add, attachment_remove
from edlead.files.tests import samples
from edlead.files.tests.samples import upload
from edlead.testing import make_user

G = RoleGrant.Role


def add(world: Any, name: str, data: bytes, *, restricted: bool = False) -> Attachment:
    return attachment_add(
        owner=world.people["P1"],
        file=upload(name, data),
        actor=world.users["hr"],
        view_action=policy.PERSONNEL_VIEW,
        restricted=restricted,
    )


# --- what is accepted ------------------------------------------------------------------------------
def _xlsx() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    book = Workbook()
    book.active.append(["Name", "Score"])
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("plan.pdf", samples.PDF, "application/pdf"),
        ("photo.png", samples.PNG, "image/png"),
        ("scan.JPG", samples.JPEG, "image/jpeg"),
        ("scan.jpeg", samples.JPEG, "image/jpeg"),
        (
            "letter.docx",
            samples.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("scores.xlsx", samples.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("real.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("roster.csv", samples.CSV, "text/csv"),
        ("note.txt", samples.TXT, "text/plain"),
        ("windows.csv", "Name;Ville\nFrançois;Montréal\n".encode("cp1252"), "text/csv"),
    ],
)
def test_each_allowed_kind_is_accepted_with_its_type_from_the_bytes(
    world: Any, attachments_in_tmp: Path, name: str, data: bytes | str, mime: str
) -> None:
    raw = _xlsx() if data == "xlsx" else data
    assert isinstance(raw, bytes)
    attachment = add(world, name, raw)
    assert attachment.content_type == mime
    assert attachment.size == len(raw)
    assert attachment.sha256 == hashlib.sha256(raw).hexdigest()
    stored = attachments_in_tmp / attachment.stored_name
    assert stored.read_bytes() == raw
    # Stored under a random name: nothing of the person's file name on disk.
    assert name.rsplit(".", 1)[0] not in attachment.stored_name and len(stored.name) == 32


@pytest.mark.parametrize(
    ("data", "what"), [(samples.ELF, "a Linux program"), (samples.MZ, "a Windows program")]
)
def test_an_executable_named_pdf_is_refused_with_a_clear_message(
    world: Any, attachments_in_tmp: Path, data: bytes, what: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        add(world, "invoice.pdf", data)
    assert refused.value.message == (
        f"“invoice.pdf” is {what}, not a PDF document: programs are never accepted. Nothing was saved."
    )
    assert not Attachment.objects.exists()
    assert not attachments_in_tmp.exists() or not any(p.is_file() for p in attachments_in_tmp.rglob("*"))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.pdf", samples.PNG, "“photo.pdf” holds a PNG image, but its name ends in .pdf."),
        ("notes.pdf", samples.TXT, "“notes.pdf” holds plain text, but its name ends in .pdf."),
        ("table.csv", samples.PDF, "“table.csv” holds a PDF document, but its name ends in .csv."),
        (
            "letter.xlsx",
            samples.DOCX,
            "“letter.xlsx” holds a Word document (.docx), but its name ends in .xlsx.",
        ),
        (
            "archive.docx",
            samples.ZIP,
            "“archive.docx” is named as a Word document (.docx) but its content is a zip archive.",
        ),
        ("program.exe", samples.MZ, "“program.exe”: files ending in .exe are not accepted."),
        ("README", samples.TXT, "“README”: files without an extension are not accepted."),
        ("empty.pdf", b"", "“empty.pdf” is empty."),
    ],
)
def test_content_that_does_not_match_its_name_is_refused(
    world: Any, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        add(world, name, data)
    assert refused.value.message.startswith(message)
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(world: Any, settings: Any) -> None:
    settings.EDLEAD_FILES_MAX_BYTES = 1024 * 1024
    with pytest.raises(ApplicationError) as refused:
        add(world, "big.txt", b"a" * (1024 * 1024 + 1))
    assert refused.value.message == "“big.txt” is 1.0 MB; files may be at most 1.0 MB. Nothing was saved."
    assert add(world, "fits.txt", b"a" * 1024 * 1024).size == 1024 * 1024


def test_the_allowlist_comes_from_settings(world: Any, settings: Any) -> None:
    settings.EDLEAD_FILES_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(
        ApplicationError, match="files ending in .png are not accepted. Accepted: PDF document."
    ):
        add(world, "photo.png", samples.PNG)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\System32\\evil.csv", "evil.csv"),
        ("C:\\Users\\hr\\Desktop\\Offer letter.pdf", "Offer letter.pdf"),
        ("bad\x00name\x1b[31m\u202e.pdf", "bad name [31m.pdf"),
        ("..", "file"),
        ("  .hidden.txt  ", "hidden.txt"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("Cafe\u0301 plan.pdf", "Café plan.pdf"),
    ],
)
def test_names_are_cleaned_of_paths_and_control_characters(raw: str, clean: str) -> None:
    assert content.clean_name(raw) == clean
    assert len(content.clean_name(raw)) <= content.MAX_NAME_LENGTH


def test_a_path_in_the_upload_name_never_reaches_the_disk(world: Any, attachments_in_tmp: Path) -> None:
    attachment = add(world, "../../../outside.pdf", samples.PDF)
    assert attachment.name == "outside.pdf"
    files = [p for p in attachments_in_tmp.parent.rglob("*") if p.is_file()]
    assert files == [attachments_in_tmp / attachment.stored_name]


def test_add_and_remove_are_audited_against_the_owner(
    world: Any, attachments_in_tmp: Path, django_capture_on_commit_callbacks: Any
) -> None:
    attachment = add(world, "plan.pdf", samples.PDF)
    added = AuditEvent.objects.get(action=ADDED)
    assert (added.target_type, added.target_id) == ("people.person", str(world.people["P1"].pk))
    assert added.detail["name"] == "plan.pdf" and added.scope == f"|{world.orgs['S1'].path}|"
    stored = attachments_in_tmp / attachment.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=world.users["hr"])
    assert not Attachment.objects.exists() and not stored.exists()
    assert AuditEvent.objects.filter(action=REMOVED, target_id=str(world.people["P1"].pk)).count() == 1


def test_an_unknown_view_action_is_a_programming_error(world: Any) -> None:
    with pytest.raises(ValueError):
        attachment_add(
            owner=world.people["P1"], file=upload("a.pdf", samples.PDF), actor=None, view_action="nope"
        )


# --- downloads -------------------------------------------------------------------------------------
def test_download_streams_the_file_with_safe_headers(client: Any, world: Any) -> None:
    attachment = add(world, "Offer letter.pdf", samples.PDF)
    client.force_login(world.users["hr"])
    response = client.get(reverse("files:download", args=[attachment.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Offer letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["educator", "coach", "no_role", "outsider"])
def test_download_by_someone_out_of_scope_is_404(client: Any, world: Any, who: str) -> None:
    attachment = add(world, "plan.pdf", samples.PDF)
    user = world.users.get(who) or make_user(grants=[(G.HR, world.orgs["B"])], password=None)
    client.force_login(user)
    assert client.get(reverse("files:download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("files:download", args=[attachment.pk + 1000])).status_code == 404


def test_download_follows_the_owners_rule_not_a_role_name(client: Any, world: Any) -> None:
    """The supervisor reads the principal's personnel details, so sees the file; the principal's
    assistant does not read their principal's, so does not."""
    attachment = add(world, "plan.pdf", samples.PDF)
    for who, status in [("principal_supervisor", 200), ("superintendent", 200), ("assistant_principal", 404)]:
        client.force_login(world.users[who])
        assert client.get(reverse("files:download", args=[attachment.pk])).status_code == status, who


def test_download_needs_sign_in(client: Any, world: Any) -> None:
    attachment = add(world, "plan.pdf", samples.PDF)
    response = client.get(reverse("files:download", args=[attachment.pk]))
    assert response.status_code == 302


def test_a_restricted_download_is_audited_once_against_the_owner(client: Any, world: Any) -> None:
    attachment = add(world, "evaluation.pdf", samples.PDF, restricted=True)
    client.force_login(world.users["principal_supervisor"])
    before = AuditEvent.objects.count()
    response = client.get(reverse("files:download", args=[attachment.pk]))
    assert response.status_code == 200
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == [DOWNLOADED]  # not also the generic export event
    event = events[0]
    assert event.actor == world.users["principal_supervisor"]
    assert (event.target_type, event.target_id) == ("people.person", str(world.people["P1"].pk))
    assert event.detail["attachment"] == attachment.pk and event.detail["name"] == "evaluation.pdf"


def test_an_unrestricted_download_is_recorded_once_as_a_download(client: Any, world: Any) -> None:
    attachment = add(world, "certificate.pdf", samples.PDF)
    client.force_login(world.users["hr"])
    before = AuditEvent.objects.count()
    client.get(reverse("files:download", args=[attachment.pk]))
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == [AuditEvent.Action.EXPORTED]
    assert events[0].target_label == "Attachment “certificate.pdf”"
    assert events[0].scope == f"|{world.orgs['S1'].path}|"


def test_a_file_gone_from_storage_is_404_not_an_error(
    client: Any, world: Any, attachments_in_tmp: Path
) -> None:
    attachment = add(world, "plan.pdf", samples.PDF)
    (attachments_in_tmp / attachment.stored_name).unlink()
    client.force_login(world.users["hr"])
    assert client.get(reverse("files:download", args=[attachment.pk])).status_code == 404
