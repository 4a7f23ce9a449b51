"""What people type on the network pages; the services check the rules (dates, who belongs)."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.networks.models import ProblemOfPractice
from edlead.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {"invalid": "Enter a date like 2026-10-14."}
TIME_ERRORS = {"invalid": "Enter a time like 08:30."}


def _people_field(label: str, people: list[Person], required: bool) -> forms.TypedChoiceField:
    choices: list[tuple[Any, str]] = [] if required else [("", "—")]
    choices += [(p.pk, p.display_name) for p in people]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, empty_value=None
    )


class MeetingForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    meets_on = forms.DateField(label="Date", widget=DATE, error_messages=DATE_ERRORS)
    starts_at = forms.TimeField(label="Start time", widget=TIME, error_messages=TIME_ERRORS)
    place = forms.CharField(max_length=200)


class AgendaItemForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(label="Item", max_length=200)
    starts_at = forms.TimeField(label="Time", widget=TIME, error_messages=TIME_ERRORS)
    minutes = forms.IntegerField(label="Minutes", required=False, min_value=1, max_value=480)

    def __init__(self, *args: Any, leads: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"] = _people_field("Lead", leads, required=False)
        self.fields["lead"].widget.attrs["class"] = "usa-select"


class ProblemForm(UswdsFormMixin, forms.Form):
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="The presenter's focusing question.",
    )
    protocol = forms.ChoiceField(choices=ProblemOfPractice.Protocol.choices)
    protocol_notes = forms.CharField(
        label="Protocol notes", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, required=False
    )

    def __init__(self, *args: Any, presenters: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"] = _people_field("Presenter", presenters, required=True)
        self.fields["presenter"].widget.attrs["class"] = "usa-select"
        self.order_fields(["presenter", "question", "protocol", "protocol_notes"])


class PairForm(UswdsFormMixin, forms.Form):
    def __init__(self, *args: Any, principals: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (("first", "First principal"), ("second", "Second principal")):
            self.fields[name] = _people_field(label, principals, required=True)
            self.fields[name].widget.attrs["class"] = "usa-select"


class NarrativeForm(UswdsFormMixin, forms.Form):
    """The supervisor's narrative of a network report (autosaved)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20000,
        help_text="What happened in the network this period, what you see in the figures, what comes next.",
    )
