"""Uploads cannot take the server down, runs whose worker died are not stuck, stale uploads are deleted
on schedule, and each app registers its own import kinds (issue 7, items 6, 8 and 9)."""

from __future__ import annotations

import ast
import datetime as dt
import io
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from edlead.imports import services
from edlead.imports.kinds import KINDS
from edlead.imports.models import ImportRun
from edlead.imports.tests.helpers import run_import
from edlead.lib.tabular import TabularError, open_table
from edlead.orgs.models import Organization

DISTRICTS = (
    "Org Name,Org Code,Org Type,Function,Contact Name,Town,Grade\r\n"
    'Alphaville,97010000,Public School District,Superintendent,Dana Alvarez,Alphaville,"K,01"\r\n'
    "Betatown,97020000,Charter District,Charter School Leader,Lee Brown,Betatown,09\r\n"
)


def workbook_bytes(shared_strings: bytes | None = None) -> bytes:
    """A real directory workbook; with `shared_strings`, its sharedStrings part replaced by those bytes
    (a 'zip bomb' when they are many and compress well)."""
    book = Workbook()
    sheet = book.active
    for line in DISTRICTS.strip().split("\r\n"):
        sheet.append(line.replace('"K,01"', "K").split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    if shared_strings is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item.filename, source.read(item))
        target.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def bomb_strings(size: int) -> bytes:
    head = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    )
    tail = b"</t></si></sst>"
    return head + b"A" * (size - len(head) - len(tail)) + tail


def upload(client: Any, raw: bytes, name: str) -> Any:
    return client.post(
        reverse("imports:run-create"), {"file": SimpleUploadedFile(name, raw), "kind": "", "school_year": ""}
    )


def stored_uploads() -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- Uploads cannot take the server down ------------------------------------------------------------
@pytest.mark.django_db
def test_a_zip_bomb_workbook_is_refused_before_it_is_parsed(client: Any, users: dict[str, Any]) -> None:
    raw = workbook_bytes(bomb_strings(8 * 1024 * 1024))  # 8 MB of shared strings in a few KB
    assert len(raw) < 100_000
    client.force_login(users["state_admin"])
    started = time.monotonic()
    response = upload(client, raw, "directory.xlsx")
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert (
        "compressed" in response.content.decode()
        and "far more than a real spreadsheet" in response.content.decode()
    )
    assert not ImportRun.objects.exists() and not stored_uploads()  # refused: the file is not kept


@pytest.mark.django_db
def test_a_workbook_expanding_past_the_limit_is_refused_with_a_plain_message(
    client: Any, users: dict[str, Any], settings: Any
) -> None:
    settings.EDLEAD_IMPORT_MAX_EXPANDED_BYTES = 1024 * 1024
    # Text that compresses like real text (not a bomb), but expands past the 1 MB limit.
    words = os.urandom(700_000).hex().encode()
    raw = workbook_bytes(bomb_strings(len(words) + 200).replace(b"A" * len(words), words))
    client.force_login(users["state_admin"])
    response = upload(client, raw, "directory.xlsx")
    assert response.status_code == 400
    assert (
        "expands to 1 MB when opened, more than EdLead reads from one upload (1 MB)"
        in response.content.decode()
    )
    assert not ImportRun.objects.exists() and not stored_uploads()


@pytest.mark.django_db
def test_the_command_line_refuses_a_zip_bomb_too(tmp_path: Path) -> None:
    path = tmp_path / "directory.xlsx"
    path.write_bytes(workbook_bytes(bomb_strings(8 * 1024 * 1024)))
    with pytest.raises(TabularError, match="far more than a real spreadsheet"):
        open_table(path)
    code, out, _ = run_import(path)
    assert code == 1 and "far more than a real spreadsheet" in out


