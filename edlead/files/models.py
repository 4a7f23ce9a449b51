"""The one attachment store: evidence, certificates, plans and reports, each owned by a record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from edlead.core.models import TimeStampedModel


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def for_owner(self, owner: models.Model) -> AttachmentQuerySet:
        return self.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)


class Attachment(TimeStampedModel):
    """A file attached to a record (its *owner*, any model). Whoever may do `view_action` to the owner
    (asked of `edlead.access.policy.can`) may download it; nobody else learns it exists.

    The bytes live in the `attachments` storage under a random `stored_name`; `name` is the cleaned
    name the uploader gave, used only for display and as the download's file name. `content_type` was
    decided from the bytes (never from the browser). A `restricted` file's every download is audited
    against its owner."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    view_action = models.CharField(
        max_length=60, help_text="The access action on the owner that lets a user download this file."
    )
    name = models.CharField(max_length=130, help_text="The uploaded file's name, cleaned.")
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restricted = models.BooleanField(
        default=False, help_text="Every download is recorded in the audit log of the owner."
    )

    objects: Any = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("files:download", args=[self.pk])
