"""Values of declared settings, per organization (a district, or the state root)."""

from __future__ import annotations

from django.db import models

from edlead.core.editing import VersionedModel


class SettingValue(VersionedModel):
    """One organization's value for one declared setting (`edlead.config.registry`).

    A reset to the inherited value keeps the row (`overridden=False`) and its version going up, so a
    page drawn before the reset still meets a conflict instead of quietly writing over it."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="setting_values"
    )
    key = models.CharField(max_length=100)
    value = models.JSONField(null=True, blank=True)
    overridden = models.BooleanField(
        default=True, help_text="False after a reset: the organization inherits the value again."
    )

    class Meta:
        ordering = ["organization", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"],
                name="setting_value_once_per_org",
                violation_error_message="An organization has one value per setting.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.organization_id}"
