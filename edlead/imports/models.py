"""Import runs: one row per file imported, in the browser or on the command line."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from edlead.core.models import TimeStampedModel


class ImportRun(TimeStampedModel):
    """One file taken through read → validate → preview → apply, with its report.

    Browser uploads stop at `previewed` until someone presses "Apply import"; the uploaded file is
    kept under MEDIA_ROOT/imports until then and deleted once the run is applied or refused.
    `organization` scopes who sees the run (through the access policy): the node of the importer's
    broadest import grant, or the state agency for the command line and superusers.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        APPLIED = "applied", "Applied"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    class Phase(models.TextChoices):
        NONE = "", "—"
        READING = "reading", "Reading"
        VALIDATING = "validating", "Validating"
        WRITING = "writing", "Writing"

    class Origin(models.TextChoices):
        BROWSER = "browser", "Browser upload"
        COMMAND = "command", "Command line"

    FINISHED = (Status.PREVIEWED, Status.APPLIED, Status.REFUSED, Status.FAILED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    user_label = models.CharField(
        max_length=255, blank=True, help_text="Who ran it, kept if the account goes."
    )
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.BROWSER)
    file_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(default=0)
    stored_file = models.FileField(upload_to="imports/", max_length=255, blank=True)
    kind = models.CharField(max_length=40, blank=True)
    requested_kind = models.CharField(
        max_length=40, blank=True, help_text="Empty when detected automatically."
    )
    school_year = models.CharField(max_length=7, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=12, choices=Phase.choices, blank=True, default="")
    dry_run = models.BooleanField(default=True, help_text="Only a preview: nothing was written.")
    in_background = models.BooleanField(default=False)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from whoever runs it (request or worker)."
    )
    preview_ok = models.BooleanField(
        default=False, help_text="A preview found nothing to refuse: the run may be applied (again)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("imports:run-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    APPLICABLE = (Status.PREVIEWED, Status.FAILED)

    @property
    def can_apply(self) -> bool:
        """A clean preview not yet applied, or an apply that failed (a worker that died): apply again."""
        return self.status in self.APPLICABLE and self.dry_run and self.preview_ok and bool(self.stored_file)

    @property
    def counts_line(self) -> str:
        return (
            f"{self.created_count} created, {self.updated_count} updated, "
            f"{self.unchanged_count} unchanged, {self.skipped_count} skipped"
        )

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def kind_label(self) -> str:
        from edlead.imports.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.label if kind else (self.kind or "Not detected")


class OrgDirectoryYear(models.Model):
    """The school year of the newest directory file applied to an organization, so that importing an
    older directory after a newer one never overwrites newer names and addresses."""

    organization = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.start_year}"
