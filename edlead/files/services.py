"""The only writers of attachments: add (checked, stored under a random name, audited) and remove."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import models, transaction

from edlead.access import policy
from edlead.core.services import audit_record
from edlead.files import content
from edlead.files.models import Attachment

STORAGE_ALIAS = "attachments"
ADDED = "attachment_added"
REMOVED = "attachment_removed"
DOWNLOADED = "attachment_downloaded"
AUDIT_VERBS = {
    ADDED: "Attachment added",
    REMOVED: "Attachment removed",
    DOWNLOADED: "Restricted attachment downloaded",
}


def attachment_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attachment_add(
    *,
    owner: models.Model,
    file: File,
    actor: Any,
    view_action: str,
    restricted: bool = False,
    name: str | None = None,
) -> Attachment:
    """Store `file` as an attachment of `owner`, downloadable by whoever may do `view_action` to the
    owner. Refuses (ApplicationError, message for the user) a file whose content is not an allowed
    kind, does not match its extension, is empty or too large. `name` overrides `file.name`."""
    if not policy.is_action(view_action):
        raise ValueError(f"Unknown access action {view_action!r}")
    if owner.pk is None:
        raise ValueError("The owner must be saved first")
    clean = content.clean_name(name or file.name or "")
    size = file.size or 0
    kind = content.check(file, name=clean, size=size)
    sha256 = _sha256(file)
    storage = attachment_storage()
    stored_name = storage.save(f"{dt.date.today():%Y/%m}/{secrets.token_hex(16)}", file)
    try:
        attachment = Attachment(
            owner_type=ContentType.objects.get_for_model(owner),
            owner_id=owner.pk,
            view_action=view_action,
            name=clean,
            stored_name=stored_name,
            content_type=kind.mime,
            size=size,
            sha256=sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            restricted=restricted,
        )
        attachment.full_clean()
        attachment.save()
        audit_record(
            action=ADDED,
            actor=actor,
            target=owner,
            detail={
                "attachment": attachment.pk,
                "name": clean,
                "type": kind.mime,
                "size": size,
                "restricted": restricted,
            },
        )
    except BaseException:
        storage.delete(stored_name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: Any) -> None:
    """Delete the attachment; its bytes go once the transaction commits."""
    owner = attachment.owner
    audit_record(
        action=REMOVED,
        actor=actor,
        target=owner,
        target_label=str(owner) if owner is not None else attachment.name,
        detail={"attachment": attachment.pk, "name": attachment.name, "sha256": attachment.sha256},
    )
    stored_name = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: attachment_storage().delete(stored_name))


def attachment_downloaded(*, attachment: Attachment, actor: Any, request: Any = None) -> None:
    """The audit event of one download of a restricted file, about its owner."""
    audit_record(
        action=DOWNLOADED,
        actor=actor,
        target=attachment.owner,
        request=request,
        detail={"attachment": attachment.pk, "name": attachment.name},
    )
