"""Browser surface through the Django test client: upload → preview → Apply import, history, access."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edlead.core.models import AuditEvent
from edlead.imports.kinds.staff import TEMPLATE_HEADER
from edlead.imports.models import ImportRun
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

DISTRICTS = (
    "Org Name,Org Code,Org Type,Function,Contact Name,Town,Grade\r\n"
    'Alphaville,97010000,Public School District,Superintendent,Dana Alvarez,Alphaville,"K,01"\r\n'
    "Betatown,97020000,Charter District,Charter School Leader,Lee Brown,Betatown,09\r\n"
)


def upload(client: Any, content: str | bytes, name: str = "2024-25 districts.csv", **data: Any) -> Any:
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("imports:run-create"),
        {"file": SimpleUploadedFile(name, raw), "kind": "", "school_year": "", **data},
    )


@pytest.mark.django_db
def test_upload_previews_then_apply_import_writes_once(client: Any, users: dict[str, Any]) -> None:
    admin = users["state_admin"]
    client.force_login(admin)
    page = client.get(reverse("imports:run-list"))
    assert page.status_code == 200
    assert b"Import history" in page.content and b"Upload and preview" in page.content

    response = upload(client, DISTRICTS)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == ImportRun.Status.PREVIEWED and run.dry_run
    assert run.school_year == "2024-25" and run.kind == "dese-district-directory"
    assert Path(run.stored_file.path).exists() and "imports" in run.stored_file.name
    assert not Organization.objects.filter(code="97010000").exists()  # a preview writes nothing

    detail = client.get(run.get_absolute_url())
    html = detail.content.decode()
    assert "Preview" in html and "Apply import" in html
    assert "Alphaville (97010000)" in html  # the first changes are listed
    assert run.created_count == 6

    stored = Path(run.stored_file.path)
    response = client.post(reverse("imports:run-apply", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED and not run.dry_run
    assert not stored.exists() and not run.stored_file  # the upload does not linger
    assert Organization.objects.get(code="97010000").name == "Alphaville"
    assert Position.objects.get(organization__code="97020000").title == "Charter School Leader"
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT_APPLIED)
    assert event.actor == admin and event.target_id == str(run.pk)

    # a second press (another tab, a double click) is refused and writes nothing more
    response = client.post(reverse("imports:run-apply", args=[run.pk]), follow=True)
    assert "already been applied" in response.content.decode()
    assert Organization.objects.filter(code="97010000").count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_APPLIED).count() == 1

    history = client.get(reverse("imports:run-list")).content.decode()
    assert "2024-25 districts.csv" in history and "Applied" in history
    assert "Apply import" not in client.get(run.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_refused_upload_lists_errors_by_line_and_column(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["state_admin"])
    upload(client, DISTRICTS + "Gamma,12ab,Public School District,Superintendent,X Y,Town,K\r\n")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REFUSED and not run.stored_file
    html = client.get(run.get_absolute_url()).content.decode()
    assert "The file was refused" in html and "Org Code" in html and "<td>4</td>" in html
    assert "Apply import" not in html
    assert client.post(reverse("imports:run-apply", args=[run.pk])).status_code == 302
    assert not Organization.objects.filter(code="97010000").exists()


@pytest.mark.django_db
def test_upload_form_errors(client: Any, users: dict[str, Any], settings: Any) -> None:
    client.force_login(users["state_admin"])
    response = upload(client, DISTRICTS, school_year="next year")
    assert response.status_code == 400 and "Enter a school year like 2024-25." in response.content.decode()
    settings.EDLEAD_IMPORT_MAX_BYTES = 100
    response = upload(client, DISTRICTS)
    assert response.status_code == 400 and "imports are limited to" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_large_files_go_through_the_task_worker(
    client: Any, users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EDLEAD_IMPORT_BACKGROUND_BYTES = 10  # every upload counts as large
    client.force_login(users["state_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, DISTRICTS)
    run = ImportRun.objects.get()
    assert run.in_background and run.status == ImportRun.Status.PREVIEWED and run.rows_total == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED and run.rows_done == run.rows_total == 2
    partial = client.get(reverse("imports:run-progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_running_run_page_polls_with_a_progress_bar(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["state_admin"])
    run = ImportRun.objects.create(
        file_name="big.csv",
        organization=users["district"].parent,
        status=ImportRun.Status.RUNNING,
        phase="validating",
        rows_total=1000,
        rows_done=250,
    )
    html = client.get(run.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-live="polite"' in html
    assert '<progress id="run-progress-bar"' in html and 'value="250"' in html and 'max="1000"' in html
    partial = client.get(reverse("imports:run-progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in partial and "250 of about 1,000 rows" in partial.content.decode()


@pytest.mark.django_db
def test_staff_template_download(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["hr"])
    response = client.get(reverse("imports:staff-template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == TEMPLATE_HEADER and len(rows) == 2 and rows[1][4].startswith("99")
    page = client.get(reverse("imports:run-list")).content.decode()
    assert reverse("imports:staff-template") in page and "MEPID" in page and "Start Date" in page


@pytest.mark.django_db
def test_a_principal_cannot_see_import_pages(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["state_admin"])
    upload(client, DISTRICTS)
    run = ImportRun.objects.get()
    client.force_login(users["principal"])
    assert client.get(reverse("imports:run-list")).status_code == 403
    assert client.get(run.get_absolute_url()).status_code in (403, 404)
    assert client.post(reverse("imports:run-apply", args=[run.pk])).status_code in (403, 404)
    assert upload(client, DISTRICTS).status_code == 403
    assert client.get(reverse("imports:staff-template")).status_code == 403
    client.logout()
    assert client.get(reverse("imports:run-list")).status_code == 302  # to sign in
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED


@pytest.mark.django_db
def test_runs_are_scoped_to_the_importers_organizations(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["state_admin"])
    upload(client, DISTRICTS)
    state_run = ImportRun.objects.get()
    # a district admin may import staff for their district, not the state-wide directory
    client.force_login(users["district_admin"])
    assert client.get(state_run.get_absolute_url()).status_code == 404
    upload(client, DISTRICTS, name="districts.csv")
    refused = ImportRun.objects.latest("id")
    assert refused.status == ImportRun.Status.REFUSED and "state administrator" in str(refused.report)
    staff = (
        "MEPID,First Name,Last Name,Org Code,Role,Start Date\r\n"
        "12345678,Ana,Lopez,99100010,teacher,2024-07-01\r\n"
        "22345678,Ben,Other,99200000,teacher,2024-07-01\r\n"
    )
    upload(client, staff, name="staff.csv")
    run = ImportRun.objects.latest("id")
    assert run.organization == users["district"] and run.skipped_count == 1
    assert (
        "outside the organizations you may import for" in client.get(run.get_absolute_url()).content.decode()
    )
    client.post(reverse("imports:run-apply", args=[run.pk]))
    assert (
        Person.objects.filter(mepid="12345678").exists()
        and not Person.objects.filter(mepid="22345678").exists()
    )
    # the other district's admin sees neither run; the state admin and a superuser see all
    client.force_login(users["other_admin"])
    assert client.get(run.get_absolute_url()).status_code == 404
    assert "staff.csv" not in client.get(reverse("imports:run-list")).content.decode()
    for who in ("state_admin", "superuser"):
        client.force_login(users[who])
        assert client.get(run.get_absolute_url()).status_code == 200
    # HR of the district sees its runs too
    client.force_login(users["hr"])
    assert client.get(run.get_absolute_url()).status_code == 200


def test_a_year_in_the_uploads_name_does_not_overrule_its_title_row(
    client: Any, users: dict[str, Any]
) -> None:
    """A browser upload named for another year is read by its title, as on the command line."""
    from edlead.testing import make_district

    make_district("Abington", code="00010000")
    client.force_login(users["state_admin"])
    content = (
        "2023-24 (March) Attendance (District)  - All Students,,,,,,,\r\n"
        "District Name,District Code,Attendance Rate,Average # of Absences,Absent 10 or more days,"
        "Chronically Absent (10% or more),Chronically Absent (20% or more),Unexcused > 9 days\r\n"
        "Abington,00010000,  94.1,  10.2,  30.1,  12.3,   3.1,  10.0\r\n"
    )
    upload(client, content, name="Attendance 2022-23.csv")
    run = ImportRun.objects.latest("created_at")
    assert run.status == ImportRun.Status.PREVIEWED, run.summary
    assert run.school_year == "2023-24"


@pytest.mark.django_db
def test_import_history_filters_hold_on_every_page(client: Any, tmp_path: Any) -> None:
    from django.urls import reverse

    from edlead.access.models import RoleGrant
    from edlead.imports.models import ImportRun
    from edlead.testing import make_district, make_user

    district = make_district("History District", code="99330000")
    admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)], password=None)
    for i in range(55):
        ImportRun.objects.create(
            user=admin,
            organization=district,
            file_name=f"staff-{i}.csv",
            kind="staff-positions",
            status="applied",
        )
    ImportRun.objects.create(
        user=admin, organization=district, file_name="dir.csv", kind="dese-district-directory"
    )
    client.force_login(admin)
    url = reverse("imports:run-list")
    first = client.get(url + "?history-kind=staff-positions")
    assert first.context["page"].paginator.count == 55
    html = first.content.decode()
    assert "history-kind=staff-positions" in html.split("Next page")[0].rsplit("href=", 1)[1]
    second = client.get(url + "?history-kind=staff-positions&page=2")
    assert [r.file_name for r in second.context["page"].object_list if r.kind != "staff-positions"] == []
