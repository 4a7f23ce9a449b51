from __future__ import annotations

from typing import Any

from django import forms

from edlead.access.models import Relationship, RoleGrant, User
from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization
from edlead.people.models import Person


class RoleGrantForm(UswdsFormMixin, forms.Form):
    email = forms.EmailField(label="Account e-mail")
    role = forms.ChoiceField(choices=[("", "Choose a role"), *RoleGrant.Role.choices], label="Role")
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="On", empty_label="Choose an organization"
    )
    note = forms.CharField(max_length=255, required=False, label="Note")

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].lower()
        try:
            return User.objects.get(email=email)
        except User.DoesNotExist as exc:
            raise forms.ValidationError("No account has that e-mail address.") from exc


class RelationshipForm(UswdsFormMixin, forms.Form):
    """Record who is evaluator, coach or mentor of a person."""

    kind = forms.ChoiceField(
        label="Relationship",
        choices=[("", "Choose")] + [(k.value, k.label) for k in Relationship.PERSON_KINDS],
    )
    holder = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Who",
        empty_label="Choose a colleague",
        help_text="People with a current position in this person's district.",
    )
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty if open-ended.",
    )
    note = forms.CharField(max_length=255, required=False, label="Note")

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["holder"].label_from_instance = lambda p: p.display_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date is before the start date.")
        return data
