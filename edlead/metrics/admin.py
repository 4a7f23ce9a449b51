"""The metric catalog in the admin: metrics learned from DESE files are edited here by an administrator
(name, unit, direction, category, decimals); metrics declared in code are shown read-only, since every
`migrate` syncs them from `edlead.metrics.catalog`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from edlead.metrics.models import Metric

LEARNED_EDITABLE = (
    "name",
    "definition",
    "unit",
    "direction",
    "category",
    "source_report",
    "grade_span",
    "subject",
    "year_rule",
    "suppress_below",
    "decimals",
    "sort_order",
)


class LearnedFilter(admin.SimpleListFilter):
    title = "origin"
    parameter_name = "learned"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Learned from a file"), ("no", "Declared in code")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.exclude(learned_from_file="")
        if self.value() == "no":
            return queryset.filter(learned_from_file="")
        return queryset


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "direction", "category", "learned_from_file")
    list_filter = (LearnedFilter, "unit", "category")
    search_fields = ("name", "code", "source_report")
    fields = ("code", "learned_from_file", *LEARNED_EDITABLE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # metrics are declared in code or learned from a file

    def has_delete_permission(self, request: HttpRequest, obj: Metric | None = None) -> bool:
        return False  # deleting a metric deletes its facts

    def get_readonly_fields(self, request: HttpRequest, obj: Metric | None = None) -> tuple[str, ...]:
        if obj is not None and obj.learned_from_file:
            return ("code", "learned_from_file")
        return ("code", "learned_from_file", *LEARNED_EDITABLE)
