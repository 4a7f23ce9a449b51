"""`manage.py import PATH... [--kind KIND] [--year 2024-25] [--dry-run]`

Exit status: 0 when every file applied (rows that refer to unknown things are skipped and listed),
1 when a file was refused (nothing of it written), 2 for a usage mistake. The report goes to
standard output; its last line is `N created, N updated, N unchanged, N skipped`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from edlead.core.errors import ApplicationError
from edlead.imports import services
from edlead.imports.kinds import KINDS
from edlead.imports.kinds.base import Outcome
from edlead.lib.schoolyears import SchoolYear, SchoolYearError


class _DryRunRollback(Exception):
    """Raised to undo everything a multi-file dry run planned."""


class Command(BaseCommand):
    help = "Import CSV or XLSX files (or folders of them): DESE directories, staff positions."
    # The system checks cost half a second per run and check nothing an import depends on (`manage.py
    # check` and the test suite run them); a folder import is often scripted, run after every download.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="files or folders (folders are searched recursively)"
        )
        parser.add_argument(
            "--kind", choices=sorted(KINDS), help="the kind of every file (detected when omitted)"
        )
        parser.add_argument(
            "--year",
            help="the school year the files describe, e.g. 2024-25 (else from the file or folder name)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report without writing anything"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: SchoolYear | None = None
        if options.get("year"):
            try:
                year = SchoolYear.parse(options["year"])
            except SchoolYearError as exc:
                raise CommandError(str(exc), returncode=2) from exc
        kind = options.get("kind")
        try:
            files = services.collect_files(Path(p) for p in options["paths"])
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        ordered = services.order_files(files, kind=kind)
        dry_run = bool(options.get("dry_run"))
        outcomes: list[Outcome] = []
        self._shared: dict[str, Any] = {}  # lookups kept across the files (organizations, metrics by code)
        if dry_run:
            try:
                with transaction.atomic():
                    for path, _sniff in ordered:
                        outcomes.append(self._one(path, kind=kind, year=year, dry_run=True))
                    # Later files were checked against what earlier ones would have written; keep none of it.
                    raise _DryRunRollback
            except _DryRunRollback:
                pass
        else:
            for (
                path,
                _sniff,
            ) in ordered:  # each file commits on its own: a refused file does not stop the rest
                outcomes.append(self._one(path, kind=kind, year=year, dry_run=False))
        totals = [
            sum(getattr(o, f) for o in outcomes) for f in ("created", "updated", "unchanged", "skipped")
        ]
        refused = [o for o in outcomes if o.refused]
        if len(outcomes) > 1:
            self.stdout.write(
                f"{len(outcomes)} files: {len(outcomes) - len(refused)} {'checked' if dry_run else 'applied'}, {len(refused)} refused."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written. Counts say what importing would do.")
        self.stdout.write(
            f"{totals[0]} created, {totals[1]} updated, {totals[2]} unchanged, {totals[3]} skipped"
        )
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused; nothing of them was written.", returncode=1)

    def _one(self, path: Path, *, kind: str | None, year: SchoolYear | None, dry_run: bool) -> Outcome:
        file_year = year or services.school_year_for_path(path)
        run = None
        if not dry_run:
            root = self._shared.get("state_root_id")
            run = services.command_run_start(path=path, kind=kind, year=file_year, organization_id=root)
            self._shared.setdefault("state_root_id", run.organization_id)
        try:
            # Only the year given on the command line is passed: the kind reads the file's own year (a
            # title row) before falling back to the file or folder name.
            outcome = services.import_file(
                path=path, kind=kind, year=year, dry_run=False, run=run, shared=self._shared
            )
        except Exception as exc:  # a bug, not the user's file: report it without a traceback
            outcome = Outcome(file_name=path.name)
            outcome.error(
                None,
                None,
                f"An unexpected problem stopped this file ({type(exc).__name__}); nothing of it was written.",
            )
        if run is not None:
            services.run_finish(run, outcome)
        self._report(path, outcome, dry_run)
        return outcome

    def _report(self, path: Path, outcome: Outcome, dry_run: bool) -> None:
        out = self.stdout
        described = ", ".join(x for x in (outcome.kind_label, outcome.school_year) if x)
        out.write(f"== {path}" + (f" ({described})" if described else ""))
        if outcome.refused:
            out.write(f"REFUSED: {outcome.error_count} error(s); nothing of this file was written.")
            for issue in outcome.errors:
                out.write(f"  error: {issue}")
            if outcome.error_count > len(outcome.errors):
                out.write(f"  … and {outcome.error_count - len(outcome.errors)} more errors not listed.")
        else:
            verb = "Would apply" if dry_run else "Applied"
            out.write(f"{verb}: {outcome.counts_line()} ({outcome.rows_total} rows read).")
        for note in outcome.notes:
            out.write(f"  note: {note}")
        for issue in outcome.skips:
            out.write(f"  skipped: {issue}")
        if outcome.skipped > len(outcome.skips):
            out.write(f"  … and {outcome.skipped - len(outcome.skips)} more skipped rows not listed.")
