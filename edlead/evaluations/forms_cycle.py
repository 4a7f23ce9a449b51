"""Forms of the cycle pages: what a person types. Ratings grids are read straight from the post
(`ratings_from_post`), since their fields follow the cycle's rubric; every write goes to a service."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from edlead.core.forms import UswdsFormMixin
from edlead.evaluations.models import Cycle, Evidence, Goal, Indicator, PlanType
from edlead.people.models import Person

RATING_PREFIX = "rating-"
RATING_NOTE_PREFIX = "rating-note-"


def ratings_from_post(data: Any, codes: list[str]) -> dict[str, str | tuple[str, str]]:
    """code → level or (level, narrative) from the grid's radios `rating-<code>` (and notes)."""
    out: dict[str, str | tuple[str, str]] = {}
    for code in codes:
        level = (data.get(f"{RATING_PREFIX}{code}") or "").strip()
        note = (data.get(f"{RATING_NOTE_PREFIX}{code}") or "").strip()
        if level:
            out[code] = (level, note) if note else level
    return out


def reviews_from_post(data: Any, goal_ids: list[int], field: str) -> dict[int, dict[str, str]]:
    """goal id → {field: value, "text": …} from `<field>-<goal id>` and `<field>-text-<goal id>`."""
    out: dict[int, dict[str, str]] = {}
    for gid in goal_ids:
        value = (data.get(f"{field}-{gid}") or "").strip()
        text = (data.get(f"{field}-text-{gid}") or "").strip()
        if value or text:
            out[gid] = {field: value, "text": text}
    return out


class GoalForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["kind", *Goal.TEXT_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in Goal.TEXT_FIELDS if name != "title"}


class TeamJoinForm(UswdsFormMixin, forms.Form):
    team = forms.TypedChoiceField(label="Team goal", coerce=int)

    def __init__(self, *args: Any, teams: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Choose a team goal")] + list(teams or [])  # type: ignore[attr-defined]


class CommentForm(UswdsFormMixin, forms.Form):
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(UswdsFormMixin, forms.Form):
    plan_type = forms.ChoiceField(label="Plan type", choices=PlanType.choices)
    starts_on = forms.DateField(
        label="Starts on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label="Ends on",
        required=False,
        help_text="Leave empty for the plan type's usual length.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EvidenceForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Evidence.Kind.choices)
    title = forms.CharField(label="Title", max_length=200, required=False)
    category = forms.TypedChoiceField(label="Category", choices=Evidence.Category.choices, coerce=int)
    staff_feedback = forms.BooleanField(
        label="This is staff feedback", required=False, help_text="Category 3 only."
    )
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    text = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="File", required=False, help_text="Up to 20 MB; its type is checked.")
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators", queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args: Any, indicators: QuerySet[Indicator] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicators is not None:
            field = self.fields["indicators"]
            field.queryset = indicators  # type: ignore[attr-defined]
            field.label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[attr-defined]


class ReasonForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(UswdsFormMixin, forms.Form):
    response = forms.CharField(
        label="Your written response (optional)",
        required=False,
        help_text="Signing acknowledges that you received the evaluation, not that you agree.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class OpenCycleForm(UswdsFormMixin, forms.Form):
    educator = PersonChoiceField(label="Educator", queryset=Person.objects.none())
    school_year = forms.IntegerField(
        label="School year starts in", min_value=2000, max_value=2100, help_text="2026 for 2026-27."
    )
    evaluator = PersonChoiceField(
        label="Evaluator",
        queryset=Person.objects.none(),
        required=False,
        help_text="Leave empty to choose later (supervision proposes one on the cycle page).",
    )
    reason = forms.CharField(label="Reason for the evaluator", required=False, max_length=255)

    def __init__(self, *args: Any, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["educator"].queryset = people  # type: ignore[attr-defined]
            self.fields["evaluator"].queryset = people  # type: ignore[attr-defined]


class EvaluatorForm(UswdsFormMixin, forms.Form):
    evaluator = PersonChoiceField(label="Evaluator", queryset=Person.objects.none())
    reason = forms.CharField(label="Reason", max_length=255)

    def __init__(self, *args: Any, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["evaluator"].queryset = people  # type: ignore[attr-defined]


class CycleFilterForm(UswdsFormMixin, forms.Form):
    """Drawn like every other form."""


class CycleFilterSet(django_filters.FilterSet):
    step = django_filters.ChoiceFilter(choices=Cycle.Step.choices, label="Step", empty_label="All steps")
    school_year = django_filters.NumberFilter(label="School year starts in")

    class Meta:
        model = Cycle
        fields: list[str] = []
        form = CycleFilterForm
