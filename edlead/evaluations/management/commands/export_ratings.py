"""`manage.py export_ratings --year 2025-26 --out FILE [--district CODE]`: final ratings, EPIMS-like CSV."""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edlead.evaluations import ratings
from edlead.imports.kinds.base import CellError
from edlead.lib.exports import neutralize


class Command(BaseCommand):
    help = "Write the final (signed) summative ratings of a school year as an EPIMS-like CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="The school year, e.g. 2025-26.")
        parser.add_argument("--out", required=True, help="The CSV file to write.")
        parser.add_argument("--district", default="", help="Only this district (its 8-digit code).")

    def handle(self, *args: Any, year: str, out: str, district: str, **options: Any) -> None:
        try:
            start = ratings.parse_year(year)
        except CellError as exc:
            raise CommandError(f"--year: {exc}") from exc
        try:
            cycles = ratings.cycles_in_district(start, district or None)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        count = 0
        with open(out, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(ratings.HEADER)
            for row in ratings.export_rows(cycles):
                writer.writerow([neutralize(v) for v in row])
                count += 1
        self.stdout.write(
            f"{count} final rating{'s' if count != 1 else ''} for {ratings.year_label(start)} written to {out}."
        )
