"""Forms of the teacher-leadership pages. The services check everything again (a form is not the rule)."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.people.models import Person
from edlead.teacherleaders import dimensions
from edlead.teacherleaders.models import (
    BodyDecision,
    BodyMember,
    LeadershipRating,
    PlanAction,
    TeacherLeaderRole,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _people_choices(people: list[Person], blank: str) -> list[tuple[Any, str]]:
    return [("", blank), *((p.pk, p.display_name) for p in people)]


class RoleForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    kind = forms.ChoiceField(label="Kind of role", choices=TeacherLeaderRole.Kind.choices)
    responsibilities = forms.CharField(label="Responsibilities", widget=forms.Textarea(attrs={"rows": 4}))
    selection_criteria = forms.CharField(
        label="Selection criteria", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    stipend = forms.DecimalField(
        label="Stipend (dollars a year)", required=False, min_value=0, max_digits=8, decimal_places=2
    )
    term_years = forms.IntegerField(label="Term (years)", min_value=1, max_value=6, initial=2)
    is_active = forms.BooleanField(label="Offered now", required=False, initial=True)


class AssignForm(UswdsFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Person", coerce=int)
    organization = forms.TypedChoiceField(label="Where the role is held", coerce=int)
    starts_on = forms.DateField(label="Term starts", widget=DATE)

    def __init__(
        self, *args: Any, people: list[Person], places: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _people_choices(people, "Choose a person")  # type: ignore[attr-defined]
        self.fields["organization"].choices = [("", "Choose a school"), *places]  # type: ignore[attr-defined]


class RatingsForm(UswdsFormMixin, forms.Form):
    """One radio group per dimension, 1–4, with the level's descriptor as the choice's label."""

    checkpoint = forms.ChoiceField(label="When in the year", choices=LeadershipRating.Checkpoint.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in dimensions.DIMENSIONS:
            self.fields[d.key] = forms.TypedChoiceField(
                label=d.name,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[
                    (i + 1, f"{i + 1} {dimensions.LEVELS[i + 1]}: {t}") for i, t in enumerate(d.descriptors)
                ],
                help_text=d.question,
            )

    def levels(self) -> dict[str, int]:
        return {d.key: self.cleaned_data[d.key] for d in dimensions.DIMENSIONS}


class ActionForm(UswdsFormMixin, forms.Form):
    dimension = forms.ChoiceField(
        label="Dimension", choices=[("", "Choose a dimension"), *dimensions.CHOICES]
    )
    action = forms.CharField(label="Action", max_length=300)
    owner = forms.TypedChoiceField(label="Owner", coerce=int)
    due_on = forms.DateField(label="Due", widget=DATE)

    def __init__(self, *args: Any, staff: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people_choices(staff, "Choose an owner")  # type: ignore[attr-defined]


class ProgressForm(UswdsFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=PlanAction.Status.choices)
    note = forms.CharField(label="Progress note", max_length=500, required=False)


class PlanForm(UswdsFormMixin, forms.Form):
    focus = forms.CharField(
        label="Focus",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the team wants distributed leadership to change this year.",
    )
    team = forms.TypedChoiceField(
        label="Leadership team that rates the school", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "No team yet"), *teams]  # type: ignore[attr-defined]


class MemberForm(UswdsFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Person", coerce=int)
    role = forms.ChoiceField(
        label="Role on it", choices=BodyMember.Role.choices, initial=BodyMember.Role.MEMBER
    )
    represents = forms.CharField(label="Represents (optional)", max_length=120, required=False)
    starts_on = forms.DateField(label="Term starts", widget=DATE)
    ends_on = forms.DateField(label="Term ends (optional)", widget=DATE, required=False)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _people_choices(people, "Choose a person")  # type: ignore[attr-defined]


class MeetingForm(UswdsFormMixin, forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE)
    agenda = forms.CharField(label="Agenda", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    attendees = forms.TypedMultipleChoiceField(
        label="Present", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[BodyMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(m.pk, m.person.display_name) for m in members]  # type: ignore[attr-defined]


class DecisionForm(UswdsFormMixin, forms.Form):
    decided_on = forms.DateField(label="Date", widget=DATE)
    decision = forms.CharField(label="Decision", max_length=400)
    rationale = forms.CharField(label="Rationale", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.TypedChoiceField(label="Owner (optional)", coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label="Status", choices=BodyDecision.Status.choices)

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people_choices(people, "No owner")  # type: ignore[attr-defined]
