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
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.imports.kinds import KINDS, describe_layouts, detect, detect_kind
from edlead.imports.kinds.base import Context, ImportKind, Outcome
from edlead.imports.models import ImportRun
from edlead.imports.parsed import Parsed, parsed_drop, parsed_keep, parsed_load
from edlead.lib.schoolyears import SchoolYear, SchoolYearError
from edlead.lib.tabular import Table, TabularError, open_table, xlsx_expanded_bytes
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
    on_open: Callable[[Table], None] | None = None,
    shared: dict[str, Any] | None = None,
    parsed: tuple[Outcome, Parsed] | None = None,
    on_parsed: Callable[[Outcome, Parsed], None] | None = None,
) -> Outcome:
    """Import one file (or, with `dry_run`, report what importing it would do). Never raises for a
    problem in the file: the outcome lists it. The file is opened and read once (`on_open` sees the
    open table, e.g. for its size estimate), or not at all when `parsed` is what an earlier reading of
    it gave (`on_parsed` is handed that, before any planning). `shared` keeps lookups across the files
    of one run (see `Context.shared`)."""
    name = name or path.name
    if parsed is None:
        outcome, ready = file_parse(
            path=path, name=name, kind=kind, year=year, progress=progress, run=run, on_open=on_open
        )
        if ready is None:
            return outcome
        if on_parsed is not None:
            on_parsed(outcome, ready)
    else:
        outcome, ready = parsed
    kind_cls = ready.kind
    if kind_cls.state_wide and scope_paths is not None and not _covers_state(scope_paths):
        outcome.error(
            None,
            None,
            f"A {kind_cls.label} changes organizations state-wide: only a state administrator may import it.",
        )
        return outcome
    try:
        ctx = Context(
            file_name=name,
            year=ready.year,
            as_of=ready.year.starts_on if ready.year else timezone.localdate(),
            actor=actor,
            scope_paths=scope_paths,
            title=ready.title,
            shared={} if shared is None else shared,
        )
        return _plan_and_write(kind_cls, ready.rows, outcome, ctx, dry_run, progress, run)
    except ValidationError as exc:
        # A value the row checks let through but a record's rule refuses: a refusal naming the rule,
        # never an "unexpected problem". (Kinds check their cells against the models' rules first.)
        messages = "; ".join(
            f"{field}: {' '.join(errs)}"
            for field, errs in getattr(exc, "message_dict", {"": exc.messages}).items()
        )
        outcome.error(
            None,
            None,
            f"a value breaks a rule of EdLead's records ({messages.strip(': ')}); nothing was written",
        )
        outcome.applied = False
        return outcome


def file_parse(
    *,
    path: Path,
    name: str,
    kind: str | None = None,
    year: SchoolYear | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
    on_open: Callable[[Table], None] | None = None,
) -> tuple[Outcome, Parsed | None]:
    """Read a file, detect its kind, parse and check every row, resolve its school year: the outcome so
    far, and the parsed file (None when refused). Touches the database only to read nothing: the
    planning against stored records comes after (`import_file`)."""
    outcome = Outcome(file_name=name)
    if progress:
        progress("reading", 0)
    try:
        with open_table(path, name=name) as table:
            if on_open is not None:
                on_open(table)
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
                return outcome, None
            if kind_cls is None or not head:
                outcome.error(
                    head[0][0] if head else None,
                    None,
                    "EdLead does not recognise this file's layout: no header row matches an import kind "
                    f"({describe_layouts()}). Choose the kind, or check the header row.",
                )
                return outcome, None
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
        return outcome, None
    if outcome.refused:
        return outcome, None
    kind_cls.check_rows(parsed, outcome)
    if outcome.refused:
        return outcome, None
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
            return outcome, None
        outcome.school_year = year.label if year else ""
    else:
        year = None
    return outcome, Parsed(kind_cls, parsed, title, year)


def _plan_and_write(
    kind_cls: type[ImportKind],
    parsed: Any,
    outcome: Outcome,
    ctx: Context,
    dry_run: bool,
    progress: Progress | None,
    run: ImportRun | None,
) -> Outcome:
    actor, name = ctx.actor, ctx.file_name
    if getattr(kind_cls, "commits_in_chunks", False) and not dry_run:
        # A big fact load: plan outside any transaction (reads only), then write in chunks that each
        # commit, so other writers (sign-ins, pages) get the database between them. Validation is done:
        # a refused file has written nothing. A crash part-way leaves part of the file written; applying
        # it again plans against what is stored and writes the rest (see edlead.metrics.facts).
        ctx.state_root_id()  # exists before planning, outside any transaction
        plan = kind_cls.plan(parsed, ctx, outcome)
        if outcome.refused:
            return outcome
        if progress:
            progress("writing", outcome.rows_total)
        plan.write()
        with transaction.atomic():
            _applied(outcome, kind_cls, actor, run, name)
        return outcome
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
            _applied(outcome, kind_cls, actor, run, name)
    return outcome


