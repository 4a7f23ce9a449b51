"""Readers of attachments, through the access chokepoint: the owner's rule decides."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404

from edlead.access import policy
from edlead.files.models import Attachment


def attachments_for(user: Any, owner: models.Model) -> list[Attachment]:
    """The owner's attachments `user` may download (one query, plus the access check per action)."""
    if not owner_readable(user, owner):
        return []
    rows = list(Attachment.objects.for_owner(owner).select_related("uploaded_by"))
    allowed = {action: policy.can(user, action, owner) for action in {r.view_action for r in rows}}
    return [r for r in rows if allowed[r.view_action]]


def attachment_get_for_user(user: Any, pk: int) -> Attachment:
    """The attachment when `user` may do its `view_action` to its owner; 404 for missing and not-yours."""
    attachment = Attachment.objects.select_related("owner_type").filter(pk=pk).first()
    owner = attachment.owner if attachment is not None else None
    if attachment is None or owner is None or not policy.can(user, attachment.view_action, owner):
        raise Http404("No such file")
    if not owner_readable(user, owner):
        raise Http404("No such file")
    return attachment


def owner_readable(user: Any, owner: models.Model) -> bool:
    """The owner's kind may narrow who reads it beyond the action (`Attachable.owner_readable`)."""
    from edlead.files.registry import attachable_for

    rule = attachable_for(owner)
    if rule is None or rule.owner_readable is None:
        return True
    return rule.owner_readable(user, type(owner)._default_manager.filter(pk=owner.pk)).exists()
