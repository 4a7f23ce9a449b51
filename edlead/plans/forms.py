"""The forms of school improvement plans: what people type; the services check the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from edlead.core.forms import UswdsFormMixin
from edlead.metrics.models import Metric, StudentGroup
from edlead.plans.models import ActionStep, Benchmark, Plan, ProgressUpdate

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def year_choices(first: int, last: int) -> list[tuple[int, str]]:
    return [(y, f"{y}-{(y + 1) % 100:02d}") for y in range(first, last + 1)]


def current_school_year(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


class PlanStartForm(UswdsFormMixin, forms.Form):
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, empty_label=None)  # type: ignore[arg-type]
    first_year = forms.TypedChoiceField(coerce=int, label="First school year")
    last_year = forms.TypedChoiceField(coerce=int, label="Last school year", help_text="Up to five years.")

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from edlead.orgs.models import Organization

        self.fields["school"].queryset = Organization.objects.filter(pk__in=[s.pk for s in schools])  # type: ignore[attr-defined]
        now = current_school_year()
        choices = year_choices(now - 1, now + 5)
        self.fields["first_year"].choices = choices  # type: ignore[attr-defined]
        self.fields["last_year"].choices = choices  # type: ignore[attr-defined]


class PlanForm(UswdsFormMixin, forms.Form):
    """The plan's own fields (autosaved)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10000,
        help_text="Where the school stands and what the plan sets out to change.",
    )
    first_year = forms.TypedChoiceField(coerce=int, label="First school year")
    last_year = forms.TypedChoiceField(coerce=int, label="Last school year")

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = year_choices(min(plan.first_year, current_school_year() - 1), plan.first_year + 6)
        self.fields["first_year"].choices = choices  # type: ignore[attr-defined]
        self.fields["last_year"].choices = choices  # type: ignore[attr-defined]


def _metric_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Metrics grouped by category, for a select with option groups."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, name, category in Metric.objects.order_by("category", "sort_order", "name").values_list(
        "pk", "name", "category"
    ):
        groups.setdefault(category or "Other", []).append((pk, name))
    return list(groups.items())


class GoalForm(UswdsFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What will be different, for whom, by when.",
    )
    objective = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="District objective it serves"
    )
    metric = forms.TypedChoiceField(coerce=int, label="Measured by")
    group = forms.ModelChoiceField(
        queryset=StudentGroup.objects.order_by("sort_order", "name"), label="Student group", empty_label=None
    )
    school_year = forms.TypedChoiceField(coerce=int, label="Target school year")
    period = forms.CharField(
        max_length=16,
        required=False,
        label="Period",
        help_text="Leave empty for the whole year's figure; a month (2027-01) for in-year monitoring.",
    )
    baseline = forms.CharField(max_length=20, required=False, help_text="Where the school is now.")
    target = forms.CharField(max_length=20, help_text="The figure that will show the goal is met.")
    programs: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        label="Professional learning that supports it",
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args: Any, plan: Plan, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from edlead.plans.services import objectives_of

        objectives = objectives_of(plan)
        self.fields["objective"].choices = [("", "None of them")] + [(o.pk, str(o)) for o in objectives]  # type: ignore[attr-defined]
        if not objectives:
            self.fields["objective"].widget = forms.HiddenInput()
        self.fields["metric"].choices = [("", "Choose a metric")] + _metric_choices()  # type: ignore[attr-defined]
        self.fields["school_year"].choices = year_choices(plan.first_year, plan.last_year)  # type: ignore[attr-defined]
        self.fields["programs"].queryset = programs  # type: ignore[attr-defined]
        self.initial.setdefault("school_year", plan.last_year)
        self.initial.setdefault(
            "group", StudentGroup.objects.filter(code="all").values_list("pk", flat=True).first()
        )


class StrategyForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(label="Strategy", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class StepForm(UswdsFormMixin, forms.Form):
    description = forms.CharField(label="Action step", max_length=300)
    owner = forms.TypedChoiceField(coerce=int, label="Owner")
    due_on = forms.DateField(widget=DATE, label="Due")

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose")] + owners  # type: ignore[attr-defined]


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStep.Status.choices)


class BenchmarkForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=Benchmark.Kind.choices,
        widget=forms.RadioSelect,
        help_text="Process: something done by a date. Outcome: the goal's figure at a point of the year.",
    )
    description = forms.CharField(max_length=300)
    due_on = forms.DateField(widget=DATE, label="By")
    target = forms.CharField(
        max_length=20, required=False, help_text="Outcome benchmarks: the figure expected by then."
    )


class TeamForm(UswdsFormMixin, forms.Form):
    person = forms.TypedChoiceField(coerce=int, label="Person")
    role = forms.CharField(
        max_length=80, initial="Member", help_text="Chair, teacher representative, parent…"
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose")] + people  # type: ignore[attr-defined]


class CommentsForm(UswdsFormMixin, forms.Form):
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False, label="Comments"
    )


class ProgressForm(UswdsFormMixin, forms.Form):
    status = forms.ChoiceField(choices=ProgressUpdate.Status.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
