"""Recurring jobs declared by each app, run by the worker on a cron schedule."""

from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "edlead.schedules"
    label = "schedules"

    def ready(self) -> None:
        from edlead.core import navigation
        from edlead.schedules.selectors import may_manage_jobs

        navigation.register_admin_link("Scheduled jobs", "schedules:job-list", may_manage_jobs, order=50)
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_of, audit_scope_register

        audit_verbs_register({"job_run_now": "Recurring job run by hand"})
        # Jobs belong to no organization: a run started by hand concerns the organizations of whoever
        # started it, so it shows in their district's audit log.
        audit_scope_register("schedules.jobrun", lambda run: audit_scope_of(run.triggered_by))
        from edlead import schedules
        from edlead.schedules.tasks import job_runs_sweep_task

        schedules.register(
            "schedules.abandoned_runs",
            cron="*/15 * * * *",
            task=job_runs_sweep_task,
            description="Marks failed the job runs whose worker stopped mid-job (EDLEAD_JOB_STALE_MINUTES).",
        )
