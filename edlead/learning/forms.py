"""The catalog's search and filters."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.learning.models import Competency, Program
from edlead.learning.selectors import CatalogFilter
from edlead.people.models import Position

ANY = [("", "Any")]


class CatalogForm(UswdsFormMixin, forms.Form):
    q = forms.CharField(
        required=False, max_length=100, label="Search", help_text="Title, description or provider."
    )
    format = forms.ChoiceField(required=False, choices=ANY + list(Program.Format.choices))
    competency = forms.ChoiceField(required=False, label="Develops")
    role = forms.ChoiceField(required=False, label="For", choices=ANY + list(Position.Role.choices))
    offered_by = forms.ChoiceField(
        required=False,
        label="Offered by",
        choices=ANY + [("state", "The state (every district)"), ("district", "My district")],
    )
    upcoming = forms.BooleanField(required=False, label="Only programs with sessions coming up")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = ANY + [  # type: ignore[attr-defined]
            (c.code, c.name) for c in Competency.objects.all()
        ]

    def filter(self) -> CatalogFilter:
        d = self.cleaned_data if self.is_valid() else {}
        return CatalogFilter(
            q=str(d.get("q") or "").strip(),
            format=d.get("format") or "",
            competency=d.get("competency") or "",
            role=d.get("role") or "",
            offered_by=d.get("offered_by") or "",
            upcoming=bool(d.get("upcoming")),
        )
