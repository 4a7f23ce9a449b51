"""Forms of the framework pages: what a person types; files go through the services and import kinds."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.evaluations.models import PerformanceLevel
from edlead.orgs.models import Organization

STATE_CHOICE = "state"


def owner_choices(targets: list[Organization | None]) -> list[tuple[str, str]]:
    return [
        (STATE_CHOICE, "The state (offered to every district)") if t is None else (str(t.pk), t.name)
        for t in targets
    ]


def owner_from(value: str, targets: list[Organization | None]) -> Organization | None:
    for target in targets:
        if (target is None and value == STATE_CHOICE) or (target is not None and value == str(target.pk)):
            return target
    raise forms.ValidationError("Choose where the framework belongs.")


class OwnerForm(UswdsFormMixin, forms.Form):
    owner = forms.ChoiceField(label="Belongs to")

    def __init__(self, *args: Any, targets: list[Organization | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.fields["owner"].choices = owner_choices(targets)  # type: ignore[attr-defined]

    def clean_owner(self) -> Organization | None:
        return owner_from(self.cleaned_data["owner"], self.targets)


class FrameworkCopyForm(OwnerForm):
    name = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to keep the framework's name."
    )
    version = forms.CharField(
        max_length=40, required=False, help_text="Leave empty to keep its version label."
    )


class FrameworkImportForm(OwnerForm):
    file = forms.FileField(
        label="Framework file", help_text="A JSON or CSV file as the framework pages export them."
    )


class FrameworkDetailsForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(max_length=200)
    version = forms.CharField(max_length=40)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StandardForm(UswdsFormMixin, forms.Form):
    code = forms.CharField(max_length=10, help_text="I, II, III…")
    name = forms.CharField(max_length=200)
    required_for_proficient = forms.BooleanField(
        required=False, label="Proficient here is needed to be Proficient overall"
    )


class PartForm(UswdsFormMixin, forms.Form):
    """An indicator or an element: a code (when added) and a name."""

    code = forms.CharField(max_length=30)
    name = forms.CharField(max_length=200)


class ElementForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in PerformanceLevel.ordered():
            self.fields[f"level_{level}"] = forms.CharField(
                label=level.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
            )

    def descriptors(self) -> dict[str, str]:
        return {str(level): self.cleaned_data[f"level_{level}"] for level in PerformanceLevel.ordered()}
