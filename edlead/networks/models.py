"""Principal network meetings (issue 12, item 4): a network's (quadrant's) meetings with their agenda,
attendance, materials (the files app) and problems of practice, and the network's peer pairs.

A network is an `orgs.Organization` of kind NETWORK; its principals are the current principals of its
schools (`people.Position`), never a second list. Cross-district think tanks are the learning app's
cohorts (`learning.Cohort`), linked from the network page, not copied here."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q

from edlead.core.editing import VersionedModel
from edlead.core.models import TimeStampedModel


class Meeting(TimeStampedModel):
    """One meeting of a principal network: when, where, what about. Its organization is the network, so the
    access policy scopes it like any record of an organization."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The network."
    )
    title = models.CharField(max_length=200)
    meets_on = models.DateField("Date")
    starts_at = models.TimeField("Start time")
    place = models.CharField(max_length=200)
    scheduled_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-meets_on", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["organization", "meets_on"], name="network_meeting_org_date_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.meets_on:%-d %b %Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("networks:meeting-detail", args=[self.pk])

    def is_past(self, today: dt.date | None = None) -> bool:
        return self.meets_on <= (today or dt.date.today())


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order, with its time and who leads it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    starts_at = models.TimeField("Time")
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="How long, in minutes.")
    title = models.CharField(max_length=200)
    lead = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="network_agenda_order_once",
                violation_error_message="The agenda already has an item at this place.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Whether one of the network's principals came to a meeting, recorded after it."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["meeting_id", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="network_attendance_once",
                violation_error_message="This principal's attendance is already recorded.",
            )
        ]
        indexes = [models.Index(fields=["person", "status"], name="network_attendance_person_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} (meeting {self.meeting_id})"


class ProblemOfPractice(TimeStampedModel):
    """A principal's problem of practice brought to a meeting, worked through with a protocol."""

    class Protocol(models.TextChoices):
        CONSULTANCY = "consultancy", "Consultancy"
        TUNING = "tuning", "Tuning"
        DESCRIPTIVE_REVIEW = "descriptive_review", "Descriptive review"
        OTHER = "other", "Other protocol"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="problems")
    presenter = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(help_text="The focusing question the presenter brings.")
    protocol = models.CharField(max_length=20, choices=Protocol.choices)
    protocol_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting_id", "pk"]

    def __str__(self) -> str:
        return self.question[:60]


class PeerPair(TimeStampedModel):
    """Two principals of a network paired for a school year (peer mentoring). A principal is in at most
    one pair a year; the pair is stored with the lower person id first, so A–B and B–A are one pair."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The network."
    )
    school_year = models.PositiveSmallIntegerField(help_text="The year it starts in (2026 for 2026-27).")
    first = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-school_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=F("second")),
                name="network_pair_ordered",
                violation_error_message="A pair is two different principals.",
            ),
            models.UniqueConstraint(
                fields=["school_year", "first"],
                name="network_pair_first_once_a_year",
                violation_error_message="This principal is already in a pair this year.",
            ),
            models.UniqueConstraint(
                fields=["school_year", "second"],
                name="network_pair_second_once_a_year",
                violation_error_message="This principal is already in a pair this year.",
            ),
        ]

    def __str__(self) -> str:
        return f"Pair {self.first_id}–{self.second_id} ({self.school_year})"

    @property
    def year_label(self) -> str:
        return f"{self.school_year}-{(self.school_year + 1) % 100:02d}"


class NetworkReport(VersionedModel, TimeStampedModel):
    """A network's monthly (or annual) report, as generated on the platform's schedule: a snapshot of what
    the supervisor's home said about each school on the period's last day and what happened in the period
    (visits, plan progress, evaluations, support requests — `edlead.home.columns`), kept as it was, with
    the supervisor's narrative and when it was sent to the superintendent. One per network, kind and
    period; generating it again refreshes the figures and keeps the narrative."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "Monthly report"
        ANNUAL = "annual", "Annual report"

    network = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    author = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The supervisor whose view of the schools the figures are.",
    )
    content = models.JSONField(default=dict)
    generated_at = models.DateTimeField()
    narrative = models.TextField(blank=True, help_text="The supervisor's account of the period.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "kind", "period_start"], name="network_report_once"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="network_report_period_order",
                violation_error_message="A report's period ends after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.network}, {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.ANNUAL:
            return f"{self.period_start.year}-{(self.period_start.year + 1) % 100:02d}"
        return f"{self.period_start:%B %Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("networks:report", args=[self.pk])
