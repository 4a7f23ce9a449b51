"""The comparison page's choices, drawn like every other form (USWDS classes, `form_field.html`)."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin


class ComparisonForm(UswdsFormMixin, forms.Form):
    """Measures, year and filters of a district or network comparison. Choices come from the page's
    data (`selectors.comparison`), so only measures and years with figures are offered."""

    metric = forms.MultipleChoiceField(
        label="Metrics",
        required=False,
        help_text="Hold Ctrl or ⌘ to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "edlead-multi"}),
    )
    year = forms.ChoiceField(label="School year", required=False)
    network = forms.ChoiceField(label="Network", required=False)
    type = forms.ChoiceField(label="School type", required=False)
    flag = forms.ChoiceField(label="Flag", required=False)

    def __init__(self, *args: Any, data_: Any, flag_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["metric"].choices = [  # type: ignore[attr-defined]
            (category, [(m.code, m.name) for m in items]) for category, items in data_.metric_groups
        ]
        fields["year"].choices = [  # type: ignore[attr-defined]
            (str(y), f"{label} (latest with figures)" if y == data_.latest else label)
            for y, label in data_.year_choices
        ]
        fields["network"].choices = [("", "All networks"), *((str(n.pk), n.name) for n in data_.networks)]  # type: ignore[attr-defined]
        fields["type"].choices = [("", "All types"), *data_.school_types]  # type: ignore[attr-defined]
        fields["flag"].choices = [("", "All schools"), ("any", "Any flag"), *flag_choices]  # type: ignore[attr-defined]
        if not data_.networks:
            del fields["network"]
        self.initial.update(
            {
                "metric": [m.code for m in data_.chosen],
                "year": str(data_.year) if data_.year is not None else "",
                "network": data_.filters.get("network") or "",
                "type": data_.filters.get("type") or "",
                "flag": data_.filters.get("flag") or "",
            }
        )


class MonthlyForm(UswdsFormMixin, forms.Form):
    """In-year monitoring: the measure (on the district page) and the student group."""

    metric = forms.ChoiceField(label="Measure", required=False)
    group = forms.ChoiceField(label="Student group", required=False)
    all = forms.CharField(widget=forms.HiddenInput, required=False)  # keeps "show all measures"

    def __init__(
        self, *args: Any, monthly: Any, district: bool, show_all: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, prefix=None, **kwargs)
        fields = self.fields
        if district:
            fields["metric"].choices = [(m.code, m.name) for m in monthly.metrics or []]  # type: ignore[attr-defined]
        else:
            del fields["metric"]
        if not show_all:
            del fields["all"]
        fields["group"].choices = [(g.code, g.name) for g in monthly.groups or []]  # type: ignore[attr-defined]
        blocks = getattr(monthly, "blocks", [])
        self.initial.update(
            {
                "metric": blocks[0].metric.code if blocks else "",
                "group": monthly.group.code if getattr(monthly, "group", None) else "",
                "all": "1",
            }
        )
        for name, field in fields.items():
            field.widget.attrs["id"] = f"monthly-{name}"
