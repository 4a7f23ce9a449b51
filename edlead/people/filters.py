"""The people list's filters and sort (django-filter): name or MEPID, current role, aspiring leaders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from edlead.access import policy
from edlead.core.forms import UswdsFormMixin
from edlead.people.models import Person, Position

_ANYWHERE = Q()


def name_filter(query: str, *, mepid_scope: Q | None = _ANYWHERE) -> Q:
    """Every word must match a first, preferred or last name. An 8-digit number matches a MEPID only
    within `mepid_scope` (None: never), so nobody can test whether a MEPID they may not see exists."""
    q = Q()
    for word in query.split()[:5]:
        names = (
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(preferred_name__icontains=word)
        )
        if word.isdigit() and len(word) == 8 and mepid_scope is not None:
            q &= (Q(mepid=word) & mepid_scope) | names
        else:
            q &= names
    return q


def mepid_scope_for(user: Any) -> Q | None:
    """Where `user` may match people by MEPID: the people whose personnel details they may see."""
    if not policy.can(user, policy.PERSONNEL_VIEW):
        return None
    return Q(pk__in=policy.visible_to(user, Person.objects.all(), policy.PERSONNEL_VIEW).values("pk"))


SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Name, A to Z", ("last_name", "first_name", "pk")),
    "-name": ("Name, Z to A", ("-last_name", "-first_name", "-pk")),
    "-updated": ("Recently changed", ("-updated_at", "-pk")),
}


class PersonFilterForm(UswdsFormMixin, forms.Form):
    """The filter form, drawn like every other form (USWDS classes)."""


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or MEPID")
    role = django_filters.ChoiceFilter(
        choices=Position.Role.choices, method="filter_role", label="Current role", empty_label="Any role"
    )
    confirmation = django_filters.ChoiceFilter(
        choices=[("old", "Last confirmed by an old file")],
        method="filter_confirmation",
        label="Confirmation",
        empty_label="Any",
    )
    aspiring = django_filters.BooleanFilter(
        field_name="is_aspiring_leader",
        method="filter_aspiring",
        label="Aspiring leaders only",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(
        choices=[(k, v[0]) for k, v in SORTS.items()],
        method="filter_sort",
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Person
        fields: list[str] = []
        form = PersonFilterForm

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name_filter(value, mepid_scope=mepid_scope_for(self.user)))

    def filter_role(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(pk__in=Position.objects.current().filter(role=value).values("person_id"))

    def filter_confirmation(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        """People with a current position that only an old file confirms (of the chosen role, if any): the
        ones HR should confirm or end."""
        if value != "old":
            return queryset
        stale = Position.objects.current().filter(confirmed_through__lt=dt.date.today())
        role = self.form.cleaned_data.get("role")
        if role:
            stale = stale.filter(role=role)
        return queryset.filter(pk__in=stale.values("person_id"))

    def filter_aspiring(self, queryset: QuerySet[Person], name: str, value: bool | None) -> QuerySet[Person]:
        return queryset.filter(is_aspiring_leader=True) if value else queryset

    def filter_sort(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.order_by(*SORTS.get(value, SORTS["name"])[1])

    @property
    def qs(self) -> QuerySet[Person]:
        people = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("sort")):
            people = people.order_by(*SORTS["name"][1])  # the default sort, also when none was asked
        return people
