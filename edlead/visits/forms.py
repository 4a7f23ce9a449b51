"""The forms of school visits: what people type; the services check the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from edlead.core.forms import UswdsFormMixin
from edlead.visits.models import Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VisitForm(UswdsFormMixin, forms.Form):
    """Schedule a visit (a date to come) or record one that happened."""

    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, empty_label=None)  # type: ignore[arg-type]
    purpose = forms.ChoiceField(choices=Visit.Purpose.choices)
    date = forms.DateField(widget=DATE, help_text="A date still to come schedules the visit.")
    start_time = forms.TimeField(widget=TIME, required=False, label="Start time")
    length_minutes = forms.IntegerField(
        min_value=5,
        max_value=720,
        initial=60,
        label="Length (minutes)",
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    with_principal = forms.BooleanField(
        required=False,
        initial=True,
        label="A visit with the principal (the principal gets the feedback)",
    )
    announced = forms.BooleanField(
        required=False, initial=True, label="Announced (the principal sees it on their calendar)"
    )
    evaluative = forms.BooleanField(
        required=False,
        label="Evaluative: evidence for the principal's evaluation, which you conduct",
        help_text="Only for a visit with the principal, in an evaluation you are the evaluator of.",
    )

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from edlead.orgs.models import Organization

        self.fields["school"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in schools]
        ).order_by("name")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate() + dt.timedelta(days=7))


class NotesForm(UswdsFormMixin, forms.Form):
    """The visitor's notes and feedback, and the district's look-fors (autosaved)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20000,
        help_text="Yours alone until you release the feedback.",
    )
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
        help_text="What the principal reads once you release it.",
    )

    def __init__(self, *args: Any, look_fors: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.look_for_names: list[tuple[str, str]] = []
        for n, text in enumerate(look_fors, start=1):
            name = f"lf_{n}"
            self.fields[name] = forms.ChoiceField(
                choices=[("", "Not looked at"), *Visit.LookFor.choices],
                required=False,
                label=text,
                widget=forms.Select(attrs={"class": "usa-select"}),
            )
            self.look_for_names.append((name, text))

    def look_for_fields(self) -> list[Any]:
        return [self[name] for name, _text in self.look_for_names]

    def look_fors(self) -> dict[str, str]:
        return {text: self.cleaned_data.get(name) or "" for name, text in self.look_for_names}


class TagsForm(UswdsFormMixin, forms.Form):
    goals: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Goals of the school's plan",
    )
    indicators: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Indicators of the evaluation's rubric",
    )

    def __init__(self, *args: Any, goals: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("goals", "indicators"):
            self.fields[name].widget.attrs["class"] = "usa-checkbox__input"  # not the mixin's text-box class
        self.fields["goals"].queryset = goals  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["goals"].label_from_instance = lambda g: g.statement  # type: ignore[attr-defined]
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[attr-defined]


class NextStepForm(UswdsFormMixin, forms.Form):
    description = forms.CharField(max_length=500, label="Next step")
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="Who")  # type: ignore[arg-type]
    due_on = forms.DateField(widget=DATE, label="By when")

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
