"""Forms for what a district administrator types: networks, school moves, supervision overrides."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone

from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization
from edlead.people.models import Person


class NetworkForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(max_length=255, label="Network name", help_text="For example: North Quadrant.")
    label = forms.ChoiceField(choices=Organization.NetworkLabel.choices, label="Called a", initial="network")


class DestinationField(forms.ModelChoiceField):
    """A network of the district, or the district itself meaning "no network"."""

    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name} (no network)" if obj.kind == Organization.Kind.DISTRICT else obj.name


class SchoolMoveForm(UswdsFormMixin, forms.Form):
    school = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="School", empty_label="Choose a school"
    )
    to = DestinationField(queryset=Organization.objects.none(), label="Move to", empty_label=None)
    # When the page was drawn: a move of a school someone changed since is refused as a conflict.
    seen_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, district: Organization, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = (
            Organization.objects.schools().open().filter(district=district).order_by("name")
        )
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = Organization.objects.filter(
            pk=district.pk
        ) | Organization.objects.networks().filter(parent=district)
        if not self.is_bound:
            self.initial["seen_at"] = timezone.now().isoformat()


class SupervisionOverrideForm(UswdsFormMixin, forms.Form):
    school = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="School", empty_label="Choose a school"
    )
    supervisor = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Supervised by", empty_label="Choose a supervisor"
    )
    starts_on = forms.DateField(
        label="From", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        max_length=255, required=False, label="Reason", help_text="For example: caseload rebalance."
    )

    def __init__(
        self, *args: object, district: Organization, supervisors: list[Person], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = (
            Organization.objects.schools().open().filter(district=district).order_by("name")
        )
        cast(forms.ModelChoiceField, self.fields["supervisor"]).queryset = Person.objects.filter(
            pk__in=[p.pk for p in supervisors]
        )
