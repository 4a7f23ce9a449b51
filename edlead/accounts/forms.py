"""Forms people type in: an invitation, an invitation for a selection, choosing a password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from edlead.access.models import RoleGrant
from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization
from edlead.people.models import Person

ROLE_CHOICES = [("", "Choose a role"), *RoleGrant.Role.choices]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sort_name}{f' ({obj.email})' if obj.email else ''}"


class InvitationForm(UswdsFormMixin, forms.Form):
    """One person from the directory, or a new e-mail address."""

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Person",
        empty_label="Someone not in the directory (enter an e-mail address)",
        help_text="People you may edit. Their EdLead e-mail address is used unless you enter another.",
    )
    email = forms.EmailField(required=False, label="E-mail address")
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Organization", empty_label="Choose an organization"
    )

    def __init__(self, *args: Any, people: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, email = data.get("person"), data.get("email")
        if not person and not email:
            self.add_error("email", "Choose a person or enter an e-mail address.")
        elif person and not email and not person.email:
            self.add_error("email", f"{person.display_name} has no e-mail address in EdLead: enter one.")
        return data


class InvitationSelectionForm(UswdsFormMixin, forms.Form):
    """Several people chosen on the people list: one role, on one organization or on each person's
    current organization."""

    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.MultipleHiddenInput, label="People"
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Organization",
        empty_label="Each person's current school or office",
    )

    def __init__(self, *args: Any, people: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class AcceptInvitationForm(UswdsFormMixin, forms.Form):
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validation.password_validators_help_texts()),
    )
    password2 = forms.CharField(
        label="Password (again)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            from edlead.access.models import User

            try:
                password_validation.validate_password(first, User(email=self.email))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
