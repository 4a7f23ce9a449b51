"""`manage.py seed_metrics`: ten years of invented performance figures for the demo organizations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from edlead.demo.metrics import FIRST_YEAR, LAST_YEAR, metrics_seed


class Command(BaseCommand):
    help = (
        "Write deterministic, invented performance figures (attendance, MCAS, graduation, retention; some "
        "by student group) for every demo school, with district and state means. Real organizations are "
        "never touched; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first", type=int, default=FIRST_YEAR, help="First school year (start year).")
        parser.add_argument("--last", type=int, default=LAST_YEAR, help="Last school year (start year).")

    def handle(self, *args: Any, first: int, last: int, **options: Any) -> None:
        created, updated, seconds = metrics_seed(first=first, last=last)
        self.stdout.write(f"seed_metrics: {created} facts written, {updated} updated, in {seconds:.1f} s.")
