"""Helpers for import tests: the real DESE files, a command-line runner, CSV/XLSX writers."""

from __future__ import annotations

import csv
import importlib
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

ImportCommand = importlib.import_module("edlead.imports.management.commands.import").Command

DATA = settings.BASE_DIR.parent / "shared" / "data" / "dese"
DISTRICT_2324 = DATA / "district" / "2023-24" / "PublicSchoolDistrict.csv"
DISTRICT_1718 = DATA / "district" / "2017-18" / "locations.csv"
SCHOOLS_1617 = DATA / "school" / "directory_2016-17.csv"
REAL_FILES = (DISTRICT_1718, DISTRICT_2324, SCHOOLS_1617)


def run_import(*args: Any) -> tuple[int, str, str]:
    """Run `manage.py import ARGS` in-process as the command line would: (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    command = ImportCommand(stdout=out, stderr=err)
    command._called_from_command_line = True
    parser = command.create_parser("manage.py", "import")
    try:
        options = vars(parser.parse_args([str(a) for a in args]))
        options["skip_checks"] = True
        positional = options.pop("args", ())
        command.execute(*positional, **options)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def last_line(text: str) -> str:
    return text.rstrip("\n").splitlines()[-1]


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def csv_to_xlsx(source: Path, target: Path) -> Path:
    """An XLSX copy of a CSV the way a spreadsheet would keep it: all-digit cells become numbers."""
    from openpyxl import Workbook

    with source.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    for row in rows:
        sheet.append([int(c) if c.isdigit() else c for c in row])
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target
