"""The inbox: one row per notice to a person, and each person's delivery choice per kind."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel
from edlead.notices.registry import DELIVERY_CHOICES, IMMEDIATE


def validate_local_link(value: str) -> None:
    """A notice links inside EdLead only (a path), so an e-mail or inbox never sends anyone elsewhere."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError("A notice's link is a path inside EdLead, starting with /.")


class Notice(TimeStampedModel):
    """Something EdLead tells one person: shown in their inbox, and e-mailed according to `delivery`
    (decided when the notice is created from the person's preference for its kind). `once_key` makes a
    notice unique per person, so a job that runs twice never tells anyone twice."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_local_link],
        help_text="A path inside EdLead, e.g. /people/12/.",
    )
    once_key = models.CharField(max_length=200, null=True, blank=True)
    delivery = models.CharField(max_length=12, choices=DELIVERY_CHOICES, default=IMMEDIATE)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its e-mail (immediate or digest) was handed to the mail server.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "read_at"], name="notice_person_read_idx"),
            models.Index(
                fields=["delivery", "emailed_at"],
                name="notice_unsent_idx",
                condition=Q(emailed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "once_key"],
                condition=Q(once_key__isnull=False),
                name="notice_once_per_person",
                violation_error_message="This person has already been sent this notice.",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NoticePreference(TimeStampedModel):
    """How one person wants one kind of notice delivered by e-mail (absent: the kind's default)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=12, choices=DELIVERY_CHOICES)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                name="notice_preference_once_per_kind",
                violation_error_message="This person already has a preference for that kind.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.delivery}"
