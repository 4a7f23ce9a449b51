"""What a person types to start an import: the file, and optionally its kind and school year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from edlead.core.forms import UswdsFormMixin
from edlead.imports.kinds import KINDS
from edlead.imports.services import max_bytes
from edlead.lib.schoolyears import SchoolYear, SchoolYearError

ACCEPT = ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(UswdsFormMixin, forms.Form):
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
        widget=forms.TextInput(attrs={"placeholder": "2024-25", "class": "usa-input--small"}),
        help_text="For directory files, e.g. 2024-25: leader changes are dated July 1 of that year. "
        "Taken from the file name when it says, else today.",
    )
    file = forms.FileField(
        label="CSV or XLSX file", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mb = max_bytes() // 1_048_576
        background = getattr(settings, "EDLEAD_IMPORT_BACKGROUND_BYTES", 5 * 1_048_576) / 1_048_576
        self.fields["file"].help_text = (
            f"Up to {mb} MB. Files over {background:.0f} MB are checked and applied in the background "
            "while this site shows their progress."
        )
        self.fields["file"].widget.attrs["aria-describedby"] = f"id_{self.add_prefix('file')}-hint"

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