def _applied(
    outcome: Outcome, kind_cls: type[ImportKind], actor: Any, run: ImportRun | None, name: str
) -> None:
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
            # Which people, positions and organizations changed, and which fields (the first 1,000).
            "changes": [c.as_dict() for c in outcome.changes if c.record in AUDITED_RECORDS],
        },
    )


AUDITED_RECORDS = frozenset({"person", "position", "organization"})


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


def command_run_start(
    *, path: Path, kind: str | None, year: SchoolYear | None, organization_id: int | None = None
) -> ImportRun:
    """The run of one file imported on the command line, filed under the state agency (its id may be
    given: a folder of files looks it up once)."""
    if organization_id is None:
        organization_id = org_services.state_agency_get_or_create().pk
    return ImportRun.objects.create(
        user_label="command line",
        organization_id=organization_id,
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
    run.preview_ok = run.status == ImportRun.Status.PREVIEWED
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
        parsed_drop(run)
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


def max_expanded_bytes() -> int:
    return int(getattr(settings, "EDLEAD_IMPORT_MAX_EXPANDED_BYTES", 256 * 1024 * 1024))


def upload_work_bytes(path: Path) -> int:
    """How much a stored upload is to read: its size, or for an XLSX what it expands to. Refuses
    (ApplicationError) a workbook that would expand past EDLEAD_IMPORT_MAX_EXPANDED_BYTES, from the zip's
    directory alone, before any parser touches it."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            return size
    limit = max_expanded_bytes()
    try:
        return xlsx_expanded_bytes(path, max_total=limit, max_shared_strings=min(limit, 64 * 1024 * 1024))
    except TabularError as exc:
        raise ApplicationError(exc.message) from exc


def run_create(
    *, upload: UploadedFile, actor: Any, kind: str = "", year: SchoolYear | None = None
) -> ImportRun:
    """Store an upload and preview it: now for a small file, in the worker for a large one (by what it
    expands to: a small XLSX can hold a lot). A workbook that would expand past the limit is refused
    before it is parsed, and its file deleted."""
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
    )
    run.stored_file.save(name, upload, save=False)
    try:
        work = upload_work_bytes(Path(run.stored_file.path))
    except ApplicationError:
        run.stored_file.delete(save=False)
        raise
    run.in_background = work > background_bytes()
    run.save()
    from edlead.imports.tasks import housekeeping_schedule, import_run_task

    transaction.on_commit(housekeeping_schedule)
    if run.in_background:
        transaction.on_commit(lambda: import_run_task.enqueue(run.pk, False))
    else:
        run_execute(run_id=run.pk, apply=False)
        run.refresh_from_db()
    return run


def run_apply_request(*, run: ImportRun, actor: Any) -> ImportRun:
    """Start applying a previewed run, once: a second press (or a second tab) is refused."""
    runs_fail_stale()
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=ImportRun.APPLICABLE, dry_run=True, preview_ok=True
    ).update(
        status=ImportRun.Status.QUEUED,
        user=actor,
        user_label=getattr(actor, "email", "")[:255],
        heartbeat_at=timezone.now(),
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


class _progress_writer:  # noqa: N801 - used like the function it was
    """Save rows done (and a heartbeat) at most every quarter second, outside the import's write
    transaction. `total` is set once the file is open."""

    def __init__(self, run_id: int, total: int) -> None:
        self.run_id, self.total, self.last = run_id, total, 0.0

    def __call__(self, phase: str, rows_done: int) -> None:
        now = time.monotonic()
        if phase == "validating" and now - self.last < 0.25:
            return
        self.last = now
        fields: dict[str, Any] = {"phase": phase, "heartbeat_at": timezone.now()}
        if phase != "reading":
            fields["rows_done"] = min(rows_done, max(self.total, rows_done))
            fields["rows_total"] = max(self.total, rows_done)
        try:
            with transaction.atomic():  # a savepoint when called inside a transaction
                ImportRun.objects.filter(pk=self.run_id).update(**fields)
        except DatabaseError:  # progress is a courtesy: a busy database must not stop the import
            logger.info("Could not record progress of import run %s", self.run_id)


def run_execute(*, run_id: int, apply: bool) -> ImportRun:
    """Preview (apply=False) or apply a stored run. Used by the request for small files and by the task.
    A heartbeat thread records that the run is alive while it works (see `runs_fail_stale`)."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if apply and run.status != ImportRun.Status.QUEUED:
        return run  # someone else got there first
    if not run.stored_file:
        run.status, run.summary = ImportRun.Status.FAILED, "The uploaded file is no longer available."
        run.save(update_fields=["status", "summary", "updated_at"])
        return run
    path = Path(run.stored_file.path)
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, phase="reading", rows_done=0, started_at=now, heartbeat_at=now
    )
    progress = _progress_writer(run.pk, 0)

    def opened(table: Table) -> None:  # the one opening of the file also gives the progress bar its size
        total = max(0, table.rows_estimate - 1)
        progress.total = total
        ImportRun.objects.filter(pk=run.pk).update(rows_total=total)

    actor = run.user
    try:
        with Heartbeat(run.pk):
            scope_paths, _ = _scope_for(actor) if actor is not None else (None, None)
            year = SchoolYear.parse(run.school_year) if run.school_year else None
            # An apply starts from what its preview read, parsed and validated (kept next to the
            # upload); only when that is missing is the file read again.
            kept = parsed_load(run) if apply else None
            if kept is not None:
                progress.total = kept[0].rows_total
            outcome = import_file(
                path=path,
                name=run.file_name,
                kind=run.requested_kind or None,
                year=year,
                dry_run=not apply,
                actor=actor,
                scope_paths=scope_paths,
                progress=progress,
                run=run,
                on_open=opened,
                parsed=kept,
                on_parsed=None if apply else lambda outcome, parsed: parsed_keep(run, outcome, parsed),
            )
    except ApplicationError as exc:
        return _run_failed(run, exc.message)
    except Exception:
        logger.exception("Import run %s failed", run_id)
        if apply:  # the next apply reads the file again rather than trust what it started from
            parsed_drop(run)
        return _run_failed(
            run,
            "An unexpected problem stopped the import. The administrators have the details."
            + (" Applying it again completes what was written." if apply else " Nothing was written."),
        )
    run.refresh_from_db()
    return run_finish(run, outcome)


