"""The import history's filters (django-filter): kind of file, status, who ran it."""

from __future__ import annotations

import django_filters
from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.imports.kinds import KINDS
from edlead.imports.models import ImportRun


class ImportRunFilterForm(UswdsFormMixin, forms.Form):
    """Drawn like every other form (USWDS classes)."""


def _kind_choices() -> list[tuple[str, str]]:
    return [(slug, kind.label) for slug, kind in KINDS.items()]


class ImportRunFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=_kind_choices, label="Kind of file", empty_label="Every kind")
    status = django_filters.ChoiceFilter(
        choices=ImportRun.Status.choices, label="Status", empty_label="Any status"
    )
    file = django_filters.CharFilter(field_name="file_name", lookup_expr="icontains", label="File name")

    class Meta:
        model = ImportRun
        fields: list[str] = []
        form = ImportRunFilterForm
