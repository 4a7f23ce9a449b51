"""Recurring jobs declared by each app, run by the worker on a cron schedule."""

from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "edlead.schedules"
    label = "schedules"

    def ready(self) -> None:
        from edlead.core.models import audit_verbs_register

        audit_verbs_register({"job_run_now": "Recurring job run by hand"})
