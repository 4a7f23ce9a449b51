"""What a person types on the credential pages; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.credentials.models import CredentialType, Licence, PdpActivity

DATE = forms.DateInput(attrs={"type": "date"})


class LicenceForm(UswdsFormMixin, forms.Form):
    issuing_state = forms.CharField(
        max_length=2, initial="MA", help_text="The issuing state's two-letter code (MA, NH, NY…)."
    )
    field = forms.ModelChoiceField(queryset=CredentialType.objects.none(), label="Field")
    grade_level = forms.CharField(
        max_length=40,
        required=False,
        help_text="As on the licence, e.g. PreK-6 (empty when the field has one).",
    )
    stage = forms.ChoiceField(choices=Licence.Stage.choices)
    number = forms.CharField(max_length=40, required=False, label="Licence number")
    issued_on = forms.DateField(widget=DATE, label="Issued on")
    expires_on = forms.DateField(
        widget=DATE,
        required=False,
        label="Expires on",
        help_text="Empty: from the state's rules for the stage.",
    )
    valid_employment_years = forms.IntegerField(
        min_value=1, max_value=10, required=False, label="Or valid for years of employment"
    )
    status = forms.ChoiceField(choices=Licence.Status.choices, initial=Licence.Status.ACTIVE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = CredentialType.objects.filter(  # type: ignore[attr-defined]
            kind=CredentialType.Kind.FIELD
        )

    def clean_issuing_state(self) -> str:
        return str(self.cleaned_data["issuing_state"]).strip().upper()


class LicenceRenewForm(UswdsFormMixin, forms.Form):
    issued_on = forms.DateField(widget=DATE, label="Renewed on (new issue date)")
    expires_on = forms.DateField(
        widget=DATE,
        required=False,
        label="Expires on",
        help_text="Empty: from the state's rules for the stage.",
    )
    stage = forms.ChoiceField(
        choices=Licence.Stage.choices, help_text="A new stage when the licence advances."
    )
    note = forms.CharField(max_length=255, required=False)


class LicenceCorrectForm(LicenceForm):
    note = forms.CharField(max_length=255, required=False, help_text="What was wrong.")


class PdpActivityForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    provider = forms.CharField(max_length=200)
    topic = forms.CharField(
        max_length=200, required=False, help_text="Activities on one topic add up to the minimum per topic."
    )
    starts_on = forms.DateField(widget=DATE, label="Started on")
    ends_on = forms.DateField(widget=DATE, required=False, label="Ended on", help_text="Empty: the same day.")
    amount = forms.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    unit = forms.ChoiceField(choices=PdpActivity.Unit.choices)
    category = forms.ChoiceField(label="Category", help_text="For one category; or split it below.")
    split = forms.CharField(
        required=False,
        label="Split across categories",
        help_text="Instead of one category: one line per part, “code amount”, e.g. “content 6” and “pedagogy 4”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, categories: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories.items())  # type: ignore[attr-defined]
        self.categories = categories

    def clean_split(self) -> dict[str, str]:
        parts: dict[str, str] = {}
        for n, line in enumerate(str(self.cleaned_data.get("split") or "").splitlines(), start=1):
            if not line.strip():
                continue
            bits = line.replace(":", " ").split()
            if len(bits) != 2 or bits[0] not in self.categories:
                raise forms.ValidationError(
                    f"Line {n}: write a category code ({', '.join(self.categories)}) and an amount."
                )
            parts[bits[0]] = bits[1]
        return parts


class DecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Not accepted")])
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
