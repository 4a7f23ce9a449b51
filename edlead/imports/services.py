"""The only writers of imports: read a file, detect its kind, validate it, preview it, apply it.

Flow for one file (`import_file`): open (CSV/XLSX, encoding, title row) → detect the kind from the
header → parse every row column by column (all errors, by line and column) → cross-row checks →
plan against the database in a few set-based queries → write with bulk operations in one
transaction, with one audit event. A dry run plans inside a transaction that is rolled back.

Browser runs (`run_create` → `run_preview` → `run_apply_request` → `run_apply`) keep the uploaded file
under MEDIA_ROOT/imports until applied; files over EDLEAD_IMPORT_BACKGROUND_BYTES go to the task
worker (`edlead.imports.tasks`) and report progress on the `ImportRun` row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.imports.kinds import KINDS, describe_layouts, detect, detect_kind
from edlead.imports.kinds.base import Context, ImportKind, Outcome
from edlead.imports.models import ImportRun
from edlead.lib.schoolyears import SchoolYear, SchoolYearError
from edlead.lib.tabular import TabularError, open_table
from edlead.orgs import services as org_services

logger = logging.getLogger(__name__)

IMPORTABLE_SUFFIXES = {".csv", ".xlsx", ".xls", ".tsv", ".txt"}
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-_–]\s*(\d{2}|\d{4})(?!\d)")

Progress = Callable[[str, int], None]


def background_bytes() -> int:
    return int(getattr(settings, "EDLEAD_IMPORT_BACKGROUND_BYTES", 5 * 1024 * 1024))


def max_bytes() -> int:
    return int(getattr(settings, "EDLEAD_IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def school_year_from_names(*names: str) -> SchoolYear | None:
    """The school year a file describes, from its name or a folder name (`2023-24`, `directory_2016-17`)."""
    for name in names:
        for match in _YEAR_IN_NAME.finditer(name):
            try:
                return SchoolYear.parse(f"{match.group(1)}-{match.group(2)}")
            except SchoolYearError:
                continue
    return None


def school_year_for_path(path: Path) -> SchoolYear | None:
    return school_year_from_names(path.name, *(p.name for p in path.parents))


# --- One file ---------------------------------------------------------------------------------------
@dataclass
class Sniff:
    """A quick look at a file's header, to order several files (directories first)."""

    kind: type[ImportKind] | None
    error: str = ""


def sniff_file(path: Path, *, kind: str | None = None) -> Sniff:
    try:
        with open_table(path) as table:
            head = [cells for _, cells in itertools.islice(table.rows(), 10)]
    except TabularError as exc:
        return Sniff(None, exc.message)
    found, _ = detect(head, kind)
    return Sniff(found)


