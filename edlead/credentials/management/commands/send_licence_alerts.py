"""`manage.py send_licence_alerts [--date YYYY-MM-DD]`: what the nightly job does, now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edlead.credentials.alerts import licence_alerts_send


class Command(BaseCommand):
    help = "Notify people and HR of licences expiring within 180/90/30 days and renewals short of PDPs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not a date like 2026-12-02.") from exc
        sent = licence_alerts_send(today=day)
        self.stdout.write(f"sent {sent} notices")
