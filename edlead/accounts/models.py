"""Invitations: how a person gets an EdLead account."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from edlead.access.models import RoleGrant
from edlead.core.models import TimeStampedModel


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now: dt.datetime | None = None) -> InvitationQuerySet:
        """Neither accepted nor revoked, and not yet expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Invitation(TimeStampedModel):
    """An invitation for `email` to take up `role` on `organization`, sent by `invited_by`.

    The link in the e-mail carries a random token; only its SHA-256 is stored, so a copy of the
    database opens no account. The link works once (`accepted_at`), until `expires_at`, and not after
    `revoked_at`. Resending issues a new token (the old link stops working) and a new expiry."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be accepted"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField()
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=32, choices=RoleGrant.Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the link's token.")
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        help_text="The account the invitation opened.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "role", "organization"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_role_and_org",
                violation_error_message="This address already has an open invitation for that role there.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} on {self.organization}"

    def status(self, now: dt.datetime | None = None) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status()).label)

    @property
    def is_pending(self) -> bool:
        return self.status() == self.Status.PENDING