def import_file(
    *,
    path: Path,
    name: str | None = None,
    kind: str | None = None,
    year: SchoolYear | None = None,
    dry_run: bool = False,
    actor: Any = None,
    scope_paths: tuple[str, ...] | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
) -> Outcome:
    """Import one file (or, with `dry_run`, report what importing it would do). Never raises for a
    problem in the file: the outcome lists it."""
    name = name or path.name
    outcome = Outcome(file_name=name)
    if progress:
        progress("reading", 0)
    try:
        with open_table(path, name=name) as table:
            rows = table.rows()
            head = list(itertools.islice(rows, 10))
            hints = _hints(
                head, name, path if run is None or run.origin == ImportRun.Origin.COMMAND else None
            )
            kind_cls, header_index, tied = detect_kind([cells for _, cells in head], kind, hints)
            if tied:
                outcome.error(
                    head[0][0] if head else None,
                    None,
                    "EdLead cannot tell this file's kind: its header fits "
                    + " and ".join(f"{k.label} ({k.slug})" for k in tied)
                    + " equally, and neither its title, file name nor folder name says which. "
                    "Choose the kind (--kind).",
                )
                return outcome
            if kind_cls is None or not head:
                outcome.error(
                    head[0][0] if head else None,
                    None,
                    "EdLead does not recognise this file's layout: no header row matches an import kind "
                    f"({describe_layouts()}). Choose the kind, or check the header row.",
                )
                return outcome
            outcome.kind, outcome.kind_label = kind_cls.slug, kind_cls.label
            header_line, header = head[header_index]
            if header_index:
                outcome.notes.append(
                    f"Read the header on line {header_line}; the {header_index} row(s) above it (a title) were not imported."
                )
            data = itertools.chain(head[header_index + 1 :], rows)
            parsed = kind_cls.parse(header, data, outcome, progress, header_line)
    except TabularError as exc:
        outcome.error(exc.line, None, exc.message)
        return outcome
    if outcome.refused:
        return outcome
    kind_cls.check_rows(parsed, outcome)
    if outcome.refused:
        return outcome
    title_rows = head[:header_index]
    title = " ".join(c for _, cells in title_rows for c in cells if c)
    if kind_cls.uses_school_year:
        from_path = run is None or run.origin == ImportRun.Origin.COMMAND
        year = kind_cls.resolve_year(
            given=year,
            title=title,
            title_line=title_rows[0][0] if title_rows else None,
            names_year=school_year_from_names(name, *(p.name for p in path.parents if from_path)),
            outcome=outcome,
        )
        if outcome.refused:
            return outcome
        outcome.school_year = year.label if year else ""
    else:
        year = None
    if kind_cls.state_wide and scope_paths is not None and not _covers_state(scope_paths):
        outcome.error(
            None,
            None,
            f"A {kind_cls.label} changes organizations state-wide: only a state administrator may import it.",
        )
        return outcome
    ctx = Context(
        file_name=name,
        year=year,
        as_of=year.starts_on if year else timezone.localdate(),
        actor=actor,
        scope_paths=scope_paths,
        title=title,
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A bulk load need not wait for its commit record to reach disk: a crash in the next
            # fraction of a second could lose the import (re-run it), never corrupt the database.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        plan = kind_cls.plan(parsed, ctx, outcome)
        if outcome.refused:  # a kind may refuse while planning (e.g. a row's year against --year)
            transaction.set_rollback(True)
            return outcome
        if dry_run:
            transaction.set_rollback(True)  # planning may create the state root; a dry run keeps nothing
        else:
            if progress:
                progress("writing", outcome.rows_total)
            plan.write()
            outcome.applied = True
            audit_record(
                action=AuditEvent.Action.IMPORT_APPLIED,
                actor=actor,
                target=run,
                target_label=name,
                detail={
                    "file": name,
                    "kind": kind_cls.slug,
                    "school_year": outcome.school_year,
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                    "skipped": outcome.skipped,
                },
            )
    return outcome


def _hints(head: list[tuple[int, list[str]]], name: str, path: Path | None) -> list[str]:
    """What may tell apart kinds with the same header: the first rows' text (a title), the file name,
    and the folder it sits in (not folders further up: they say where the files are kept, not what)."""
    hints = [" ".join(cells) for _, cells in head[:3]]
    hints.append(name)
    if path is not None:
        hints.append(path.parent.name)
    return hints


def _covers_state(scope_paths: Iterable[str]) -> bool:
    root = org_services.state_agency_get_or_create()
    return any(root.path.startswith(p) for p in scope_paths)


# --- Several files (the command line) -------------------------------------------------------------------
def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the importable files inside folders named (recursively). Raises
    ApplicationError for a path that does not exist."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ApplicationError(f"No such file or folder: {path}")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                raise ApplicationError(f"The folder {path} holds no CSV or XLSX file.")
            files.extend(found)
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def order_files(files: list[Path], *, kind: str | None = None) -> list[tuple[Path, Sniff]]:
    """Directory files first (districts, then schools), older school years before newer ones."""
    sniffed = [(f, sniff_file(f, kind=kind)) for f in files]

    def key(item: tuple[Path, Sniff]) -> tuple[int, int, str]:
        path, sniff = item
        year = school_year_for_path(path)
        return (sniff.kind.priority if sniff.kind else 99, year.start_year if year else 9999, str(path))

    return sorted(sniffed, key=key)


def command_run_start(*, path: Path, kind: str | None, year: SchoolYear | None) -> ImportRun:
    root = org_services.state_agency_get_or_create()
    return ImportRun.objects.create(
        user_label="command line",
        organization=root,
        origin=ImportRun.Origin.COMMAND,
        file_name=str(path)[-255:],
        file_size=path.stat().st_size,
        requested_kind=kind or "",
        school_year=year.label if year else "",
        status=ImportRun.Status.RUNNING,
        dry_run=False,
        started_at=timezone.now(),
    )


def run_finish(run: ImportRun, outcome: Outcome) -> ImportRun:
    """Store an outcome on its run (status, counts, report)."""
    run.kind = outcome.kind
    run.school_year = outcome.school_year or run.school_year
    run.status = (
        ImportRun.Status.REFUSED
        if outcome.refused
        else (ImportRun.Status.APPLIED if outcome.applied else ImportRun.Status.PREVIEWED)
    )
    run.dry_run = not outcome.applied
    run.phase = ""
    run.created_count, run.updated_count = outcome.created, outcome.updated
    run.unchanged_count, run.skipped_count = outcome.unchanged, outcome.skipped
    run.error_count = outcome.error_count
    run.rows_done = run.rows_total = outcome.rows_total
    run.report = outcome.report()
    run.summary = (f"Refused: {outcome.error_count} error(s)" if outcome.refused else outcome.counts_line())[
        :255
    ]
    run.finished_at = timezone.now()
    if outcome.applied:
        run.applied_at = run.finished_at
    if run.status in (ImportRun.Status.APPLIED, ImportRun.Status.REFUSED) and run.stored_file:
        run.stored_file.delete(save=False)
        run.stored_file = ""
    run.save()
    return run


# --- Browser runs -----------------------------------------------------------------------------------
def _scope_for(user: Any) -> tuple[tuple[str, ...] | None, Any]:
    """Where `user` may import, and the node their runs are filed under."""
    if getattr(user, "is_superuser", False):
        return None, org_services.state_agency_get_or_create()
    grants = policy.grants_for(user, policy.IMPORT_RUN)
    if not grants:
        raise ApplicationError("You may not run imports.")
    broadest = min(grants, key=lambda g: g.path.count("/"))
    from edlead.orgs.models import Organization

    return tuple(g.path for g in grants), Organization.objects.get(pk=broadest.org_id)


def run_create(
    *, upload: UploadedFile, actor: Any, kind: str = "", year: SchoolYear | None = None
) -> ImportRun:
    """Store an upload and preview it: now for a small file, in the worker for a large one."""
    if kind and kind not in KINDS:
        raise ApplicationError(f"Unknown import kind {kind!r}.")
    size = upload.size or 0
    if size > max_bytes():
        raise ApplicationError(
            f"The file is {size / 1_048_576:.1f} MB; imports are limited to {max_bytes() / 1_048_576:.0f} MB."
        )
    _, organization = _scope_for(actor)
    name = Path(upload.name or "upload").name[:255]
    # Only a year the person chose is "given"; a year in the file's name is a hint that the kind weighs
    # against the file's own title row (see `import_file`), so "2023-24 Attendance.csv" whose title
    # says 2022-23 is read by its title, as on the command line.
    run = ImportRun(
        user=actor,
        user_label=getattr(actor, "email", "")[:255],
        organization=organization,
        origin=ImportRun.Origin.BROWSER,
        file_name=name,
        file_size=size,
        requested_kind=kind,
        school_year=year.label if year else "",
        status=ImportRun.Status.QUEUED,
        dry_run=True,
        in_background=size > background_bytes(),
    )
    run.stored_file.save(name, upload, save=False)
    run.save()
    if run.in_background:
        from edlead.imports.tasks import import_run_task

        transaction.on_commit(lambda: import_run_task.enqueue(run.pk, False))
    else:
        run_execute(run_id=run.pk, apply=False)
        run.refresh_from_db()
    return run


def run_apply_request(*, run: ImportRun, actor: Any) -> ImportRun:
    """Start applying a previewed run, once: a second press (or a second tab) is refused."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED, dry_run=True).update(
        status=ImportRun.Status.QUEUED, user=actor, user_label=getattr(actor, "email", "")[:255]
    )
    if not claimed:
        raise ApplicationError("This import has already been applied or is being applied.")
    run.refresh_from_db()
    if not run.stored_file:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, summary="The uploaded file is gone."
        )
        raise ApplicationError("The uploaded file is no longer available; upload it again.")
    if run.in_background:
        from edlead.imports.tasks import import_run_task

        transaction.on_commit(lambda: import_run_task.enqueue(run.pk, True))
    else:
        run_execute(run_id=run.pk, apply=True)
    run.refresh_from_db()
    return run


def _progress_writer(run_id: int, total: int) -> Progress:
    """Save rows done at most every quarter second, outside the import's write transaction."""
    last = [0.0]

    def progress(phase: str, rows_done: int) -> None:
        now = time.monotonic()
        if phase == "validating" and now - last[0] < 0.25:
            return
        last[0] = now
        fields: dict[str, Any] = {"phase": phase}
        if phase != "reading":
            fields["rows_done"] = min(rows_done, max(total, rows_done))
            fields["rows_total"] = max(total, rows_done)
        try:
            with transaction.atomic():  # a savepoint when called inside a transaction
                ImportRun.objects.filter(pk=run_id).update(**fields)
        except DatabaseError:  # progress is a courtesy: a busy database must not stop the import
            logger.info("Could not record progress of import run %s", run_id)

    return progress


def run_execute(*, run_id: int, apply: bool) -> ImportRun:
    """Preview (apply=False) or apply a stored run. Used by the request for small files and by the task."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if apply and run.status != ImportRun.Status.QUEUED:
        return run  # someone else got there first
    if not run.stored_file:
        run.status, run.summary = ImportRun.Status.FAILED, "The uploaded file is no longer available."
        run.save(update_fields=["status", "summary", "updated_at"])
        return run
    path = Path(run.stored_file.path)
    try:
        with open_table(path, name=run.file_name) as table:
            estimate = max(0, table.rows_estimate - 1)
    except TabularError:
        estimate = 0
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING,
        phase="reading",
        rows_done=0,
        rows_total=estimate,
        started_at=timezone.now(),
    )
    actor = run.user
    try:
        scope_paths, _ = _scope_for(actor) if actor is not None else (None, None)
        year = SchoolYear.parse(run.school_year) if run.school_year else None
        outcome = import_file(
            path=path,
            name=run.file_name,
            kind=run.requested_kind or None,
            year=year,
            dry_run=not apply,
            actor=actor,
            scope_paths=scope_paths,
            progress=_progress_writer(run.pk, estimate),
            run=run,
        )
    except ApplicationError as exc:
        run.refresh_from_db()
        run.status, run.summary, run.phase = ImportRun.Status.FAILED, exc.message[:255], ""
        run.finished_at = timezone.now()
        run.save()
        return run
    except Exception:
        logger.exception("Import run %s failed", run_id)
        run.refresh_from_db()
        run.status, run.phase = ImportRun.Status.FAILED, ""
        run.summary = "An unexpected problem stopped the import; nothing was written. The administrators have the details."
        run.finished_at = timezone.now()
        run.save()
        return run
    run.refresh_from_db()
    return run_finish(run, outcome)


def run_delete_stale_files(*, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Remove uploads of previews nobody applied (personal data should not linger)."""
    cutoff = timezone.now() - older_than
    count = 0
    for run in ImportRun.objects.filter(status=ImportRun.Status.PREVIEWED, created_at__lt=cutoff).exclude(
        stored_file=""
    ):
        run.stored_file.delete(save=False)
        run.stored_file = ""
        run.summary = "Preview expired: the uploaded file was removed."
        run.save(update_fields=["stored_file", "summary", "updated_at"])
        count += 1
    return count
