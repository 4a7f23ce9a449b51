"""Sign-ins, failed and throttled sign-ins, and changes made in the admin site go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from edlead.core.models import AuditEvent
from edlead.core.services import audit_record, audit_scope_of


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditEvent.Action.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditEvent.Action.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit_sign_in_refused(action=AuditEvent.Action.SIGN_IN_FAILED, attempted=attempted, request=request)


def audit_sign_in_refused(*, action: str, attempted: str, request: Any) -> None:
    """A failed or throttled sign-in, scoped to the account it tried (so its district sees it)."""
    account = get_user_model().objects.filter(email__iexact=attempted).first() if attempted else None
    audit_record(
        action=action,
        target_label=attempted,
        request=request,
        detail={"attempted": attempted},
        scope=audit_scope_of(account),
    )


@receiver(post_save, sender=LogEntry)
def _on_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Changes made in the Django admin reach the audit log like every other change (the admin writes
    its own LogEntry; this mirrors it, with the record it was about)."""
    if not created:
        return
    target = None
    try:
        target = instance.get_edited_object()
    except Exception:  # noqa: BLE001 — a deleted object has nothing left to scope by
        target = None
    audit_record(
        action=AuditEvent.Action.ADMIN_CHANGE,
        actor=instance.user,
        target=target,
        target_label=instance.object_repr,
        detail={
            "model": str(instance.content_type) if instance.content_type_id else "",
            "object_id": instance.object_id or "",
            "change": {1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, ""),
            "message": instance.get_change_message()[:500],
        },
    )
