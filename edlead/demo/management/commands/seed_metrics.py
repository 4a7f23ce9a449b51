"""`manage.py seed_metrics`: ten years of invented performance figures for the demo organizations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from edlead.demo.metrics import FIRST_YEAR, LAST_YEAR, metrics_seed


class Command(BaseCommand):
    help = (
        "Write deterministic, invented performance figures (attendance, MCAS, graduation, retention; some "
        "by student group) for every demo school that fit its grades, with district means, and in-year "
        "attendance month by month for the demo districts' schools. The demo's own state means go on a "
        "demo-only organization (99000000), labelled invented; the real state root and every real "
        "organization are never touched. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first", type=int, default=FIRST_YEAR, help="First school year (start year).")
        parser.add_argument("--last", type=int, default=LAST_YEAR, help="Last school year (start year).")

    def handle(self, *args: Any, first: int, last: int, **options: Any) -> None:
        created, updated, seconds = metrics_seed(first=first, last=last)
        self.stdout.write(f"seed_metrics: {created} facts written, {updated} updated, in {seconds:.1f} s.")
