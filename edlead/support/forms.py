"""Forms of the support pages. The services check everything again (a form is not the rule)."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization
from edlead.support.models import SupportRequest

R = SupportRequest


class RequestForm(UswdsFormMixin, forms.Form):
    school = forms.TypedChoiceField(label="School", coerce=int)
    department = forms.ChoiceField(label="Department")
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *R.Category.choices],
        help_text="Safety and crisis requests are always urgent and escalate when nobody answers them in time.",
    )
    priority = forms.ChoiceField(label="Priority", choices=R.Priority.choices, initial=R.Priority.NORMAL)
    subject = forms.CharField(label="Subject", max_length=200)
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the school needs, for whom, and by when. No student names: use initials or an ID.",
    )

    def __init__(
        self, *args: Any, schools: list[Organization], departments: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        school_field: Any = self.fields["school"]
        school_field.choices = [("", "Choose a school"), *((s.pk, s.name) for s in schools)]
        dept_field: Any = self.fields["department"]
        dept_field.choices = [("", "Choose a department"), *((d, d) for d in departments)]


class TriageForm(UswdsFormMixin, forms.Form):
    priority = forms.ChoiceField(label="Priority", choices=R.Priority.choices)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssignForm(UswdsFormMixin, forms.Form):
    assignee = forms.TypedChoiceField(label="Assign to", coerce=int)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, responders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["assignee"]
        field.choices = responders


class AnswerForm(UswdsFormMixin, forms.Form):
    answer = forms.CharField(label="Answer", widget=forms.Textarea(attrs={"rows": 5}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseForm(UswdsFormMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(UswdsFormMixin, forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class ResponderForm(UswdsFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Add a responder", coerce=int)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.choices = [("", "Choose a person"), *people]