@pytest.mark.django_db
def test_a_small_workbook_that_expands_a_lot_is_read_by_the_worker(
    client: Any, users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    raw = workbook_bytes()
    expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    settings.EDLEAD_IMPORT_BACKGROUND_BYTES = len(raw) + 1  # small by its size, large by what it holds
    assert expanded > len(raw) + 1
    client.force_login(users["state_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, raw, "2024-25 directory.xlsx")
    run = ImportRun.objects.get()
    assert run.in_background and run.status == ImportRun.Status.PREVIEWED, run.summary
    assert run.rows_total == 2


# --- A run whose worker died -------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_run_whose_worker_stopped_answering_is_failed_and_can_be_applied_again(
    client: Any, users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EDLEAD_IMPORT_STALE_MINUTES = 10
    client.force_login(users["state_admin"])
    upload(client, DISTRICTS.encode(), "2024-25 districts.csv")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PREVIEWED and run.can_apply
    # What `kill -9` of the worker leaves: the run claimed and running at 96 %, its heartbeat stopped.
    long_ago = timezone.now() - dt.timedelta(minutes=11)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING,
        phase="writing",
        rows_done=96,
        rows_total=100,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    page = client.get(run.get_absolute_url()).content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "stopped answering" in run.summary
    assert "stopped answering" in page and "Apply again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run-apply", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED, run.summary
    assert Organization.objects.filter(code__in=["97010000", "97020000"]).count() == 2


@pytest.mark.django_db
def test_a_run_that_is_alive_or_refused_is_left_alone(users: dict[str, Any], settings: Any) -> None:
    settings.EDLEAD_IMPORT_STALE_MINUTES = 10
    recent = timezone.now() - dt.timedelta(minutes=2)
    alive = ImportRun.objects.create(
        file_name="a.csv",
        status=ImportRun.Status.RUNNING,
        started_at=recent - dt.timedelta(hours=1),
        heartbeat_at=recent,
    )
    refused = ImportRun.objects.create(file_name="b.csv", status=ImportRun.Status.REFUSED)
    ImportRun.objects.filter(pk=refused.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    assert services.runs_fail_stale() == 0
    alive.refresh_from_db()
    assert alive.status == ImportRun.Status.RUNNING
    assert services.runs_fail_stale(now=timezone.now() + dt.timedelta(minutes=9)) == 1
    alive.refresh_from_db()
    assert alive.status == ImportRun.Status.FAILED and not alive.can_apply  # no clean preview, no file


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stamps_while_a_run_works(users: dict[str, Any], settings: Any) -> None:
    settings.EDLEAD_IMPORT_HEARTBEAT_SECONDS = 0.05
    run = ImportRun.objects.create(file_name="a.csv", status=ImportRun.Status.RUNNING)
    with services.Heartbeat(run.pk) as beat:
        if not beat._thread.is_alive():
            pytest.skip("The in-memory SQLite test database is not shared with a second thread")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.heartbeat_at is not None:
                break
            time.sleep(0.05)
    assert run.heartbeat_at is not None


# --- Stale uploads are deleted on schedule -----------------------------------------------------------
@pytest.mark.django_db
def test_stale_uploads_are_deleted_without_anyone_remembering(
    client: Any, users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(users["state_admin"])
    upload(client, DISTRICTS.encode(), "2024-25 districts.csv")
    old = ImportRun.objects.get()
    assert old.stored_file and Path(old.stored_file.path).exists()
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    # The next upload (any upload) schedules the housekeeping task; the suite's task backend runs it now.
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, DISTRICTS.encode(), "2024-25 districts again.csv")
    old.refresh_from_db()
    assert not old.stored_file and old.summary == "Preview expired: the uploaded file was removed."
    assert ImportRun.objects.exclude(pk=old.pk).get().stored_file  # the new one is kept


@pytest.mark.django_db
def test_housekeeping_reschedules_itself_on_the_database_backend(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from edlead.imports import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert tasks.import_housekeeping_task.get_backend().supports_defer
    tasks.housekeeping_schedule()
    tasks.housekeeping_schedule()  # a second call queues nothing more
    waiting = DBTaskResult.objects.filter(
        task_path=tasks.import_housekeeping_task.module_path, status="READY"
    )
    assert waiting.count() == 1
    waiting.get().claim("test-worker")  # what the worker does before it runs the task
    tasks.import_housekeeping_task.call()  # the worker running it queues the next run, an hour on
    later = DBTaskResult.objects.get(task_path=tasks.import_housekeeping_task.module_path, status="READY")
    assert later.run_after > timezone.now() + dt.timedelta(minutes=55)


# --- Each app registers its kinds ---------------------------------------------------------------------
def test_the_imports_app_does_not_import_metrics_or_later_apps() -> None:
    later = ("edlead.metrics",)
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(root)}: {n}" for n in names if n.startswith(later)]
    assert offenders == []


def test_metrics_registers_its_kinds_from_its_app_config() -> None:
    from edlead.imports.kinds.directory import DistrictDirectory
    from edlead.metrics.kinds.dese_profile import DeseProfile

    assert KINDS["dese-district-directory"] is DistrictDirectory
    assert KINDS["dese-profile"] is DeseProfile and "dese-attendance" in KINDS
    priorities = [k.priority for k in KINDS.values()]
    assert priorities == sorted(priorities)  # directories first, as the command line applies them


@pytest.mark.django_db
def test_the_housekeeping_command_runs_it_once(users: dict[str, Any]) -> None:
    from django.core.management import call_command

    stuck = ImportRun.objects.create(
        file_name="a.csv",
        status=ImportRun.Status.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=2),
    )
    out = io.StringIO()
    call_command("import_housekeeping", stdout=out)
    assert "0 stale upload(s) deleted, 1 stopped run(s) marked failed" in out.getvalue()
    stuck.refresh_from_db()
    assert stuck.status == ImportRun.Status.FAILED
