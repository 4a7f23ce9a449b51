"""One small form per setting: its value and the version it was drawn from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from edlead.config.registry import BOOL, CHOICE, DATE_OF_YEAR, INT, LIST, Definition
from edlead.core.forms import UswdsFormMixin


def _value_field(d: Definition, *, disabled: bool) -> forms.Field:
    common: dict[str, Any] = {"label": d.label, "help_text": d.help, "required": False, "disabled": disabled}
    if d.type == BOOL:
        return forms.BooleanField(**common)
    if d.type == CHOICE:
        return forms.ChoiceField(choices=d.choices, **common)
    if d.type == INT:
        attrs = {"inputmode": "numeric"}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if d.type == LIST and d.item != INT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if d.type == DATE_OF_YEAR:
        return forms.CharField(
            widget=forms.TextInput(attrs={"placeholder": "MM-DD", "maxlength": 5}), **common
        )
    return forms.CharField(**common)


class SettingForm(UswdsFormMixin, forms.Form):
    """The value of one setting. Prefixed by the setting's slug, so one page holds many; the version
    input has a fixed id (`<slug>-version`) that an autosave answer replaces out of band."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, definition: Definition, disabled: bool = False, **kwargs: Any) -> None:
        self.definition = definition
        self.base_fields = {"value": _value_field(definition, disabled=disabled), **self.base_fields}  # type: ignore[misc]
        super().__init__(*args, prefix=definition.slug, **kwargs)
        self.fields["version"].widget.attrs["id"] = f"{definition.slug}-version"
        self.fields["version"].widget.attrs["name"] = "version"

    def add_prefix(self, field_name: str) -> str:
        # The version travels as plain `version` (read by editing.expected_version); the value keeps
        # its prefix so labels and ids stay unique on the page.
        return "version" if field_name == "version" else super().add_prefix(field_name)

    def clean_value(self) -> Any:
        raw = self.cleaned_data.get("value")
        try:
            return self.definition.parse(raw)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc
