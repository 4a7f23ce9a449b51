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


class PlanForm(UswdsFormMixin, forms.Form):
    """A development plan's goals, dates and the licence it serves (the owner drafts it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    licence = forms.ModelChoiceField(
        queryset=Licence.objects.none(),
        required=False,
        empty_label="Not tied to one licence",
        help_text="The licence whose renewal this plan works towards.",
    )
    starts_on = forms.DateField(widget=DATE, label="Starts on")
    ends_on = forms.DateField(widget=DATE, label="Ends on", help_text="Usually the licence's renewal date.")
    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What you will learn and why: tie each goal to your evaluation goals or your school's plan.",
    )

    def __init__(self, *args: Any, person_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence"].queryset = (  # type: ignore[attr-defined]
            Licence.objects.current().filter(person_id=person_id).select_related("field")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "A plan ends after it starts.")
        return data


class PlannedActivityForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label="Activity")
    category = forms.ChoiceField(label="Renewal category")
    pdps = forms.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=500, label="PDPs")
    target_on = forms.DateField(widget=DATE, required=False, label="Done by")

    def __init__(self, *args: Any, categories: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories.items())  # type: ignore[attr-defined]


class PlanDecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("", "Choose…"), ("approve", "Approve the plan"), ("return", "Return it for changes")],
        label="Your decision",
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you return the plan: say what to change.",
    )
