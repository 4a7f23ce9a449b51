"""`manage.py seed_demo --scale demo|state [--if-empty] [--print-logins]`: deterministic demo data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edlead.demo import services


class Command(BaseCommand):
    help = (
        "Write deterministic, invented demo data under org codes beginning 99 (demo) or 9 (state): "
        "`demo` is an urban district of 48 schools in four quadrants plus two small districts; `state` adds "
        "about 400 districts, 1,850 schools, 12,000 leaders and 60,000 educators for benchmarks. "
        "Parts already present are skipped, so running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["demo", "state"], default="demo")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds any organization besides the state agency.",
        )
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Print `user: EMAIL  password: PASSWORD` for each persona.",
        )

    def handle(self, *args: Any, scale: str, if_empty: bool, print_logins: bool, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "seed_demo refuses to run with DJANGO_PRODUCTION=1: it creates demo accounts that share a "
                "published password. Run it only on a development or demonstration server."
            )
        if if_empty and services.database_has_organizations():
            self.stdout.write("The database already holds organizations: no demo data written (--if-empty).")
        else:
            report = services.demo_seed(scale="state" if scale == "state" else "demo")
            for line in report.lines:
                self.stdout.write(line)
            self.stdout.write(f"seed_demo --scale {scale} finished in {report.seconds:.1f} s.")
        if print_logins:
            lines = services.login_lines()
            if not lines:
                self.stdout.write("No demo accounts in this database.")
            for line in lines:
                self.stdout.write(line)