def _run_failed(run: ImportRun, message: str) -> ImportRun:
    run.refresh_from_db()
    run.status, run.summary, run.phase = ImportRun.Status.FAILED, message[:255], ""
    run.finished_at = timezone.now()
    run.save()
    return run


class Heartbeat:
    """While a run works, a thread stamps `heartbeat_at` every EDLEAD_IMPORT_HEARTBEAT_SECONDS (on its
    own database connection, outside the import's transactions). A worker killed with -9 stops
    stamping; `runs_fail_stale` then marks the run failed."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.every = float(getattr(settings, "EDLEAD_IMPORT_HEARTBEAT_SECONDS", 30))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"import-heartbeat-{run_id}", daemon=True)

    def _beat(self) -> None:
        from django.db import connections

        try:
            while not self._stop.wait(self.every):
                try:
                    ImportRun.objects.filter(pk=self.run_id).update(heartbeat_at=timezone.now())
                except DatabaseError:  # a busy database: try again next beat
                    logger.info("Could not record the heartbeat of import run %s", self.run_id)
        finally:
            connections.close_all()

    def __enter__(self) -> Heartbeat:
        if connection.vendor != "sqlite" or not connection.settings_dict["NAME"].startswith(
            ("file:", ":memory:")
        ):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=float(getattr(settings, "EDLEAD_IMPORT_STALE_MINUTES", 10)))


STALE_MESSAGE = (
    "The import stopped answering (its worker was stopped or crashed) and was marked failed. "
    "Apply it again to complete it; a preview can be uploaded again."
)


def runs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed the runs still running or queued whose last sign of life (heartbeat, else start or
    creation) is older than EDLEAD_IMPORT_STALE_MINUTES. An apply that stopped keeps its file and its
    clean preview, so it can be applied again (the plan compares with what is stored and writes the
    rest). Returns how many runs were marked."""
    cutoff = (now or timezone.now()) - stale_after()
    alive = Q(heartbeat_at__gte=cutoff) | Q(heartbeat_at__isnull=True, started_at__gte=cutoff)
    alive |= Q(heartbeat_at__isnull=True, started_at__isnull=True, updated_at__gte=cutoff)
    return (
        ImportRun.objects.filter(status__in=(ImportRun.Status.RUNNING, ImportRun.Status.QUEUED))
        .exclude(alive)
        .update(status=ImportRun.Status.FAILED, phase="", summary=STALE_MESSAGE, finished_at=timezone.now())
    )


def housekeeping() -> str:
    """What the housekeeping task does: expire stale previews' files, fail runs whose worker died."""
    files = run_delete_stale_files()
    runs = runs_fail_stale()
    return f"{files} stale upload(s) deleted, {runs} stopped run(s) marked failed"


def run_delete_stale_files(*, older_than: dt.timedelta | None = None) -> int:
    """Remove uploads of previews nobody applied (personal data should not linger), after
    EDLEAD_IMPORT_STALE_FILE_DAYS (7). Run by the housekeeping task (`edlead.imports.tasks`)."""
    if older_than is None:
        older_than = dt.timedelta(days=float(getattr(settings, "EDLEAD_IMPORT_STALE_FILE_DAYS", 7)))
    cutoff = timezone.now() - older_than
    count = 0
    for run in ImportRun.objects.filter(status__in=ImportRun.APPLICABLE, created_at__lt=cutoff).exclude(
        stored_file=""
    ):
        parsed_drop(run)
        run.stored_file.delete(save=False)
        run.stored_file = ""
        run.summary = "Preview expired: the uploaded file was removed."
        run.save(update_fields=["stored_file", "summary", "updated_at"])
        count += 1
    return count
