"""Each firing of a recurring job, and the worker's heartbeat."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobRun(models.Model):
    """One firing of a registered job. Unique per (job, scheduled_for): when two workers' schedulers
    fire the same job for the same minute, the second insert fails and only one runs it."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100)
    scheduled_for = models.DateTimeField()
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.QUEUED)
    message = models.TextField(blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who pressed “Run now” (empty: the schedule).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["job", "-scheduled_for"], name="jobrun_job_recent_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "scheduled_for"],
                name="jobrun_once_per_firing",
                violation_error_message="This job has already fired for that time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.scheduled_for:%Y-%m-%d %H:%M}: {self.outcome}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one worker process (`manage.py run_worker`); /healthz reads the newest."""

    worker = models.CharField(max_length=200, unique=True, help_text="host:pid")
    started = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
