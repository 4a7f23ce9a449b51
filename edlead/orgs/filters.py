"""The organization list's filters (django-filter): name or code, kind, open or closed."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization


class OrganizationFilterForm(UswdsFormMixin, forms.Form):
    """Drawn like every other form (USWDS classes)."""


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or code")
    kind = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, label="Kind", empty_label="All kinds"
    )
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("closed", "Closed")],
        method="filter_status",
        label="Status",
        empty_label="Open and closed",
    )

    class Meta:
        model = Organization
        fields: list[str] = []
        form = OrganizationFilterForm

    def filter_q(self, queryset: QuerySet[Organization], name: str, value: str) -> QuerySet[Organization]:
        value = value.strip()
        if not value:
            return queryset
        code = value.zfill(8) if value.isdigit() and len(value) <= 8 else value
        return queryset.filter(Q(name__icontains=value) | Q(code=code))

    def filter_status(
        self, queryset: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        return queryset.filter(closed_on__isnull=(value == "open"))
