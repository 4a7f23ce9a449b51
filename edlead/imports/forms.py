"""What a person types to start an import: the file, and optionally its kind and school year."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.imports.kinds import KINDS
from edlead.imports.services import max_bytes
from edlead.lib.schoolyears import SchoolYear, SchoolYearError


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of file",
        required=False,
        choices=lambda: [("", "Detect automatically"), *((slug, kind.label) for slug, kind in KINDS.items())],
        help_text="Leave on “Detect automatically” unless EdLead cannot tell what the file is.",
    )
    school_year = forms.CharField(
        label="School year (optional)",
        required=False,
        max_length=9,
        help_text="For directory files, e.g. 2024-25: leader changes are dated July 1 of that year. "
        "Taken from the file name when it says, else today.",
    )
    file = forms.FileField(label="CSV or XLSX file", help_text="A .csv or .xlsx file.")

    def clean_school_year(self) -> SchoolYear | None:
        value = (self.cleaned_data.get("school_year") or "").strip()
        if not value:
            return None
        try:
            return SchoolYear.parse(value)
        except SchoolYearError as exc:
            raise forms.ValidationError("Enter a school year like 2024-25.") from exc

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size / 1_048_576:.1f} MB; imports are limited to {limit / 1_048_576:.0f} MB."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload
