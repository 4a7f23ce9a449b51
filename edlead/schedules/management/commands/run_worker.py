"""`manage.py run_worker`: the background worker — django-tasks' db_worker, the recurring-job scheduler
beside it in a thread, and a heartbeat row every EDLEAD_WORKER_HEARTBEAT_SECONDS (read by /healthz)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from edlead.schedules import registry, scheduler, services


class Command(BaseCommand):
    help = "Run the task worker with the recurring-job scheduler and the worker heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only run tasks and write the heartbeat (extra workers; firing twice is harmless anyway).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of an empty queue."
        )
        parser.add_argument("--queue-name", default="default", help="Queues to process, comma-separated.")

    def handle(
        self, *args: Any, no_scheduler: bool, interval: float, queue_name: str, **options: Any
    ) -> None:
        worker = scheduler.worker_name()
        background = scheduler.build_scheduler(with_jobs=not no_scheduler, worker=worker)
        background.start()
        names = ", ".join(job.name for job in registry.jobs()) if not no_scheduler else "none"
        self.stdout.write(f"Worker {worker}: scheduled jobs: {names}")
        try:
            call_command(
                "db_worker",
                interval=interval,
                queue_name=queue_name,
                reload=False,
                verbosity=options.get("verbosity", 1),
            )
        finally:
            background.shutdown(wait=False)
            services.worker_stopped(worker=worker)
