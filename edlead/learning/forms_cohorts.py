"""Forms of the cohort pages: starting a cohort, a meeting, a post, the search for people to add."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from edlead.access import policy
from edlead.core.forms import UswdsFormMixin
from edlead.learning.models import Cohort, CohortPost, Program
from edlead.learning.services_cohorts import (
    AGENDA_MAX,
    BODY_MAX,
    NAME_MAX,
    TITLE_MAX,
    manageable_organizations,
)
from edlead.people.filters import mepid_scope_for, name_filter
from edlead.people.models import Person

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEARCH_LIMIT = 20


def people_matching(user: Any, query: str) -> QuerySet[Person]:
    """People in the user's directory by name (as the site search finds them); an 8-digit number matches a
    MEPID only among people whose personnel details the user reads."""
    query = query.strip()[:100]
    if len(query) < 2:
        return Person.objects.none()
    found = Person.objects.filter(name_filter(query, mepid_scope=mepid_scope_for(user)))
    return policy.visible_to(user, found, policy.PERSON_DIRECTORY)


class PeopleSearchForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Find people by name",
        help_text="People in your district's directory (coordinators of the state: every district).",
    )


class CohortForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(max_length=NAME_MAX, label="Name")
    kind = forms.ChoiceField(choices=Cohort.Kind.choices, label="Kind")
    run_by = forms.ChoiceField(
        label="Run by", help_text="A state-run cohort can bring together every district."
    )
    facilitator = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Facilitator",
        help_text="Find them first with the search above; they run the meetings and take attendance.",
    )
    starts_on = forms.DateField(label="Starts", widget=DATE)
    ends_on = forms.DateField(label="Ends", required=False, widget=DATE)
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        label="Program of the catalog",
        help_text="Optional: the cohort or think tank program it belongs to.",
    )
    description = forms.CharField(
        required=False, max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4}), label="Description"
    )

    def __init__(self, *args: Any, user: Any, query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run_by"].choices = manageable_organizations(user)  # type: ignore[attr-defined]
        # The facilitator's choices: the people the search found, the coordinator, and (when the form comes
        # back) the one chosen — validated against the whole directory the user sees, drawn short.
        chosen = str(self.data.get(self.add_prefix("facilitator"), "")) if self.is_bound else ""
        wanted = Q(pk__in=[int(chosen)] if chosen.isdigit() else [])
        if getattr(user, "person_id", None):
            wanted |= Q(pk=user.person_id)
        if len(query.strip()) >= 2:
            wanted |= Q(pk__in=people_matching(user, query).values("pk")[:SEARCH_LIMIT])
        directory = policy.visible_to(user, Person.objects.all(), policy.PERSON_DIRECTORY)
        self.fields["facilitator"].queryset = directory.filter(wanted).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "pk"
        )
        self.fields["program"].queryset = policy.visible_to(  # type: ignore[attr-defined]
            user,
            Program.objects.filter(format__in=[Program.Format.COHORT, Program.Format.THINK_TANK]),
            policy.PROGRAM_MANAGE,
        ).order_by("title", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "A cohort ends after it starts.")
        return data


class MeetingForm(UswdsFormMixin, forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=DATETIME)
    ends_at = forms.DateTimeField(label="Ends", widget=DATETIME)
    place = forms.CharField(required=False, max_length=200, label="Place")
    online_url = forms.URLField(required=False, max_length=200, label="Online link", assume_scheme="https")
    agenda = forms.CharField(
        required=False,
        max_length=AGENDA_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Agenda",
        help_text="The members read it in the notice and on the cohort's page.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "A meeting ends after it starts.")
        return data


class PostForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=CohortPost.Kind.choices, label="Kind", initial=CohortPost.Kind.SUCCESS)
    title = forms.CharField(max_length=TITLE_MAX, label="Title")
    body = forms.CharField(max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}), label="Text")
