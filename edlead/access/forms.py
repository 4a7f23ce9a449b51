from __future__ import annotations

from typing import Any

from django import forms

from edlead.access.models import RoleGrant, User
from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization


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
