"""Forms of the pipeline pages. The services check everything again (a form is not the rule)."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.pipeline.models import (
    STANDARDS,
    Demographics,
    LeadershipProject,
    PrepProgram,
    ReadinessNote,
    SuccessionCandidate,
)

INTERESTS = [
    ("Elementary principal", "Elementary principal"),
    ("Middle school principal", "Middle school principal"),
    ("High school principal", "High school principal"),
    ("Assistant principal", "Assistant principal"),
    ("Teacher leader", "Teacher leader"),
    ("District leadership", "District leadership"),
]


class JoinForm(UswdsFormMixin, forms.Form):
    interests = forms.MultipleChoiceField(
        label="The posts you want to prepare for",
        choices=INTERESTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    goal = forms.CharField(
        label="Your goal, in your words (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StageForm(UswdsFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Stage", choices=[])
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from edlead.pipeline.models import PoolEntry

        super().__init__(*args, **kwargs)
        field: Any = self.fields["stage"]
        field.choices = PoolEntry.Stage.choices


class ReadinessForm(UswdsFormMixin, forms.Form):
    readiness = forms.ChoiceField(label="Readiness", choices=ReadinessNote.Readiness.choices)
    text = forms.CharField(
        label="Evidence: what you have seen them lead",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DemographicsForm(UswdsFormMixin, forms.Form):
    race = forms.ChoiceField(label="Race / ethnicity", choices=Demographics.Race.choices, required=False)
    gender = forms.ChoiceField(label="Gender", choices=Demographics.Gender.choices, required=False)
    first_generation = forms.TypedChoiceField(
        label="First in your family to finish college?",
        choices=[("", "Prefer not to say"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )


class HoursForm(UswdsFormMixin, forms.Form):
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))
    standard = forms.ChoiceField(label="Leadership standard", choices=[("", "Choose a standard"), *STANDARDS])
    activity = forms.CharField(
        label="Activity", max_length=300, help_text="What you led or did, e.g. ran the grade 5 data meeting."
    )


class ProjectForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(label="Project title", max_length=200)
    description = forms.CharField(
        label="What it sets out to change",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_goal = forms.TypedChoiceField(
        label="School improvement plan goal", coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label="Status", choices=LeadershipProject.Status.choices)
    results = forms.CharField(
        label="Results so far (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["plan_goal"]
        field.choices = [("", "None of them")] + [
            (g.pk, f"{g.plan.title}: {g.statement[:90]}") for g in goals
        ]


class ApplyForm(UswdsFormMixin, forms.Form):
    statement = forms.CharField(
        label="Why you, for this school (optional)",
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class SuccessorForm(UswdsFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Successor", coerce=int)
    readiness = forms.ChoiceField(label="Ready", choices=SuccessionCandidate.Readiness.choices)
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.choices = [("", "Choose a person"), *people]


class MoveForm(UswdsFormMixin, forms.Form):
    move = forms.ChoiceField(
        label="Next step",
        choices=[
            ("interview", "Invite to interview"),
            ("offer", "Make an offer"),
            ("hire", "Hired"),
            ("decline", "Not selected"),
        ],
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class EnrollForm(UswdsFormMixin, forms.Form):
    program = forms.TypedChoiceField(label="Preparation program", coerce=int)
    cohort_year = forms.IntegerField(
        label="Cohort (the school year it starts, e.g. 2026 for 2026-27)", min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, programs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["program"]
        field.choices = [("", "Choose a program"), *((p.pk, f"{p.name} ({p.partner})") for p in programs)]


class PlacementForm(UswdsFormMixin, forms.Form):
    candidacy = forms.TypedChoiceField(label="Preparation program", coerce=int)
    school = forms.TypedChoiceField(label="Host school", coerce=int)
    mentor = forms.TypedChoiceField(label="Mentor principal", coerce=int)
    supervisor = forms.TypedChoiceField(label="Program supervisor", coerce=int)
    starts_on = forms.DateField(label="Starts", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ends", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        *args: Any,
        candidacies: list[Any],
        schools: list[Any],
        mentors: list[tuple[int, str]],
        supervisors: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, str]]] = {
            "candidacy": [(c.pk, f"{c.program.name}, cohort {c.cohort_year}") for c in candidacies],
            "school": [(s.pk, s.name) for s in schools],
            "mentor": mentors,
            "supervisor": supervisors,
        }
        for name, options in choices.items():
            field: Any = self.fields[name]
            field.choices = [("", "Choose"), *options]


class PrepProgramForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(label="Program", max_length=200)
    partner = forms.CharField(label="Partner (university or organization)", max_length=200)
    provider = forms.ChoiceField(label="Kind of partner", choices=PrepProgram.Provider.choices)
    required_hours = forms.IntegerField(
        label="Practicum hours required", min_value=1, max_value=5000, initial=500
    )
    offered_by = forms.ChoiceField(label="Offered to")
    active = forms.BooleanField(label="Taking candidates", required=False, initial=True)

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["offered_by"]
        field.choices = places
