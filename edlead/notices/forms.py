"""The preferences form: one delivery choice per registered kind."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.notices.registry import DELIVERY_CHOICES, NoticeKind


class NoticePreferenceForm(UswdsFormMixin, forms.Form):
    """One field per kind (named by its key); the kinds are known only once every app is ready."""

    def __init__(self, *args: Any, kinds: list[NoticeKind], current: dict[str, str], **kwargs: Any) -> None:
        fields: dict[str, forms.Field] = {
            k.key: forms.ChoiceField(label=k.label, choices=DELIVERY_CHOICES, initial=current.get(k.key))
            for k in kinds
        }
        self.base_fields = fields  # type: ignore[misc]  # per instance: kinds are registered at start-up
        super().__init__(*args, **kwargs)
