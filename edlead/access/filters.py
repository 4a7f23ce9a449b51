"""The audit log's filters (django-filter): what happened, who, which record, when."""

from __future__ import annotations

import django_filters
from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.core.models import AuditEvent, audit_verbs


class AuditFilterForm(UswdsFormMixin, forms.Form):
    """Drawn like every other form (USWDS classes)."""


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=audit_verbs, label="What happened", empty_label="Everything")
    who = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label="Who (e-mail)")
    record = django_filters.CharFilter(field_name="target_label", lookup_expr="icontains", label="Record")
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm
