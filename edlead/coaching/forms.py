"""The forms of coaching: what people type; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from edlead.coaching.models import CoachingCycle, CoachingRelationship, CoachingSession, CycleGoal
from edlead.core.forms import UswdsFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(UswdsFormMixin, forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE)
    minutes = forms.IntegerField(
        label="Length in minutes", min_value=1, max_value=720, help_text="Between 1 and 720."
    )
    focus = forms.CharField(max_length=200, help_text="What the session was about.")
    cycle: forms.TypedChoiceField = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Cycle"
    )
    agreed_actions = forms.CharField(
        label="Agreed actions", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    notes = forms.CharField(
        label="Private notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
        help_text="Only the coach and the coachee read these, unless the coachee shares them.",
    )
    shared_with = forms.ChoiceField(
        label="Shared with",
        choices=CoachingSession.SharedWith.choices,
        initial=CoachingSession.SharedWith.PRIVATE,
    )

    def __init__(self, *args: Any, cycles: list[CoachingCycle], is_coachee: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", "(none)"), *((c.pk, c.title) for c in cycles)]  # type: ignore[attr-defined]
        if not is_coachee:  # only the coachee shares the notes
            self.fields["shared_with"].choices = [CoachingSession.SharedWith.choices[0]]  # type: ignore[attr-defined]


class CycleForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(max_length=160, help_text="The cycle's focus, e.g. feedback to teachers.")
    starts_on = forms.DateField(label="Start date", widget=DATE)
    ends_on = forms.DateField(label="End date", widget=DATE, required=False)
    goal = forms.CharField(label="First goal", max_length=300, required=False)


class GoalForm(UswdsFormMixin, forms.Form):
    statement = forms.CharField(label="Goal", max_length=300)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CycleGoal.Status.choices)


class ShareForm(forms.Form):
    shared_with = forms.ChoiceField(choices=CoachingSession.SharedWith.choices)


class RelationshipStartForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=CoachingRelationship.Kind.choices)
    coach: forms.TypedChoiceField = forms.TypedChoiceField(coerce=int, label="Coach or mentor")
    coachee: forms.TypedChoiceField = forms.TypedChoiceField(coerce=int, label="Coachee")
    starts_on = forms.DateField(label="Start date", widget=DATE)
    ends_on = forms.DateField(label="End date", widget=DATE, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = people  # type: ignore[attr-defined]
        self.fields["coachee"].choices = people  # type: ignore[attr-defined]
