"""`manage.py load_licence_rules FILE.json`: a state's licence rules from a data file (no code change)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edlead.core.errors import ApplicationError
from edlead.credentials.services import rules_load_file


class Command(BaseCommand):
    help = "Load (or replace) one issuing state's licence renewal rules from a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            row = rules_load_file(path=options["file"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Loaded the licence rules of {row.name} ({row.state}).")
