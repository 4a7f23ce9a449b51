"""Shared model bases and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Adds when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


_VERBS: dict[str, str] = {}


def audit_verbs_register(verbs: dict[str, str]) -> None:
    """Add audit verbs (code → label). Apps call this from their AppConfig.ready(); the action field
    keeps no choices in the database, so a new verb needs no migration of core."""
    for code, label in verbs.items():
        if len(code) > 40:
            raise ValueError(f"Audit verb {code!r} is longer than 40 characters")
        _VERBS[code] = str(label)


def audit_verbs() -> list[tuple[str, str]]:
    """Every registered verb, by label."""
    return sorted(_VERBS.items(), key=lambda item: item[1])


class AuditEvent(models.Model):
    """One thing that happened: a sign-in, a role change, a read of a sensitive record, an import.

    Append-only: rows are never updated or deleted by the application (`save` refuses updates and
    `delete` refuses outright), so the log can be trusted in a personnel dispute.

    `scope` lists the organization paths the event is *about* (`|/1/7/|/1/7/52/|`): the subject's
    organizations when it happened. A district's audit log shows the events whose scope lies in the
    district, whoever caused them — never events about other districts' records.
    """

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REVOKED = "role_revoked", "Role revoked"
        RECORD_VIEWED = "record_viewed", "Sensitive record viewed"
        ORG_CREATED = "org_created", "Organization created"
        ORG_CHANGED = "org_changed", "Organization changed"
        SUPERVISION_CHANGED = "supervision_changed", "Supervision changed"
        PERSON_CHANGED = "person_changed", "Person changed"
        POSITION_CHANGED = "position_changed", "Position changed"
        IMPORT_APPLIED = "import_applied", "Import applied"
        EXPORTED = "exported", "Data exported"
        SIGN_IN_THROTTLED = "sign_in_throttled", "Sign-in refused: too many attempts"
        ACCESS_CHANGED = "access_changed", "Access changed through a position"
        ADMIN_CHANGE = "admin_change", "Changed in the admin site"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        max_length=255, blank=True, help_text="Who acted, kept if the account goes."
    )
    action = models.CharField(max_length=40, db_index=True, help_text="A registered audit verb.")
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    subject_person_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The person whose record the event is about (their 'who has seen my record').",
    )
    scope = models.TextField(
        blank=True, default="", help_text="Organization paths the event is about, each behind a |."
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["subject_person_id", "-at"], name="audit_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit events are append-only")

    def get_action_display(self) -> str:
        return _VERBS.get(self.action, self.action.replace("_", " ").capitalize())


audit_verbs_register(dict(AuditEvent.Action.choices))
