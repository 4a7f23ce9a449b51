"""The coordinator's forms: a program of the catalog, a session."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.learning.models import Competency, Program
from edlead.learning.services_manage import MAX_DAYS, manageable_organizations
from edlead.people.models import Position

INDICATOR = re.compile(r"^[IVX]+(-[A-Z])?$")


class ProgramForm(UswdsFormMixin, forms.ModelForm):
    offered_by = forms.ChoiceField(label="Offered by", help_text="The state's programs reach every district.")
    audience_roles = forms.MultipleChoiceField(
        required=False,
        label="For these roles",
        choices=Position.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every leader.",
    )
    career_stages = forms.MultipleChoiceField(
        required=False,
        label="Career stages",
        choices=Program.Stage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    competencies = forms.ModelMultipleChoiceField(
        required=False,
        label="Develops",
        queryset=Competency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.CharField(
        required=False,
        label="Evaluation indicators it targets",
        help_text="Codes of the rubric separated by commas, e.g. I-A, II-B (a standard alone: III).",
    )
    pdp_category = forms.ChoiceField(required=False, label="PDP category")

    class Meta:
        model = Program
        fields = [
            "title",
            "summary",
            "format",
            "provider",
            "pdp_hours",
            "cost",
            "capacity",
            "requires_approval",
            "completion_attendance",
            "requires_assessment",
            "active",
        ]
        labels = {
            "pdp_hours": "PDPs (clock hours)",
            "cost": "Cost ($)",
            "capacity": "Seats a session",
            "completion_attendance": "Attendance to complete (%)",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from edlead.credentials.services import known_categories

        self.fields["offered_by"].choices = manageable_organizations(user)  # type: ignore[attr-defined]
        self.fields["pdp_category"].choices = [("", "None")] + list(known_categories().items())  # type: ignore[attr-defined]
        program = self.instance
        if program.pk:
            self.initial.update(
                offered_by=str(program.organization_id or ""),
                audience_roles=program.audience_roles,
                career_stages=program.career_stages,
                competencies=list(program.competencies.all()),
                indicators=", ".join(program.indicator_codes),
                pdp_category=program.pdp_category,
            )
        # The model's own fields first, then the audience and targets, then the rest in Meta's order.
        order = [
            "title",
            "summary",
            "format",
            "provider",
            "offered_by",
            "audience_roles",
            "career_stages",
            "competencies",
            "indicators",
            "pdp_category",
        ]
        self.order_fields(order)

    def clean_indicators(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data.get("indicators", "").split(",") if c.strip()]
        bad = [c for c in codes if not INDICATOR.match(c)]
        if bad:
            raise forms.ValidationError(f"Not an indicator code: {', '.join(bad)} (write I-A, II-B or III).")
        return sorted(set(codes))

    def apply(self) -> Program:
        """The program with the form's values (not saved)."""
        program: Program = self.save(commit=False)
        d = self.cleaned_data
        program.organization_id = int(d["offered_by"]) if d["offered_by"] else None
        program.audience_roles = list(d["audience_roles"])
        program.career_stages = list(d["career_stages"])
        program.indicator_codes = d["indicators"]
        program.pdp_category = d["pdp_category"]
        return program


class SessionForm(UswdsFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label="Ends (the first day)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    days = forms.IntegerField(
        label="Days",
        min_value=1,
        max_value=MAX_DAYS,
        initial=1,
        help_text="Consecutive days, the same hours: one meeting each.",
    )
    place = forms.CharField(required=False, max_length=200)
    online_url = forms.URLField(required=False, label="Online link", assume_scheme="https")
    facilitators = forms.CharField(required=False, max_length=300)
    capacity = forms.IntegerField(
        required=False, min_value=1, max_value=10000, label="Seats", help_text="Empty: the program's seats."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "A session ends after it starts.")
        return data


class CancelForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(
        max_length=500, label="Why it is cancelled", help_text="Everyone registered reads it."
    )
